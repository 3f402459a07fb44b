/**
 * Every RDS/Aurora instance has Performance Insights (KMS-encrypted) and Enhanced Monitoring
 * (`monitoring_interval` > 0 with a role), and names its availability zone explicitly (so the
 * instances of a cluster are spread over zones by intent, not by RDS's choice).
 *
 * Mirrors checkov CKV_AWS_353 (Performance Insights), CKV_AWS_354 (its KMS key) and CKV_AWS_118
 * (enhanced monitoring).
 */
import { blocksOf, type StackJson } from './terraform-json';
import { finding, type SecurityRule } from './rule';

export const rule: SecurityRule = {
  id: 'rds-instance-monitoring',
  mirrors: 'checkov CKV_AWS_353 / CKV_AWS_354 / CKV_AWS_118',
  layer: 'Day-2',
  description: 'Every database instance has Performance Insights (CMK), Enhanced Monitoring and an explicit zone.',
  check(stacks: readonly StackJson[]) {
    return stacks.flatMap((stack) =>
      blocksOf(stack, 'aws_rds_cluster_instance').flatMap(([name, i]) => {
        const problems: string[] = [];
        if (i.performance_insights_enabled !== true) problems.push('has no Performance Insights');
        else if (!i.performance_insights_kms_key_id) problems.push('encrypts Performance Insights with the AWS managed key');
        if (!(Number(i.monitoring_interval ?? 0) > 0) || !i.monitoring_role_arn) problems.push('has no Enhanced Monitoring');
        if (!i.availability_zone) problems.push('names no availability zone');
        return problems.map((p) => finding(stack, `aws_rds_cluster_instance.${name}`, `instance ${i.identifier ?? name} ${p}`));
      }),
    );
  },
};
