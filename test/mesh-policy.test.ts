/**
 * Zero trust in the mesh: STRICT mTLS, default deny, and ALLOW rules that are exactly the declared
 * dependencies (plus the ingress gateway for exposed services and Prometheus' scrape).
 */
import { parse } from 'yaml';
import { EGRESS_GATEWAY, INGRESS_GATEWAY, INGRESS_HTTP_PORT } from '../charts/mesh/gateway-identities';
import { metricsPort } from '../charts/monitoring/service-monitoring';
import { LABEL_WORKLOAD, oidcIssuer, oidcJwksUri, PROMETHEUS_IDENTITY, serviceAccountName, serviceKey, servicePrincipal } from '../platform/naming';
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
          // The gateway rule and the clustering rule (own identity, `peerPorts`) name their ports; the callers rule names none.
          const callerRules = rules.filter((r) => r.to === undefined);
          expect({ key, callers: callerRules.flatMap((r) => r.from[0].source.principals) }).toEqual({ key, callers });
        }
      }
    }
  });

  test('a service with no declared callers and no exposure accepts no traffic: default deny applies and no ALLOW rule admits a caller', () => {
    // Nothing calls Temporal any more (temporal-ui and the orchestrator drop their dependency).
    const platform = parsePlatform(
      mutated((input) => {
        for (const name of ['temporal-ui', 'saga-orchestrator']) {
          const s = serviceOf(input, `saga-service/${name}`);
          s.dependencies = s.dependencies.filter((d: Loose) => d.service !== 'saga-service/temporal');
        }
        serviceOf(input, 'saga-service/temporal').peerPorts = []; // no clustering rule either
      }),
    );
    const objects = render(platform);
    for (const env of platform.environments) {
      expect(objects.get(`${env.name}/namespaces/saga-service/authorizationpolicy-default-deny.yaml`).spec).toEqual({});
      expect(objects.has(`${env.name}/namespaces/saga-service/authorizationpolicy-temporal-allow.yaml`)).toBe(false);
      // What still selects it is Prometheus' scrape: one principal, GET on the metrics port only.
      const selecting = allowPoliciesSelecting(objects, env.name, 'saga-service', 'temporal');
      expect(selecting.map((p) => p.metadata.name)).toEqual(['temporal-allow-metrics']);
      expect(principalsOf(selecting[0])).toEqual([PROMETHEUS]);
      expect(selecting[0].spec.rules[0].to).toEqual([{ operation: { ports: ['9090'], methods: ['GET'], paths: ['/metrics'] } }]);
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

  test('an exposed service admits the ingress gateway only on its routed port', () => {
    const rules = objectAt('dev/namespaces/auth-service/authorizationpolicy-keycloak-allow.yaml').spec.rules;
    expect(rules).toEqual([
      { from: [{ source: { principals: ['cluster.local/ns/account-service/sa/account-service'] } }] },
      // Clustering (model peerPorts): Keycloak's own identity on the JGroups ports only.
      { from: [{ source: { principals: ['cluster.local/ns/auth-service/sa/keycloak'] } }], to: [{ operation: { ports: ['7800', '57800'] } }] },
      { from: [{ source: { principals: [GATEWAY] } }], to: [{ operation: { ports: ['8080'] } }] },
    ]);
  });

  test('a service taking end-user tokens validates them against the Keycloak issuer and admits gateway traffic only with a valid token', () => {
    const platform = examplePlatform();
    for (const env of platform.environments) {
      const ra = objectAt(`${env.name}/namespaces/pc-bff/requestauthentication-pc-bff-jwt.yaml`);
      expect(ra.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'pc-bff' });
      // The generated construct writes the CRD's proto field name for jwksUri.
      expect(ra.spec.jwtRules).toEqual([{ issuer: oidcIssuer(platform, env), jwks_uri: oidcJwksUri(platform, env), forwardOriginalToken: true }]);
      expect(objectAt(`${env.name}/namespaces/pc-bff/authorizationpolicy-pc-bff-allow.yaml`).spec.rules).toEqual([
        { from: [{ source: { principals: [GATEWAY], requestPrincipals: ['*'] } }], to: [{ operation: { ports: ['8080'] } }] },
      ]);
    }
    const withToken = objectsWhere((o) => o.kind === 'RequestAuthentication').map(({ obj }) => `${obj.metadata.namespace}/${obj.spec.selector.matchLabels['app.kubernetes.io/name']}`);
    const declared = platform.teams.flatMap((t) => t.namespaces.flatMap((n) => n.services.filter((s) => s.endUserAuth).map((s) => `${n.name}/${s.name}`)));
    expect([...new Set(withToken)].sort()).toEqual(declared.sort());
  });

  test('declared callers of a token-checking service need no end-user token: the ALLOW rules are never DENY and callers are a rule of their own', () => {
    const objects = render(parsePlatform(mutated((input) => serviceOf(input, 'partner-bff/partner-bff').dependencies.push({ service: 'pc-bff/pc-bff' }))));
    const rules = objects.get('prd/namespaces/pc-bff/authorizationpolicy-pc-bff-allow.yaml').spec.rules;
    expect(rules[0]).toEqual({ from: [{ source: { principals: ['cluster.local/ns/partner-bff/sa/partner-bff'] } }] });
    expect(rules[1].from[0].source).toEqual({ principals: [GATEWAY], requestPrincipals: ['*'] });
    expect([...objects.values()].filter((o) => o.kind === 'AuthorizationPolicy' && o.spec.action !== undefined && o.spec.action !== 'ALLOW')).toEqual([]);
  });

  test('Prometheus may only GET the metrics path on the one port its ServiceMonitor scrapes', () => {
    for (const team of examplePlatform().teams) {
      for (const ns of team.namespaces.filter((n) => n.mesh)) {
        for (const s of ns.services) {
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
    expect(objectAt('dev/namespaces/istio-egress/authorizationpolicy-istio-egressgateway-allow.yaml').spec).toEqual({
      selector: { matchLabels: EGRESS_GATEWAY.selector },
      action: 'ALLOW',
      rules: [
        {
          to: [{ operation: { ports: ['443'] } }],
          when: [
            {
              key: 'connection.sni',
              values: [
                'api.payment-provider.example.net',
                'cloudfront.amazonaws.com',
                'email.ap-northeast-1.amazonaws.com',
                'login.idp-partner.example.org',
                'ssm.ap-northeast-1.amazonaws.com',
                'sts.ap-northeast-1.amazonaws.com',
              ],
            },
          ],
        },
      ],
    });
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
