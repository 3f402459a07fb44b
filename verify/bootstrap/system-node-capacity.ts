/**
 * The managed system node group must hold every request pinned to it: nothing scales it (Karpenter
 * manages only its own NodePools), so a Pod that does not fit stays Pending forever. Requests come
 * from the `platform.ec/system-node-requests` annotation of each Application that runs Pods there
 * (replicas included) plus the EKS add-ons' pinned Pods; capacity is `min_size` nodes of the
 * group's smallest instance type, each with the allocatable CPU the EKS AMI leaves
 * (awslabs/amazon-eks-ami templates/al2023/runtime/... kube-reserved CPU: 6% of the first core, 1%
 * of the second, 0.5% of the next two, 0.25% of the rest).
 */
import type { Check, Finding } from '../registry';

export const SYSTEM_REQUESTS_ANNOTATION = 'platform.ec/system-node-requests';

/** vCPUs of an EC2 size (medium 1, large 2, xlarge 4, Nxlarge 4N). */
export function vcpusOf(instanceType: string): number | undefined {
  const size = instanceType.split('.')[1] ?? '';
  if (size === 'medium') return 1;
  if (size === 'large') return 2;
  const m = /^(\d*)xlarge$/.exec(size);
  return m ? 4 * (m[1] ? Number(m[1]) : 1) : undefined;
}

/** Allocatable millicores of a node with `vcpus` cores (EKS AMI kube-reserved CPU). */
export function allocatableMillicores(vcpus: number): number {
  const steps = [0.06, 0.01, 0.005, 0.005];
  let reserved = 0;
  for (let core = 0; core < vcpus; core++) reserved += 1000 * (steps[core] ?? 0.0025);
  return vcpus * 1000 - Math.ceil(reserved);
}

export const cpuMillicores = (q: string): number => (q.endsWith('m') ? Number(q.slice(0, -1)) : Math.round(Number(q) * 1000));

/** EKS add-ons that run on the system nodes and the CPU each replica requests by default (their manifests). */
const EKS_ADDON_CPU: Readonly<Record<string, { readonly cpu: number; readonly replicas: number; readonly replicasKey: string }>> = {
  // EKS CoreDNS Deployment: requests cpu 100m; 2 replicas unless configured (replicaCount).
  coredns: { cpu: 100, replicas: 2, replicasKey: 'replicaCount' },
  // kubernetes-sigs/metrics-server charts/metrics-server/values.yaml: requests cpu 100m, replicas 1.
  'metrics-server': { cpu: 100, replicas: 1, replicasKey: 'replicas' },
};

/** Whether Helm values hold a nodeSelector selecting one of the node groups' label sets. */
function pinsTo(values: unknown, labelSets: readonly Record<string, string>[]): boolean {
  if (Array.isArray(values)) return values.some((v) => pinsTo(v, labelSets));
  if (!values || typeof values !== 'object') return false;
  for (const [k, v] of Object.entries(values)) {
    if (k === 'nodeSelector' && v && typeof v === 'object' && labelSets.some((l) => Object.keys(l).length > 0 && Object.entries(l).every(([lk, lv]) => (v as Record<string, unknown>)[lk] === lv))) return true;
    if (pinsTo(v, labelSets)) return true;
  }
  return false;
}

export const systemNodeCapacity: Check = {
  id: 'system-node-capacity',
  description: 'the system node group holds every CPU request pinned to it',
  run: (sim) => {
    const out: Omit<Finding, 'rule'>[] = [];
    const pinned: { what: string; cpu: number }[] = [];
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const labels = [...sim.tree.terraform.values()].flatMap((s) => Object.values<any>(s.resource?.aws_eks_node_group ?? {}).map((g) => g.labels ?? {}));
    for (const a of sim.apps) {
      const v = a.app.annotations[SYSTEM_REQUESTS_ANNOTATION];
      const cpu = v && /cpu=([\d.]+m?)/.exec(v)?.[1];
      if (cpu) pinned.push({ what: a.name, cpu: cpuMillicores(cpu) });
      else if (a.charts.some((c) => pinsTo(c.values, labels))) {
        out.push({ file: a.app.file, message: `Application ${a.name} pins Pods to a managed node group (nodeSelector ${JSON.stringify(labels[0])}) but declares no ${SYSTEM_REQUESTS_ANNOTATION}: the group's size cannot be checked against them` });
      }
    }
    for (const [stackName, stack] of sim.tree.terraform) {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const groups = Object.entries<any>(stack.resource?.aws_eks_node_group ?? {});
      if (groups.length === 0) continue;
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      for (const addon of Object.values<any>(stack.resource?.aws_eks_addon ?? {})) {
        const d = EKS_ADDON_CPU[addon.addon_name];
        if (!d) continue;
        const config = addon.configuration_values ? JSON.parse(addon.configuration_values) : {};
        if (addon.addon_name !== 'coredns' && !config.nodeSelector) continue;
        const replicas = config[d.replicasKey] ?? d.replicas;
        pinned.push({ what: `EKS add-on ${addon.addon_name}`, cpu: d.cpu * replicas });
      }
      const requested = pinned.reduce((s, p) => s + p.cpu, 0);
      for (const [id, g] of groups) {
        const cores = (g.instance_types ?? []).map(vcpusOf);
        if (cores.length === 0 || cores.some((c: number | undefined) => c === undefined)) {
          out.push({ file: `terraform/${stackName}/cdk.tf.json`, message: `aws_eks_node_group.${id}: instance types ${JSON.stringify(g.instance_types)} have no known size` });
          continue;
        }
        const perNode = allocatableMillicores(Math.min(...cores));
        const capacity = perNode * g.scaling_config.min_size;
        if (capacity < requested) {
          const top = [...pinned].sort((x, y) => y.cpu - x.cpu).map((p) => `${p.what} ${p.cpu}m`).join(', ');
          out.push({ file: `terraform/${stackName}/cdk.tf.json`, message: `aws_eks_node_group.${id}: ${g.scaling_config.min_size} x ${g.instance_types[0]} allocate ${capacity}m CPU, less than the ${requested}m pinned to it (${top})` });
        }
      }
    }
    return out;
  },
};
