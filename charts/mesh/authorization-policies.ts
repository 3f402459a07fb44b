/**
 * Authorization derived from the declared dependencies (source 002 §9.2, SPEC "a call that is not
 * declared is refused").
 *
 * Design (ALLOW policies only, never DENY, so no rule can shadow a declared caller; Istio evaluates
 * CUSTOM, then DENY, then ALLOW):
 * - `default-deny` in every in-mesh namespace: an ALLOW policy with an empty spec. Once any ALLOW
 *   policy applies to a workload, a request must match one of its rules; this one has none, so a
 *   workload nothing else admits accepts nothing.
 * - `<service>-allow`, one per service that has callers, is exposed or is clustered, selecting its
 *   Pods (rules listed at `serviceAllowRules`): the declared callers' principals (STRICT mTLS makes
 *   them trustworthy), with a valid token of the platform issuer for callers that forward end-user
 *   tokens; the ingress gateway only for the declared hosts and public path prefixes (with a token
 *   where `endUserAuth`); the service's own identity on its `peerPorts`; on the IdP, every token
 *   verifier for `GET` on the realm's JWKS (the Temporal UIs: the staff realm's back channel). A Temporal UI's
 *   gateway rules are its own (temporal-ui.ts: staff read, operators write). A request through the gateway with an invalid token
 *   gets 401 from the RequestAuthentication, one without a token 403 (no rule matches).
 * - `<service>-allow-metrics`: Prometheus' scrape. Prometheus runs outside the mesh but scrapes
 *   over mutual TLS with the certificate its sidecar writes out (naming.ts PROMETHEUS_IDENTITY), so
 *   it is admitted by principal, and only for `GET <path>` on the one port its ServiceMonitor
 *   scrapes: the `http-metrics` port when the service has one (never its serving ports then),
 *   else its first HTTP port (charts/monitoring metricsPort). STRICT mTLS keeps no plaintext
 *   exception.
 * - kubelet probes need no rule: the sidecar injector rewrites HTTP and gRPC probes to the
 *   pilot-agent port (15020), which the sidecar does not intercept.
 * - the gateways in their own (in-mesh) namespaces: the ingress gateway admits its HTTP port (its
 *   traffic comes from the ALB, without a mesh identity); the egress gateway admits, per external
 *   host, only the principals of the services that declare it (mesh mTLS from their sidecars).
 */
import { Construct } from 'constructs';
import { AuthorizationPolicy, AuthorizationPolicySpecAction, type AuthorizationPolicySpecRules, type AuthorizationPolicySpecRulesTo } from '../../imports/security.istio.io';
import { internalHost, keycloakIssuer, keycloakJwksPath, PROMETHEUS_IDENTITY, publicHost, selectorLabels, serviceKey, servicePrincipal } from '../../platform/naming';
import type { Environment, Platform, Service } from '../../platform/types';
import { metricsPath, metricsPort } from '../monitoring/service-monitoring';
import { EGRESS_GATEWAY, gatewayPrincipal, INGRESS_GATEWAY, INGRESS_HTTP_PORT } from './gateway-identities';
import { meshConfig } from './mesh-config';
import { staffBackChannelRules, temporalUiIngressRules, verifiesStaffTokens } from './temporal-ui';
import { callEdgesOf, consumesTokens, principalOf, type ExternalHost, firstHttpPort, isExposed, meshServices, refOf, routedPort, servingPorts } from './topology';

export const DEFAULT_DENY_POLICY = 'default-deny';
export const allowPolicyName = (service: Pick<Service, 'name'>): string => `${service.name}-allow`;
export const metricsPolicyName = (service: Pick<Service, 'name'>): string => `${service.name}-allow-metrics`;

/** ALLOW-nothing for the whole namespace: what no other policy admits is refused. */
export class DefaultDenyPolicy extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    meshConfig(new AuthorizationPolicy(this, 'resource', { metadata: { name: DEFAULT_DENY_POLICY }, spec: {} }));
  }
}

