/**
 * Authorization derived from the declared dependencies (source 002 §9.2, SPEC "a call that is not
 * declared is refused").
 *
 * Design (ALLOW policies only, never DENY, so no rule can shadow a declared caller):
 * - `default-deny` in every in-mesh namespace: an ALLOW policy with an empty spec. Once any ALLOW
 *   policy applies to a workload, a request must match one of its rules; this one has none, so a
 *   workload nothing else admits accepts nothing.
 * - `<service>-allow`, one per service that has callers or is exposed, selecting its Pods:
 *   - rule "callers": `from.source.principals` = exactly the ServiceAccount principals of the
 *     services that declare a dependency on it (STRICT mTLS makes the principal trustworthy);
 *   - rule "ingress": the ingress gateway's principal, only on the routed port; when the service
 *     takes end-user tokens (`endUserAuth`) the same source must also carry a valid JWT
 *     (`requestPrincipals: ["*"]`, validated by its RequestAuthentication). A request through the
 *     gateway with an invalid token gets 401 from the RequestAuthentication, one without a token
 *     403 (no rule matches). Declared callers are a separate rule and need no end-user token.
 * - `<service>-allow-metrics`: Prometheus' scrape. Prometheus runs outside the mesh but scrapes
 *   over mutual TLS with the certificate its sidecar writes out (naming.ts PROMETHEUS_IDENTITY), so
 *   it is admitted by principal, and only for `GET <path>` on the one port its ServiceMonitor
 *   scrapes: the `http-metrics` port when the service has one (never its serving ports then),
 *   else its first HTTP port (charts/monitoring metricsPort). STRICT mTLS keeps no plaintext
 *   exception.
 * - kubelet probes need no rule: the sidecar injector rewrites HTTP and gRPC probes to the
 *   pilot-agent port (15020), which the sidecar does not intercept.
 * - the gateways in their own (in-mesh) namespaces: the ingress gateway admits its HTTP port (its
 *   traffic comes from the ALB, without a mesh identity); the egress gateway admits only the SNI
 *   names of the external hosts services call (declared dependencies, AWS APIs of their grants):
 *   with TLS passthrough the connection carries no mesh identity (istio/istio#48955).
 */
import { Construct } from 'constructs';
import { AuthorizationPolicy, AuthorizationPolicySpecAction, type AuthorizationPolicySpecRules } from '../../imports/security.istio.io';
import { PROMETHEUS_IDENTITY, selectorLabels, serviceAccountName, servicePrincipal } from '../../platform/naming';
import type { Platform, Service } from '../../platform/types';
import { metricsPort } from '../monitoring/service-monitoring';
import { EGRESS_GATEWAY, gatewayPrincipal, INGRESS_GATEWAY, INGRESS_HTTP_PORT } from './gateway-identities';
import { meshConfig } from './mesh-config';
import { callerPrincipals, type ExternalHost, firstHttpPort, isExposed, refOf } from './topology';

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

/** The ALLOW rules of one service, or none when nothing may call it. */
export function serviceAllowRules(platform: Pick<Platform, 'teams'>, namespace: { readonly name: string }, service: Service): AuthorizationPolicySpecRules[] {
  const rules: AuthorizationPolicySpecRules[] = [];
  const callers = callerPrincipals(platform, refOf(namespace, service));
  if (callers.length > 0) rules.push({ from: [{ source: { principals: callers } }] });
  // Clustering between the service's own replicas (model `peerPorts`): its own identity, those ports only.
  if (service.peerPorts.length > 0) {
    rules.push({ from: [{ source: { principals: [servicePrincipal({ namespace: namespace.name, service: serviceAccountName(service) })] } }], to: [{ operation: { ports: service.peerPorts.map(String) } }] });
  }
  if (isExposed(service)) {
    rules.push({
      from: [{ source: { principals: [gatewayPrincipal(INGRESS_GATEWAY)], ...(service.endUserAuth ? { requestPrincipals: ['*'] } : {}) } }],
      to: [{ operation: { ports: [String(firstHttpPort(service).port)] } }],
    });
  }
  return rules;
}

/** `<service>-allow`: its declared callers and, when exposed, the ingress gateway. Not rendered when there are no rules. */
export class ServiceAllowPolicy extends Construct {
  constructor(scope: Construct, id: string, props: { readonly platform: Platform; readonly namespace: { readonly name: string }; readonly service: Service }) {
    super(scope, id);
    const rules = serviceAllowRules(props.platform, props.namespace, props.service);
    if (rules.length === 0) return;
    meshConfig(
      new AuthorizationPolicy(this, 'resource', {
        metadata: { name: allowPolicyName(props.service) },
        spec: { selector: { matchLabels: selectorLabels(props.service) }, action: AuthorizationPolicySpecAction.ALLOW, rules },
      }),
    );
  }
}

/** Path the ServiceMonitors scrape (charts/monitoring writes the same literal; a test holds them together). */
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
          rules: [{ from: [{ source: { principals: [prometheusPrincipal()] } }], to: [{ operation: { ports: [String(port.port)], methods: ['GET'], paths: [SCRAPE_PATH] } }] }],
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

/** The egress gateway forwards only TLS connections whose SNI is a declared external host, on that host's ports. */
export class EgressGatewayPolicy extends Construct {
  constructor(scope: Construct, id: string, props: { readonly hosts: readonly ExternalHost[] }) {
    super(scope, id);
    const ports = [...new Set(props.hosts.flatMap((h) => h.ports))].sort((a, b) => a - b);
    const rules: AuthorizationPolicySpecRules[] = ports.map((port) => ({
      to: [{ operation: { ports: [String(port)] } }],
      when: [{ key: 'connection.sni', values: props.hosts.filter((h) => h.ports.includes(port)).map((h) => h.host) }],
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
