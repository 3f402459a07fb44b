/**
 * AWS API endpoints a service's Pods call with its IRSA role. Under REGISTRY_ONLY an AWS SDK call
 * is an egress like any other, so each named grant (`Service.aws`) brings the HTTPS hosts it
 * needs, and they leave through the egress gateway like the declared external hosts.
 */
import { staticAssetsBucketName } from '../../platform/naming';
import type { AwsGrant, Environment, Platform } from '../../platform/types';

const dnsSuffix = (region: string): string => (region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com');

/** Hosts the grants need, sorted; STS (regional, as the EKS Pod Identity webhook configures SDKs) whenever there is a grant. */
export function awsEndpoints(grants: readonly AwsGrant[], platform: Pick<Platform, 'name'>, env: Pick<Environment, 'name' | 'account' | 'region'>): string[] {
  if (grants.length === 0) return [];
  const suffix = dnsSuffix(env.region);
  const hosts = new Set<string>([`sts.${env.region}.${suffix}`]);
  for (const grant of grants) {
    switch (grant) {
      case 'email-send':
        hosts.add(`email.${env.region}.${suffix}`);
        break;
      case 'cdn-invalidation':
        // The distribution id comes from SSM; invalidation is a global CloudFront API.
        hosts.add(`ssm.${env.region}.${suffix}`);
        hosts.add(`cloudfront.${suffix}`);
        break;
      case 'static-assets-write':
        hosts.add(`${staticAssetsBucketName(platform, env)}.s3.${env.region}.${suffix}`);
        break;
    }
  }
  return [...hosts].sort();
}
