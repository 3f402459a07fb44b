import type { AddonSpec } from '../../apps-of-apps/addon';
import { clusterName, iamRoleArn, karpenterInterruptionQueueName, PLATFORM_IDENTITIES, platformRoleName } from '../../platform/naming';
import { cpuQuantity, systemPods } from '../../platform/system-nodes';
import type { Environment, Platform } from '../../platform/types';
import { SYNC_WAVE } from '../sync-options';
import { onSystemNodes } from './system-nodes';

/** Karpenter release; its CRDs in imports/ are generated from the same version. */
export const KARPENTER_VERSION = '1.14.1';

/** Karpenter (source 004 §25-02), on the managed node group, with its IRSA role and interruption queue. */
export function karpenterAddons(platform: Platform, env: Environment): AddonSpec[] {
  const identity = PLATFORM_IDENTITIES.karpenter;
  const pod = systemPods(env).karpenter;
  const resources = { cpu: cpuQuantity(pod), memory: pod.memory };
  return [
    {
      name: 'karpenter',
      namespace: identity.namespace,
      repoURL: 'public.ecr.aws/karpenter',
      chart: 'karpenter',
      version: KARPENTER_VERSION,
      // Before every other add-on: their Pods run on the nodes Karpenter launches.
      syncWave: SYNC_WAVE.nodeProvisioner,
      serverSideApply: true,
      ownsCrds: true,
      systemPods: [pod],
      // charts/karpenter/templates/role.yaml and rolebinding.yaml: "<name>-dns" in kube-system (reads
      // the kube-dns Service) and "<name>-lease" in kube-node-lease (deletes node leases).
      chartNamespaces: ['kube-node-lease', 'kube-system'],
      values: {
        settings: { clusterName: clusterName(platform, env), interruptionQueue: karpenterInterruptionQueueName(platform, env) },
        serviceAccount: { name: identity.serviceAccount, annotations: { 'eks.amazonaws.com/role-arn': iamRoleArn(env, platformRoleName(platform, env, 'karpenter')) } },
        replicas: pod.replicas,
        controller: { resources: { requests: resources, limits: resources } },
        ...onSystemNodes,
      },
    },
  ];
}