/** The ingress gateway's operations on a service: one per public route (its host, and its path prefix unless the route rewrites it) and per internal host. */
function ingressOperations(env: Pick<Environment, 'domains'>, service: Service): AuthorizationPolicySpecRulesTo[] {
  const port = [String(routedPort(service).port)];
  const publicOps = service.exposure.public.map((r) => {
    const rewritten = service.kind === 'bff' && r.pathPrefix !== '/';
    return { operation: { hosts: [publicHost(env, r.host)], ports: port, ...(r.pathPrefix !== '/' && !rewritten ? { paths: [`${r.pathPrefix}*`] } : {}) } };
  });
  const internalOps = service.exposure.internal.map((r) => ({ operation: { hosts: [internalHost(env, r.subdomain)], ports: port } }));
  return [...publicOps, ...internalOps];
}

/**
 * The ALLOW rules of one service, or none when nothing may call it:
 * - "callers": the declared callers' principals; callers that take end-user tokens (BFFs) forward
 *   them, so their rule also requires a valid token of the platform issuer (`requestPrincipals`);
 * - "ingress": the ingress gateway, only for the declared hosts, path prefixes (the Keycloak admin
 *   console is not under its public prefixes) and the routed port, with a token where `endUserAuth`;
 * - "peers": the service's own identity on its `peerPorts` (clustering);
 * - "jwks": on the identity provider, every token-consuming workload may GET the realm's JWKS
 *   (their sidecars fetch it: istiod PILOT_JWT_ENABLE_REMOTE_JWKS=envoy).
 */
export function serviceAllowRules(platform: Pick<Platform, 'teams' | 'identity'>, env: Pick<Environment, 'domains'>, namespace: { readonly name: string }, service: Service): AuthorizationPolicySpecRules[] {
  const rules: AuthorizationPolicySpecRules[] = [];
  const self = refOf(namespace, service);
  const issuerPrincipals = [`${keycloakIssuer(env, platform.identity.realm)}/*`];
  const edges = callEdgesOf(platform, self);
  const principals = (xs: typeof edges) => [...new Set(xs.map((e) => principalOf(e.caller)))].sort();
  const plain = principals(edges.filter((e) => !e.caller.service.endUserAuth));
  const forwarding = principals(edges.filter((e) => e.caller.service.endUserAuth));
  if (plain.length > 0) rules.push({ from: [{ source: { principals: plain } }], to: [{ operation: { ports: servingPorts(service).map((p) => String(p.port)) } }] });
  if (forwarding.length > 0) rules.push({ from: [{ source: { principals: forwarding, requestPrincipals: issuerPrincipals } }], to: [{ operation: { ports: servingPorts(service).map((p) => String(p.port)) } }] });
  // A Temporal UI: reads for the staff, writes for its operators (temporal-ui.ts).
  if (verifiesStaffTokens(service)) rules.push(...temporalUiIngressRules(platform, env, service));
  else if (isExposed(service)) {
    rules.push({
      from: [{ source: { principals: [gatewayPrincipal(INGRESS_GATEWAY)], ...(service.endUserAuth ? { requestPrincipals: issuerPrincipals } : {}) } }],
      to: ingressOperations(env, service),
    });
  }
  if (service.peerPorts.length > 0) rules.push({ from: [{ source: { principals: [principalOf({ ref: self, service })] } }], to: [{ operation: { ports: service.peerPorts.map(String) } }] });
  if (serviceKey(self) === platform.identity.service) {
    const verifiers = [...new Set(meshServices(platform).filter((m) => m.namespace.mesh && consumesTokens(platform, m.ref, m.service)).map(principalOf))].sort();
    if (verifiers.length > 0) {
      rules.push({ from: [{ source: { principals: verifiers } }], to: [{ operation: { ports: [String(firstHttpPort(service).port)], methods: ['GET'], paths: [keycloakJwksPath(platform.identity.realm)] } }] });
    }
    // The Temporal UIs: the staff realm's discovery, keys and token endpoint, in-cluster (temporal-ui.ts).
    rules.push(...staffBackChannelRules(platform, firstHttpPort(service).port));
  }
  return rules;
}

