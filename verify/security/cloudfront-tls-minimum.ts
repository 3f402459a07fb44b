/**
 * Every CloudFront distribution serves its own certificate with a TLS 1.2 floor: the default
 * `*.cloudfront.net` certificate pins the security policy to TLSv1 (AWS, "Supported protocols and
 * ciphers between viewers and CloudFront"), and `minimum_protocol_version` must be TLSv1.2_2021 or
 * newer.
 *
 * Mirrors checkov CKV_AWS_174 / tfsec aws-cloudfront-use-secure-tls-policy.
 */
import { blocksOf, type StackJson } from './terraform-json';
import { finding, type SecurityRule } from './rule';

const ACCEPTED = ['TLSv1.2_2021', 'TLSv1.2_2025', 'TLSv1.3_2025'];

export const rule: SecurityRule = {
  id: 'cloudfront-tls-minimum',
  mirrors: 'checkov CKV_AWS_174 / tfsec aws-cloudfront-use-secure-tls-policy',
  layer: 'TLS',
  description: 'CloudFront serves its own certificate with TLSv1.2_2021 or newer.',
  check(stacks: readonly StackJson[]) {
    return stacks.flatMap((stack) =>
      blocksOf(stack, 'aws_cloudfront_distribution').flatMap(([name, d]) => {
        const cert = d.viewer_certificate ?? {};
        if (cert.cloudfront_default_certificate === true) return [finding(stack, `aws_cloudfront_distribution.${name}`, 'uses the default CloudFront certificate (TLSv1 floor)')];
        if (!ACCEPTED.includes(cert.minimum_protocol_version)) {
          return [finding(stack, `aws_cloudfront_distribution.${name}`, `minimum_protocol_version is ${cert.minimum_protocol_version ?? 'unset'}, not TLSv1.2_2021 or newer`)];
        }
        return [];
      }),
    );
  },
};
