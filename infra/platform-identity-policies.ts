/**
 * The least-privilege permissions of each platform component's IRSA role (PLATFORM_IDENTITIES).
 * Pure data: the cluster stack turns each list into the inline policy of the component's role,
 * which trusts exactly that component's namespace/ServiceAccount.
 *
 * Resources created by later stacks (the Aurora master secret, the per-service secrets, Fluent
 * Bit's log groups) are named by their model-derived names or ARN patterns, so no earlier stack
 * depends on a later one.
 */
import {
  auroraClusterArn,
  auroraEndpointParameter,
  awsDnsSuffix,
  awsPartition,
  awsServicePrincipal,
  eksClusterArn,
  fluentBitLogGroupNames,
  regionalArn,
  secretArnPattern,
  SECRET_KIND_TAG,
  secretNamePrefix,
  ssmParameterArn,
} from '../platform/aws-names';
import { auroraMasterSecretParameter, clusterName, databaseSecretName, type PlatformIdentity } from '../platform/naming';
import type { Environment, Platform } from '../platform/types';
import { listServices } from '../platform/validate';
import { contractBrokerDatabase, hostsContractBroker } from '../platform/gates';
import type { PolicyStatement } from './aws-grants';

/** ARNs (Terraform references of the cluster stack) the policies name. */
export interface PlatformIdentityResources {
  /** The Karpenter interruption SQS queue. */
  readonly interruptionQueueArn: string;
  /** The role of Karpenter's nodes (the only role Karpenter may pass). */
  readonly karpenterNodeRoleArn: string;
  /** The EBS key Karpenter's node volumes are encrypted with. */
  readonly ebsKeyArn: string;
  /** The key of every Secrets Manager secret of the environment (Aurora master secret included). */
  readonly secretsManagerKeyArn: string;
  /** The key the teams' SOPS files are encrypted with. */
  readonly sopsKeyArn: string;
}

/** Statements of one component's role. */
export function platformIdentityStatements(id: PlatformIdentity, platform: Pick<Platform, 'name' | 'teams'>, env: Environment, resources: PlatformIdentityResources): PolicyStatement[] {
  switch (id) {
    case 'karpenter':
      return karpenterControllerStatements(platform, env, resources);
    case 'externalSecrets':
      return externalSecretsStatements();
    case 'fluentBit':
      return fluentBitStatements(platform, env);
    case 'otelCollector':
      return [
        // X-Ray has no resource-level permissions for these two actions.
        { sid: 'PutTraces', actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], resources: ['*'] },
      ];
    case 'dbBootstrap':
      return dbBootstrapStatements(platform, env, resources);
    case 'argocdRepoServer':
      // KSOPS in the repo-server decrypts SOPS data keys: Decrypt on the SOPS key, nothing else.
      return [{ sid: 'DecryptSopsFiles', actions: ['kms:Decrypt'], resources: [resources.sopsKeyArn] }];
  }
}

/** Decrypt through one AWS service only (the key is never usable directly). */
const viaService = (env: Environment, service: string) => ({ test: 'StringEquals', variable: 'kms:ViaService', values: [`${service}.${env.region}.${awsDnsSuffix(env.region)}`] });

/**
 * Karpenter v1's controller policy (the upstream reference, scoped to this cluster): it may launch
 * and tag only what carries this cluster's tags, terminate only its own nodes, pass only the node
 * role, manage only the instance profiles it creates for its EC2NodeClasses, and read only its
 * interruption queue.
 */
