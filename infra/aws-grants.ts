/**
 * The least-privilege IAM statements behind each named AWS grant of the model (`Service.aws`).
 * Pure data: the cluster stack turns these into inline policies of the service's IRSA role.
 */
import type { AwsGrant, Environment, Platform } from '../platform/types';
import { ssmParameterArn } from '../platform/aws-names';
import { cdnDistributionIdParameter, staticAssetsBucketName } from '../platform/naming';
import { awsPartition, cloudFrontDistributionsArn, sesIdentityArn } from './names';

/** One condition of an IAM policy statement, e.g. `{ test: 'StringEquals', variable: 'aws:RequestedRegion', values: ['ap-northeast-1'] }`. */
export interface PolicyCondition {
  readonly test: string;
  readonly variable: string;
  readonly values: readonly string[];
}

/** One IAM policy statement. */
export interface PolicyStatement {
  /** Statement id, unique within its policy (letters and digits only). */
  readonly sid: string;
  /** @default "Allow" */
  readonly effect?: 'Allow' | 'Deny';
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  /** @default none */
  readonly conditions?: readonly PolicyCondition[];
}

/** Statements granting one named grant in one environment. */
export function grantStatements(grant: AwsGrant, platform: Pick<Platform, 'name'>, env: Environment): PolicyStatement[] {
  switch (grant) {
    case 'email-send':
      return [{ sid: 'SendEmailFromSiteDomain', actions: ['ses:SendEmail', 'ses:SendRawEmail'], resources: [sesIdentityArn(env)] }];
    case 'cdn-invalidation':
      // The distribution is created by the data stack (applied after this role) and its id is only
      // known after apply, so the role cannot name it at synth time: the purge Job reads the id from
      // the SSM parameter the model names. Invalidation is the only CloudFront action allowed, and
      // only in the environment's own account (one account per environment), which holds no other site.
      return [
        { sid: 'ReadDistributionIdParameter', actions: ['ssm:GetParameter'], resources: [ssmParameterArn(env, cdnDistributionIdParameter(platform, env))] },
        { sid: 'InvalidateDistributions', actions: ['cloudfront:CreateInvalidation'], resources: [cloudFrontDistributionsArn(env)] },
      ];
    case 'static-assets-write':
      return [
        {
          sid: 'WriteStaticAssets',
          actions: ['s3:PutObject'],
          resources: [`arn:${awsPartition(env.region)}:s3:::${staticAssetsBucketName(platform, env)}/*`],
        },
      ];
  }
}

/** Every statement of a list of grants, in the order given (duplicates collapsed). */
export function grantsStatements(grants: readonly AwsGrant[], platform: Pick<Platform, 'name'>, env: Environment): PolicyStatement[] {
  return [...new Set(grants)].flatMap((grant) => grantStatements(grant, platform, env));
}
