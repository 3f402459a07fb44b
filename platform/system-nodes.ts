/**
 * What runs on the managed "system" node group, and how many nodes that takes. The add-ons read
 * their replicas and requests from here (charts/addons/*), the cluster stack its node count
 * (infra/system-node-group.ts): nothing scales this group (Karpenter manages only its own
 * NodePools), so it must hold every Pod pinned to it from the first apply.
 */
import type { Environment } from './types';

/** Requests (= limits) of one container of a pinned Pod, and how many replicas run. */
export interface SystemPod {
  readonly replicas: number;
  /** Millicores, e.g. 500. */
  readonly cpuMillicores: number;
  /** Kubernetes quantity, e.g. "512Mi". */
  readonly memory: string;
}

/** The Pods pinned to the system nodes, per component (the Application or EKS add-on that runs them). */
export type SystemComponent =
  | 'argoCdController'
  | 'argoCdServer'
  | 'argoCdRedis'
  | 'argoCdApplicationSet'
  | 'argoCdNotifications'
  | 'argoCdRepoServer'
  | 'argoCdKsops'
  | 'karpenter'
  | 'istiod'
  | 'istioIngressGateway'
  | 'istioEgressGateway'
  | 'ingressNginx'
  | 'descheduler'
  | 'coredns'
  | 'metricsServer';

/** At least two replicas of every pinned control-plane and gateway Pod, more with a higher floor. */
export const systemReplicas = (env: Pick<Environment, 'sizing'>): number => Math.max(2, env.sizing.replicaFloor);

export function systemPods(env: Pick<Environment, 'sizing'>): Readonly<Record<SystemComponent, SystemPod>> {
  const ha = systemReplicas(env);
  return {
    argoCdController: { replicas: 1, cpuMillicores: 500, memory: '1Gi' },
    argoCdServer: { replicas: 1, cpuMillicores: 100, memory: '256Mi' },
    argoCdRedis: { replicas: 1, cpuMillicores: 100, memory: '128Mi' },
    argoCdApplicationSet: { replicas: 1, cpuMillicores: 100, memory: '128Mi' },
    argoCdNotifications: { replicas: 1, cpuMillicores: 100, memory: '128Mi' },
    argoCdRepoServer: { replicas: 1, cpuMillicores: 250, memory: '512Mi' },
    // The KSOPS sidecar runs in each repo-server Pod.
    argoCdKsops: { replicas: 1, cpuMillicores: 100, memory: '256Mi' },
    karpenter: { replicas: 2, cpuMillicores: 500, memory: '512Mi' },
    istiod: { replicas: ha, cpuMillicores: 500, memory: '2Gi' },
    istioIngressGateway: { replicas: ha, cpuMillicores: 500, memory: '512Mi' },
    istioEgressGateway: { replicas: ha, cpuMillicores: 500, memory: '512Mi' },
    ingressNginx: { replicas: ha, cpuMillicores: 250, memory: '256Mi' },
    // A CronJob: one Pod at a time.
    descheduler: { replicas: 1, cpuMillicores: 100, memory: '256Mi' },
    // EKS add-ons: CoreDNS's Deployment requests 100m; metrics-server's chart requests 100m.
    coredns: { replicas: ha, cpuMillicores: 100, memory: '70Mi' },
    metricsServer: { replicas: 1, cpuMillicores: 100, memory: '200Mi' },
  };
}

/** "500m" from a SystemPod (for Helm values). */
export const cpuQuantity = (pod: SystemPod): string => `${pod.cpuMillicores}m`;
/** Total millicores of some components (replicas included). */
export const totalMillicores = (pods: readonly SystemPod[]): number => pods.reduce((sum, p) => sum + p.replicas * p.cpuMillicores, 0);

/**
 * DaemonSets on every system node, per node: aws-node (25m) and kube-proxy (100m) as EKS installs
 * them, and the Istio CNI node agent (100m, charts/addons/istio.ts), which tolerates every taint.
 */
export const SYSTEM_NODE_DAEMONSET_MILLICORES = 225;

/** vCPUs of an EC2 size (medium 1, large 2, xlarge 4, Nxlarge 4N). */
export function instanceVcpus(instanceType: string): number {
  const size = instanceType.split('.')[1] ?? '';
  if (size === 'medium') return 1;
  if (size === 'large') return 2;
  const m = /^(\d*)xlarge$/.exec(size);
  if (!m) throw new Error(`instance type ${instanceType}: unknown size "${size}"`);
  return 4 * (m[1] ? Number(m[1]) : 1);
}

/** Allocatable millicores of a node (EKS AMI kube-reserved CPU: 6% of core 1, 1% of core 2, 0.5% of cores 3-4, 0.25% above). */
export function allocatableMillicores(instanceType: string): number {
  const vcpus = instanceVcpus(instanceType);
  const steps = [0.06, 0.01, 0.005, 0.005];
  let reserved = 0;
  for (let core = 0; core < vcpus; core++) reserved += 1000 * (steps[core] ?? 0.0025);
  return vcpus * 1000 - Math.ceil(reserved);
}

/**
 * The system node group's scaling: at least the model's numbers, and enough nodes of the smallest
 * instance type for every pinned Pod's CPU requests after the per-node DaemonSets.
 */
export function systemNodeScaling(env: Pick<Environment, 'sizing'>): { readonly min: number; readonly desired: number; readonly max: number; readonly requiredNodes: number } {
  const perNode = Math.min(...env.sizing.systemNodeInstanceTypes.map(allocatableMillicores)) - SYSTEM_NODE_DAEMONSET_MILLICORES;
  const requiredNodes = Math.ceil(totalMillicores(Object.values(systemPods(env))) / perNode);
  const min = Math.max(env.sizing.systemNodes.min, requiredNodes);
  const desired = Math.max(env.sizing.systemNodes.desired, min);
  return { min, desired, max: Math.max(env.sizing.systemNodes.max, desired), requiredNodes };
}

/** Annotation an Application carries with the CPU its Pods request on the system nodes (verify/bootstrap/system-node-capacity.ts). */
export const SYSTEM_NODE_REQUESTS_ANNOTATION = 'platform.ec/system-node-requests';
export const systemNodeRequestsValue = (pods: readonly SystemPod[]): string => `cpu=${totalMillicores(pods)}m`;