function karpenterControllerStatements(platform: Pick<Platform, 'name'>, env: Environment, r: PlatformIdentityResources): PolicyStatement[] {
  const cluster = clusterName(platform, env);
  const p = awsPartition(env.region);
  const ec2 = (resource: string, account = '*') => `arn:${p}:ec2:${env.region}:${account}:${resource}`;
  const launched = ['fleet/*', 'instance/*', 'volume/*', 'network-interface/*', 'launch-template/*', 'spot-instances-request/*'].map((x) => ec2(x));
  const owned = (kind: 'Request' | 'Resource') => ({ test: 'StringEquals', variable: `aws:${kind}Tag/kubernetes.io/cluster/${cluster}`, values: ['owned'] });
  const clusterTag = (kind: 'Request' | 'Resource') => ({ test: 'StringEquals', variable: `aws:${kind}Tag/eks:eks-cluster-name`, values: [cluster] });
  const nodePool = (kind: 'Request' | 'Resource') => ({ test: 'StringLike', variable: `aws:${kind}Tag/karpenter.sh/nodepool`, values: ['*'] });
  const nodeClass = (kind: 'Request' | 'Resource') => ({ test: 'StringLike', variable: `aws:${kind}Tag/karpenter.k8s.aws/ec2nodeclass`, values: ['*'] });
  const region = (kind: 'Request' | 'Resource') => ({ test: 'StringEquals', variable: `aws:${kind}Tag/topology.kubernetes.io/region`, values: [env.region] });
  const instanceProfiles = [`arn:${p}:iam::${env.account}:instance-profile/*`];
  return [
    {
      sid: 'AllowScopedEC2InstanceAccessActions',
      actions: ['ec2:RunInstances', 'ec2:CreateFleet'],
      resources: [`arn:${p}:ec2:${env.region}::image/*`, `arn:${p}:ec2:${env.region}::snapshot/*`, ec2('security-group/*'), ec2('subnet/*'), ec2('capacity-reservation/*')],
    },
    {
      sid: 'AllowScopedEC2LaunchTemplateAccessActions',
      actions: ['ec2:RunInstances', 'ec2:CreateFleet'],
      resources: [ec2('launch-template/*')],
      conditions: [owned('Resource'), nodePool('Resource')],
    },
    {
      sid: 'AllowScopedEC2InstanceActionsWithTags',
      actions: ['ec2:RunInstances', 'ec2:CreateFleet', 'ec2:CreateLaunchTemplate'],
      resources: launched,
      conditions: [owned('Request'), clusterTag('Request'), nodePool('Request')],
    },
    {
      sid: 'AllowScopedResourceCreationTagging',
      actions: ['ec2:CreateTags'],
      resources: launched,
      conditions: [owned('Request'), clusterTag('Request'), { test: 'StringEquals', variable: 'ec2:CreateAction', values: ['RunInstances', 'CreateFleet', 'CreateLaunchTemplate'] }, nodePool('Request')],
    },
    {
      sid: 'AllowScopedResourceTagging',
      actions: ['ec2:CreateTags'],
      resources: [ec2('instance/*')],
      conditions: [
        owned('Resource'),
        nodePool('Resource'),
        { test: 'StringEqualsIfExists', variable: 'aws:RequestTag/eks:eks-cluster-name', values: [cluster] },
        { test: 'ForAllValues:StringEquals', variable: 'aws:TagKeys', values: ['eks:eks-cluster-name', 'karpenter.sh/nodeclaim', 'Name'] },
      ],
    },
    {
      sid: 'AllowScopedDeletion',
      actions: ['ec2:TerminateInstances', 'ec2:DeleteLaunchTemplate'],
      resources: [ec2('instance/*'), ec2('launch-template/*')],
      conditions: [owned('Resource'), nodePool('Resource')],
    },
    {
      sid: 'AllowRegionalReadActions',
      actions: [
        'ec2:DescribeAvailabilityZones',
        'ec2:DescribeCapacityReservations',
        'ec2:DescribeImages',
        'ec2:DescribeInstances',
        'ec2:DescribeInstanceTypeOfferings',
        'ec2:DescribeInstanceTypes',
        'ec2:DescribeLaunchTemplates',
        'ec2:DescribeSecurityGroups',
        'ec2:DescribeSpotPriceHistory',
        'ec2:DescribeSubnets',
      ],
      resources: ['*'],
      conditions: [{ test: 'StringEquals', variable: 'aws:RequestedRegion', values: [env.region] }],
    },
    { sid: 'AllowSSMReadActions', actions: ['ssm:GetParameter'], resources: [`arn:${p}:ssm:${env.region}::parameter/aws/service/*`] },
    { sid: 'AllowPricingReadActions', actions: ['pricing:GetProducts'], resources: ['*'] },
    { sid: 'AllowInterruptionQueueActions', actions: ['sqs:DeleteMessage', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'], resources: [r.interruptionQueueArn] },
    {
      sid: 'AllowPassingInstanceRole',
      actions: ['iam:PassRole'],
      resources: [r.karpenterNodeRoleArn],
      conditions: [{ test: 'StringEquals', variable: 'iam:PassedToService', values: [awsServicePrincipal(env, 'ec2')] }],
    },
    {
      sid: 'AllowScopedInstanceProfileCreationActions',
      actions: ['iam:CreateInstanceProfile'],
      resources: instanceProfiles,
      conditions: [owned('Request'), clusterTag('Request'), region('Request'), nodeClass('Request')],
    },
    {
      sid: 'AllowScopedInstanceProfileTagActions',
      actions: ['iam:TagInstanceProfile'],
      resources: instanceProfiles,
      conditions: [owned('Resource'), region('Resource'), owned('Request'), clusterTag('Request'), region('Request'), nodeClass('Resource'), nodeClass('Request')],
    },
    {
      sid: 'AllowScopedInstanceProfileActions',
      actions: ['iam:AddRoleToInstanceProfile', 'iam:RemoveRoleFromInstanceProfile', 'iam:DeleteInstanceProfile'],
      resources: instanceProfiles,
      conditions: [owned('Resource'), region('Resource'), nodeClass('Resource')],
    },
    { sid: 'AllowInstanceProfileReadActions', actions: ['iam:GetInstanceProfile', 'iam:ListInstanceProfiles'], resources: instanceProfiles },
    { sid: 'AllowAPIServerEndpointDiscovery', actions: ['eks:DescribeCluster'], resources: [eksClusterArn(env, cluster)] },
    {
      // Node volumes are encrypted with the environment's EBS key; EC2 uses it on Karpenter's behalf.
      sid: 'AllowNodeVolumeEncryption',
      actions: ['kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:ReEncrypt*', 'kms:CreateGrant'],
      resources: [r.ebsKeyArn],
      conditions: [viaService(env, 'ec2')],
    },
  ];
}

/**
 * External Secrets' controller reads no secret with its own role: every SecretStore is namespaced
 * and authenticates as its namespace's reader role (infra/secrets-reader-roles.ts), so the
 * controller's role has no permission at all.
 */
function externalSecretsStatements(): PolicyStatement[] {
  return [];
}

/** Fluent Bit writes streams into its pre-created log groups; it cannot create groups or read logs. */
function fluentBitStatements(platform: Pick<Platform, 'name'>, env: Environment): PolicyStatement[] {
  const groups = fluentBitLogGroupNames(platform, env).map((name) => regionalArn(env, 'logs', `log-group:${name}`));
  return [
    {
      sid: 'WriteOwnLogGroups',
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
      resources: groups.flatMap((group) => [group, `${group}:log-stream:*`]),
    },
  ];
}

/**
 * The DB bootstrap Job: reads the Aurora master secret (found through the SSM parameter holding
 * its ARN; RDS tags it with the cluster's ARN) and writes each service's database secret (schema,
 * user, generated password, endpoint). It can read no other secret.
 */
function dbBootstrapStatements(platform: Pick<Platform, 'name' | 'teams' | 'contractBroker'>, env: Environment, r: PlatformIdentityResources): PolicyStatement[] {
  // The contract broker's PostgreSQL cluster, in the environment that runs it (platform/gates.ts).
  const broker = hostsContractBroker(platform, env) ? contractBrokerDatabase(platform, env) : undefined;
  const databaseSecrets = listServices(platform)
    .filter((e) => e.service.database !== undefined)
    .map((e) => databaseSecretName(platform, env, { namespace: e.namespace.name, service: e.service.name }))
    .concat(broker ? [broker.secretName] : []);
  return [
    {
      sid: 'ReadAuroraParameters',
      actions: ['ssm:GetParameter'],
      resources: [auroraMasterSecretParameter(platform, env), auroraEndpointParameter(platform, env), ...(broker ? [broker.masterSecretParameter, broker.endpointParameter] : [])].map((name) => ssmParameterArn(env, name)),
    },
    {
      sid: 'ReadAuroraMasterSecret',
      actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
      resources: [regionalArn(env, 'secretsmanager', 'secret:rds!cluster-*')],
      conditions: [
        {
          test: 'StringEquals',
          variable: 'secretsmanager:ResourceTag/aws:rds:primaryDBClusterArn',
          values: [auroraClusterArn(platform, env), ...(broker ? [regionalArn(env, 'rds', `cluster:${broker.clusterIdentifier}`)] : [])],
        },
      ],
    },
    ...(databaseSecrets.length > 0
      ? [
          {
            sid: 'WriteServiceDatabaseSecrets',
            // UpdateSecretVersionStage: the rotation stages a new password AWSPENDING, then promotes it.
            actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret', 'secretsmanager:PutSecretValue', 'secretsmanager:UpdateSecretVersionStage'],
            // One pattern per secret while the inline policy stays small; beyond that, the pattern
            // that matches the "<platform>/<env>/<ns>/<service>/database" names, limited to the
            // secrets tagged as database secrets.
            ...(databaseSecrets.length <= MAX_LISTED_SECRETS
              ? { resources: databaseSecrets.map((name) => secretArnPattern(env, name)) }
              : {
                  resources: [secretArnPattern(env, `${secretNamePrefix(platform, env)}*/database`)],
                  conditions: [{ test: 'StringEquals', variable: `secretsmanager:ResourceTag/${SECRET_KIND_TAG}`, values: ['database'] }],
                }),
          },
        ]
      : []),
    // The passwords it sets come from Secrets Manager's generator (an action on no resource).
    { sid: 'GeneratePasswords', actions: ['secretsmanager:GetRandomPassword'], resources: ['*'] },
    {
      sid: 'UseSecretsKey',
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: [r.secretsManagerKeyArn],
      conditions: [viaService(env, 'secretsmanager')],
    },
  ];
}

/** Inline role policies hold at most 10,240 characters; ~100 characters per secret ARN. */
const MAX_LISTED_SECRETS = 40;
