/**
 * The Istio add-ons: upstream charts at one pinned version, installed in order, configured from the
 * model (NodePorts, node group, tracing provider), and naming the gateways the mesh objects use.
 */
import { EGRESS_GATEWAY, gatewayPrincipal, INGRESS_GATEWAY, istioIngressStatusNodePort } from '../charts/mesh/gateway-identities';
import { SYNC_WAVE } from '../charts/sync-options';
import { SYSTEM_NODE_LABELS, SYSTEM_NODE_TAINT } from '../platform/naming';
import { examplePlatform, type Loose } from './support/example';
import { objectAt, objectsWhere } from './support/rendered';

const ISTIO_ADDONS = ['istio-base', 'istio-cni', 'istiod', 'istio-ingressgateway', 'istio-egressgateway'];
const addon = (env: string, name: string): Loose => objectAt(`${env}/argocd/children/sre/application-addon-${name}.yaml`);
const values = (env: string, name: string): Loose => addon(env, name).spec.source.helm.valuesObject;
const wave = (app: Loose) => Number(app.metadata.annotations['argocd.argoproj.io/sync-wave']);
const SYSTEM_TOLERATION = { key: SYSTEM_NODE_TAINT.key, operator: 'Equal', value: SYSTEM_NODE_TAINT.value, effect: SYSTEM_NODE_TAINT.effect };

