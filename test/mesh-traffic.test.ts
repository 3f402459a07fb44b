/**
 * Traffic in and out of the mesh: Sidecars limited to the declared dependencies, resilience per
 * service, ingress routing by host / path / User-Agent, egress through the egress gateway, and
 * mesh-wide telemetry.
 */
import { KUBERNETES_API_EGRESS_HOST, sidecarEgressHosts } from '../charts/mesh/sidecar';
import { EGRESS_GATEWAY, INGRESS_GATEWAY, INGRESS_HTTP_PORT } from '../charts/mesh/gateway-identities';
import { OTEL_COLLECTOR, TRACING_PROVIDER } from '../charts/mesh/telemetry';
import { AURORA_PORT, internalHost, publicHost, serviceHost } from '../platform/naming';
import { LONG_POLL_TIMEOUT_SECONDS } from '../platform/traffic';
import { subnetPlan } from '../platform/network';
import { validateObject } from './support/schema';
import { examplePlatform, type Loose } from './support/example';
import { exampleFiles, objectAt, objectsWhere } from './support/rendered';

const platform = () => examplePlatform();
const env = (name: string) => platform().environments.find((e) => e.name === name)!;
const ISTIO_GROUPS = ['networking.istio.io', 'security.istio.io', 'telemetry.istio.io'];
const EGRESS_GATEWAY_HOST = serviceHost({ namespace: EGRESS_GATEWAY.namespace, service: EGRESS_GATEWAY.name });

/** Add-on Services the mesh refers to by name: the gateways (from their Applications) and the OpenTelemetry Collector. */
function addonServiceHosts(envName: string): Set<string> {
  const gateways = objectsWhere((o, p) => p.startsWith(`${envName}/argocd/children/sre/`) && o.kind === 'Application' && o.spec.source?.chart === 'gateway').map(
    ({ obj }) => `${obj.spec.destination.namespace}/${serviceHost({ namespace: obj.spec.destination.namespace, service: obj.spec.source.helm.releaseName })}`,
  );
  // The collector's add-on belongs to the observability work; the tracing provider names it here.
  return new Set([...gateways, `${OTEL_COLLECTOR.namespace}/${serviceHost(OTEL_COLLECTOR)}`]);
}

/** "<namespace>/<host>" of every rendered Service and ServiceEntry host of one environment. */
function registryHosts(envName: string): Set<string> {
  const services = objectsWhere((o, p) => p.startsWith(`${envName}/namespaces/`) && o.kind === 'Service').map(
    ({ obj }) => `${obj.metadata.namespace}/${serviceHost({ namespace: obj.metadata.namespace, service: obj.metadata.name })}`,
  );
  const entries = objectsWhere((o, p) => p.startsWith(`${envName}/namespaces/`) && o.kind === 'ServiceEntry').flatMap(({ obj }) => obj.spec.hosts.map((h: string) => `${obj.metadata.namespace}/${h}`));
  return new Set([...services, ...entries]);
}

