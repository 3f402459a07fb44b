/**
 * `<env>-cluster`: the EKS cluster in the network stack's private subnets. API endpoint private,
 * public only for the environment's allow-listed CIDRs; every control-plane log type (audit
 * included) to a KMS-encrypted log group; Kubernetes Secrets envelope-encrypted with a KMS key;
 * access entries (API authentication mode); IRSA through the cluster's OIDC provider; the managed
 * add-ons vpc-cni, kube-proxy, CoreDNS and metrics-server at pinned versions; the managed "system"
 * node group (EBS encrypted with the environment's EBS key); Karpenter's node role, access entry and
 * interruption queue; one IAM role per platform component (PLATFORM_IDENTITIES) and per service
 * that declares AWS grants. It also holds the environment's KMS keys that both layers or later
 * stacks use (EBS, Secrets Manager, SOPS, logs), each exported as an output.
 */
import { DataTerraformRemoteStateS3, Fn, TerraformLocal, TerraformOutput, type ITerraformDependable } from 'cdktf';
import type { Construct } from 'constructs';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { Ec2Tag } from '@cdktf/provider-aws/lib/ec2-tag';
import { EksAddon } from '@cdktf/provider-aws/lib/eks-addon';
import { EksCluster } from '@cdktf/provider-aws/lib/eks-cluster';
import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { kmsKeyAlias } from '../platform/aws-names';
import { clusterName, karpenterDiscoveryTag, PLATFORM_IDENTITIES, platformRoleName, serviceAccountName, serviceRoleName, type PlatformIdentity } from '../platform/naming';
import type { Environment } from '../platform/types';
import { listServices } from '../platform/validate';
import { grantsStatements } from './aws-grants';
import { parseCidr } from '../platform/network';
import { SYSTEM_NODE_LABELS, SYSTEM_NODE_TAINT } from '../platform/naming';
import { awsManagedPolicyArn, awsPartition, clusterLogGroupName } from './names';
import { KarpenterResources } from './karpenter';
import { accountAdministersKey, cloudWatchLogsUsesKey, KmsKey } from './kms-key';
import { NETWORK_OUTPUTS, NETWORK_STACK } from './network-stack';
import { platformIdentityStatements } from './platform-identity-policies';
import { PlatformStack, type PlatformStackProps } from './platform-stack';
import { ClusterAccess } from './cluster-access';
import { SecretsReaderRoles } from './secrets-reader-roles';
import { ServiceAccountRole, type OidcProviderRef } from './service-account-role';
import { stackRemoteState } from './state';
import { GatewayTargetGroups } from './gateway-target-groups';
import { amiTypeFor, SystemNodeGroup, type ShutdownGracePeriod } from './system-node-group';
import { systemPods } from '../platform/system-nodes';
import { eksAddonVersions, type EksAddonName } from './versions';

/** Short name of the stack (state key, dist directory). */
export const CLUSTER_STACK = 'cluster';

/** Names of the cluster stack's outputs, read by later stacks through its remote state. */
export const CLUSTER_OUTPUTS = {
  clusterName: 'cluster_name',
  clusterEndpoint: 'cluster_endpoint',
  clusterCertificateAuthority: 'cluster_certificate_authority',
  clusterSecurityGroupId: 'cluster_security_group_id',
  oidcIssuerUrl: 'cluster_oidc_issuer_url',
  oidcProviderArn: 'oidc_provider_arn',
  systemNodeGroupAsgName: 'system_node_group_asg_name',
  systemNodeRoleArn: 'system_node_role_arn',
  logsKmsKeyArn: 'logs_kms_key_arn',
  ebsKmsKeyArn: 'ebs_kms_key_arn',
  secretsManagerKmsKeyArn: 'secrets_manager_kms_key_arn',
  sopsKmsKeyArn: 'sops_kms_key_arn',
  karpenterNodeRoleArn: 'karpenter_node_role_arn',
  karpenterInterruptionQueueUrl: 'karpenter_interruption_queue_url',
} as const;

/** Every EKS control-plane log type. */
export const CONTROL_PLANE_LOG_TYPES: readonly string[] = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'];

/** ServiceAccount of the VPC CNI (its IRSA role replaces the CNI policy on the node role). */
const VPC_CNI_SERVICE_ACCOUNT = { namespace: 'kube-system', service: 'aws-node' };
const EBS_CSI_SERVICE_ACCOUNT = { namespace: 'kube-system', service: 'ebs-csi-controller-sa' };

