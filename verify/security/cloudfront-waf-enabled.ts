/**
 * Every CloudFront distribution is behind a web ACL (`web_acl_id`, a CLOUDFRONT-scoped WAFv2 ACL).
 *
 * Mirrors checkov CKV_AWS_68 / tfsec aws-cloudfront-enable-waf.
 */
import { blocksOf, type StackJson } from './terraform-json';
import { finding, type SecurityRule } from './rule';

export const rule: SecurityRule = {
  id: 'cloudfront-waf-enabled',
  mirrors: 'checkov CKV_AWS_68 / tfsec aws-cloudfront-enable-waf',
  layer: 'WAF',
  description: 'Every CloudFront distribution has a web ACL.',
  check(stacks: readonly StackJson[]) {
    return stacks.flatMap((stack) =>
      blocksOf(stack, 'aws_cloudfront_distribution')
        .filter(([, d]) => !d.web_acl_id)
        .map(([name]) => finding(stack, `aws_cloudfront_distribution.${name}`, 'has no web ACL')),
    );
  },
};
