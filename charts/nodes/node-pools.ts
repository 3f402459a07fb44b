import { Construct } from 'constructs';
import {
  Ec2NodeClass,
  Ec2NodeClassSpecBlockDeviceMappingsEbsVolumeType,
  Ec2NodeClassSpecMetadataOptionsHttpEndpoint,
  Ec2NodeClassSpecMetadataOptionsHttpProtocolIPv6,
  Ec2NodeClassSpecMetadataOptionsHttpTokens,
} from '../../imports/karpenter.k8s.aws';
import { NodePool, NodePoolSpecDisruptionConsolidationPolicy, NodePoolSpecTemplateSpecRequirementsOperator, NodePoolSpecTemplateSpecTaintsEffect } from '../../imports/karpenter.sh';
import { DEDICATED_NODE_LABEL, dedicatedNodePoolName, karpenterDiscoveryTag, karpenterNodeRoleName, kmsAliasName, NODE_CLASS, SHARED_NODE_POOL } from '../../platform/naming';
import type { Environment, Platform } from '../../platform/types';
import { SYNC_WAVE } from '../sync-options';

export interface NodePoolsProps {
  readonly platform: Platform;
  readonly env: Environment;
  /**
   * Amazon Linux 2023 AMI release the nodes run; bumped deliberately, never "latest".
   * @default "al2023@v20251117"
   */
  readonly amiAlias?: string;
  /**
   * Days before Karpenter replaces a node (fresh AMI, no drift).
   * @default 30
   */
  readonly nodeExpiryDays?: number;
}

/** Node label every Karpenter node carries with its pool's name. */
export const NODE_POOL_LABEL = 'platform.ec/node-pool';

/**
 * Karpenter's node configuration (Karpenter itself runs on the managed node group): one
 * EC2NodeClass found by the discovery tags the AWS layer sets, a shared NodePool for everyone, and
 * a dedicated, labelled and tainted NodePool per high-impact service (source 004 §25-02).
 */
export class NodePools extends Construct {
  constructor(scope: Construct, id: string, props: NodePoolsProps) {
    super(scope, id);
    const { platform, env } = props;
    const tag = karpenterDiscoveryTag(platform, env);
    const expireAfter = `${(props.nodeExpiryDays ?? 30) * 24}h`;

    new Ec2NodeClass(this, 'node-class', {
      metadata: { name: NODE_CLASS, annotations: CRD_PENDING },
      spec: {
        role: karpenterNodeRoleName(platform, env),
        amiSelectorTerms: [{ alias: props.amiAlias ?? 'al2023@v20251117' }],
        subnetSelectorTerms: [{ tags: { [tag.key]: tag.value } }],
        securityGroupSelectorTerms: [{ tags: { [tag.key]: tag.value } }],
        // IMDSv2 only, and not reachable from Pods (they use IRSA).
        metadataOptions: {
          httpEndpoint: Ec2NodeClassSpecMetadataOptionsHttpEndpoint.ENABLED,
          httpTokens: Ec2NodeClassSpecMetadataOptionsHttpTokens.REQUIRED,
          httpPutResponseHopLimit: 1,
          httpProtocolIPv6: Ec2NodeClassSpecMetadataOptionsHttpProtocolIPv6.DISABLED,
        },
        blockDeviceMappings: [
          {
            deviceName: '/dev/xvda',
            ebs: { volumeSize: '50Gi', volumeType: Ec2NodeClassSpecBlockDeviceMappingsEbsVolumeType.GP3, encrypted: true, deleteOnTermination: true, kmsKeyId: `arn:aws:kms:${env.region}:${env.account}:${kmsAliasName(platform, env, 'ebs')}` },
          },
        ],
        tags: { platform: platform.name, environment: env.name, 'managed-by': 'karpenter' },
      },
    });

    const requirement = (key: string, values: readonly string[]) => ({ key, operator: NodePoolSpecTemplateSpecRequirementsOperator.IN, values: [...values] });
    const base = [
      requirement('karpenter.k8s.aws/instance-category', env.sizing.workloadInstanceCategories),
      { key: 'karpenter.k8s.aws/instance-generation', operator: NodePoolSpecTemplateSpecRequirementsOperator.GT, values: ['5'] },
      requirement('kubernetes.io/arch', ['amd64']),
      requirement('topology.kubernetes.io/zone', env.availabilityZones),
    ];
    const nodeClassRef = { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: NODE_CLASS };

    new NodePool(this, 'shared', {
      metadata: { name: SHARED_NODE_POOL, annotations: CRD_PENDING },
      spec: {
        template: {
          metadata: { labels: { [NODE_POOL_LABEL]: SHARED_NODE_POOL } },
          spec: {
            nodeClassRef,
            expireAfter,
            requirements: [...base, requirement('karpenter.sh/capacity-type', env.sizing.spotWorkloads ? ['spot', 'on-demand'] : ['on-demand'])],
          },
        },
        disruption: { consolidationPolicy: NodePoolSpecDisruptionConsolidationPolicy.WHEN_EMPTY_OR_UNDERUTILIZED, consolidateAfter: '5m', budgets: [{ nodes: '10%' }] },
      },
    });

    for (const team of platform.teams) {
      for (const ns of team.namespaces) {
        for (const service of ns.services.filter((s) => s.dedicatedNodes)) {
          const pool = dedicatedNodePoolName(ns, service);
          new NodePool(this, pool, {
            metadata: { name: pool, annotations: CRD_PENDING },
            spec: {
              template: {
                metadata: { labels: { [NODE_POOL_LABEL]: pool, [DEDICATED_NODE_LABEL]: pool } },
                spec: {
                  nodeClassRef,
                  expireAfter,
                  requirements: [...base, requirement('karpenter.sh/capacity-type', ['on-demand'])],
                  taints: [{ key: DEDICATED_NODE_LABEL, value: pool, effect: NodePoolSpecTemplateSpecTaintsEffect.NO_SCHEDULE }],
                },
              },
              // Only empty nodes are removed, one at a time: high-impact Pods are not reshuffled to save cost.
              disruption: { consolidationPolicy: NodePoolSpecDisruptionConsolidationPolicy.WHEN_EMPTY, consolidateAfter: '30m', budgets: [{ nodes: '1' }] },
            },
          });
        }
      }
    }
  }
}

/**
 * Objects whose CRDs an add-on installs: ArgoCD skips the dry run until the CRD exists and retries,
 * and applies them after the Namespaces of the same Application.
 */
export const CRD_PENDING = { 'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true', 'argocd.argoproj.io/sync-wave': String(SYNC_WAVE.platformConfig) } as const;
