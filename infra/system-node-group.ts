/**
 * The managed node group "system": Karpenter, the ingress gateways and CoreDNS run here (labelled
 * and tainted, see SYSTEM_NODE_LABELS/SYSTEM_NODE_TAINT); workloads run on Karpenter's nodes.
 * Amazon Linux 2023 nodes with IMDSv2 only, a gp3 root volume encrypted with the environment's EBS key, and kubelet graceful
 * node shutdown so Pods get their termination grace period when a node stops.
 */
import { Fn, TerraformLocal, Token, type ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { EksNodeGroup } from '@cdktf/provider-aws/lib/eks-node-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import type { Environment } from '../platform/types';
import { SYSTEM_NODE_GROUP, SYSTEM_NODE_LABELS, SYSTEM_NODE_TAINT } from '../platform/naming';
import { systemNodeScaling } from '../platform/system-nodes';
import { awsManagedPolicyArn } from './names';

/** Kubelet graceful node shutdown: total time, and the part reserved for system-critical Pods. */
export interface ShutdownGracePeriod {
  readonly totalSeconds: number;
  readonly criticalPodsSeconds: number;
}

/**
 * Pods get `total - critical` seconds, critical Pods the last `critical` seconds. The total must
 * exceed the longest terminationGracePeriodSeconds of the Pods scheduled here.
 */
export const DEFAULT_SHUTDOWN_GRACE_PERIOD: ShutdownGracePeriod = { totalSeconds: 90, criticalPodsSeconds: 30 };

/** Kubernetes taint effects as the EKS node group API spells them. */
const EKS_TAINT_EFFECT = { NoSchedule: 'NO_SCHEDULE', PreferNoSchedule: 'PREFER_NO_SCHEDULE', NoExecute: 'NO_EXECUTE' } as const;

export interface SystemNodeGroupProps {
  /** The environment (sizing.systemNodeInstanceTypes / systemNodes, kubernetesVersion). */
  readonly env: Environment;
  /** Prefix of AWS names, e.g. "ec-dev". */
  readonly prefix: string;
  /** Name of the EKS cluster (a token of the cluster resource, so the group waits for it). */
  readonly clusterName: string;
  /** Private subnets the nodes run in. */
  readonly subnetIds: string[];
  /** KMS key the root volumes are encrypted with (the environment's EBS key). */
  readonly ebsKmsKeyArn: string;
  /**
   * Kubelet graceful shutdown.
   * @default DEFAULT_SHUTDOWN_GRACE_PERIOD
   */
  readonly shutdownGracePeriod?: ShutdownGracePeriod;
  /**
   * Root volume size in GiB.
   * @default 50
   */
  readonly rootVolumeGiB?: number;
  /**
   * What must exist before nodes join (the vpc-cni and kube-proxy add-ons: without a CNI nodes never
   * become Ready).
   * @default none
   */
  readonly dependsOn?: ITerraformDependable[];
}

export class SystemNodeGroup extends Construct {
  public readonly role: IamRole;
  public readonly launchTemplate: LaunchTemplate;
  public readonly nodeGroup: EksNodeGroup;

  constructor(scope: Construct, id: string, props: SystemNodeGroupProps) {
    super(scope, id);
    const { env } = props;
    const scaling = systemNodeScaling(env);

    const trust = new DataAwsIamPolicyDocument(this, 'trust', {
      statement: [{ sid: 'Ec2Instances', effect: 'Allow', actions: ['sts:AssumeRole'], principals: [{ type: 'Service', identifiers: ['ec2.amazonaws.com'] }] }],
    });
    this.role = new IamRole(this, 'role', {
      name: `${props.prefix}-system-node`,
      description: 'Nodes of the managed system node group',
      assumeRolePolicy: trust.json,
    });
    // The CNI's permissions live on the aws-node ServiceAccount's own role (IRSA), not on the node.
    const attachments = ['AmazonEKSWorkerNodePolicy', 'AmazonEC2ContainerRegistryPullOnly', 'AmazonSSMManagedInstanceCore'].map(
      (policy) => new IamRolePolicyAttachment(this, `role-${policy}`, { role: this.role.name, policyArn: awsManagedPolicyArn(env, policy) }),
    );

    const userData = new TerraformLocal(this, 'user-data', nodeUserData(props.shutdownGracePeriod ?? DEFAULT_SHUTDOWN_GRACE_PERIOD));
    this.launchTemplate = new LaunchTemplate(this, 'launch-template', {
      name: `${props.prefix}-system-node`,
      description: 'Managed system node group: IMDSv2 only, encrypted gp3 root volume, graceful shutdown',
      updateDefaultVersion: true,
      metadataOptions: {
        httpEndpoint: 'enabled',
        httpTokens: 'required',
        // 1 hop: containers in their own network namespace cannot reach the instance role. Pods use
        // IRSA; host-network agents (aws-node, kube-proxy) are not behind the extra hop.
        httpPutResponseHopLimit: 1,
        instanceMetadataTags: 'disabled',
      },
      blockDeviceMappings: [
        {
          deviceName: '/dev/xvda',
          ebs: { volumeType: 'gp3', volumeSize: props.rootVolumeGiB ?? 50, encrypted: 'true', kmsKeyId: props.ebsKmsKeyArn, deleteOnTermination: 'true' },
        },
      ],
      userData: Fn.base64encode(userData.asString),
      tagSpecifications: [
        { resourceType: 'instance', tags: { Name: `${props.prefix}-system-node` } },
        { resourceType: 'volume', tags: { Name: `${props.prefix}-system-node` } },
      ],
    });

    this.nodeGroup = new EksNodeGroup(this, 'node-group', {
      clusterName: props.clusterName,
      // A prefix, not a fixed name, and create-before-destroy: a change that forces replacement
      // (instance types, AMI type) brings up the new group before the old one drains.
      nodeGroupNamePrefix: `${SYSTEM_NODE_GROUP}-`,
      nodeRoleArn: this.role.arn,
      subnetIds: props.subnetIds,
      version: env.kubernetesVersion,
      amiType: amiTypeFor(env.sizing.systemNodeInstanceTypes),
      capacityType: 'ON_DEMAND',
      instanceTypes: [...env.sizing.systemNodeInstanceTypes],
      // Sized for every Pod pinned here (platform/system-nodes.ts): nothing scales this group.
      scalingConfig: { minSize: scaling.min, desiredSize: scaling.desired, maxSize: scaling.max },
      updateConfig: { maxUnavailable: 1 },
      nodeRepairConfig: { enabled: true },
      labels: { ...SYSTEM_NODE_LABELS },
      taint: [{ key: SYSTEM_NODE_TAINT.key, value: SYSTEM_NODE_TAINT.value, effect: EKS_TAINT_EFFECT[SYSTEM_NODE_TAINT.effect] }],
      launchTemplate: { id: this.launchTemplate.id, version: Token.asString(this.launchTemplate.latestVersion) },
      dependsOn: [...attachments, ...(props.dependsOn ?? [])],
      lifecycle: { createBeforeDestroy: true },
    });
  }

  /** Name of the group's Auto Scaling group (the edge stack attaches it to the ALB target groups). */
  public get autoScalingGroupName(): string {
    return this.nodeGroup.resources.get(0).autoscalingGroups.get(0).name;
  }
}

/**
 * EKS AMI type for a list of instance types: Amazon Linux 2023, ARM for Graviton families (a "g"
 * after the generation digit: m7g, c7gn, r8g), x86 otherwise. Undefined when the list is empty or
 * mixes both architectures (the cluster stack reports that as a problem).
 */
export function amiTypeFor(instanceTypes: readonly string[]): string | undefined {
  const arm = instanceTypes.map((type) => /^[a-z]+\d+([a-z-]*)$/.exec(type.split('.')[0])?.[1].includes('g') ?? false);
  if (arm.length === 0 || arm.some((a) => a !== arm[0])) return undefined;
  return arm[0] ? 'AL2023_ARM_64_STANDARD' : 'AL2023_x86_64_STANDARD';
}

/**
 * User data of the nodes: a MIME multi-part document with one nodeadm NodeConfig part. EKS merges it
 * with the cluster connection details it adds itself (AL2023 managed node groups).
 */
export function nodeUserData(shutdown: ShutdownGracePeriod): string {
  const nodeConfig = {
    apiVersion: 'node.eks.aws/v1alpha1',
    kind: 'NodeConfig',
    spec: {
      kubelet: {
        config: {
          shutdownGracePeriod: `${shutdown.totalSeconds}s`,
          shutdownGracePeriodCriticalPods: `${shutdown.criticalPodsSeconds}s`,
        },
      },
    },
  };
  const boundary = 'BOUNDARY';
  return [
    'MIME-Version: 1.0',
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: application/node.eks.aws',
    '',
    // JSON is YAML: nodeadm reads it as is.
    JSON.stringify(nodeConfig, null, 2),
    '',
    `--${boundary}--`,
    '',
  ].join('\n');
}
