/**
 * The settings every Aurora cluster and instance of the platform shares, whatever its engine (the
 * shared MySQL cluster in the data stack, the contract broker's PostgreSQL cluster): the master
 * password managed by RDS in Secrets Manager (never through Terraform), KMS storage encryption,
 * backups and maintenance in the quiet hours, deletion protection and a final snapshot where the
 * environment protects its data, no public address, Performance Insights and Enhanced Monitoring,
 * and engine-version drift ignored (auto minor upgrades move a cluster past the pinned patch; the
 * next apply must not try to "downgrade" it: bump the version constant and drop the entry for that
 * one apply).
 */
import type { RdsClusterConfig } from '@cdktf/provider-aws/lib/rds-cluster';
import type { RdsClusterInstanceConfig } from '@cdktf/provider-aws/lib/rds-cluster-instance';
import { AURORA_MASTER_USERNAME } from '../platform/aws-names';
import type { Environment } from '../platform/types';

export interface AuroraClusterPostureOptions {
  /** KMS key of the storage. */
  readonly storageKeyArn: string;
  /** KMS key of the RDS-managed master secret. */
  readonly secretsKeyArn: string;
}

type ClusterPosture = Pick<
  RdsClusterConfig,
  | 'masterUsername'
  | 'manageMasterUserPassword'
  | 'masterUserSecretKmsKeyId'
  | 'storageEncrypted'
  | 'kmsKeyId'
  | 'backupRetentionPeriod'
  | 'preferredBackupWindow'
  | 'preferredMaintenanceWindow'
  | 'copyTagsToSnapshot'
  | 'deletionProtection'
  | 'skipFinalSnapshot'
  | 'finalSnapshotIdentifier'
  | 'iamDatabaseAuthenticationEnabled'
  | 'applyImmediately'
  | 'lifecycle'
>;

export function auroraClusterPosture(env: Pick<Environment, 'deletionProtection' | 'backupRetentionDays'>, clusterIdentifier: string, options: AuroraClusterPostureOptions): ClusterPosture {
  const protect = env.deletionProtection;
  return {
    masterUsername: AURORA_MASTER_USERNAME,
    manageMasterUserPassword: true,
    masterUserSecretKmsKeyId: options.secretsKeyArn,
    storageEncrypted: true,
    kmsKeyId: options.storageKeyArn,
    backupRetentionPeriod: env.backupRetentionDays,
    preferredBackupWindow: '18:00-19:00',
    preferredMaintenanceWindow: 'sun:19:30-sun:20:30',
    copyTagsToSnapshot: true,
    deletionProtection: protect,
    skipFinalSnapshot: !protect,
    finalSnapshotIdentifier: protect ? `${clusterIdentifier}-final` : undefined,
    iamDatabaseAuthenticationEnabled: false,
    applyImmediately: !protect,
    lifecycle: { ignoreChanges: ['engine_version'] },
  };
}

export interface AuroraInstancePostureOptions {
  /** KMS key of Performance Insights. */
  readonly storageKeyArn: string;
  /** Role RDS publishes Enhanced Monitoring through. */
  readonly monitoringRoleArn: string;
}

type InstancePosture = Pick<
  RdsClusterInstanceConfig,
  | 'publiclyAccessible'
  | 'autoMinorVersionUpgrade'
  | 'caCertIdentifier'
  | 'performanceInsightsEnabled'
  | 'performanceInsightsKmsKeyId'
  | 'performanceInsightsRetentionPeriod'
  | 'monitoringInterval'
  | 'monitoringRoleArn'
  | 'applyImmediately'
  | 'lifecycle'
>;

export function auroraInstancePosture(env: Pick<Environment, 'deletionProtection'>, options: AuroraInstancePostureOptions): InstancePosture {
  return {
    publiclyAccessible: false,
    autoMinorVersionUpgrade: true,
    caCertIdentifier: 'rds-ca-rsa2048-g1',
    performanceInsightsEnabled: true,
    performanceInsightsKmsKeyId: options.storageKeyArn,
    performanceInsightsRetentionPeriod: 7,
    // Enhanced Monitoring: OS metrics every minute.
    monitoringInterval: 60,
    monitoringRoleArn: options.monitoringRoleArn,
    applyImmediately: !env.deletionProtection,
    lifecycle: { ignoreChanges: ['engine_version'] },
  };
}