/** `<service>-allow`: its declared callers and, when exposed, the ingress gateway. Not rendered when there are no rules. */
export class ServiceAllowPolicy extends Construct {
  constructor(scope: Construct, id: string, props: { readonly platform: Platform; readonly env: Environment; readonly namespace: { readonly name: string }; readonly service: Service }) {
    super(scope, id);
    const rules = serviceAllowRules(props.platform, props.env, props.namespace, props.service);
    if (rules.length === 0) return;
    meshConfig(
      new AuthorizationPolicy(this, 'resource', {
        metadata: { name: allowPolicyName(props.service) },
        spec: { selector: { matchLabels: selectorLabels(props.service) }, action: AuthorizationPolicySpecAction.ALLOW, rules },
      }),
    );
  }
}

/** Default metrics path (the schema's default of `metrics.path`). */
export const SCRAPE_PATH = '/metrics';

/** Principal of Prometheus' ServiceAccount (kube-prometheus-stack add-on). */
export const prometheusPrincipal = (): string => servicePrincipal({ namespace: PROMETHEUS_IDENTITY.namespace, service: PROMETHEUS_IDENTITY.serviceAccount });

/** `<service>-allow-metrics`: Prometheus, `GET` on the metrics path of the one port it scrapes. */
export class MetricsScrapePolicy extends Construct {
  constructor(scope: Construct, id: string, props: { readonly service: Service }) {
    super(scope, id);
    const port = metricsPort(props.service);
    if (!port) return;
    meshConfig(
      new AuthorizationPolicy(this, 'resource', {
        metadata: { name: metricsPolicyName(props.service) },
        spec: {
          selector: { matchLabels: selectorLabels(props.service) },
          action: AuthorizationPolicySpecAction.ALLOW,
          rules: [{ from: [{ source: { principals: [prometheusPrincipal()] } }], to: [{ operation: { ports: [String(port.port)], methods: ['GET'], paths: [metricsPath(props.service) ?? SCRAPE_PATH] } }] }],
        },
      }),
    );
  }
}

/** The ingress gateway accepts HTTP from the ALB on its HTTP port (routing then admits only the declared hosts). */
export class IngressGatewayPolicy extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    meshConfig(
      new AuthorizationPolicy(this, 'resource', {
        metadata: { name: `${INGRESS_GATEWAY.name}-allow` },
        spec: {
          selector: { matchLabels: { ...INGRESS_GATEWAY.selector } },
          action: AuthorizationPolicySpecAction.ALLOW,
          rules: [{ to: [{ operation: { ports: [String(INGRESS_HTTP_PORT)] } }] }],
        },
      }),
    );
  }
}

/**
 * The egress gateway forwards a connection only when its caller (mesh mTLS principal, ISTIO_MUTUAL
 * from the sidecar) declared the host it asks for (SNI of the mesh TLS = the host, egress-gateway.ts).
 */
export class EgressGatewayPolicy extends Construct {
  constructor(scope: Construct, id: string, props: { readonly hosts: readonly ExternalHost[] }) {
    super(scope, id);
    const rules: AuthorizationPolicySpecRules[] = props.hosts.map((h) => ({
      from: [{ source: { principals: [...h.principals] } }],
      to: [{ operation: { ports: h.ports.map(String) } }],
      when: [{ key: 'connection.sni', values: [h.host] }],
    }));
    meshConfig(
      new AuthorizationPolicy(this, 'resource', {
        metadata: { name: `${EGRESS_GATEWAY.name}-allow` },
        // No declared external host: no rule, so default-deny refuses everything at the gateway too.
        spec: { selector: { matchLabels: { ...EGRESS_GATEWAY.selector } }, action: AuthorizationPolicySpecAction.ALLOW, ...(rules.length > 0 ? { rules } : {}) },
      }),
    );
  }
}
