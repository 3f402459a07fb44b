/**
 * The S3 bucket the environment's ALBs write their access logs to: private (public access blocked,
 * bucket-owner-enforced), SSE-S3 encrypted (the only encryption ALB log delivery supports), TLS
 * only, expiring after the environment's log retention; only Elastic Load Balancing's log delivery
 * may write, and only under the ALBs' prefixes of this account.
 */
import { Construct } from 'constructs';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA as S3BucketServerSideEncryptionConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { albLogsBucketName, awsPartition, awsServicePrincipal, ELB_LOG_DELIVERY_ACCOUNTS } from '../platform/aws-names';
import type { Environment, Platform } from '../platform/types';

export interface AlbAccessLogsProps {
  readonly platform: Pick<Platform, 'name'>;
  readonly env: Environment;
  /** Prefixes the ALBs write under (one per ALB). */
  readonly prefixes: readonly string[];
}

export class AlbAccessLogs extends Construct {
  public readonly bucket: S3Bucket;
  /** The bucket policy (ALBs depend on it: AWS checks the write permission when logging is enabled). */
  public readonly policy: S3BucketPolicy;

  constructor(scope: Construct, id: string, props: AlbAccessLogsProps) {
    super(scope, id);
    const { platform, env } = props;
    const protect = env.deletionProtection;
    this.bucket = new S3Bucket(this, 'bucket', { bucket: albLogsBucketName(platform, env), forceDestroy: !protect });
    const bucket = this.bucket.id;
    const publicAccess = new S3BucketPublicAccessBlock(this, 'public-access-block', { bucket, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
    new S3BucketOwnershipControls(this, 'ownership', { bucket, rule: { objectOwnership: 'BucketOwnerEnforced' } });
    new S3BucketServerSideEncryptionConfiguration(this, 'encryption', { bucket, rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }] });
    new S3BucketLifecycleConfiguration(this, 'lifecycle', {
      bucket,
      rule: [{ id: 'expire-access-logs', status: 'Enabled', filter: [{ prefix: '' }], expiration: [{ days: env.logRetentionDays }], abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }] }],
    });
    const account = ELB_LOG_DELIVERY_ACCOUNTS[env.region];
    const writer = account
      ? { type: 'AWS', identifiers: [`arn:${awsPartition(env.region)}:iam::${account}:root`] }
      : { type: 'Service', identifiers: [awsServicePrincipal(env, 'logdelivery.elasticloadbalancing')] };
    const document = new DataAwsIamPolicyDocument(this, 'policy-document', {
      statement: [
        {
          sid: 'ElbWritesAccessLogs',
          effect: 'Allow',
          actions: ['s3:PutObject'],
          resources: props.prefixes.map((prefix) => `${this.bucket.arn}/${prefix}/AWSLogs/${env.account}/*`),
          principals: [writer],
        },
        {
          sid: 'DenyInsecureTransport',
          effect: 'Deny',
          actions: ['s3:*'],
          resources: [this.bucket.arn, `${this.bucket.arn}/*`],
          principals: [{ type: 'AWS', identifiers: ['*'] }],
          condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
        },
      ],
    });
    this.policy = new S3BucketPolicy(this, 'policy', { bucket, policy: document.json, dependsOn: [publicAccess] });
  }
}
