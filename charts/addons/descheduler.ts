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
 * A second profile replaces the Pods of database consumers before a rotated password's
 * predecessor expires (see deschedulerPolicy).
 *
 * No utilization plugins (LowNodeUtilization, HighNodeUtilization): Karpenter's consolidation owns
 * node utilization, and the two would fight.
 *
 * Namespace: kube-system is not the sre team's, and only sre namespaces may be add-on
 * destinations; it runs in karpenter-infra beside the other node-lifecycle controller, on the
 * managed node group.
 */
import type { AddonSpec } from '../../apps-of-apps/addon';
import { databaseConsumerNamespaces, databaseConsumerPodLifetimeSeconds } from '../../platform/database-rotation';
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

/**
 * The descheduling policy (descheduler/v1alpha2). A second profile, where any model service has a
 * database, bounds how long the Pods of database consumers live (PodLifeTime, descheduler
 * pkg/framework/plugins/podlifetime: evicts Pods older than `maxPodLifeTimeSeconds`, oldest first),
 * so a rotated database password reaches each of them before the previous one is discarded
 * (platform/database-rotation.ts). Its evictor differs in one setting: Pods with local storage may
 * go, because the DefaultEvictor counts every emptyDir as local storage
 * (pkg/descheduler/pod/pods.go IsPodWithLocalStorage) and every container here has an emptyDir
 * /tmp, which holds scratch files only; Pods with PVCs or without a PDB still stay.
 */
export function deschedulerPolicy(platform: Pick<Platform, 'teams'>, env: Pick<Environment, 'databaseCredentialRotationDays'>) {
  const consumers = databaseConsumerNamespaces(platform);
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
      ...(consumers.length > 0
        ? [
            {
              name: 'database-credentials',
              pluginConfig: [
                {
                  name: 'DefaultEvictor',
                  args: { ignorePodsWithoutPDB: true, evictLocalStoragePods: true, ignorePvcPods: true, evictSystemCriticalPods: false, evictFailedBarePods: false, nodeFit: true },
                },
                { name: 'PodLifeTime', args: { maxPodLifeTimeSeconds: databaseConsumerPodLifetimeSeconds(env), namespaces: { include: consumers } } },
              ],
              plugins: { deschedule: { enabled: ['PodLifeTime'] } },
            },
          ]
        : []),
    ],
  };
}

export function deschedulerAddons(platform: Platform, env: Environment): AddonSpec[] {
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
        deschedulerPolicy: deschedulerPolicy(platform, env),
        resources: guaranteed(cpuQuantity(pod), pod.memory),
        securityContext: restrictedContainer(1000),
        priorityClassName: 'system-cluster-critical',
        ...onSystemNodes,
      },
    },
  ];
}
