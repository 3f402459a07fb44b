/**
 * Hop: the Kubernetes `Service` a destination host names, its port, and the workload behind it
 * (the Deployment whose Pod labels the Service selector matches: kube-proxy/EndpointSlice
 * semantics, kubernetes.io/docs/concepts/services-networking/service/).
 */
import { type DistTree, objectNamed, objectsIn, parseServiceFqdn, ref } from './dist-tree';
import { selects } from './gateway';
import { type Hop, refuse, type Workload } from './hop';

export interface ServiceTarget {
  readonly hop: Hop;
  readonly workload?: Workload;
  /** Target (container) port and the Service port's appProtocol. */
  readonly targetPort?: number;
  readonly appProtocol?: string;
}

/** The workload of a Deployment: its Pod labels, ServiceAccount principal and whether it is injected. */
export function workloadOf(tree: DistTree, namespace: string, name: string): Workload | undefined {
  const d = objectNamed(tree, 'Deployment', namespace, name);
  if (!d) return undefined;
  const labels = d.spec?.template?.metadata?.labels ?? {};
  return { namespace, name, labels, principal: `cluster.local/ns/${namespace}/sa/${d.spec?.template?.spec?.serviceAccountName ?? 'default'}`, inMesh: namespaceInMesh(tree, namespace) };
}

/** A namespace is in the mesh when its Namespace object enables injection (istio-injection=enabled or istio.io/rev). */
export function namespaceInMesh(tree: DistTree, namespace: string): boolean {
  const ns = objectNamed(tree, 'Namespace', '', namespace);
  const l = ns?.metadata.labels ?? {};
  return l['istio-injection'] === 'enabled' || l['istio.io/rev'] !== undefined;
}

export function evaluateService(tree: DistTree, host: string, port: number): ServiceTarget {
  const fq = parseServiceFqdn(host);
  const svc = fq ? objectNamed(tree, 'Service', fq.namespace, fq.service) : undefined;
  if (!fq || !svc) return { hop: refuse('Service', host, `no Service ${host} is rendered`, 'Service', '503 (no healthy upstream)') };
  const p = (svc.spec?.ports ?? []).find((x: { port: number }) => Number(x.port) === port);
  if (!p) return { hop: refuse('Service', ref(svc), `Service has no port ${port} (ports ${(svc.spec?.ports ?? []).map((x: { port: number }) => x.port).join(',')})`, `${ref(svc)} spec.ports`, '503') };
  const deployment = objectsIn(tree, 'Deployment', fq.namespace).find((d) => selects(svc.spec?.selector, d.spec?.template?.metadata?.labels ?? {}));
  if (!deployment) return { hop: refuse('Service', ref(svc), 'the selector matches no rendered workload', `${ref(svc)} spec.selector`, '503') };
  const targetPort = typeof p.targetPort === 'number' ? p.targetPort : Number(p.targetPort ?? p.port) || Number(p.port);
  return {
    hop: { hop: 'Service', object: ref(svc), detail: `port ${port} (${p.name}, appProtocol ${p.appProtocol ?? '-'}) -> Deployment ${deployment.metadata.name} :${targetPort}` },
    workload: workloadOf(tree, fq.namespace, deployment.metadata.name),
    targetPort,
    appProtocol: p.appProtocol,
  };
}
