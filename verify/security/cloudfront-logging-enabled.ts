/**
 * Every CloudFront distribution writes access logs (`logging_config` with a bucket).
 *
 * Mirrors checkov CKV_AWS_86 / tfsec aws-cloudfront-enable-logging.
 */
import { blocksOf, type StackJson } from './terraform-json';
import { finding, type SecurityRule } from './rule';

export const rule: SecurityRule = {
  id: 'cloudfront-logging-enabled',
  mirrors: 'checkov CKV_AWS_86 / tfsec aws-cloudfront-enable-logging',
  layer: 'Logging',
  description: 'Every CloudFront distribution writes access logs.',
  check(stacks: readonly StackJson[]) {
    return stacks.flatMap((stack) =>
      blocksOf(stack, 'aws_cloudfront_distribution')
        .filter(([, d]) => !d.logging_config?.bucket)
        .map(([name]) => finding(stack, `aws_cloudfront_distribution.${name}`, 'writes no access logs')),
    );
  },
};
