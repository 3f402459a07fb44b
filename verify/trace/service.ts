/**
 * Hop: the Kubernetes `Service` a destination host names, its port, and the workload behind it
 * (the Deployment whose Pod labels the Service selector matches: kube-proxy/EndpointSlice
 * semantics, kubernetes.io/docs/concepts/services-networking/service/).
 */
import { type DistTree, objectNamed, parseServiceFqdn, ref } from './dist-tree';
import { podTemplateNamed, podTemplatesIn } from './installer-workloads';
import { selects } from './gateway';
import { type Hop, refuse, type Workload } from './hop';

export interface ServiceTarget {
  readonly hop: Hop;
  readonly workload?: Workload;
  /** Target (container) port and the Service port's appProtocol. */
  readonly targetPort?: number;
  readonly appProtocol?: string;
}

/** The workload of a Pod template (a Deployment or an installer's): its Pod labels, ServiceAccount principal and whether it is injected. */
export function workloadOf(tree: DistTree, namespace: string, name: string): Workload | undefined {
  const t = podTemplateNamed(tree, namespace, name);
  if (!t) return undefined;
  return { namespace, name: t.service, labels: t.labels, principal: `cluster.local/ns/${namespace}/sa/${t.serviceAccountName}`, inMesh: namespaceInMesh(tree, namespace) };
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
  const selected = podTemplatesIn(tree, fq.namespace).filter((t) => selects(svc.spec?.selector, t.labels));
  if (selected.length === 0) return { hop: refuse('Service', ref(svc), 'the selector matches no rendered workload', `${ref(svc)} spec.selector`, '503') };
  // A headless Service (clusterIP: None) resolves to every selected Pod: peers address each other
  // directly (clustering), so several workloads behind one selector is the point, not a fault.
  if (selected.length > 1 && svc.spec?.clusterIP !== 'None') {
    return { hop: refuse('Service', ref(svc), `the selector matches the Pods of several workloads (${selected.map((t) => t.name).join(', ')}): requests would be spread over Pods that may not serve port ${port}`, `${ref(svc)} spec.selector`, '503 (some requests)') };
  }
  const [template] = selected;
  const targetPort = typeof p.targetPort === 'number' ? p.targetPort : Number(p.targetPort ?? p.port) || Number(p.port);
  return {
    hop: { hop: 'Service', object: ref(svc), detail: `port ${port} (${p.name}, appProtocol ${p.appProtocol ?? '-'}) -> ${template.createdBy} ${template.name} :${targetPort}` },
    workload: workloadOf(tree, fq.namespace, template.name),
    targetPort,
    appProtocol: p.appProtocol,
  };
}
