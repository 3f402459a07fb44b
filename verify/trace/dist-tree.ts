/**
 * The rendered tree of one environment, read from disk: every Kubernetes object under
 * `dist/<env>/namespaces/` and `dist/<env>/argocd/`, and the Terraform JSON of the edge stack.
 * The tracer reads only these files (never the model), so it checks what will be applied.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export interface K8sObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly labels?: Record<string, string>; readonly annotations?: Record<string, string> };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly spec?: any;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly data?: any;
}

export interface DistTree {
  readonly env: string;
  readonly root: string;
  /** Objects by kind, then "<namespace>/<name>". */
  readonly byKind: ReadonlyMap<string, ReadonlyMap<string, K8sObject>>;
  /** Objects by kind, then namespace (a list per namespace). */
  readonly byNamespace: ReadonlyMap<string, ReadonlyMap<string, readonly K8sObject[]>>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly edge?: any;
  /** CIDR blocks of the network stack's private (`tier = private`) subnets: where VPC CNI gives Pods their addresses. */
  readonly podSubnets?: readonly string[];
  /** Terraform JSON of the cluster stack (the ALB target groups live there, with the node group). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly cluster?: any;
}

function yamlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...yamlFiles(p));
    else if (entry.name.endsWith('.yaml')) out.push(p);
  }
  return out.sort();
}

/** Reads `<distRoot>/<env>` (distRoot defaults to ./dist). Throws when the environment was never rendered. */
export function loadDistTree(env: string, distRoot = 'dist'): DistTree {
  const root = join(distRoot, env);
  if (!existsSync(root)) throw new Error(`no rendered environment at ${root} (run npm run synth)`);
  const byKind = new Map<string, Map<string, K8sObject>>();
  const byNamespace = new Map<string, Map<string, K8sObject[]>>();
  for (const file of [...yamlFiles(join(root, 'namespaces')), ...yamlFiles(join(root, 'argocd')), ...yamlFiles(join(root, 'cluster'))]) {
    const obj = parse(readFileSync(file, 'utf8')) as K8sObject | null;
    if (!obj || typeof obj.kind !== 'string') continue;
    const ns = obj.metadata.namespace ?? '';
    const kinds = byKind.get(obj.kind) ?? new Map<string, K8sObject>();
    kinds.set(`${ns}/${obj.metadata.name}`, obj);
    byKind.set(obj.kind, kinds);
    const perNs = byNamespace.get(obj.kind) ?? new Map<string, K8sObject[]>();
    perNs.set(ns, [...(perNs.get(ns) ?? []), obj]);
    byNamespace.set(obj.kind, perNs);
  }
  const edgeFile = join(root, 'terraform', 'edge', 'cdk.tf.json');
  const edge = existsSync(edgeFile) ? JSON.parse(readFileSync(edgeFile, 'utf8')) : undefined;
  const networkFile = join(root, 'terraform', 'network', 'cdk.tf.json');
  const network = existsSync(networkFile) ? JSON.parse(readFileSync(networkFile, 'utf8')) : undefined;
  const podSubnets = Object.values((network?.resource?.aws_subnet ?? {}) as Record<string, { cidr_block: string; tags?: Record<string, string> }>)
    .filter((s) => s.tags?.tier === 'private')
    .map((s) => s.cidr_block)
    .sort();
  const clusterFile = join(root, 'terraform', 'cluster', 'cdk.tf.json');
  const cluster = existsSync(clusterFile) ? JSON.parse(readFileSync(clusterFile, 'utf8')) : undefined;
  return { env, root, byKind, byNamespace, edge, cluster, podSubnets };
}

export const objectsOf = (tree: DistTree, kind: string): readonly K8sObject[] => [...(tree.byKind.get(kind)?.values() ?? [])];
export const objectsIn = (tree: DistTree, kind: string, namespace: string): readonly K8sObject[] => tree.byNamespace.get(kind)?.get(namespace) ?? [];
export const objectNamed = (tree: DistTree, kind: string, namespace: string, name: string): K8sObject | undefined => tree.byKind.get(kind)?.get(`${namespace}/${name}`);
/** "<Kind> <namespace>/<name>", how hops name the object they read. */
export const ref = (o: K8sObject): string => `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`;

/** A FQDN "<svc>.<ns>.svc.cluster.local" (or "<svc>.<ns>") split into its parts, undefined for other hosts. */
export function parseServiceFqdn(host: string): { service: string; namespace: string } | undefined {
  const m = /^([a-z0-9-]+)\.([a-z0-9-]+)(\.svc(\.cluster\.local)?)?$/.exec(host.toLowerCase());
  return m ? { service: m[1], namespace: m[2] } : undefined;
}
