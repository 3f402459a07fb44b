/**
 * `<env>-data`: the environment's state. One Aurora MySQL cluster in the database subnets (KMS
 * storage encryption, TLS required by its parameter group, backups, deletion protection and a final
 * snapshot where the environment says so, master password managed by RDS in Secrets Manager), its
 * security group admitting MySQL only from the EKS cluster security group; audit and slow query
 * logs enabled and exported; per service a
 * Secrets Manager secret for its database and one for its private settings; the S3 bucket of the
 * static files behind CloudFront (origin access control; its own host and us-east-1 certificate,
 * TLS 1.2+, a CLOUDFRONT web ACL, access logs, SPA error responses); and the SSM parameters through which
 * values known only after apply (master secret ARN, writer endpoint, distribution id) reach the
 * Kubernetes layer at run time.
 *
 * No secret value is written by Terraform: the secrets are created empty. The per-service database
 * secret is filled by the DB bootstrap Job (which generates the password and creates the schema and
 * user) and rotated by the DB rotation CronJob every `databaseRotationDays` (its tags say so); a Terraform-owned version would either overwrite the Job's password on the next apply, or,
 * with ignore_changes, be deprecated by the Job's versions and later re-created without the password.
 * The app secrets are filled by their owners (console/CLI), never through Git.
 */
import { DataTerraformRemoteStateS3, TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import { CloudfrontDistribution } from '@cdktf/provider-aws/lib/cloudfront-distribution';
import { CloudfrontOriginAccessControl } from '@cdktf/provider-aws/lib/cloudfront-origin-access-control';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { DbSubnetGroup } from '@cdktf/provider-aws/lib/db-subnet-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { RdsCluster } from '@cdktf/provider-aws/lib/rds-cluster';
import { RdsClusterInstance } from '@cdktf/provider-aws/lib/rds-cluster-instance';
import { RdsClusterParameterGroup } from '@cdktf/provider-aws/lib/rds-cluster-parameter-group';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { Route53Zone } from '@cdktf/provider-aws/lib/route53-zone';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA as S3BucketServerSideEncryptionConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA as S3BucketVersioning } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { SsmParameter } from '@cdktf/provider-aws/lib/ssm-parameter';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { AURORA_LOG_EXPORTS, awsPartition, SECRET_KIND_TAG, auroraClusterIdentifier, auroraEndpointParameter, auroraLogGroupName, kmsKeyAlias } from '../platform/aws-names';
import {
  SRE_SECRETS,
  type SreSecret,
  sreSecretName,
  AURORA_PORT,
  auroraMasterSecretParameter,
  auroraWriterHost,
  privateZoneName,
  cdnDistributionIdParameter,
  databaseSecretName,
  serviceKey,
  serviceSecretName,
  staticAssetsBucketName,
  type ServiceRef,
} from '../platform/naming';
import { listServices } from '../platform/validate';
import { CLUSTER_OUTPUTS, CLUSTER_STACK } from './cluster-stack';
import { CdnProtection } from './cdn-protection';
import { KmsKey } from './kms-key';
import { NETWORK_OUTPUTS, NETWORK_STACK } from './network-stack';
import { PlatformStack, type PlatformStackProps } from './platform-stack';
import { stackRemoteState } from './state';
import { AURORA_MYSQL } from './versions';
import { auroraClusterPosture, auroraInstancePosture } from './aurora-posture';
import { databaseRotationDays, databaseRotationJobRef, ROTATED_BY_TAG, ROTATION_DAYS_TAG, ROTATION_EXEMPT_TAG } from '../platform/database-rotation';
import { contractBrokerDatabase, contractBrokerReaderSecretName, contractBrokerSecretName, hostsContractBroker } from '../platform/gates';
import { ContractBrokerDatabaseCluster } from './contract-broker-database';

/** Short name of the stack (state key, dist directory). */
export const DATA_STACK = 'data';

