/**
 * Hop: instance port -> the gateway Service's NodePort. The istio/gateway chart renders its
 * Service from the `service.ports` Helm value (manifests/charts/gateway/templates/service.yaml),
 * so the NodePort is read from the Argo CD Application's `valuesObject`.
 */
import { type DistTree, objectsOf, ref } from './dist-tree';
import { type Hop, refuse } from './hop';

export interface GatewayWorkload {
  readonly namespace: string;
  /** Helm release = ServiceAccount name of the gateway. */
  readonly release: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Port of the gateway Pod the request arrives on. */
  readonly port: number;
  /** `numTrustedProxies` of the gateway's proxy config (pod annotation or mesh default). */
  readonly numTrustedProxies: number;
}

export function evaluateNodePort(tree: DistTree, nodePort: number): { hop: Hop; gateway?: GatewayWorkload } {
  const istiod = objectsOf(tree, 'Application').find((a) => a.spec?.source?.chart === 'istiod');
  const meshDefault = Number(istiod?.spec?.source?.helm?.valuesObject?.meshConfig?.defaultConfig?.gatewayTopology?.numTrustedProxies ?? 0);
  for (const app of objectsOf(tree, 'Application')) {
    const src = app.spec?.source;
    if (src?.chart !== 'gateway') continue;
    const values = src.helm?.valuesObject ?? {};
    const port = (values.service?.ports ?? []).find((p: { nodePort?: number }) => p.nodePort === nodePort);
    if (!port) continue;
    const annotation = values.podAnnotations?.['proxy.istio.io/config'];
    const own = annotation ? (JSON.parse(annotation) as { gatewayTopology?: { numTrustedProxies?: number } }).gatewayTopology?.numTrustedProxies : undefined;
    const gateway: GatewayWorkload = {
      namespace: app.spec.destination.namespace,
      release: src.helm.releaseName,
      labels: values.labels ?? {},
      port: Number(port.targetPort ?? port.port),
      numTrustedProxies: own ?? meshDefault,
    };
    return { hop: { hop: 'NodePort', object: ref(app), detail: `NodePort ${nodePort} -> Service ${gateway.namespace}/${gateway.release} port ${port.port} (${port.name}), numTrustedProxies ${gateway.numTrustedProxies}` }, gateway };
  }
  return { hop: refuse('NodePort', 'Application (istio/gateway)', `no gateway Service exposes NodePort ${nodePort}`, `NodePort ${nodePort}`, 'connection refused') };
}
