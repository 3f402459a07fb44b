/**
 * Pure naming helpers of the AWS layer that platform/naming.ts does not (yet) provide. Each one is
 * the single place its name is derived; values the Kubernetes layer also needs are marked
 * "shared" and are candidates for platform/naming.ts.
 */
import { awsPartition } from '../platform/aws-names';
import { clusterName } from '../platform/naming';
import type { Environment, Platform } from '../platform/types';

export { awsDnsSuffix, awsPartition } from '../platform/aws-names';

/** ARN of an AWS managed IAM policy. */
export const awsManagedPolicyArn = (env: Pick<Environment, 'region'>, name: string): string => `arn:${awsPartition(env.region)}:iam::aws:policy/${name}`;

/** Tags every AWS resource of an environment carries (AWS provider `default_tags`). */
export function defaultTags(platform: Pick<Platform, 'name'>, env: Pick<Environment, 'name'>): Record<string, string> {
  return { platform: platform.name, environment: env.name, 'managed-by': 'cdktf' };
}

/** CloudWatch log group EKS writes control-plane logs to (name fixed by EKS). */
export const clusterLogGroupName = (platform: Pick<Platform, 'name'>, env: Pick<Environment, 'name'>): string => `/aws/eks/${clusterName(platform, env)}/cluster`;

/** SES domain identity the `email-send` grant may send from: the site's public domain. */
export const sesIdentityArn = (env: Pick<Environment, 'region' | 'account' | 'domains'>): string =>
  `arn:${awsPartition(env.region)}:ses:${env.region}:${env.account}:identity/${env.domains.web}`;

/** Every CloudFront distribution of the environment's account (CloudFront ARNs have no region). */
export const cloudFrontDistributionsArn = (env: Pick<Environment, 'region' | 'account'>): string =>
  `arn:${awsPartition(env.region)}:cloudfront::${env.account}:distribution/*`;

