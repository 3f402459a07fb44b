/**
 * Pure naming helpers of the AWS layer that platform/naming.ts does not (yet) provide. Each one is
 * the single place its name is derived; values the Kubernetes layer also needs are marked
 * "shared" and are candidates for platform/naming.ts.
 */
import { awsPrefix, clusterName } from '../platform/naming';
import type { Environment, Platform } from '../platform/types';

/** AWS partition of a region ("aws", "aws-cn", "aws-us-gov"). */
export function awsPartition(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** DNS suffix of AWS service principals and endpoints in a region. */
export function awsDnsSuffix(region: string): string {
  return region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
}

/** ARN of an AWS managed IAM policy. */
export const awsManagedPolicyArn = (env: Pick<Environment, 'region'>, name: string): string => `arn:${awsPartition(env.region)}:iam::aws:policy/${name}`;

/** Tags every AWS resource of an environment carries (AWS provider `default_tags`). */
export function defaultTags(platform: Pick<Platform, 'name'>, env: Pick<Environment, 'name'>): Record<string, string> {
  return { platform: platform.name, environment: env.name, 'managed-by': 'cdktf' };
}

/** KMS alias of one of the environment's keys, e.g. "alias/ec-dev-eks-secrets". */
export const kmsAliasName = (platform: Pick<Platform, 'name'>, env: Pick<Environment, 'name'>, purpose: string): string => `alias/${awsPrefix(platform, env)}-${purpose}`;

/** CloudWatch log group EKS writes control-plane logs to (name fixed by EKS). */
export const clusterLogGroupName = (platform: Pick<Platform, 'name'>, env: Pick<Environment, 'name'>): string => `/aws/eks/${clusterName(platform, env)}/cluster`;

/**
 * Shared: S3 bucket of the static files behind CloudFront (created by the later data/edge stack;
 * the `static-assets-write` grant is scoped to it). Bucket names are global, so the account id is
 * part of it.
 */
export const staticAssetsBucketName = (platform: Pick<Platform, 'name'>, env: Pick<Environment, 'name' | 'account'>): string =>
  `${awsPrefix(platform, env)}-static-assets-${env.account}`;

/** SES domain identity the `email-send` grant may send from: the site's public domain. */
export const sesIdentityArn = (env: Pick<Environment, 'region' | 'account' | 'domains'>): string =>
  `arn:${awsPartition(env.region)}:ses:${env.region}:${env.account}:identity/${env.domains.web}`;

/** Every CloudFront distribution of the environment's account (CloudFront ARNs have no region). */
export const cloudFrontDistributionsArn = (env: Pick<Environment, 'region' | 'account'>): string =>
  `arn:${awsPartition(env.region)}:cloudfront::${env.account}:distribution/*`;

/**
 * Shared: label and taint of the managed "system" node group (Karpenter, the ingress gateways,
 * CoreDNS). Pods that must run there select the label and tolerate the taint; everything else
 * lands on Karpenter nodes.
 */
export const SYSTEM_NODE_GROUP = 'system';
export const SYSTEM_NODE_LABELS: Readonly<Record<string, string>> = { 'platform.ec/node-group': SYSTEM_NODE_GROUP };
export const SYSTEM_NODE_TAINT = { key: 'CriticalAddonsOnly', value: 'true', effect: 'NoSchedule' } as const;
