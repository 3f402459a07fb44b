/**
 * The example platform, traced through the committed dist/: every declared route and edge
 * reaches its backend, undeclared ones are refused at the documented hop, and the defects of
 * issue 8 stay fixed. Requests come from the model (test/support/trace-expectations.ts); the
 * tracer reads only the rendered files.
 */
import { loadPlatform } from '../platform/load';
import { internalHost, keycloakIssuer, publicHost, serviceHost } from '../platform/naming';
import { edgeTraffic } from '../platform/traffic';
import { evaluateNetworkEgress, evaluateNetworkIngress, fakeJwt, formatTrace, loadDistTree, traceRequest, type DistTree } from '../verify/trace';
import { declaredEdgeCases, hookJobCases, nonMeshCases, publicRouteCases, type TraceCase, tokenHeader, undeclaredEdgeCases, undeclaredExternalCases } from './support/trace-expectations';

const platform = loadPlatform();
const trees = new Map<string, DistTree>();
const tree = (env: string): DistTree => trees.get(env) ?? trees.set(env, loadDistTree(env)).get(env)!;
const envs = platform.environments.map((e) => [e.name, e] as const);

function outcome(env: string, c: TraceCase) {
  const r = traceRequest(tree(env), c.method, c.url, c.headers, { from: c.from });
  return { reached: r.reached, backend: r.backend, refusedAt: r.refusedAt?.hop, trace: formatTrace(r), r };
}

describe.each(envs)('%s', (envName, env) => {
  it.each(publicRouteCases(platform, env).map((c) => [c.name, c] as const))('public route %s reaches its backend', (_n, c) => {
    const o = outcome(envName, c);
    expect({ backend: o.backend, trace: o.reached ? '' : o.trace }).toEqual({ backend: c.reach, trace: '' });
  });

  it.each(declaredEdgeCases(platform, env).map((c) => [c.name, c] as const))('declared edge %s is allowed', (_n, c) => {
    const o = outcome(envName, c);
    expect({ backend: o.backend, trace: o.reached ? '' : o.trace }).toEqual({ backend: c.reach, trace: '' });
  });

  it.each([...undeclaredEdgeCases(platform), ...undeclaredExternalCases(platform)].map((c) => [c.name, c] as const))('%s is refused at the documented hop', (_n, c) => {
    const o = outcome(envName, c);
    expect({ reached: o.reached, refusedAt: o.refusedAt }).toEqual({ reached: false, refusedAt: c.refuseAt });
  });

  it.each([...nonMeshCases(platform), ...hookJobCases(platform)].map((c) => [c.name, c] as const))('NetworkPolicy: %s', (_n, c) => {
    const o = outcome(envName, c);
    if (c.reach) expect({ backend: o.backend, trace: o.reached ? '' : o.trace }).toEqual({ backend: c.reach, trace: '' });
    else expect({ reached: o.reached, refusedAt: o.refusedAt }).toEqual({ reached: false, refusedAt: c.refuseAt });
  });
});

