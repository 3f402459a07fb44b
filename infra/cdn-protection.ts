/**
 * What the CloudFront distribution of the static files needs outside its own resource, all in
 * us-east-1 where CloudFront looks for them (through the stack's "us-east-1" provider alias): an
 * ACM certificate of its host (DNS-validated in the web domain's zone), a CLOUDFRONT-scoped web ACL
 * (rate limit and AWS managed rule groups) logging to a KMS-encrypted log group there; plus the S3
 * bucket its access logs go to (CloudFront's standard logging writes through bucket ACLs, so the
 * bucket keeps ACLs enabled, owner-preferred, and blocks every public grant).
 */
import type { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { AcmCertificate } from '@cdktf/provider-aws/lib/acm-certificate';
import { AcmCertificateValidation } from '@cdktf/provider-aws/lib/acm-certificate-validation';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { DataAwsRoute53Zone } from '@cdktf/provider-aws/lib/data-aws-route53-zone';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA as S3BucketServerSideEncryptionConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { Wafv2WebAcl } from '@cdktf/provider-aws/lib/wafv2-web-acl';
import { Wafv2WebAclLoggingConfiguration } from '@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration';
import { cdnHost, cdnLogsBucketName, hostedZoneName, kmsKeyAlias, wafLogGroupName } from '../platform/aws-names';
import { awsPrefix } from '../platform/naming';
import type { Environment, Platform } from '../platform/types';
import { accountAdministersKey, cloudWatchLogsUsesKey, KmsKey } from './kms-key';
import { GLOBAL_REGION } from './platform-stack';
import { publicWebAclRules } from './web-acl-rules';

export interface CdnProtectionProps {
  readonly platform: Pick<Platform, 'name'>;
  readonly env: Environment;
  /** The stack's "us-east-1" provider alias. */
  readonly globalProvider: TerraformProvider;
}

export class CdnProtection extends Construct {
  public readonly host: string;
  public readonly zone: DataAwsRoute53Zone;
  /** The validated certificate's ARN (the distribution waits for the validation). */
  public readonly certificateArn: string;
  public readonly webAcl: Wafv2WebAcl;
  public readonly logsBucket: S3Bucket;

  constructor(scope: Construct, id: string, props: CdnProtectionProps) {
    super(scope, id);
    const { platform, env } = props;
    const provider = props.globalProvider;
    const prefix = awsPrefix(platform, env);
    this.host = cdnHost(env);

    // ---- Certificate (us-east-1), validated in the web domain's zone -------------------------
    this.zone = new DataAwsRoute53Zone(this, 'zone', { name: hostedZoneName(env, this.host), privateZone: false });
    const certificate = new AcmCertificate(this, 'certificate', {
      provider,
      domainName: this.host,
      validationMethod: 'DNS',
      keyAlgorithm: 'EC_prime256v1',
      lifecycle: { createBeforeDestroy: true },
    });
    const option = (attribute: string) => `\${{ for o in ${certificate.fqn}.domain_validation_options : o.domain_name => o }["${this.host}"].${attribute}}`;
    const record = new Route53Record(this, 'certificate-validation', {
      zoneId: this.zone.zoneId,
      name: option('resource_record_name'),
      type: option('resource_record_type'),
      records: [option('resource_record_value')],
      ttl: 300,
      allowOverwrite: true,
    });
    this.certificateArn = new AcmCertificateValidation(this, 'certificate-validation-wait', { provider, certificateArn: certificate.arn, validationRecordFqdns: [record.fqdn] }).certificateArn;

    // ---- Web ACL (CLOUDFRONT scope, us-east-1) and its logs -----------------------------------
    const keyPolicy = new DataAwsIamPolicyDocument(this, 'logs-key-policy', {
      statement: [accountAdministersKey(env), cloudWatchLogsUsesKey(env.account, GLOBAL_REGION)],
    });
    const logsKey = new KmsKey(this, 'logs-key', { alias: kmsKeyAlias(platform, env, 'cdnLogs'), description: `CloudFront web ACL logs of environment ${env.name}`, policy: keyPolicy.json, provider });
    this.webAcl = new Wafv2WebAcl(this, 'web-acl', {
      provider,
      name: `${prefix}-cdn`,
      description: 'Static files: per-client rate limit, AWS managed rule groups',
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      rule: publicWebAclRules(`${prefix}-cdn`),
      visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: `${prefix}-cdn`, sampledRequestsEnabled: true },
    });
    const group = new CloudwatchLogGroup(this, 'web-acl-logs', { provider, name: wafLogGroupName(platform, env, 'cdn'), retentionInDays: env.logRetentionDays, kmsKeyId: logsKey.arn });
    new Wafv2WebAclLoggingConfiguration(this, 'web-acl-logging', {
      provider,
      resourceArn: this.webAcl.arn,
      logDestinationConfigs: [group.arn],
      redactedFields: [{ singleHeader: { name: 'authorization' } }, { singleHeader: { name: 'cookie' } }],
    });

    // ---- Access logs bucket --------------------------------------------------------------------
    this.logsBucket = new S3Bucket(this, 'logs-bucket', { bucket: cdnLogsBucketName(platform, env), forceDestroy: !env.deletionProtection });
    const bucket = this.logsBucket.id;
    new S3BucketPublicAccessBlock(this, 'logs-public-access-block', { bucket, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
    // CloudFront grants its log-delivery account write access through the bucket ACL.
    new S3BucketOwnershipControls(this, 'logs-ownership', { bucket, rule: { objectOwnership: 'BucketOwnerPreferred' } });
    new S3BucketServerSideEncryptionConfiguration(this, 'logs-encryption', { bucket, rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }] });
    new S3BucketLifecycleConfiguration(this, 'logs-lifecycle', {
      bucket,
      rule: [{ id: 'expire-access-logs', status: 'Enabled', filter: [{ prefix: '' }], expiration: [{ days: env.logRetentionDays }], abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }] }],
    });
  }
}
