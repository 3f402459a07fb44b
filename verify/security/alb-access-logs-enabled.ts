/**
 * Every application load balancer writes access logs (`access_logs.enabled` with a bucket).
 *
 * Mirrors checkov CKV_AWS_91 ("ELBv2 has access logging enabled").
 */
import { blocksOf, type StackJson } from './terraform-json';
import { finding, type SecurityRule } from './rule';

export const rule: SecurityRule = {
  id: 'alb-access-logs-enabled',
  mirrors: 'checkov CKV_AWS_91',
  layer: 'Logging',
  description: 'Every ALB writes access logs to S3.',
  check(stacks: readonly StackJson[]) {
    return stacks.flatMap((stack) =>
      blocksOf(stack, 'aws_lb')
        .filter(([, lb]) => (lb.load_balancer_type ?? 'application') === 'application')
        .filter(([, lb]) => !(lb.access_logs?.enabled === true && lb.access_logs?.bucket))
        .map(([name, lb]) => finding(stack, `aws_lb.${name}`, `ALB ${lb.name ?? name} writes no access logs`)),
    );
  },
};