describe('defects of the request path (dev)', () => {
  const env = platform.environments.find((e) => e.name === 'dev')!;
  const web = publicHost(env, 'web');
  const token = tokenHeader(platform, env);

  it('a browser gRPC-Web call under /api/ reaches the gRPC microservice with the path its server expects', () => {
    const r = traceRequest(tree('dev'), 'POST', `https://${web}/api/shop.order.v1.OrderService/PlaceOrder`, ['content-type: application/grpc-web+proto', token]);
    expect(r.backend).toBe('order-service/order-service');
    expect(r.path).toEqual(['istio-ingress/istio-ingressgateway', 'pc-bff/pc-bff', 'order-service/order-service']);
    const nginx = r.hops.find((h) => h.hop === 'Nginx');
    expect(nginx?.detail).toMatch(/location \/shop\.order\.v1\.OrderService\/ -> grpc_pass .* path \/shop\.order\.v1\.OrderService\/PlaceOrder/);
  });

  it('the ingress gateway trusts the ALB, so the backend sees X-Forwarded-Proto https', () => {
    const r = traceRequest(tree('dev'), 'GET', `https://${web}/index.html`);
    expect(r.hops.find((h) => h.hop === 'Forwarded headers')?.detail).toMatch(/^X-Forwarded-Proto: https/);
  });

  it('a token of the fixed Keycloak issuer is accepted and one of any other issuer is refused with 401', () => {
    const ok = traceRequest(tree('dev'), 'POST', `https://${web}/api/shop.account.v1.AccountService/Get`, [token]);
    expect(ok.backend).toBe('account-service/account-service');
    const other = traceRequest(tree('dev'), 'POST', `https://${web}/api/shop.account.v1.AccountService/Get`, [`authorization: Bearer ${fakeJwt({ iss: `http://${web}/auth/realms/shop`, sub: 'u' })}`]);
    expect(other.refusedAt?.hop).toBe('RequestAuthentication');
    expect(other.refusedAt?.refused?.status).toBe('401');
  });

  it('every token-consuming workload fetches the JWKS from the in-cluster Keycloak Service, not the public host', () => {
    for (const from of ['pc-bff/pc-bff', 'order-service/order-service', 'account-service/account-service']) {
      const r = traceRequest(tree('dev'), 'GET', `http://${serviceHost({ namespace: 'auth-service', service: 'keycloak' })}:8080/auth/realms/shop/protocol/openid-connect/certs`, [], { from });
      expect({ from, backend: r.backend, trace: r.reached ? '' : formatTrace(r) }).toEqual({ from, backend: 'auth-service/keycloak', trace: '' });
      const ra = traceRequest(tree('dev'), 'POST', `https://${web}/api/shop.order.v1.OrderService/Get`, [token]).hops.filter((h) => h.hop === 'RequestAuthentication');
      for (const h of ra) expect(h.detail).toContain(`JWKS http://keycloak.auth-service.svc.cluster.local:8080/auth/realms/shop/protocol/openid-connect/certs`);
    }
  });

  it('each microservice behind a BFF verifies the forwarded token itself', () => {
    const r = traceRequest(tree('dev'), 'POST', `https://${web}/api/shop.shipping.v1.ShippingService/Track`, [token]);
    const verified = r.hops.filter((h) => h.hop === 'RequestAuthentication').map((h) => h.object);
    expect(verified).toEqual(['RequestAuthentication pc-bff/pc-bff-jwt', 'RequestAuthentication shipping-service/shipping-service-jwt']);
    const noToken = traceRequest(tree('dev'), 'POST', 'grpc://shipping-service.shipping-service.svc.cluster.local:50051/shop.shipping.v1.ShippingService/Track', [], { from: 'pc-bff/pc-bff' });
    expect(noToken.refusedAt?.hop).toBe('AuthorizationPolicy');
  });

  it('the Keycloak admin console is not public, but is served on the internal host', () => {
    const pub = traceRequest(tree('dev'), 'GET', `https://${web}/auth/admin/master/console/`);
    // Not routed to Keycloak: it falls through to the site's catch-all route (the SPA).
    expect(pub.path).not.toContain('auth-service/keycloak');
    expect(pub.backend).toBe('pc-frontend/pc-frontend');
    const internal = traceRequest(tree('dev'), 'GET', `https://${internalHost(env, 'keycloak')}/auth/admin/master/console/`);
    expect(internal.backend).toBe('auth-service/keycloak');
    const realm = traceRequest(tree('dev'), 'GET', `https://${web}/auth/realms/shop/.well-known/openid-configuration`);
    expect(realm.backend).toBe('auth-service/keycloak');
  });

  it('clustered tools reach their replicas on every declared peer port', () => {
    for (const [from, host, port] of [['auth-service/keycloak', 'keycloak-peers.auth-service', 7800], ['saga-service/temporal', 'temporal-peers.saga-service', 6933], ['saga-service/temporal', 'temporal-peers.saga-service', 7234]] as const) {
      const r = traceRequest(tree('dev'), 'CONNECT', `tcp://${host}.svc.cluster.local:${port}`, [], { from });
      expect({ port, backend: r.backend, trace: r.reached ? '' : formatTrace(r) }).toEqual({ port, backend: from, trace: '' });
    }
  });

  it('a Temporal worker long poll gets the edge timeout, not the 5 s default', () => {
    const saga = platform.teams.flatMap((t) => t.namespaces).flatMap((n) => n.services).find((s) => s.name === 'saga-orchestrator')!;
    const temporal = platform.teams.flatMap((t) => t.namespaces).flatMap((n) => n.services).find((s) => s.name === 'temporal')!;
    const dep = saga.dependencies.find((d) => 'service' in d && d.service === 'saga-service/temporal')!;
    const expected = edgeTraffic(dep as never, temporal).timeoutSeconds;
    expect(expected).toBeGreaterThanOrEqual(60);
    const r = traceRequest(tree('dev'), 'POST', 'grpc://temporal.saga-service.svc.cluster.local:7233/temporal.api.workflowservice.v1.WorkflowService/PollWorkflowTaskQueue', [], { from: 'saga-service/saga-orchestrator' });
    expect(r.backend).toBe('saga-service/temporal');
    expect(r.routeTimeouts).toEqual([`${expected}s`]);
    expect(r.hops.find((h) => h.hop === 'VirtualService')?.detail).toMatch(/retries 0|attempts 0|timeout 90s/);
  });

  it('egress to an external host carries the caller identity to the egress gateway', () => {
    const r = traceRequest(tree('dev'), 'GET', 'https://api.payment-provider.example.net/', [], { from: 'payment-service/payment-service' });
    expect(r.backend).toBe('api.payment-provider.example.net');
    expect(r.hops.find((h) => h.hop === 'Gateway')?.detail).toMatch(/tls ISTIO_MUTUAL .*caller identity cluster\.local\/ns\/payment-service\/sa\/payment-service/);
    expect(r.hops.find((h) => h.hop === 'AuthorizationPolicy')?.detail).toMatch(/ALLOW rule \d+ admits cluster\.local\/ns\/payment-service\/sa\/payment-service/);
  });

  it('a Pod outside the mesh cannot reach an in-mesh service: its default-deny egress refuses it first', () => {
    const r = traceRequest(tree('dev'), 'POST', 'grpc://order-service.order-service.svc.cluster.local:50051/shop.order.v1.OrderService/Get', [], { from: 'karpenter-infra/' });
    expect(r.refusedAt?.hop).toBe('NetworkPolicy egress');
    expect(r.refusedAt?.refused?.rule).toMatch(/default-deny/);
  });

  it('a non-mesh Pod whose egress admits the callee still meets STRICT mTLS there', () => {
    // Prometheus may connect to every namespace (it scrapes them), but carries no mesh identity as a client.
    const prometheus = { namespace: 'monitoring-infra', labels: { 'app.kubernetes.io/name': 'prometheus' } };
    expect(evaluateNetworkEgress(tree('dev'), prometheus, { namespace: 'order-service' }, 50051)?.refused).toBeUndefined();
    expect(evaluateNetworkEgress(tree('dev'), { namespace: 'monitoring-infra', labels: { 'app.kubernetes.io/name': 'grafana' } }, { namespace: 'order-service' }, 50051)?.refused).toBeDefined();
  });

  it('a hook Job cannot reach an internet host directly; the hop names its own policy', () => {
    const r = traceRequest(tree('dev'), 'GET', 'https://api.payment-provider.example.net/', [], { from: 'payment-service/payment-service-migrate' });
    expect(r.refusedAt?.hop).toBe('NetworkPolicy egress');
    expect(r.refusedAt?.object).toBe('NetworkPolicy payment-service/payment-service-migrate-egress');
  });

  it('an ipBlock of the Pod subnets admits any Pod as a source (VPC CNI Pod addresses), which is why webhook ports are the only ones it opens', () => {
    const controller = { namespace: 'ingress-infra', labels: { 'app.kubernetes.io/name': 'ingress-nginx' } };
    const allowed = evaluateNetworkIngress(tree('dev'), controller, { namespace: 'order-service', labels: { app: 'x' } }, 8443);
    expect(allowed?.detail).toMatch(/holds the Pod subnet 10\.10\.0\.0\/18/);
    expect(evaluateNetworkIngress(tree('dev'), controller, { namespace: 'order-service', labels: { app: 'x' } }, 10254)?.refused).toBeDefined();
  });

  it('the issuer the mesh expects is the one function Keycloak and OAuth2 Proxy read', () => {
    const ra = tree('dev').byKind.get('RequestAuthentication')!;
    // The Temporal UI's sidecar verifies the staff realm's tokens, every other verifier the customers' realm's.
    for (const o of ra.values()) expect(o.spec.jwtRules[0].issuer).toBe(keycloakIssuer(env, o.metadata.name.endsWith('-staff-jwt') ? platform.identity.staffRealm : platform.identity.realm));
  });
});

describe('dashboards outside the mesh (dev)', () => {
  it('a Pod of another namespace is refused at the dashboards NetworkPolicy; the ingress controller and the dashboards own namespace get through', () => {
    const prometheus = { namespace: 'monitoring-infra', labels: { 'app.kubernetes.io/name': 'prometheus' } };
    const refused = evaluateNetworkIngress(tree('dev'), prometheus, { namespace: 'karpenter-infra', labels: { app: 'x' } }, 9090);
    expect(refused?.refused?.rule).toBe('allow-same-namespace + dashboards-ingress + default-deny (ingress rules)');
    expect(evaluateNetworkIngress(tree('dev'), prometheus, { namespace: 'order-service', labels: { app: 'x' } }, 9090)?.refused).toBeDefined();
    expect(evaluateNetworkIngress(tree('dev'), prometheus, { namespace: 'ingress-infra', labels: { app: 'nginx' } }, 9090)?.refused).toBeUndefined();
    expect(evaluateNetworkIngress(tree('dev'), { namespace: 'monitoring-infra', labels: { 'app.kubernetes.io/name': 'kiali' } }, { namespace: 'monitoring-infra', labels: { 'app.kubernetes.io/name': 'grafana' } }, 20001)?.refused).toBeUndefined();
  });
});

describe('declared callers of the namespaces outside the mesh pass both NetworkPolicy ends (dev)', () => {
  const pod = (namespace: string, name: string): { namespace: string; labels: Record<string, string> } => ({ namespace, labels: { 'app.kubernetes.io/name': name } });
  const both = (from: { namespace: string; labels: Record<string, string> }, to: { namespace: string; labels: Record<string, string> }, port: number) => [
    evaluateNetworkEgress(tree('dev'), from, to, port)?.refused,
    evaluateNetworkIngress(tree('dev'), to, from, port)?.refused,
  ];
  it.each([
    ['ingress-nginx -> Grafana', pod('ingress-infra', 'ingress-nginx'), pod('monitoring-infra', 'grafana'), 3000],
    ['a sidecar -> istiod xDS', pod('order-service', 'order-service'), pod('istio-system', 'istiod'), 15012],
    ['Kiali -> istiod monitoring', pod('monitoring-infra', 'kiali'), pod('istio-system', 'istiod'), 15014],
    ['a sidecar -> the OTel collector', pod('order-service', 'order-service'), pod('tracing-infra', 'opentelemetry-collector'), 4317],
    ['Prometheus -> Karpenter metrics', pod('monitoring-infra', 'prometheus'), pod('karpenter-infra', 'karpenter'), 8080],
    ['Grafana -> Prometheus', pod('monitoring-infra', 'grafana'), pod('monitoring-infra', 'prometheus'), 9090],
  ] as const)('%s is allowed', (_n, from, to, port) => {
    expect(both(from, to, port)).toEqual([undefined, undefined]);
  });
  it.each([
    ['Kiali -> istiod debug port', pod('monitoring-infra', 'kiali'), pod('istio-system', 'istiod'), 8080],
    ['Grafana -> Karpenter', pod('monitoring-infra', 'grafana'), pod('karpenter-infra', 'karpenter'), 8080],
    ['ingress-nginx -> the OTel collector metrics', pod('ingress-infra', 'ingress-nginx'), pod('tracing-infra', 'opentelemetry-collector'), 8888],
  ] as const)('%s is refused at one end', (_n, from, to, port) => {
    expect(both(from, to, port).some((r) => r !== undefined)).toBe(true);
  });
});
