/**
 * Zero trust in the mesh: STRICT mTLS, default deny, and ALLOW rules that are exactly the declared
 * dependencies (plus the ingress gateway for exposed services and Prometheus' scrape).
 */
import { parse } from 'yaml';
import { EGRESS_GATEWAY, INGRESS_GATEWAY, INGRESS_HTTP_PORT } from '../charts/mesh/gateway-identities';
import { metricsPort } from '../charts/monitoring/service-monitoring';
import { LABEL_WORKLOAD, oidcInClusterJwksUri, oidcIssuer, PROMETHEUS_IDENTITY, serviceAccountName, serviceKey, servicePrincipal } from '../platform/naming';
import type { Platform } from '../platform/types';
import { parsePlatform } from '../platform/validate';
import { renderPlatform } from '../render/render';
import { RenderError } from '../render/rendered-file';
import { examplePlatform, type Loose, mutated, serviceOf } from './support/example';
import { exampleFiles, objectAt, objectsWhere } from './support/rendered';

const GATEWAY = servicePrincipal({ namespace: INGRESS_GATEWAY.namespace, service: INGRESS_GATEWAY.name });
const PROMETHEUS = servicePrincipal({ namespace: PROMETHEUS_IDENTITY.namespace, service: PROMETHEUS_IDENTITY.serviceAccount });

/** Every rendered YAML object of a render, keyed by path. */
function objectsOf(files: Iterable<[string, string]>): Map<string, Loose> {
  return new Map([...files].filter(([p]) => p.endsWith('.yaml')).map(([p, c]) => [p, parse(c)]));
}

function render(platform: Platform): Map<string, Loose> {
  return objectsOf(renderPlatform(platform, { terraform: false }).map((f) => [f.path, f.content] as [string, string]));
}

const inMesh = (platform: Platform) => platform.teams.flatMap((t) => t.namespaces).filter((n) => n.mesh);

/** ALLOW policies of one environment that select a service's Pods. */
function allowPoliciesSelecting(objects: Map<string, Loose>, env: string, ns: string, service: string): Loose[] {
  return [...objects]
    .filter(([p, o]) => p.startsWith(`${env}/namespaces/${ns}/`) && o.kind === 'AuthorizationPolicy' && (o.spec.action ?? 'ALLOW') === 'ALLOW')
    .map(([, o]) => o)
    // Platform workloads carry app.kubernetes.io/name; Pods of a maintained installer carry LABEL_WORKLOAD (naming.ts selectorLabels).
    .filter((o) => [o.spec.selector?.matchLabels?.['app.kubernetes.io/name'], o.spec.selector?.matchLabels?.[LABEL_WORKLOAD]].includes(service));
}

const principalsOf = (policy: Loose): string[] => (policy.spec.rules ?? []).flatMap((r: Loose) => (r.from ?? []).flatMap((f: Loose) => f.source?.principals ?? []));

