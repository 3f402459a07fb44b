/**
 * A customer-managed KMS key with yearly rotation and an alias.
 */
import type { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey as KmsKeyResource } from '@cdktf/provider-aws/lib/kms-key';
import { awsDnsSuffix } from '../platform/aws-names';
import type { Environment } from '../platform/types';
import { awsPartition } from './names';

/**
 * The first statement of every key policy here: the account (through IAM policies) administers and
 * uses the key; further statements admit AWS services that cannot carry IAM policies.
 */
export function accountAdministersKey(env: Pick<Environment, 'account' | 'region'>) {
  return {
    sid: 'AccountAdministersKeyThroughIam',
    effect: 'Allow',
    actions: ['kms:*'],
    resources: ['*'],
    principals: [{ type: 'AWS', identifiers: [`arn:${awsPartition(env.region)}:iam::${env.account}:root`] }],
  };
}

/**
 * The statement that lets CloudWatch Logs of one account and region encrypt with a key: the logs
 * service principal, limited by encryption context to that account's log groups there
 * (docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html).
 */
export function cloudWatchLogsUsesKey(account: string, region: string) {
  return {
    sid: 'CloudWatchLogsUsesKeyForAccountLogGroups',
    effect: 'Allow',
    actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
    resources: ['*'],
    principals: [{ type: 'Service', identifiers: [`logs.${region}.${awsDnsSuffix(region)}`] }],
    condition: [{ test: 'ArnLike', variable: 'kms:EncryptionContext:aws:logs:arn', values: [`arn:${awsPartition(region)}:logs:${region}:${account}:log-group:*`] }],
  };
}

export interface KmsKeyProps {
  /** Alias, including the "alias/" prefix (see `kmsAliasName`). */
  readonly alias: string;
  /** What the key protects, shown in the console. */
  readonly description: string;
  /**
   * Key policy JSON. Without one, AWS applies the default key policy (the account root, i.e. IAM
   * policies, controls access).
   * @default the default key policy
   */
  readonly policy?: string;
  /**
   * Days a scheduled deletion waits (7..30).
   * @default 30
   */
  readonly deletionWindowInDays?: number;
  /**
   * Provider (region) the key is created with.
   * @default the stack's default provider
   */
  readonly provider?: TerraformProvider;
}

export class KmsKey extends Construct {
  public readonly key: KmsKeyResource;
  public readonly alias: KmsAlias;

  constructor(scope: Construct, id: string, props: KmsKeyProps) {
    super(scope, id);
    this.key = new KmsKeyResource(this, 'key', {
      description: props.description,
      enableKeyRotation: true,
      deletionWindowInDays: props.deletionWindowInDays ?? 30,
      policy: props.policy,
      provider: props.provider,
    });
    this.alias = new KmsAlias(this, 'alias', { name: props.alias, targetKeyId: this.key.keyId, provider: props.provider });
  }

  /** ARN of the key (what encryption settings take). */
  public get arn(): string {
    return this.key.arn;
  }
}
