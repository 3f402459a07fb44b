/**
 * The contract broker's database (platform/gates.ts contractBrokerDatabase): a small dedicated
 * Aurora PostgreSQL cluster (Serverless v2), because the Pact Broker chart admits only PostgreSQL
 * (pact-foundation/pact-broker-chart values.yaml `database.adapter`: "postgres" or "sqlite") and
 * the shared cluster is MySQL. Same posture as the shared one: database subnets, PostgreSQL only
 * from the EKS cluster security group, KMS storage encryption, TLS forced (`rds.force_ssl`),
 * backups, deletion protection where the environment says so, the master password managed by RDS,
 * the PostgreSQL log exported to an encrypted, expiring log group. The broker's own role and
 * database are created by the DB bootstrap Job, which writes their password into an empty secret
 * created here (as for every service schema); the SSM parameters carry what only apply knows.
 */
import { Construct } from 'constructs';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DbSubnetGroup } from '@cdktf/provider-aws/lib/db-subnet-group';
import { RdsCluster } from '@cdktf/provider-aws/lib/rds-cluster';
import { RdsClusterInstance } from '@cdktf/provider-aws/lib/rds-cluster-instance';
import { RdsClusterParameterGroup } from '@cdktf/provider-aws/lib/rds-cluster-parameter-group';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { SsmParameter } from '@cdktf/provider-aws/lib/ssm-parameter';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { contractBrokerDatabase } from '../platform/gates';
import type { Environment, Platform } from '../platform/types';
import { AURORA_POSTGRESQL } from './versions';
import { auroraClusterPosture, auroraInstancePosture } from './aurora-posture';

export interface ContractBrokerDatabaseProps {
  readonly platform: Platform;
  readonly env: Environment;
  readonly vpcId: string;
  readonly databaseSubnetIds: string[];
  /** Security group of the EKS cluster (every node and Pod carries it). */
  readonly clusterSecurityGroupId: string;
  /** KMS key of the storage and Performance Insights (the shared Aurora key). */
  readonly storageKeyArn: string;
  readonly secretsKeyArn: string;
  readonly logsKeyArn: string;
  /** Role RDS publishes Enhanced Monitoring through. */
  readonly monitoringRoleArn: string;
  /** The environment's private zone (the writer's stable name). */
  readonly privateZoneId: string;
}

/** Serverless v2 capacity: the broker is small and mostly idle. */
const CAPACITY = { minCapacity: 0.5, maxCapacity: 2 };

export class ContractBrokerDatabaseCluster extends Construct {
  public readonly cluster: RdsCluster;

  constructor(scope: Construct, id: string, props: ContractBrokerDatabaseProps) {
    super(scope, id);
    const { platform, env } = props;
    const db = contractBrokerDatabase(platform, env);

    const subnets = new DbSubnetGroup(this, 'subnets', { name: db.clusterIdentifier, description: 'Database subnets of the contract broker (no route out of the VPC)', subnetIds: props.databaseSubnetIds });
    const securityGroup = new SecurityGroup(this, 'security-group', {
      name: db.clusterIdentifier,
      description: `PostgreSQL ${db.port} from the EKS cluster security group only`,
      vpcId: props.vpcId,
      tags: { Name: db.clusterIdentifier },
    });
    new VpcSecurityGroupIngressRule(this, 'postgres-from-cluster', {
      securityGroupId: securityGroup.id,
      description: 'PostgreSQL from the EKS cluster security group (nodes and Pods)',
      ipProtocol: 'tcp',
      fromPort: db.port,
      toPort: db.port,
      referencedSecurityGroupId: props.clusterSecurityGroupId,
    });
    const parameters = new RdsClusterParameterGroup(this, 'parameters', {
      name: db.clusterIdentifier,
      family: AURORA_POSTGRESQL.parameterGroupFamily,
      description: 'TLS only; connections and slow statements logged',
      parameter: [
        { name: 'rds.force_ssl', value: '1', applyMethod: 'pending-reboot' },
        { name: 'log_connections', value: '1', applyMethod: 'immediate' },
        { name: 'log_min_duration_statement', value: '1000', applyMethod: 'immediate' },
      ],
    });
    const logGroup = new CloudwatchLogGroup(this, 'log-postgresql', { name: `/aws/rds/cluster/${db.clusterIdentifier}/postgresql`, retentionInDays: env.logRetentionDays, kmsKeyId: props.logsKeyArn });

    this.cluster = new RdsCluster(this, 'cluster', {
      clusterIdentifier: db.clusterIdentifier,
      engine: 'aurora-postgresql',
      engineMode: 'provisioned',
      engineVersion: AURORA_POSTGRESQL.engineVersion,
      port: db.port,
      ...auroraClusterPosture(env, db.clusterIdentifier, { storageKeyArn: props.storageKeyArn, secretsKeyArn: props.secretsKeyArn }),
      dbSubnetGroupName: subnets.name,
      vpcSecurityGroupIds: [securityGroup.id],
      dbClusterParameterGroupName: parameters.name,
      serverlessv2ScalingConfiguration: CAPACITY,
      enabledCloudwatchLogsExports: ['postgresql'],
      dependsOn: [logGroup],
    });
    new RdsClusterInstance(this, 'instance-1', {
      identifier: `${db.clusterIdentifier}-1`,
      clusterIdentifier: this.cluster.id,
      engine: this.cluster.engine,
      engineVersion: this.cluster.engineVersion,
      instanceClass: 'db.serverless',
      dbSubnetGroupName: subnets.name,
      ...auroraInstancePosture(env, { storageKeyArn: props.storageKeyArn, monitoringRoleArn: props.monitoringRoleArn }),
      availabilityZone: env.availabilityZones[0],
    });
    new Route53Record(this, 'writer-name', { zoneId: props.privateZoneId, name: db.host, type: 'CNAME', ttl: 60, records: [this.cluster.endpoint] });
    new SsmParameter(this, 'master-secret-arn', { name: db.masterSecretParameter, type: 'String', value: this.cluster.masterUserSecret.get(0).secretArn, description: 'ARN of the contract broker database master secret (read by the DB bootstrap Job only)' });
    new SsmParameter(this, 'endpoint', { name: db.endpointParameter, type: 'String', value: this.cluster.endpoint, description: 'Writer endpoint of the contract broker database' });
  }
}