describe('mesh authentication and authorization', () => {
  test('every in-mesh namespace has a namespace-wide STRICT PeerAuthentication and a default-deny AuthorizationPolicy', () => {
    for (const env of examplePlatform().environments) {
      for (const ns of inMesh(examplePlatform())) {
        const pa = objectAt(`${env.name}/namespaces/${ns.name}/peerauthentication-default.yaml`);
        expect(pa.spec).toEqual({ mtls: { mode: 'STRICT' } });
        const deny = objectAt(`${env.name}/namespaces/${ns.name}/authorizationpolicy-default-deny.yaml`);
        expect(deny.spec).toEqual({});
      }
    }
  });

  test('mutual TLS is STRICT mesh-wide from the root namespace, which itself stays outside the mesh', () => {
    const root = objectAt('prd/namespaces/istio-system/peerauthentication-default.yaml');
    expect(root.spec).toEqual({ mtls: { mode: 'STRICT' } });
    expect(objectAt('prd/cluster/namespace-istio-system.yaml').metadata.labels['istio-injection']).toBeUndefined();
    expect(exampleFiles().has('prd/namespaces/istio-system/authorizationpolicy-default-deny.yaml')).toBe(false);
  });

  test('no PeerAuthentication weakens mutual TLS: no PERMISSIVE or DISABLE mode and no port-level exception', () => {
    const all = objectsWhere((o) => o.kind === 'PeerAuthentication');
    expect(all.length).toBeGreaterThan(0);
    for (const { obj } of all) {
      expect(obj.spec.mtls.mode).toBe('STRICT');
      expect(obj.spec.portLevelMtls).toBeUndefined();
    }
  });

  test('the callers rule of each ALLOW policy lists exactly the principals of the services that declare a dependency on it', () => {
    const platform = examplePlatform();
    for (const team of platform.teams) {
      for (const ns of team.namespaces.filter((n) => n.mesh)) {
        for (const s of ns.services) {
          const key = serviceKey({ namespace: ns.name, service: s.name });
          const callers = platform.teams
            .flatMap((t) => t.namespaces.flatMap((n) => n.services.map((c) => ({ n, c }))))
            .filter(({ c }) => c.dependencies.some((d) => 'service' in d && d.service === key))
            .map(({ n, c }) => servicePrincipal({ namespace: n.name, service: serviceAccountName(c) }))
            .sort();
          const path = `stg/namespaces/${ns.name}/authorizationpolicy-${s.name}-allow.yaml`;
          const rules: Loose[] = exampleFiles().has(path) ? objectAt(path).spec.rules : [];
          // Caller rules: not the gateway's, not the replicas' own (peers), not the IdP's JWKS rule.
          const own = servicePrincipal({ namespace: ns.name, service: serviceAccountName(s) });
          const callerRules = rules.filter((r) => !r.from[0].source.principals.includes(GATEWAY) && !(r.from[0].source.principals.length === 1 && r.from[0].source.principals[0] === own) && !r.to?.[0]?.operation?.paths);
          expect({ key, callers: callerRules.flatMap((r) => r.from[0].source.principals).sort() }).toEqual({ key, callers });
        }
      }
    }
  });

  test('a service with no declared callers and no exposure accepts no traffic: default deny applies and no ALLOW rule admits a caller', () => {
    // Nothing calls Temporal any more (temporal-ui, the orchestrator and the activity workers drop their dependency).
    const platform = parsePlatform(
      mutated((input) => {
        for (const key of ['saga-service/temporal-ui', 'saga-service/saga-orchestrator', 'order-service/order-service', 'payment-service/payment-service', 'shipping-service/shipping-service']) {
          const s = serviceOf(input, key);
          s.dependencies = s.dependencies.filter((d: Loose) => d.service !== 'saga-service/temporal');
        }
      }),
    );
    const objects = render(platform);
    for (const env of platform.environments) {
      expect(objects.get(`${env.name}/namespaces/saga-service/authorizationpolicy-default-deny.yaml`).spec).toEqual({});
      // What still selects it: its own replicas on their peer ports, and Prometheus' scrape (GET on the metrics port only).
      const selecting = allowPoliciesSelecting(objects, env.name, 'saga-service', 'temporal').sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
      expect(selecting.map((p) => p.metadata.name)).toEqual(['temporal-allow', 'temporal-allow-metrics']);
      expect(selecting[0].spec.rules).toEqual([{ from: [{ source: { principals: ['cluster.local/ns/saga-service/sa/temporal'] } }], to: [{ operation: { ports: ['6933', '6934', '6935', '6939', '7233', '7234', '7235', '7239'] } }] }]);
      expect(principalsOf(selecting[1])).toEqual([PROMETHEUS]);
      expect(selecting[1].spec.rules[0].to).toEqual([{ operation: { ports: ['9090'], methods: ['GET'], paths: ['/metrics'] } }]);
    }
  });

  test('adding a dependency adds exactly one principal to exactly one ALLOW policy', () => {
    const before = render(examplePlatform());
    const after = render(parsePlatform(mutated((input) => (serviceOf(input, 'shipping-service/shipping-service').dependencies ??= []).push({ service: 'account-service/account-service' }))));
    const policies = (objects: Map<string, Loose>) => new Map([...objects].filter(([, o]) => o.kind === 'AuthorizationPolicy'));
    const [b, a] = [policies(before), policies(after)];
    expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
    const changed = [...a.keys()].filter((p) => JSON.stringify(a.get(p)) !== JSON.stringify(b.get(p)));
    expect(changed.sort()).toEqual(examplePlatform().environments.map((e) => `${e.name}/namespaces/account-service/authorizationpolicy-account-service-allow.yaml`).sort());
    for (const p of changed) {
      const added = principalsOf(a.get(p)).filter((x) => !principalsOf(b.get(p)).includes(x));
      const removed = principalsOf(b.get(p)).filter((x) => !principalsOf(a.get(p)).includes(x));
      expect({ added, removed }).toEqual({ added: ['cluster.local/ns/shipping-service/sa/shipping-service'], removed: [] });
    }
  });

  test('every principal in every AuthorizationPolicy names a rendered ServiceAccount, a gateway installed by its add-on, or Prometheus', () => {
    const addonIdentities = new Set(
      objectsWhere((o, p) => o.kind === 'Application' && p.includes('/argocd/children/sre/') && o.spec.source?.chart === 'gateway').map(({ obj }) =>
        servicePrincipal({ namespace: obj.spec.destination.namespace, service: obj.spec.source.helm.releaseName }),
      ),
    );
    expect([...addonIdentities].sort()).toEqual([servicePrincipal({ namespace: EGRESS_GATEWAY.namespace, service: EGRESS_GATEWAY.name }), GATEWAY].sort());
    for (const { path, obj } of objectsWhere((o) => o.kind === 'AuthorizationPolicy')) {
      for (const principal of principalsOf(obj)) {
        const [, ns, sa] = /^cluster\.local\/ns\/([^/]+)\/sa\/([^/]+)$/.exec(principal) ?? [];
        const env = path.split('/')[0];
        const known = exampleFiles().has(`${env}/namespaces/${ns}/serviceaccount-${sa}.yaml`) || addonIdentities.has(principal) || principal === PROMETHEUS;
        expect({ path, principal, known }).toEqual({ path, principal, known: true });
      }
    }
  });

  test('an exposed service admits the ingress gateway only for its declared hosts and public path prefixes, on its routed port', () => {
    const rules = objectAt('dev/namespaces/auth-service/authorizationpolicy-keycloak-allow.yaml').spec.rules;
    expect(rules[1]).toEqual({
      from: [{ source: { principals: [GATEWAY] } }],
      to: [
        { operation: { hosts: ['dev.shop.example.com'], paths: ['/auth/realms/shop/*'], ports: ['8080'] } },
        { operation: { hosts: ['dev.shop.example.com'], paths: ['/auth/realms/staff/*'], ports: ['8080'] } },
        { operation: { hosts: ['dev.shop.example.com'], paths: ['/auth/resources/*'], ports: ['8080'] } },
        { operation: { hosts: ['keycloak.dev.internal.shop.example.com'], ports: ['8080'] } },
      ],
    });
    // Its replicas reach each other on the Infinispan ports; every token verifier may GET the realm's JWKS.
    expect(rules[2]).toEqual({ from: [{ source: { principals: ['cluster.local/ns/auth-service/sa/keycloak'] } }], to: [{ operation: { ports: ['7800', '57800'] } }] });
    expect(rules[3].to).toEqual([{ operation: { methods: ['GET'], paths: ['/auth/realms/shop/protocol/openid-connect/certs'], ports: ['8080'] } }]);
    expect(rules[3].from[0].source.principals).toEqual(expect.arrayContaining(['cluster.local/ns/pc-bff/sa/pc-bff', 'cluster.local/ns/order-service/sa/order-service']));
  });

  test('a service taking end-user tokens validates them against the Keycloak issuer and admits gateway traffic only with a valid token', () => {
    const platform = examplePlatform();
    for (const env of platform.environments) {
      const ra = objectAt(`${env.name}/namespaces/pc-bff/requestauthentication-pc-bff-jwt.yaml`);
      expect(ra.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'pc-bff' });
      // The generated construct writes the CRD's proto field name for jwksUri.
      // The fixed issuer, and the JWKS from the in-cluster Keycloak Service (no hairpin through the ALB).
      expect(ra.spec.jwtRules).toEqual([{ issuer: oidcIssuer(platform, env), jwks_uri: oidcInClusterJwksUri(platform, 8080), forwardOriginalToken: true }]);
      expect(objectAt(`${env.name}/namespaces/pc-bff/authorizationpolicy-pc-bff-allow.yaml`).spec.rules).toEqual([
        { from: [{ source: { principals: [GATEWAY], requestPrincipals: [`${oidcIssuer(platform, env)}/*`] } }], to: [{ operation: { hosts: [env.domains.web], ports: ['8080'] } }] },
      ]);
    }
    // Every service that takes tokens, and every service a token-taking BFF forwards them to, verifies them.
    // (The Temporal UI verifies staff-realm tokens instead: test/temporal-ui-authorization.test.ts.)
    const withToken = objectsWhere((o) => o.kind === 'RequestAuthentication' && o.metadata.namespace !== undefined && o.spec.jwtRules[0].issuer.endsWith(`/realms/${platform.identity.realm}`)).map(({ obj }) => `${obj.metadata.namespace}/${obj.spec.selector.matchLabels['app.kubernetes.io/name']}`);
    const services = platform.teams.flatMap((t) => t.namespaces.flatMap((n) => n.services.map((s) => ({ key: `${n.name}/${s.name}`, s }))));
    const forwardedTo = new Set(services.filter(({ s }) => s.endUserAuth).flatMap(({ s }) => s.dependencies.flatMap((d) => ('service' in d ? [d.service] : []))));
    const declared = services.filter(({ key, s }) => s.endUserAuth || forwardedTo.has(key)).map(({ key }) => key);
    expect([...new Set(withToken)].sort()).toEqual(declared.sort());
  });

  test('declared callers that do not take tokens need none; callers that forward tokens must carry one; ALLOW rules are never DENY', () => {
    const objects = render(parsePlatform(mutated((input) => (serviceOf(input, 'saga-service/temporal-ui').dependencies ??= []).push({ service: 'pc-bff/pc-bff' }))));
    const rules = objects.get('prd/namespaces/pc-bff/authorizationpolicy-pc-bff-allow.yaml').spec.rules;
    // The Temporal chart runs its UI as the server's ServiceAccount (model `serviceAccount`), so that is the principal.
    expect(rules[0]).toEqual({ from: [{ source: { principals: ['cluster.local/ns/saga-service/sa/temporal'] } }], to: [{ operation: { ports: ['8080', '8081'] } }] });
    expect(rules[1].from[0].source).toEqual({ principals: [GATEWAY], requestPrincipals: ['https://shop.example.com/auth/realms/shop/*'] });
    const order = objects.get('prd/namespaces/order-service/authorizationpolicy-order-service-allow.yaml').spec.rules;
    expect(order[0].from[0].source).toEqual({ principals: ['cluster.local/ns/saga-service/sa/saga-orchestrator'] });
    expect(order[1].from[0].source).toEqual({
      principals: ['cluster.local/ns/partner-bff/sa/partner-bff', 'cluster.local/ns/pc-bff/sa/pc-bff', 'cluster.local/ns/sp-bff/sa/sp-bff'],
      requestPrincipals: ['https://shop.example.com/auth/realms/shop/*'],
    });
    expect([...objects.values()].filter((o) => o.kind === 'AuthorizationPolicy' && o.spec.action !== undefined && o.spec.action !== 'ALLOW')).toEqual([]);
  });

  test('Prometheus may only GET the metrics path on the one port its ServiceMonitor scrapes', () => {
    for (const team of examplePlatform().teams) {
      for (const ns of team.namespaces.filter((n) => n.mesh)) {
        for (const s of ns.services) {
          // A service without a declared metrics endpoint is not scraped at all (no dead target).
          if (!s.metrics) {
            expect(exampleFiles().has(`dev/namespaces/${ns.name}/servicemonitor-${s.name}.yaml`)).toBe(false);
            expect(exampleFiles().has(`dev/namespaces/${ns.name}/authorizationpolicy-${s.name}-allow-metrics.yaml`)).toBe(false);
            continue;
          }
          const monitor = objectAt(`dev/namespaces/${ns.name}/servicemonitor-${s.name}.yaml`).spec.endpoints[0];
          const port = metricsPort(s)!;
          expect(monitor.port).toBe(port.name);
          const policy = objectAt(`dev/namespaces/${ns.name}/authorizationpolicy-${s.name}-allow-metrics.yaml`);
          expect(policy.spec.rules).toEqual([{ from: [{ source: { principals: [PROMETHEUS] } }], to: [{ operation: { ports: [String(port.port)], methods: ['GET'], paths: [monitor.path] } }] }]);
        }
      }
    }
  });

  test('the gateways admit only their own traffic: HTTP on the ingress port, declared SNI names on the egress port', () => {
    expect(objectAt('dev/namespaces/istio-ingress/authorizationpolicy-istio-ingressgateway-allow.yaml').spec).toEqual({
      selector: { matchLabels: INGRESS_GATEWAY.selector },
      action: 'ALLOW',
      rules: [{ to: [{ operation: { ports: [String(INGRESS_HTTP_PORT)] } }] }],
    });
    const egress = objectAt('dev/namespaces/istio-egress/authorizationpolicy-istio-egressgateway-allow.yaml').spec;
    expect(egress.selector).toEqual({ matchLabels: EGRESS_GATEWAY.selector });
    expect(egress.action).toBe('ALLOW');
    // Per external host: only the principals of the services that declare it (mesh mTLS to the gateway), by SNI.
    expect(egress.rules).toContainEqual({
      from: [{ source: { principals: ['cluster.local/ns/payment-service/sa/payment-service'] } }],
      to: [{ operation: { ports: ['443'] } }],
      when: [{ key: 'connection.sni', values: ['api.payment-provider.example.net'] }],
    });
    expect(egress.rules.map((r: Loose) => r.when[0].values[0])).toEqual([
      'api.payment-provider.example.net',
      'cloudfront.amazonaws.com',
      'email.ap-northeast-1.amazonaws.com',
      'login.idp-partner.example.org',
      'ssm.ap-northeast-1.amazonaws.com',
      'sts.ap-northeast-1.amazonaws.com',
    ]);
    for (const r of egress.rules) expect(r.from[0].source.principals.length).toBeGreaterThan(0);
  });

  test('a model the mesh cannot honour fails the render: a gateway namespace outside the mesh, or end-user tokens outside the mesh', () => {
    const platform = parsePlatform(
      mutated((input) => {
        const sre = input.teams.find((t: Loose) => t.name === 'sre');
        sre.namespaces.find((n: Loose) => n.name === 'istio-ingress').mesh = false;
        const pc = input.teams.find((t: Loose) => t.name === 'pc');
        pc.namespaces.find((n: Loose) => n.name === 'pc-frontend').mesh = false;
        serviceOf(input, 'pc-frontend/pc-frontend').endUserAuth = true;
      }),
    );
    let problems: readonly string[] = [];
    try {
      renderPlatform(platform, { terraform: false });
    } catch (err) {
      problems = (err as RenderError).problems;
    }
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('namespace istio-ingress runs an Istio gateway and must be in the mesh'),
        expect.stringContaining('pc-frontend/pc-frontend: endUserAuth needs the mesh'),
      ]),
    );
  });
});