export interface ClusterStackProps extends PlatformStackProps {
  /**
   * Retention of the control-plane log group, in days.
   * @default the environment's logRetentionDays
   */
  readonly logRetentionDays?: number;
  /**
   * Kubelet graceful shutdown of the system nodes.
   * @default DEFAULT_SHUTDOWN_GRACE_PERIOD
   */
  readonly shutdownGracePeriod?: ShutdownGracePeriod;
}

export class ClusterStack extends PlatformStack {
  public readonly cluster: EksCluster;
  public readonly oidcProvider: IamOpenidConnectProvider;
  public readonly systemNodes: SystemNodeGroup;
  /** The ALB target groups on the gateway NodePorts, attached to the system node group. */
  public readonly gatewayTargetGroups: GatewayTargetGroups;
  /** IRSA roles of the platform's services, keyed by "<namespace>/<service>". */
  public readonly serviceRoles: ReadonlyMap<string, ServiceAccountRole>;
  /** IRSA roles of the platform components. */
  public readonly platformRoles: ReadonlyMap<PlatformIdentity, ServiceAccountRole>;
  public readonly karpenter: KarpenterResources;

  constructor(scope: Construct, props: ClusterStackProps) {
    super(scope, CLUSTER_STACK, props);
    const { platform, env } = this;
    const problems = clusterProblems(env);
    this.validateWith(() => problems);
    const name = clusterName(platform, env);
    const partition = awsPartition(env.region);

    // The network stack's outputs, read from its state at the location its backend writes to.
    const network = new DataTerraformRemoteStateS3(this, 'network', stackRemoteState(platform, env, NETWORK_STACK));
    const privateSubnetIds = network.getList(NETWORK_OUTPUTS.privateSubnetIds);

    // ---- Keys and logs ---------------------------------------------------------------------------
    const secretsKey = new KmsKey(this, 'secrets-key', {
      alias: kmsKeyAlias(platform, env, 'eksSecrets'),
      description: `Envelope encryption of the Kubernetes Secrets of EKS cluster ${name}`,
    });
    const logsKeyPolicy = new DataAwsIamPolicyDocument(this, 'logs-key-policy', {
      statement: [accountAdministersKey(env), cloudWatchLogsUsesKey(env.account, env.region)],
    });
    const logsKey = new KmsKey(this, 'logs-key', {
      alias: kmsKeyAlias(platform, env, 'logs'),
      description: `CloudWatch Logs of environment ${env.name}`,
      policy: logsKeyPolicy.json,
    });
    // Created before the cluster so EKS writes into this (encrypted, bounded) group, not its own.
    const logGroup = new CloudwatchLogGroup(this, 'control-plane-logs', {
      name: clusterLogGroupName(platform, env),
      retentionInDays: props.logRetentionDays ?? env.logRetentionDays,
      kmsKeyId: logsKey.arn,
    });

    // Node volumes (system nodes here, Karpenter's through its EC2NodeClass). The managed node
    // group launches through the Auto Scaling service-linked role, which the key policy must admit
    // (IAM policies cannot be attached to a service-linked role). That role must exist before this
    // key is created: AWS creates it with an account's first Auto Scaling group, or
    // `aws iam create-service-linked-role --aws-service-name autoscaling.amazonaws.com` once.
    const autoScalingRole = `arn:${partition}:iam::${env.account}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`;
    const ebsKeyPolicy = new DataAwsIamPolicyDocument(this, 'ebs-key-policy', {
      statement: [
        accountAdministersKey(env),
        {
          sid: 'AutoScalingEncryptsNodeVolumes',
          effect: 'Allow',
          actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
          resources: ['*'],
          principals: [{ type: 'AWS', identifiers: [autoScalingRole] }],
        },
        {
          sid: 'AutoScalingGrantsVolumeAttachment',
          effect: 'Allow',
          actions: ['kms:CreateGrant'],
          resources: ['*'],
          principals: [{ type: 'AWS', identifiers: [autoScalingRole] }],
          condition: [{ test: 'Bool', variable: 'kms:GrantIsForAWSResource', values: ['true'] }],
        },
      ],
    });
    const ebsKey = new KmsKey(this, 'ebs-key', {
      alias: kmsKeyAlias(platform, env, 'ebs'),
      description: `EBS volumes of the nodes of EKS cluster ${name}`,
      policy: ebsKeyPolicy.json,
    });
    // Every Secrets Manager secret of the environment (service app and database secrets, the Aurora
    // master secret); only External Secrets and the DB bootstrap Job decrypt through Secrets Manager.
    const secretsManagerKey = new KmsKey(this, 'secrets-manager-key', {
      alias: kmsKeyAlias(platform, env, 'secretsManager'),
      description: `Secrets Manager secrets of environment ${env.name}`,
    });
    // SOPS-encrypted files in the team repositories (.sops.yaml names this key by its alias ARN).
    const sopsKey = new KmsKey(this, 'sops-key', {
      alias: kmsKeyAlias(platform, env, 'sops'),
      description: `SOPS-encrypted files of environment ${env.name}`,
    });

    // ---- Cluster ---------------------------------------------------------------------------------
    const clusterTrust = new DataAwsIamPolicyDocument(this, 'cluster-trust', {
      statement: [
        { sid: 'EksControlPlane', effect: 'Allow', actions: ['sts:AssumeRole', 'sts:TagSession'], principals: [{ type: 'Service', identifiers: ['eks.amazonaws.com'] }] },
      ],
    });
    const clusterRole = new IamRole(this, 'cluster-role', { name: `${name}-cluster`, description: `EKS control plane of ${name}`, assumeRolePolicy: clusterTrust.json });
    const clusterPolicy = new IamRolePolicyAttachment(this, 'cluster-role-AmazonEKSClusterPolicy', {
      role: clusterRole.name,
      policyArn: awsManagedPolicyArn(env, 'AmazonEKSClusterPolicy'),
    });
    const clusterKeyUse = new DataAwsIamPolicyDocument(this, 'cluster-secrets-key-use', {
      statement: [
        { sid: 'EnvelopeEncryptSecrets', effect: 'Allow', actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ListGrants', 'kms:DescribeKey'], resources: [secretsKey.arn] },
      ],
    });
    const clusterKeyPolicy = new IamRolePolicy(this, 'cluster-role-secrets-key', { name: 'secrets-envelope-encryption', role: clusterRole.id, policy: clusterKeyUse.json });

    const publicAccess = env.apiAccessCidrs.length > 0;
    this.cluster = new EksCluster(this, 'cluster', {
      name,
      version: env.kubernetesVersion,
      roleArn: clusterRole.arn,
      vpcConfig: {
        subnetIds: privateSubnetIds,
        endpointPrivateAccess: true,
        endpointPublicAccess: publicAccess,
        // AWS defaults an enabled public endpoint to 0.0.0.0/0; only the allow-list may reach it.
        publicAccessCidrs: publicAccess ? [...env.apiAccessCidrs] : undefined,
      },
      // No `kubernetes_network_config`: EKS picks the Service CIDR (platform/network.ts
      // kubernetesServiceCidr encodes its rule, the NetworkPolicies admit the API by the address in
      // it). The argument is ForceNew, so setting it would read as a cluster replacement in review.
      enabledClusterLogTypes: [...CONTROL_PLANE_LOG_TYPES],
      encryptionConfig: { resources: ['secrets'], provider: { keyArn: secretsKey.arn } },
      accessConfig: {
        authenticationMode: 'API',
        // Access comes from the model's access entries (ClusterAccess). Only without admins does the
        // identity that applies this (CI) get cluster-admin at creation. EKS cannot change this on
        // an existing cluster (it would be replaced), so later changes are ignored: on a cluster
        // created before its admins existed, delete the creator's access entry by hand once they do.
        bootstrapClusterCreatorAdminPermissions: env.clusterAccess.admins.length === 0,
      },
      lifecycle: { ignoreChanges: ['access_config[0].bootstrap_cluster_creator_admin_permissions'] },
      // Terraform installs vpc-cni, kube-proxy and CoreDNS as managed add-ons below; EKS must not
      // install unmanaged copies first.
      bootstrapSelfManagedAddons: false,
      deletionProtection: env.deletionProtection,
      // Standard support only: at its end EKS upgrades the control plane instead of silently
      // billing extended support; upgrades are planned from the pinned kubernetesVersion.
      upgradePolicy: { supportType: 'STANDARD' },
      dependsOn: [logGroup, clusterPolicy, clusterKeyPolicy],
    });

    // Karpenter discovers the security group of its nodes by tag: the cluster security group EKS
    // creates (control plane <-> nodes, nodes <-> nodes).
    const discovery = karpenterDiscoveryTag(platform, env);
    new Ec2Tag(this, 'cluster-security-group-discovery-tag', {
      resourceId: this.cluster.vpcConfig.clusterSecurityGroupId,
      key: discovery.key,
      value: discovery.value,
    });

    // ---- IRSA ------------------------------------------------------------------------------------
    this.oidcProvider = new IamOpenidConnectProvider(this, 'oidc-provider', {
      url: this.cluster.identity.get(0).oidc.get(0).issuer,
      clientIdList: ['sts.amazonaws.com'],
      tags: { Name: `${name}-irsa` },
    });
    const issuer = new TerraformLocal(this, 'oidc_issuer', Fn.replace(this.cluster.identity.get(0).oidc.get(0).issuer, 'https://', ''));
    const oidc: OidcProviderRef = { arn: this.oidcProvider.arn, issuer: issuer.asString };

    const cniRole = new ServiceAccountRole(this, 'vpc-cni-role', {
      roleName: serviceRoleName(platform, env, VPC_CNI_SERVICE_ACCOUNT),
      namespace: VPC_CNI_SERVICE_ACCOUNT.namespace,
      serviceAccount: VPC_CNI_SERVICE_ACCOUNT.service,
      oidcProvider: oidc,
      managedPolicyArns: [awsManagedPolicyArn(env, 'AmazonEKS_CNI_Policy')],
      description: 'Amazon VPC CNI (kube-system/aws-node)',
    });

    const ebsCsiRole = new ServiceAccountRole(this, 'ebs-csi-role', {
      roleName: serviceRoleName(platform, env, EBS_CSI_SERVICE_ACCOUNT),
      namespace: EBS_CSI_SERVICE_ACCOUNT.namespace,
      serviceAccount: EBS_CSI_SERVICE_ACCOUNT.service,
      oidcProvider: oidc,
      managedPolicyArns: [awsManagedPolicyArn(env, 'service-role/AmazonEBSCSIDriverPolicy')],
      // Volumes are encrypted with the environment's EBS key (the StorageClass names it).
      statements: [{ sid: 'UseEbsKey', actions: ['kms:CreateGrant', 'kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:ReEncryptFrom', 'kms:ReEncryptTo'], resources: [ebsKey.arn] }],
      description: 'Amazon EBS CSI driver (kube-system/ebs-csi-controller-sa)',
    });

    // ---- Karpenter -------------------------------------------------------------------------------
    this.karpenter = new KarpenterResources(this, 'karpenter', { platform, env, clusterName: this.cluster.name });

    // ---- Platform components (IRSA), each trusting exactly its namespace/ServiceAccount --------
    const platformRoles = new Map<PlatformIdentity, ServiceAccountRole>();
    const identityResources = {
      interruptionQueueArn: this.karpenter.interruptionQueue.arn,
      karpenterNodeRoleArn: this.karpenter.nodeRole.arn,
      ebsKeyArn: ebsKey.arn,
      secretsManagerKeyArn: secretsManagerKey.arn,
      sopsKeyArn: sopsKey.arn,
    };
    for (const id of Object.keys(PLATFORM_IDENTITIES) as PlatformIdentity[]) {
      const identity = PLATFORM_IDENTITIES[id];
      platformRoles.set(
        id,
        new ServiceAccountRole(this, `platform-role-${id}`, {
          roleName: platformRoleName(platform, env, id),
          namespace: identity.namespace,
          serviceAccount: identity.serviceAccount,
          oidcProvider: oidc,
          statements: platformIdentityStatements(id, platform, env, identityResources),
          description: `Platform component ${id} (${identity.namespace}/${identity.serviceAccount})`,
        }),
      );
    }
    this.platformRoles = platformRoles;

    const roles = new Map<string, ServiceAccountRole>();
    for (const { namespace, service } of listServices(platform)) {
      if (service.aws.length === 0) continue;
      const ref = { namespace: namespace.name, service: service.name };
      roles.set(
        `${ref.namespace}/${ref.service}`,
        new ServiceAccountRole(this, `service-role-${ref.namespace}-${ref.service}`, {
          roleName: serviceRoleName(platform, env, ref),
          namespace: ref.namespace,
          serviceAccount: serviceAccountName(service),
          oidcProvider: oidc,
          statements: grantsStatements(service.aws, platform, env),
          description: `Service ${ref.namespace}/${ref.service}: ${[...new Set(service.aws)].join(', ')}`,
        }),
      );
    }
    this.serviceRoles = roles;
    new ClusterAccess(this, 'access', { platform, env, clusterName: this.cluster.name });
    // One secrets reader per namespace that reads AWS Secrets Manager (its SecretStore's identity).
    new SecretsReaderRoles(this, 'secrets-readers', { platform, env, oidcProvider: oidc, secretsKeyArn: secretsManagerKey.arn });

    // ---- Add-ons and nodes -----------------------------------------------------------------------
    const versions = eksAddonVersions(env.kubernetesVersion);
    const addon = (addonName: EksAddonName, extra: { serviceAccountRoleArn?: string; configurationValues?: string; dependsOn?: ITerraformDependable[] } = {}) =>
      new EksAddon(this, `addon-${addonName}`, {
        clusterName: this.cluster.name,
        addonName,
        addonVersion: versions?.[addonName],
        // Terraform is the source of truth of the add-on configuration.
        resolveConflictsOnCreate: 'OVERWRITE',
        resolveConflictsOnUpdate: 'OVERWRITE',
        ...extra,
      });
    // Nodes only become Ready with a CNI: these two come before the node group ...
    const vpcCni = addon('vpc-cni', { serviceAccountRoleArn: cniRole.arn, configurationValues: JSON.stringify(vpcCniConfiguration()) });
    const kubeProxy = addon('kube-proxy');

    this.systemNodes = new SystemNodeGroup(this, 'system-nodes', {
      env,
      prefix: this.prefix,
      clusterName: this.cluster.name,
      subnetIds: privateSubnetIds,
      ebsKmsKeyArn: ebsKey.arn,
      shutdownGracePeriod: props.shutdownGracePeriod,
      dependsOn: [vpcCni, kubeProxy],
    });
    // The ALB target groups and their attachment to the node group's ASG live with the node group,
    // so replacing it re-attaches in the same apply (gateway-target-groups.ts).
    this.gatewayTargetGroups = new GatewayTargetGroups(this, 'gateway-target-groups', {
      platform,
      env,
      vpcId: network.getString(NETWORK_OUTPUTS.vpcId),
      autoScalingGroupName: this.systemNodes.autoScalingGroupName,
    });
    // ... and CoreDNS and metrics-server after it (their Pods need nodes to become healthy).
    addon('coredns', { configurationValues: JSON.stringify(corednsConfiguration(env)), dependsOn: [this.systemNodes.nodeGroup] });
    addon('metrics-server', { configurationValues: JSON.stringify(metricsServerConfiguration(env)), dependsOn: [this.systemNodes.nodeGroup] });
    addon('aws-ebs-csi-driver', { serviceAccountRoleArn: ebsCsiRole.arn, dependsOn: [this.systemNodes.nodeGroup] });

    // ---- Outputs ---------------------------------------------------------------------------------
    const out = (id: string, value: string, description: string) => new TerraformOutput(this, id, { value, description });
    out(CLUSTER_OUTPUTS.clusterName, this.cluster.name, 'Name of the EKS cluster');
    out(CLUSTER_OUTPUTS.clusterEndpoint, this.cluster.endpoint, 'Endpoint of the Kubernetes API');
    out(CLUSTER_OUTPUTS.clusterCertificateAuthority, this.cluster.certificateAuthority.get(0).data, 'CA bundle of the Kubernetes API (base64)');
    out(CLUSTER_OUTPUTS.clusterSecurityGroupId, this.cluster.vpcConfig.clusterSecurityGroupId, 'Cluster security group (control plane and nodes)');
    out(CLUSTER_OUTPUTS.oidcIssuerUrl, this.cluster.identity.get(0).oidc.get(0).issuer, 'OIDC issuer of the cluster (IRSA)');
    out(CLUSTER_OUTPUTS.oidcProviderArn, this.oidcProvider.arn, 'IAM OIDC provider of the cluster (IRSA trust policies)');
    out(CLUSTER_OUTPUTS.systemNodeGroupAsgName, this.systemNodes.autoScalingGroupName, 'Auto Scaling group of the system node group (the ALB target groups of this stack attach to it)');
    out(CLUSTER_OUTPUTS.systemNodeRoleArn, this.systemNodes.role.arn, 'IAM role of the system nodes');
    out(CLUSTER_OUTPUTS.logsKmsKeyArn, logsKey.arn, 'KMS key of the environment\'s CloudWatch log groups');
    out(CLUSTER_OUTPUTS.ebsKmsKeyArn, ebsKey.arn, 'KMS key of the node EBS volumes');
    out(CLUSTER_OUTPUTS.secretsManagerKmsKeyArn, secretsManagerKey.arn, 'KMS key of the environment\'s Secrets Manager secrets');
    out(CLUSTER_OUTPUTS.sopsKmsKeyArn, sopsKey.arn, 'KMS key of the SOPS-encrypted files');
    out(CLUSTER_OUTPUTS.karpenterNodeRoleArn, this.karpenter.nodeRole.arn, 'IAM role of the nodes Karpenter launches');
    out(CLUSTER_OUTPUTS.karpenterInterruptionQueueUrl, this.karpenter.interruptionQueue.url, 'SQS queue of the interruption events Karpenter watches');
  }
}

/**
 * Configuration of the vpc-cni add-on (its `configuration_values` schema, aws/amazon-vpc-cni-k8s
 * charts/aws-vpc-cni/values.yaml `enableNetworkPolicy`; EKS user guide "Configure your cluster for
 * Kubernetes network policies"): turns on the network policy agent beside aws-node and the
 * controller on the control plane. Without it every NetworkPolicy is accepted and none enforced.
 * The agent needs nodes with kernel >= 5.10 (AL2023, the AMI of every node here).
 */
export function vpcCniConfiguration(): Record<string, unknown> {
  return { enableNetworkPolicy: 'true' };
}

/**
 * Configuration of the CoreDNS add-on (its `configuration_values` schema): at least two replicas
 * (more in environments with a higher replica floor), on the system nodes, spread over zones, and a
 * PodDisruptionBudget so node drains keep DNS up.
 */
export function corednsConfiguration(env: Pick<Environment, 'sizing'>): Record<string, unknown> {
  return {
    replicaCount: systemPods(env).coredns.replicas,
    nodeSelector: { ...SYSTEM_NODE_LABELS },
    tolerations: [{ key: SYSTEM_NODE_TAINT.key, operator: 'Exists', effect: SYSTEM_NODE_TAINT.effect }],
    topologySpreadConstraints: [
      {
        maxSkew: 1,
        topologyKey: 'topology.kubernetes.io/zone',
        whenUnsatisfiable: 'ScheduleAnyway',
        labelSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
      },
    ],
    podDisruptionBudget: { enabled: true, maxUnavailable: 1 },
  };
}

/**
 * Configuration of the metrics-server add-on (its `configuration_values` schema is the upstream
 * chart's values: kubernetes-sigs/metrics-server charts/metrics-server/values.yaml). The chart
 * tolerates nothing by default, and the tainted system nodes are the only nodes when Terraform
 * creates the add-on: without this the apply times out waiting for it to become ACTIVE.
 */
export function metricsServerConfiguration(env: Pick<Environment, 'sizing'>): Record<string, unknown> {
  return {
    replicas: systemPods(env).metricsServer.replicas,
    nodeSelector: { ...SYSTEM_NODE_LABELS },
    tolerations: [{ key: SYSTEM_NODE_TAINT.key, operator: 'Exists', effect: SYSTEM_NODE_TAINT.effect }],
  };
}

/** What the cluster stack cannot build for an environment. */
export function clusterProblems(env: Environment): string[] {
  const problems: string[] = [];
  if (!eksAddonVersions(env.kubernetesVersion)) {
    problems.push(`environment ${env.name}: no pinned EKS add-on versions for Kubernetes ${env.kubernetesVersion} (add them to infra/versions.ts)`);
  }
  for (const cidr of env.apiAccessCidrs) {
    try {
      if (parseCidr(cidr).prefix === 0) problems.push(`environment ${env.name}: apiAccessCidrs must not open the API endpoint to the internet (${cidr})`);
    } catch (err) {
      problems.push(`environment ${env.name}: apiAccessCidrs: ${(err as Error).message}`);
    }
  }
  if (!amiTypeFor(env.sizing.systemNodeInstanceTypes)) {
    problems.push(`environment ${env.name}: sizing.systemNodeInstanceTypes must be non-empty and all of one architecture (x86 or Graviton), got ${env.sizing.systemNodeInstanceTypes.join(', ')}`);
  }
  return problems;
}