describe('Istio add-ons', () => {
  test('every Istio chart comes from the Istio release repository at the one pinned version', () => {
    const apps = objectsWhere((o, p) => p.startsWith('prd/argocd/children/sre/') && o.kind === 'Application' && o.spec.source?.repoURL === 'https://istio-release.storage.googleapis.com/charts');
    expect(apps.map(({ obj }) => obj.metadata.name.replace(/^addon-/, '')).sort()).toEqual([...ISTIO_ADDONS].sort());
    for (const { obj } of apps) {
      expect(obj.spec.source.targetRevision).toBe('1.30.3');
      expect(obj.spec.project).toBe('sre-addons');
    }
    expect(Object.fromEntries(ISTIO_ADDONS.map((n) => [n, addon('prd', n).spec.source.chart]))).toEqual({
      'istio-base': 'base',
      'istio-cni': 'cni',
      istiod: 'istiod',
      'istio-ingressgateway': 'gateway',
      'istio-egressgateway': 'gateway',
    });
  });

  test('the CRDs install first, then the CNI agent and istiod, then the gateways', () => {
    expect(wave(addon('dev', 'istio-base'))).toBe(SYNC_WAVE.crds);
    expect(wave(addon('dev', 'istio-cni'))).toBe(SYNC_WAVE.operators);
    expect(wave(addon('dev', 'istiod'))).toBe(SYNC_WAVE.operators);
    for (const gw of ['istio-ingressgateway', 'istio-egressgateway']) expect(wave(addon('dev', gw))).toBeGreaterThan(SYNC_WAVE.operators);
    expect(addon('dev', 'istio-base').spec.syncPolicy.syncOptions).toContain('ServerSideApply=true');
  });

  test('the ingress gateway’s HTTP NodePort is platform.nodePorts.istioIngressHttp and its status port has the model’s fixed status NodePort', () => {
    const platform = examplePlatform();
    for (const env of platform.environments) {
      const service = values(env.name, 'istio-ingressgateway').service;
      expect(service.type).toBe('NodePort');
      const http = service.ports.find((p: Loose) => p.name === 'http2');
      expect(http).toEqual({ name: 'http2', port: 80, targetPort: 80, protocol: 'TCP', nodePort: platform.nodePorts.istioIngressHttp });
      const status = service.ports.find((p: Loose) => p.name === 'status-port');
      expect(status).toEqual({ name: 'status-port', port: 15021, targetPort: 15021, protocol: 'TCP', nodePort: istioIngressStatusNodePort(platform) });
    }
    expect(istioIngressStatusNodePort(platform)).toBe(platform.nodePorts.istioIngressStatus);
  });

  test('istiod and both gateways run on the managed node group, at least two replicas each', () => {
    const istiod = values('dev', 'istiod').pilot;
    expect(istiod.nodeSelector).toEqual(SYSTEM_NODE_LABELS);
    expect(istiod.tolerations).toEqual([SYSTEM_TOLERATION]);
    expect(istiod.autoscaleMin).toBeGreaterThanOrEqual(2);
    for (const gw of ['istio-ingressgateway', 'istio-egressgateway']) {
      const v = values('dev', gw);
      expect(v.nodeSelector).toEqual(SYSTEM_NODE_LABELS);
      expect(v.tolerations).toEqual([SYSTEM_TOLERATION]);
      expect(v.autoscaling.minReplicas).toBeGreaterThanOrEqual(2);
      expect(v.podDisruptionBudget).toEqual({ minAvailable: 1 });
    }
  });

  test('istiod uses the CNI plugin and sets REGISTRY_ONLY egress, proxy-first startup, access logs and the OpenTelemetry tracing provider', () => {
    const v = values('stg', 'istiod');
    expect(v.pilot.cni).toEqual({ enabled: true });
    expect(v.meshConfig).toMatchObject({
      trustDomain: 'cluster.local',
      accessLogFile: '/dev/stdout',
      outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' },
      defaultConfig: { holdApplicationUntilProxyStarts: true },
      extensionProviders: [{ name: 'otel-tracing', opentelemetry: { service: 'otel-collector.tracing-infra.svc.cluster.local', port: 4317 } }],
    });
  });

  test('injected sidecars keep a Guaranteed Pod Guaranteed: proxy requests equal limits', () => {
    const { resources } = values('prd', 'istiod').global.proxy;
    expect(resources.requests).toEqual(resources.limits);
  });

  test('the gateway releases, Pod labels and principals come from one place, and the Gateway resources select those labels', () => {
    for (const gw of [INGRESS_GATEWAY, EGRESS_GATEWAY]) {
      const app = addon('prd', gw.name);
      expect(app.spec.destination.namespace).toBe(gw.namespace);
      expect(app.spec.source.helm.releaseName).toBe(gw.name);
      expect(app.spec.source.helm.valuesObject.labels).toEqual(gw.selector);
      // The chart names the ServiceAccount after the release, which is what the principal says.
      expect(gatewayPrincipal(gw)).toBe(`cluster.local/ns/${app.spec.destination.namespace}/sa/${app.spec.source.helm.releaseName}`);
    }
    for (const { obj } of objectsWhere((o, p) => p.startsWith('prd/') && o.kind === 'Gateway')) {
      // A Gateway resource lives beside the gateway Pods it configures.
      const owner = [INGRESS_GATEWAY, EGRESS_GATEWAY].find((g) => JSON.stringify(g.selector) === JSON.stringify(obj.spec.selector));
      expect(owner?.namespace).toBe(obj.metadata.namespace);
    }
  });

  test('the egress gateway is cluster-internal and listens on every declared external port', () => {
    const service = values('dev', 'istio-egressgateway').service;
    expect(service.type).toBe('ClusterIP');
    const declared = examplePlatform().teams.flatMap((t) => t.namespaces.flatMap((n) => n.services.flatMap((s) => s.dependencies.flatMap((d) => ('external' in d ? [d.port] : [])))));
    for (const port of declared) expect(service.ports.map((p: Loose) => p.port)).toContain(port);
  });

  test('gateway Pods pass the restricted Pod Security level: RuntimeDefault seccomp and only the safe unprivileged-port sysctl', () => {
    for (const gw of ['istio-ingressgateway', 'istio-egressgateway']) {
      expect(values('prd', gw).securityContext).toEqual({ seccompProfile: { type: 'RuntimeDefault' }, sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }] });
    }
  });
});