export const DATA_OUTPUTS = {
  auroraEndpoint: 'aurora_endpoint',
  auroraReaderEndpoint: 'aurora_reader_endpoint',
  staticAssetsBucket: 'static_assets_bucket',
  cdnDistributionId: 'cdn_distribution_id',
  cdnDomainName: 'cdn_domain_name',
} as const;

/** Viewer TLS floor of the distribution: TLS 1.2, forward-secret ciphers (CloudFront's "TLSv1.2_2021"). */
export const CLOUDFRONT_TLS_POLICY = 'TLSv1.2_2021';

/** AWS managed CloudFront cache policy "Managed-CachingOptimized" (a fixed, documented id). */
const CACHING_OPTIMIZED_POLICY_ID = '658327ea-f89d-4fab-a63d-7e88639e58f6';

export interface DataStackProps extends PlatformStackProps {
  /**
   * Days a deleted secret can still be restored (7..30).
   * @default 30 where the environment has deletion protection, else 7
   */
  readonly secretRecoveryDays?: number;
  /**
   * Days non-current versions of static files are kept (rollback of a frontend release).
   * @default 30
   */
  readonly staticAssetsNoncurrentDays?: number;
  /**
   * Queries slower than this many seconds go to the slow query log.
   * @default 1
   */
  readonly slowQuerySeconds?: number;
}

/** What Aurora audits: logins and schema/privilege changes (not every query: data volume). */
export const AURORA_AUDIT_EVENTS = 'CONNECT,QUERY_DCL,QUERY_DDL';

/**
 * Cluster parameters: TLS only, and the logs `enabled_cloudwatch_logs_exports` ships actually
 * written. Aurora MySQL writes the audit log only with `server_audit_logging` and the slow query
 * log only with `slow_query_log`, to a file (`log_output = FILE`) for the export to read (AWS:
 * "Publishing Aurora MySQL logs to Amazon CloudWatch Logs").
 */
export function auroraClusterParameters(slowQuerySeconds: number): { name: string; value: string; applyMethod: string }[] {
  return [
    { name: 'require_secure_transport', value: 'ON', applyMethod: 'immediate' },
    { name: 'tls_version', value: 'TLSv1.2,TLSv1.3', applyMethod: 'pending-reboot' },
    { name: 'server_audit_logging', value: '1', applyMethod: 'immediate' },
    { name: 'server_audit_events', value: AURORA_AUDIT_EVENTS, applyMethod: 'immediate' },
    { name: 'slow_query_log', value: '1', applyMethod: 'immediate' },
    { name: 'long_query_time', value: String(slowQuerySeconds), applyMethod: 'immediate' },
    { name: 'log_output', value: 'FILE', applyMethod: 'immediate' },
  ];
}

export class DataStack extends PlatformStack {
  public readonly aurora: RdsCluster;
  public readonly auroraInstances: readonly RdsClusterInstance[];
  /** Database secrets, keyed by "<namespace>/<service>". */
  public readonly databaseSecrets: ReadonlyMap<string, SecretsmanagerSecret>;
  /** App secrets, keyed by "<namespace>/<service>". */
  public readonly appSecrets: ReadonlyMap<string, SecretsmanagerSecret>;
  public readonly staticAssets: S3Bucket;
  public readonly distribution: CloudfrontDistribution;

