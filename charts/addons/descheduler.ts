/**
 * The Descheduler: evicts Pods that no longer fit where they run (duplicates on one node, zone
 * spread violated after a scale-up, node taints or affinity that changed), so the scheduler can
 * place them better. It never breaks availability:
 *
 * - every eviction goes through the Eviction API, which refuses what a PodDisruptionBudget forbids;
 * - it only considers Pods a PDB protects at all (`ignorePodsWithoutPDB`: every model service has
 *   one), never Pods with local storage or PVCs, never system-critical ones;
 * - at most one Pod per namespace and two per node per run.
 *
 * No utilization plugins (LowNodeUtilization, HighNodeUtilization): Karpenter's consolidation owns
 * node utilization, and the two would fight.
 *
 * Namespace: kube-system is not the sre team's, and only sre namespaces may be add-on
 * destinations; it runs in karpenter-infra beside the other node-lifecycle controller, on the
 * managed node group.
 */
import type { AddonSpec } from '../../apps-of-apps/addon';
import { PLATFORM_IDENTITIES } from '../../platform/naming';
import { cpuQuantity, systemPods } from '../../platform/system-nodes';
import type { Environment, Platform } from '../../platform/types';
import { SYNC_WAVE } from '../sync-options';
import { restrictedContainer } from '../jobs/hardened-pod';
import { guaranteed } from './sre-tools';
import { onSystemNodes } from './system-nodes';

/** descheduler chart; its minor follows the cluster's Kubernetes minor (client compatibility). */
export const DESCHEDULER_CHART_VERSION = '0.33.0';
export const DESCHEDULER_CHART_REPO = 'https://kubernetes-sigs.github.io/descheduler';
export const DESCHEDULER_NAMESPACE = PLATFORM_IDENTITIES.karpenter.namespace;

/** The descheduling policy (descheduler/v1alpha2). */
export function deschedulerPolicy() {
  return {
    maxNoOfPodsToEvictPerNode: 2,
    maxNoOfPodsToEvictPerNamespace: 1,
    profiles: [
      {
        name: 'platform',
        pluginConfig: [
          {
            name: 'DefaultEvictor',
            args: {
              ignorePodsWithoutPDB: true,
              evictLocalStoragePods: false,
              ignorePvcPods: true,
              evictSystemCriticalPods: false,
              evictFailedBarePods: false,
              nodeFit: true,
            },
          },
          { name: 'RemoveDuplicates' },
          { name: 'RemovePodsViolatingTopologySpreadConstraint', args: { constraints: ['DoNotSchedule'] } },
          { name: 'RemovePodsViolatingNodeTaints' },
          { name: 'RemovePodsViolatingNodeAffinity', args: { nodeAffinityType: ['requiredDuringSchedulingIgnoredDuringExecution'] } },
          { name: 'RemovePodsViolatingInterPodAntiAffinity' },
        ],
        plugins: {
          balance: { enabled: ['RemoveDuplicates', 'RemovePodsViolatingTopologySpreadConstraint'] },
          deschedule: { enabled: ['RemovePodsViolatingNodeTaints', 'RemovePodsViolatingNodeAffinity', 'RemovePodsViolatingInterPodAntiAffinity'] },
        },
      },
    ],
  };
}

export function deschedulerAddons(_platform: Platform, env: Environment): AddonSpec[] {
  const pod = systemPods(env).descheduler;
  return [
    {
      name: 'descheduler',
      namespace: DESCHEDULER_NAMESPACE,
      repoURL: DESCHEDULER_CHART_REPO,
      chart: 'descheduler',
      version: DESCHEDULER_CHART_VERSION,
      syncWave: SYNC_WAVE.platformConfig,
      systemPods: [pod],
      values: {
        kind: 'CronJob',
        schedule: '*/10 * * * *',
        successfulJobsHistoryLimit: 1,
        failedJobsHistoryLimit: 3,
        deschedulerPolicyAPIVersion: 'descheduler/v1alpha2',
        deschedulerPolicy: deschedulerPolicy(),
        resources: guaranteed(cpuQuantity(pod), pod.memory),
        securityContext: restrictedContainer(1000),
        priorityClassName: 'system-cluster-critical',
        ...onSystemNodes,
      },
    },
  ];
}
