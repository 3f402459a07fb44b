/**
 * What the largest node Karpenter may launch can hold, so a service asking for more is rejected at
 * validation instead of staying Pending forever. Pure data and arithmetic, no framework imports.
 *
 * The NodePools (charts/nodes/node-pools.ts) allow the environment's instance categories at
 * generation 6 and later (`karpenter.k8s.aws/instance-generation Gt 5`). The largest size of each
 * category there (AWS EC2 instance types, current generations): c7i/c7a.48xlarge 192 vCPU 384 GiB,
 * m7i/m7a.48xlarge 192 vCPU 768 GiB, r7i/r7a.48xlarge 192 vCPU 1536 GiB, i7ie.48xlarge 192 vCPU
 * 1536 GiB, x8g.48xlarge 192 vCPU 3072 GiB. A Pod gets less than that (kubelet and system reserve,
 * DaemonSets), so these bounds only catch requests no node could ever hold.
 */

/** Largest instance per category: vCPUs and memory in MiB. */
export const LARGEST_INSTANCE: Readonly<Record<string, { readonly vcpu: number; readonly memoryMib: number; readonly type: string }>> = {
  c: { vcpu: 192, memoryMib: 384 * 1024, type: 'c7i.48xlarge' },
  m: { vcpu: 192, memoryMib: 768 * 1024, type: 'm7i.48xlarge' },
  r: { vcpu: 192, memoryMib: 1536 * 1024, type: 'r7i.48xlarge' },
  i: { vcpu: 192, memoryMib: 1536 * 1024, type: 'i7ie.48xlarge' },
  x: { vcpu: 192, memoryMib: 3072 * 1024, type: 'x8g.48xlarge' },
};

/** The largest node of the given categories (undefined when none of them is known). */
export function largestNode(categories: readonly string[]): { vcpu: number; memoryMib: number; type: string } | undefined {
  let best: { vcpu: number; memoryMib: number; type: string } | undefined;
  for (const c of categories) {
    const size = LARGEST_INSTANCE[c];
    if (size && (!best || size.memoryMib > best.memoryMib || (size.memoryMib === best.memoryMib && size.vcpu > best.vcpu))) best = size;
  }
  return best;
}

/** A Kubernetes CPU quantity in millicores ("250m" -> 250, "2" -> 2000, "0.5" -> 500). */
export function cpuMillicores(quantity: string): number {
  return quantity.endsWith('m') ? Number(quantity.slice(0, -1)) : Math.round(Number(quantity) * 1000);
}

/** A Kubernetes memory quantity in MiB ("256Mi" -> 256, "4Gi" -> 4096). */
export function memoryMib(quantity: string): number {
  return quantity.endsWith('Gi') ? Number(quantity.slice(0, -2)) * 1024 : Number(quantity.slice(0, -2));
}

/** Kubernetes rejects a ConfigMap whose data (keys and values) exceeds 1 MiB (`MaxSecretSize`, also used for ConfigMaps). */
export const MAX_CONFIGMAP_BYTES = 1024 * 1024;