  constructor(scope: Construct, props: DataStackProps) {
    super(scope, DATA_STACK, props);
    const { platform, env } = this;
    const protect = env.deletionProtection;
    const name = (suffix: string) => `${this.prefix}-${suffix}`;

    const network = new DataTerraformRemoteStateS3(this, 'network', stackRemoteState(platform, env, NETWORK_STACK));
    const cluster = new DataTerraformRemoteStateS3(this, 'cluster', stackRemoteState(platform, env, CLUSTER_STACK));
    const secretsKeyArn = cluster.getString(CLUSTER_OUTPUTS.secretsManagerKmsKeyArn);
    const logsKeyArn = cluster.getString(CLUSTER_OUTPUTS.logsKmsKeyArn);

    // ---- Aurora MySQL ----------------------------------------------------------------------------
    const auroraKey = new KmsKey(this, 'aurora-key', { alias: kmsKeyAlias(platform, env, 'aurora'), description: `Aurora storage of environment ${env.name}` });
    const identifier = auroraClusterIdentifier(platform, env);

    const subnets = new DbSubnetGroup(this, 'aurora-subnets', {
      name: identifier,
      description: 'Database subnets (no route out of the VPC)',
      subnetIds: network.getList(NETWORK_OUTPUTS.databaseSubnetIds),
    });
    const securityGroup = new SecurityGroup(this, 'aurora-security-group', {
      name: name('aurora'),
      description: `MySQL ${AURORA_PORT} from the EKS cluster security group only`,
      vpcId: network.getString(NETWORK_OUTPUTS.vpcId),
      tags: { Name: name('aurora') },
    });
    // Every node (system and Karpenter's) carries the cluster security group, and Pods use their
    // node's ENIs: admitting that group admits exactly the cluster, not everything in the subnets.
    new VpcSecurityGroupIngressRule(this, 'aurora-mysql-from-cluster', {
      securityGroupId: securityGroup.id,
      description: 'MySQL from the EKS cluster security group (nodes and Pods)',
      ipProtocol: 'tcp',
      fromPort: AURORA_PORT,
      toPort: AURORA_PORT,
      referencedSecurityGroupId: cluster.getString(CLUSTER_OUTPUTS.clusterSecurityGroupId),
    });

    const parameters = new RdsClusterParameterGroup(this, 'aurora-parameters', {
      name: identifier,
      family: AURORA_MYSQL.parameterGroupFamily,
      description: 'TLS only (TLS 1.2+); audit and slow query logs on (exported to CloudWatch Logs)',
      parameter: auroraClusterParameters(props.slowQuerySeconds ?? 1),
    });

    // Created ahead so the exported logs are encrypted and expire (RDS would create them unbounded).
    const logGroups = AURORA_LOG_EXPORTS.map(
      (log) =>
        new CloudwatchLogGroup(this, `aurora-log-${log}`, {
          name: auroraLogGroupName(platform, env, log),
          retentionInDays: env.logRetentionDays,
          kmsKeyId: logsKeyArn,
        }),
    );

    this.aurora = new RdsCluster(this, 'aurora', {
      clusterIdentifier: identifier,
      engine: 'aurora-mysql',
      engineVersion: AURORA_MYSQL.engineVersion,
      port: AURORA_PORT,
      // RDS generates, stores and rotates the master password in Secrets Manager; it never passes
      // through Terraform. Only the DB bootstrap Job may read it. Bump AURORA_MYSQL for a
      // deliberate engine upgrade (infra/aurora-posture.ts ignores the drift of auto upgrades).
      ...auroraClusterPosture(env, identifier, { storageKeyArn: auroraKey.arn, secretsKeyArn }),
      dbSubnetGroupName: subnets.name,
      vpcSecurityGroupIds: [securityGroup.id],
      dbClusterParameterGroupName: parameters.name,
      enabledCloudwatchLogsExports: [...AURORA_LOG_EXPORTS],
      dependsOn: logGroups,
    });
    // Enhanced Monitoring: OS metrics every minute, published by RDS through this role.
    const monitoringTrust = new DataAwsIamPolicyDocument(this, 'aurora-monitoring-trust', {
      statement: [
        {
          sid: 'RdsEnhancedMonitoring',
          effect: 'Allow',
          actions: ['sts:AssumeRole'],
          principals: [{ type: 'Service', identifiers: ['monitoring.rds.amazonaws.com'] }],
          condition: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: [env.account] }],
        },
      ],
    });
    const monitoringRole = new IamRole(this, 'aurora-monitoring-role', { name: name('aurora-monitoring'), description: 'RDS Enhanced Monitoring of the Aurora instances', assumeRolePolicy: monitoringTrust.json });
    const monitoringPolicy = new IamRolePolicyAttachment(this, 'aurora-monitoring-role-policy', {
      role: monitoringRole.name,
      policyArn: `arn:${awsPartition(env.region)}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole`,
    });
    this.auroraInstances = Array.from(
      { length: env.sizing.auroraInstances },
      (_, i) =>
        new RdsClusterInstance(this, `aurora-instance-${i + 1}`, {
          identifier: `${identifier}-${i + 1}`,
          clusterIdentifier: this.aurora.id,
          engine: this.aurora.engine,
          engineVersion: this.aurora.engineVersion,
          instanceClass: env.sizing.auroraInstanceClass,
          dbSubnetGroupName: subnets.name,
          ...auroraInstancePosture(env, { storageKeyArn: auroraKey.arn, monitoringRoleArn: monitoringRole.arn }),
          // The first instance is the preferred writer; readers fail over in order.
          promotionTier: i,
          // One instance per zone, in the order of the environment's zones (writer in the first).
          availabilityZone: env.availabilityZones[i % env.availabilityZones.length],
          dependsOn: [monitoringPolicy],
        }),
    );

    // A stable name for the writer endpoint (AWS assigns the endpoint's host at create time), so
    // configuration that needs a literal host (the Temporal chart's SQL stores) names it in advance.
    const zone = new Route53Zone(this, 'private-zone', {
      name: privateZoneName(platform, env),
      comment: `Private names of environment ${env.name} (VPC only)`,
      vpc: [{ vpcId: network.getString(NETWORK_OUTPUTS.vpcId) }],
    });
    new Route53Record(this, 'aurora-writer-name', { zoneId: zone.zoneId, name: auroraWriterHost(platform, env), type: 'CNAME', ttl: 60, records: [this.aurora.endpoint] });

    const parameter = (id: string, parameterName: string, value: string, description: string) =>
      new SsmParameter(this, id, { name: parameterName, type: 'String', value, description });
    parameter('aurora-master-secret-arn', auroraMasterSecretParameter(platform, env), this.aurora.masterUserSecret.get(0).secretArn, 'ARN of the Aurora master secret (read by the DB bootstrap Job only)');
    parameter('aurora-endpoint', auroraEndpointParameter(platform, env), this.aurora.endpoint, 'Writer endpoint of the Aurora cluster');

    // ---- Secrets Manager: one database secret and one app secret per service that needs them ------
    const recoveryDays = props.secretRecoveryDays ?? (protect ? 30 : 7);
    const secret = (id: string, secretName: string, description: string, kind: 'database' | 'app' | 'sre', tags: Record<string, string> = {}) =>
      new SecretsmanagerSecret(this, id, { name: secretName, description, kmsKeyId: secretsKeyArn, recoveryWindowInDays: recoveryDays, tags: { [SECRET_KIND_TAG]: kind, ...tags } });
    // Database passwords rotate in the cluster (the DB rotation CronJob, MySQL dual passwords), not
    // by a Secrets Manager rotation Lambda; the tags declare it (verify/security/database-secret-rotation.ts).
    const rotation = { [ROTATION_DAYS_TAG]: String(databaseRotationDays(env)), [ROTATED_BY_TAG]: databaseRotationJobRef() };
    const databaseSecrets = new Map<string, SecretsmanagerSecret>();
    const appSecrets = new Map<string, SecretsmanagerSecret>();
    for (const { namespace, service } of listServices(platform)) {
      const ref: ServiceRef = { namespace: namespace.name, service: service.name };
      const id = `${ref.namespace}-${ref.service}`;
      if (service.database) {
        databaseSecrets.set(
          serviceKey(ref),
          secret(
            `database-secret-${id}`,
            databaseSecretName(platform, env, ref),
            `Schema ${service.database.schema} of ${serviceKey(ref)} on ${identifier}: host, port, schema, user and password, written by the DB bootstrap Job, rotated every ${databaseRotationDays(env)} days`,
            'database',
            rotation,
          ),
        );
      }
      if (service.secrets.some((s) => s.from === 'secrets-manager')) {
        const keys = service.secrets.flatMap((s) => (s.from === 'secrets-manager' ? [s.key] : []));
        appSecrets.set(serviceKey(ref), secret(`app-secret-${id}`, serviceSecretName(platform, env, ref), `Private settings of ${serviceKey(ref)} (keys: ${[...new Set(keys)].sort().join(', ')})`, 'app'));
      }
    }
    // The SRE tools' private settings (filled by operators, synced by External Secrets).
    for (const id of Object.keys(SRE_SECRETS) as SreSecret[]) {
      secret(`sre-secret-${SRE_SECRETS[id].name}`, sreSecretName(platform, env, id), `SRE tool secret (keys: ${SRE_SECRETS[id].properties.join(', ')})`, 'sre');
    }
    // The contract gate's broker client credentials (charts/gates/contract-gate.ts), filled by operators.
    if (env.gates.contract) secret('contract-broker-client', contractBrokerSecretName(platform, env), 'Contract broker client credentials (keys: username, password), read by the contract gate Jobs', 'sre');
    // The contract broker, in the environment that runs it (infra/contract-broker-database.ts).
    if (hostsContractBroker(platform, env)) {
      new ContractBrokerDatabaseCluster(this, 'contract-broker-database', {
        platform,
        env,
        vpcId: network.getString(NETWORK_OUTPUTS.vpcId),
        databaseSubnetIds: network.getList(NETWORK_OUTPUTS.databaseSubnetIds),
        clusterSecurityGroupId: cluster.getString(CLUSTER_OUTPUTS.clusterSecurityGroupId),
        storageKeyArn: auroraKey.arn,
        secretsKeyArn,
        logsKeyArn,
        monitoringRoleArn: monitoringRole.arn,
        privateZoneId: zone.zoneId,
      });
      const db = contractBrokerDatabase(platform, env);
      secret('contract-broker-database-secret', db.secretName, `Database ${db.database} of the contract broker on ${db.clusterIdentifier}: host, port, database, user and password, written by the DB bootstrap Job`, 'database', {
        // Not rotated, by the model's named choice (contractBroker.databaseRotationExemption; validation requires it).
        [ROTATION_EXEMPT_TAG]: platform.contractBroker?.databaseRotationExemption ?? '',
      });
      secret('contract-broker-reader', contractBrokerReaderSecretName(platform, env), 'Contract broker read-only user (keys: username, password), for people', 'sre');
    }
    this.databaseSecrets = databaseSecrets;
    this.appSecrets = appSecrets;

    // ---- Static files: private S3 bucket behind CloudFront --------------------------------------
    this.staticAssets = new S3Bucket(this, 'static-assets', { bucket: staticAssetsBucketName(platform, env), forceDestroy: !protect });
    const bucketId = this.staticAssets.id;
    const publicAccess = new S3BucketPublicAccessBlock(this, 'static-assets-public-access-block', {
      bucket: bucketId,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, 'static-assets-ownership', { bucket: bucketId, rule: { objectOwnership: 'BucketOwnerEnforced' } });
    // S3-managed keys: CloudFront reads through origin access control without a key grant, and the
    // files are public once served.
    new S3BucketServerSideEncryptionConfiguration(this, 'static-assets-encryption', {
      bucket: bucketId,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }],
    });
    new S3BucketVersioning(this, 'static-assets-versioning', { bucket: bucketId, versioningConfiguration: { status: 'Enabled' } });
    new S3BucketLifecycleConfiguration(this, 'static-assets-lifecycle', {
      bucket: bucketId,
      rule: [
        {
          id: 'expire-noncurrent-versions',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          noncurrentVersionExpiration: [{ noncurrentDays: props.staticAssetsNoncurrentDays ?? 30 }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
      ],
    });

    const originAccess = new CloudfrontOriginAccessControl(this, 'static-assets-origin-access', {
      name: name('static-assets'),
      description: `CloudFront reads ${staticAssetsBucketName(platform, env)}`,
      originAccessControlOriginType: 's3',
      signingBehavior: 'always',
      signingProtocol: 'sigv4',
    });
    const edge = new CdnProtection(this, 'cdn-protection', { platform, env, globalProvider: this.globalProvider() });
    const originId = 'static-assets';
    this.distribution = new CloudfrontDistribution(this, 'cdn', {
      comment: `Static files of ${this.prefix}`,
      enabled: true,
      isIpv6Enabled: true,
      httpVersion: 'http2and3',
      priceClass: 'PriceClass_All',
      defaultRootObject: 'index.html',
      origin: [{ originId, domainName: this.staticAssets.bucketRegionalDomainName, originAccessControlId: originAccess.id }],
      defaultCacheBehavior: {
        targetOriginId: originId,
        viewerProtocolPolicy: 'redirect-to-https',
        allowedMethods: ['GET', 'HEAD', 'OPTIONS'],
        cachedMethods: ['GET', 'HEAD'],
        cachePolicyId: CACHING_OPTIMIZED_POLICY_ID,
        compress: true,
      },
      // Single-page apps: paths the bucket does not hold (403 through origin access control, 404)
      // are client-side routes, answered with the app's index.html.
      customErrorResponse: [403, 404].map((errorCode) => ({ errorCode, responseCode: 200, responsePagePath: '/index.html', errorCachingMinTtl: 10 })),
      restrictions: { geoRestriction: { restrictionType: 'none' } },
      aliases: [edge.host],
      viewerCertificate: { acmCertificateArn: edge.certificateArn, sslSupportMethod: 'sni-only', minimumProtocolVersion: CLOUDFRONT_TLS_POLICY },
      webAclId: edge.webAcl.arn,
      loggingConfig: { bucket: edge.logsBucket.bucketDomainName, prefix: 'cloudfront/', includeCookies: false },
    });
    for (const type of ['A', 'AAAA']) {
      new Route53Record(this, `cdn-record-${type}`, {
        zoneId: edge.zone.zoneId,
        name: edge.host,
        type,
        alias: { name: this.distribution.domainName, zoneId: this.distribution.hostedZoneId, evaluateTargetHealth: false },
      });
    }
    const bucketPolicy = new DataAwsIamPolicyDocument(this, 'static-assets-policy-document', {
      statement: [
        {
          sid: 'CloudFrontDistributionReadsOnly',
          effect: 'Allow',
          actions: ['s3:GetObject'],
          resources: [`${this.staticAssets.arn}/*`],
          principals: [{ type: 'Service', identifiers: ['cloudfront.amazonaws.com'] }],
          condition: [{ test: 'StringEquals', variable: 'AWS:SourceArn', values: [this.distribution.arn] }],
        },
        {
          sid: 'DenyInsecureTransport',
          effect: 'Deny',
          actions: ['s3:*'],
          resources: [this.staticAssets.arn, `${this.staticAssets.arn}/*`],
          principals: [{ type: 'AWS', identifiers: ['*'] }],
          condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
        },
      ],
    });
    new S3BucketPolicy(this, 'static-assets-policy', { bucket: bucketId, policy: bucketPolicy.json, dependsOn: [publicAccess] });
    parameter('cdn-distribution-id', cdnDistributionIdParameter(platform, env), this.distribution.id, 'Id of the CloudFront distribution of the static files (read by the CDN purge Jobs)');

    // ---- Outputs ---------------------------------------------------------------------------------
    const out = (id: string, value: string, description: string) => new TerraformOutput(this, id, { value, description });
    out(DATA_OUTPUTS.auroraEndpoint, this.aurora.endpoint, 'Writer endpoint of the Aurora cluster');
    out(DATA_OUTPUTS.auroraReaderEndpoint, this.aurora.readerEndpoint, 'Reader endpoint of the Aurora cluster');
    out(DATA_OUTPUTS.staticAssetsBucket, this.staticAssets.bucket, 'Bucket of the static files');
    out(DATA_OUTPUTS.cdnDistributionId, this.distribution.id, 'CloudFront distribution of the static files');
    out(DATA_OUTPUTS.cdnDomainName, this.distribution.domainName, 'Domain name of the CloudFront distribution');
  }
}