describe('mesh traffic', () => {
  test('every in-mesh namespace running services has a REGISTRY_ONLY Sidecar whose egress is exactly its declared dependencies and the platform hosts', () => {
    for (const e of platform().environments) {
      for (const ns of platform().teams.flatMap((t) => t.namespaces).filter((n) => n.mesh && n.services.length > 0)) {
        const sidecar = objectAt(`${e.name}/namespaces/${ns.name}/sidecar-default.yaml`);
        expect(sidecar.spec.outboundTrafficPolicy).toEqual({ mode: 'REGISTRY_ONLY' });
        expect(sidecar.spec.egress).toEqual([{ hosts: sidecarEgressHosts(platform(), e, ns) }]);
      }
    }
    expect(objectAt('dev/namespaces/pc-bff/sidecar-default.yaml').spec.egress[0].hosts).toEqual([
      'account-service/account-service.account-service.svc.cluster.local',
      // The BFF verifies end-user tokens: its sidecar fetches the JWKS from Keycloak in-cluster.
      'auth-service/keycloak.auth-service.svc.cluster.local',
      'istio-system/*',
      'order-service/order-service.order-service.svc.cluster.local',
      'saga-service/saga-orchestrator.saga-service.svc.cluster.local',
      'shipping-service/shipping-service.shipping-service.svc.cluster.local',
      'tracing-infra/otel-collector.tracing-infra.svc.cluster.local',
    ]);
    expect(objectAt('dev/namespaces/payment-service/sidecar-default.yaml').spec.egress[0].hosts).toEqual([
      'istio-egress/api.payment-provider.example.net',
      'istio-egress/aurora.ec-dev.internal',
      `istio-egress/${EGRESS_GATEWAY_HOST}`,
      'istio-system/*',
      // A Temporal worker of the saga's activities: it long-polls the frontend.
      'saga-service/temporal.saga-service.svc.cluster.local',
      'tracing-infra/otel-collector.tracing-infra.svc.cluster.local',
    ]);
  });

  test('every Sidecar egress host resolves to a rendered Service or ServiceEntry of that namespace, an add-on Service, or istio-system/*', () => {
    for (const e of platform().environments) {
      // A namespace whose service clusters (peerPorts) sees its own namespace: the installer's per-component Services.
      const clustering = examplePlatform().teams.flatMap((t) => t.namespaces.filter((n) => n.services.some((s) => s.peerPorts.length > 0)).map((n) => `${n.name}/*`));
      // The Keycloak Operator's namespace also sees the API server it watches.
      const known = new Set([...registryHosts(e.name), ...addonServiceHosts(e.name), 'istio-system/*', ...clustering, KUBERNETES_API_EGRESS_HOST]);
      for (const { path, obj } of objectsWhere((o, p) => p.startsWith(`${e.name}/`) && o.kind === 'Sidecar')) {
        for (const host of obj.spec.egress.flatMap((eg: Loose) => eg.hosts)) expect({ path, host, resolves: known.has(host) }).toEqual({ path, host, resolves: true });
      }
    }
  });

  test('the gateway namespaces get no Sidecar, which could otherwise narrow a gateway’s view of the mesh', () => {
    for (const ns of [INGRESS_GATEWAY.namespace, EGRESS_GATEWAY.namespace]) {
      expect([...exampleFiles().keys()].filter((p) => p.startsWith(`prd/namespaces/${ns}/sidecar-`))).toEqual([]);
    }
  });

  test('every service has a DestinationRule with the load balancer, connection pool, circuit breaker and Istio mutual TLS of its model', () => {
    for (const team of platform().teams) {
      for (const ns of team.namespaces.filter((n) => n.mesh)) {
        for (const s of ns.services) {
          const dr = objectAt(`prd/namespaces/${ns.name}/destinationrule-${s.name}.yaml`);
          expect(dr.spec).toEqual({
            host: serviceHost({ namespace: ns.name, service: s.name }),
            trafficPolicy: {
              loadBalancer: { simple: s.traffic.loadBalancer },
              connectionPool: { tcp: { maxConnections: s.traffic.maxConnections }, http: { http1MaxPendingRequests: s.traffic.maxPendingRequests } },
              outlierDetection: {
                consecutive5xxErrors: s.traffic.consecutive5xxErrors,
                interval: '10s',
                baseEjectionTime: `${s.traffic.baseEjectionSeconds}s`,
                maxEjectionPercent: s.traffic.maxEjectionPercent,
              },
              tls: { mode: 'ISTIO_MUTUAL' },
            },
          });
        }
      }
    }
  });

  test('every service has a mesh VirtualService with its timeout and retries on each serving port, and none on its metrics port', () => {
    for (const team of platform().teams) {
      for (const ns of team.namespaces.filter((n) => n.mesh)) {
        for (const s of ns.services) {
          const host = serviceHost({ namespace: ns.name, service: s.name });
          const vs = objectAt(`stg/namespaces/${ns.name}/virtualservice-${s.name}.yaml`);
          expect(vs.spec.hosts).toEqual([host]);
          expect(vs.spec.gateways).toEqual(['mesh']);
          // The default route of each port (the last for that port) carries the service's own settings.
          const defaults = vs.spec.http.filter((r: Loose) => r.match[0].sourceNamespace === undefined);
          expect(defaults).toEqual(
            s.ports
              .filter((p) => p.name !== 'http-metrics')
              .map((p) => ({
                name: p.name,
                match: [{ port: p.port }],
                route: [{ destination: { host, port: { number: p.port } } }],
                timeout: `${s.traffic.timeoutSeconds}s`,
                retries: { attempts: s.traffic.retryAttempts, perTryTimeout: `${s.traffic.perTryTimeoutSeconds}s`, retryOn: s.traffic.retryOn },
              })),
          );
        }
      }
    }
  });

  test('a long-poll edge gets its own route, matched on the caller, with the edge timeout and no retries, before the default', () => {
    const vs = objectAt('stg/namespaces/saga-service/virtualservice-temporal.yaml');
    expect(vs.spec.http.find((r: Loose) => r.name === 'grpc-from-saga-service-saga-orchestrator')).toEqual({
      name: 'grpc-from-saga-service-saga-orchestrator',
      match: [{ port: 7233, sourceNamespace: 'saga-service', sourceLabels: { 'app.kubernetes.io/name': 'saga-orchestrator' } }],
      route: [{ destination: { host: 'temporal.saga-service.svc.cluster.local', port: { number: 7233 } } }],
      timeout: `${LONG_POLL_TIMEOUT_SECONDS}s`,
      retries: { attempts: 0 },
    });
    // Every caller route comes before the default one.
    expect(vs.spec.http.at(-1).name).toBe('grpc');
    expect(vs.spec.http.slice(0, -1).every((r: Loose) => r.match[0].sourceNamespace !== undefined)).toBe(true);
    // Only edges whose settings differ from the target's get a route of their own.
    const callerRoutes = objectsWhere((o, p) => p.startsWith('stg/namespaces/') && o.kind === 'VirtualService').flatMap(({ obj }) =>
      (obj.spec.http ?? []).filter((r: Loose) => r.match?.[0]?.sourceNamespace !== undefined).map((r: Loose) => r.name),
    );
    // The orchestrator and the activity workers, all long-polling the Temporal frontend.
    expect(callerRoutes.sort()).toEqual(['grpc-from-order-service-order-service', 'grpc-from-payment-service-payment-service', 'grpc-from-saga-service-saga-orchestrator', 'grpc-from-shipping-service-shipping-service']);
  });

  test('every VirtualService destination is a rendered Service, the egress gateway Service, or a declared external host', () => {
    for (const e of platform().environments) {
      const services = new Set(objectsWhere((o, p) => p.startsWith(`${e.name}/namespaces/`) && o.kind === 'Service').map(({ obj }) => serviceHost({ namespace: obj.metadata.namespace, service: obj.metadata.name })));
      const external = new Set(objectsWhere((o, p) => p.startsWith(`${e.name}/namespaces/`) && o.kind === 'ServiceEntry').flatMap(({ obj }) => obj.spec.hosts as string[]));
      const vss = objectsWhere((o, p) => p.startsWith(`${e.name}/`) && o.kind === 'VirtualService');
      expect(vss.length).toBeGreaterThan(0);
      for (const { path, obj } of vss) {
        const routes = [...(obj.spec.http ?? []), ...(obj.spec.tls ?? []), ...(obj.spec.tcp ?? [])].flatMap((r: Loose) => r.route);
        for (const { destination } of routes) {
          const resolves = services.has(destination.host) || destination.host === EGRESS_GATEWAY_HOST || external.has(destination.host);
          expect({ path, host: destination.host, resolves }).toEqual({ path, host: destination.host, resolves: true });
          // A Service destination names a port that Service has.
          if (services.has(destination.host)) {
            const [name, ns] = destination.host.split('.');
            const ports = objectAt(`${e.name}/namespaces/${ns}/service-${name}.yaml`).spec.ports.map((p: Loose) => p.port);
            expect(ports).toContain(destination.port.number);
          }
        }
      }
    }
  });

  test('on the web host, smartphone User-Agent routes come before the fallback of the same path, and longer path prefixes first', () => {
    const web = objectAt('dev/namespaces/istio-ingress/virtualservice-public-web.yaml');
    expect(web.spec.hosts).toEqual([publicHost(env('dev'), 'web')]);
    const order = web.spec.http.map((r: Loose) => [r.match[0].uri.prefix, r.match[0].headers?.['user-agent']?.regex ?? null, r.route[0].destination.host]);
    const ua = '.*(iPhone|iPad|Android|Mobile).*';
    expect(order).toEqual([
      // Only the realms' public endpoints: the admin console is not routed on the public host.
      ['/auth/realms/staff/', null, 'keycloak.auth-service.svc.cluster.local'],
      ['/auth/realms/shop/', null, 'keycloak.auth-service.svc.cluster.local'],
      ['/auth/resources/', null, 'keycloak.auth-service.svc.cluster.local'],
      ['/api/', ua, 'sp-bff.sp-bff.svc.cluster.local'],
      ['/api/', null, 'pc-bff.pc-bff.svc.cluster.local'],
      ['/', ua, 'sp-frontend.sp-frontend.svc.cluster.local'],
      ['/', null, 'pc-frontend.pc-frontend.svc.cluster.local'],
    ]);
    // The route without a User-Agent is the last one for its path: the PC fallback.
    for (const prefix of ['/api/', '/']) {
      const forPrefix = order.filter(([p]: string[]) => p === prefix);
      expect(forPrefix[forPrefix.length - 1][1]).toBeNull();
    }
  });

  test('the partner API host routes by Host to the partner BFF, and internal hosts reach their tools through the internal Gateway', () => {
    const api = objectAt('prd/namespaces/istio-ingress/virtualservice-public-api.yaml');
    expect(api.spec).toMatchObject({ hosts: [publicHost(env('prd'), 'api')], gateways: ['istio-ingress/public-api'] });
    expect(api.spec.http.map((r: Loose) => r.route[0].destination)).toEqual([{ host: 'partner-bff.partner-bff.svc.cluster.local', port: { number: 8080 } }]);
    for (const [sub, host] of [
      ['keycloak', 'keycloak.auth-service.svc.cluster.local'],
      ['temporal', 'temporal-ui.saga-service.svc.cluster.local'],
    ]) {
      const vs = objectAt(`prd/namespaces/istio-ingress/virtualservice-internal-${sub}.yaml`);
      expect(vs.spec).toMatchObject({ hosts: [internalHost(env('prd'), sub)], gateways: ['istio-ingress/internal'] });
      expect(vs.spec.http[0].route[0].destination.host).toBe(host);
    }
  });

  test('ingress Gateways select the ingress gateway, serve plain HTTP behind the ALB (GRPC-Web where they route to a gRPC BFF), and bind only VirtualServices of their own namespace', () => {
    const prd = env('prd');
    const expected: Record<string, [string[], string]> = {
      'public-web': [[publicHost(prd, 'web')], 'GRPC-Web'],
      'public-api': [[publicHost(prd, 'api')], 'GRPC-Web'],
      internal: [[internalHost(prd, 'keycloak'), internalHost(prd, 'temporal')], 'HTTP'],
    };
    for (const [name, [hosts, protocol]] of Object.entries(expected)) {
      const gw = objectAt(`prd/namespaces/istio-ingress/gateway-${name}.yaml`);
      expect(gw.spec).toEqual({ selector: INGRESS_GATEWAY.selector, servers: [{ port: { number: INGRESS_HTTP_PORT, name: 'http', protocol }, hosts: hosts.map((h) => `./${h}`) }] });
    }
    for (const { obj } of objectsWhere((o, p) => p.startsWith('prd/namespaces/istio-ingress/') && o.kind === 'VirtualService')) expect(obj.spec.exportTo).toEqual(['.']);
  });

  test('declared external hosts get a MESH_EXTERNAL TLS ServiceEntry exported only to their callers, routed through the egress gateway by SNI', () => {
    const se = objectAt('dev/namespaces/istio-egress/serviceentry-external-api-payment-provider-example-net.yaml');
    expect(se.spec).toEqual({
      hosts: ['api.payment-provider.example.net'],
      location: 'MESH_EXTERNAL',
      resolution: 'DNS',
      ports: [{ number: 443, name: 'tls-443', protocol: 'TLS' }],
      exportTo: ['.', 'payment-service'],
    });
    const gw = objectAt('dev/namespaces/istio-egress/gateway-istio-egressgateway.yaml');
    expect(gw.spec.selector).toEqual(EGRESS_GATEWAY.selector);
    // One ISTIO_MUTUAL server per host: the sidecar's mesh TLS (SNI = the host) carries its identity.
    expect(gw.spec.servers).toContainEqual({ port: { number: 443, name: 'tls-443-api-payment-provider-example-net', protocol: 'TLS' }, hosts: ['./api.payment-provider.example.net'], tls: { mode: 'ISTIO_MUTUAL' } });
    for (const server of gw.spec.servers) expect(server.tls).toEqual({ mode: 'ISTIO_MUTUAL' });
    const dr = objectAt('dev/namespaces/istio-egress/destinationrule-istio-egressgateway.yaml');
    expect(dr.spec.exportTo).toEqual(['.', 'account-service', 'auth-service', 'payment-service', 'pc-frontend', 'sp-frontend']);
    expect(dr.spec.subsets).toContainEqual({
      name: 'external-api-payment-provider-example-net',
      trafficPolicy: { portLevelSettings: [{ port: { number: 443 }, tls: { mode: 'ISTIO_MUTUAL', sni: 'api.payment-provider.example.net' } }] },
    });
    const vs = objectAt('dev/namespaces/istio-egress/virtualservice-external-api-payment-provider-example-net.yaml');
    expect(vs.spec.gateways).toEqual(['mesh', 'istio-egress/istio-egressgateway']);
    expect(vs.spec.exportTo).toEqual(['.', 'payment-service']);
    expect(vs.spec.tls).toEqual([
      {
        match: [{ gateways: ['mesh'], port: 443, sniHosts: ['api.payment-provider.example.net'] }],
        route: [{ destination: { host: EGRESS_GATEWAY_HOST, subset: 'external-api-payment-provider-example-net', port: { number: 443 } } }],
      },
    ]);
    expect(vs.spec.tcp).toEqual([
      { match: [{ gateways: ['istio-egress/istio-egressgateway'], port: 443 }], route: [{ destination: { host: 'api.payment-provider.example.net', port: { number: 443 } }, weight: 100 }] },
    ]);
  });

  test('a service with AWS grants reaches the AWS APIs of its grants (and STS for its role) through the egress gateway, and nothing else of AWS', () => {
    const hosts = (ns: string) => objectAt(`prd/namespaces/${ns}/sidecar-default.yaml`).spec.egress[0].hosts.filter((h: string) => h.endsWith('.amazonaws.com'));
    expect(hosts('account-service')).toEqual(['istio-egress/email.ap-northeast-1.amazonaws.com', 'istio-egress/sts.ap-northeast-1.amazonaws.com']);
    expect(hosts('pc-frontend')).toEqual(['istio-egress/cloudfront.amazonaws.com', 'istio-egress/ssm.ap-northeast-1.amazonaws.com', 'istio-egress/sts.ap-northeast-1.amazonaws.com']);
    expect(hosts('order-service')).toEqual([]);
    const sts = objectAt('prd/namespaces/istio-egress/serviceentry-external-sts-ap-northeast-1-amazonaws-com.yaml');
    expect(sts.spec).toMatchObject({ hosts: ['sts.ap-northeast-1.amazonaws.com'], location: 'MESH_EXTERNAL', resolution: 'DNS', exportTo: ['.', 'account-service', 'pc-frontend', 'sp-frontend'] });
    expect(objectAt('prd/namespaces/istio-egress/virtualservice-external-sts-ap-northeast-1-amazonaws-com.yaml').spec.tls[0].route[0].destination.host).toBe(EGRESS_GATEWAY_HOST);
  });

  test('the Aurora ServiceEntry covers the database subnets on the MySQL port and is exported only to namespaces whose services own a schema', () => {
    for (const e of platform().environments) {
      const aurora = objectAt(`${e.name}/namespaces/istio-egress/serviceentry-aurora.yaml`);
      const withDb = platform().teams.flatMap((t) => t.namespaces).filter((n) => n.mesh && n.services.some((s) => s.database)).map((n) => n.name).sort();
      expect(aurora.spec).toEqual({
        hosts: [`aurora.ec-${e.name}.internal`],
        addresses: subnetPlan(e.vpcCidr, e.availabilityZones.length).database,
        location: 'MESH_EXTERNAL',
        resolution: 'NONE',
        ports: [{ number: AURORA_PORT, name: 'tcp-mysql', protocol: 'TCP' }],
        exportTo: withDb,
      });
      expect(withDb).toEqual(['account-service', 'auth-service', 'order-service', 'payment-service', 'saga-service', 'shipping-service']);
    }
  });

  test('mesh-wide Telemetry writes Envoy access logs and sends traces to the provider istiod defines', () => {
    const telemetry = objectAt('prd/namespaces/istio-system/telemetry-mesh-default.yaml');
    expect(telemetry.spec).toEqual({ accessLogging: [{ providers: [{ name: 'envoy' }] }], tracing: [{ providers: [{ name: TRACING_PROVIDER }], randomSamplingPercentage: 10 }] });
    const istiod = objectAt('prd/argocd/children/sre/application-addon-istiod.yaml').spec.source.helm.valuesObject;
    expect(istiod.meshConfig.extensionProviders).toEqual([{ name: TRACING_PROVIDER, opentelemetry: { service: 'otel-collector.tracing-infra.svc.cluster.local', port: 4317 } }]);
  });

  test('every rendered Istio object validates against the pinned Istio CRDs and carries the namespace of its folder', () => {
    const istio = objectsWhere((o) => ISTIO_GROUPS.includes(String(o.apiVersion).split('/')[0]));
    expect(istio.length).toBeGreaterThan(100);
    for (const { path, obj } of istio) {
      expect({ path, errors: validateObject(obj) }).toEqual({ path, errors: [] });
      expect(obj.metadata.namespace).toBe(path.split('/')[2]);
      expect(obj.metadata.annotations['argocd.argoproj.io/sync-options']).toBe('SkipDryRunOnMissingResource=true');
    }
  });
});
