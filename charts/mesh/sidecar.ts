/**
 * Per-namespace `Sidecar`: the proxies of a namespace know (and may send to) only what its services
 * declared, and nothing unknown leaves the mesh (REGISTRY_ONLY).
 *
 * Egress hosts, "<namespace of the config>/<host>":
 * - each declared service dependency: its namespace and its Service FQDN (imports the Service and
 *   the VirtualService/DestinationRule rendered beside it);
 * - each declared external host and each AWS API endpoint of the service's grants: the egress
 *   namespace, where its ServiceEntry and routing live, plus the egress gateway's Service the
 *   sidecar forwards it to;
 * - the Aurora ServiceEntry, when a service of the namespace owns a database schema;
 * - the OpenTelemetry Collector, which Envoy exports spans to (istio/istio#53701);
 * - `istio-system/*` (istiod and mesh-wide configuration);
 * - the namespace's own Services when a service clusters (`peerPorts`): its installer (the Temporal
 *   chart) names the per-component Services, which the model does not list;
 * - the Kubernetes API when the namespace runs the Keycloak Operator (it watches its namespace).
 * - the platform IdP's Service, for namespaces whose services verify end-user or staff tokens (JWKS);
 * - the service's own headless `<name>-peers` Service when it declares `peerPorts` (clustering).
 *
 * Not rendered in the gateway namespaces: a Sidecar resource is meant for sidecars only, but a
 * namespace-wide one can leak into a gateway's scope (istio/istio#59602) and cut its routes.
 */
import { Construct } from 'constructs';
import { Sidecar, SidecarSpecOutboundTrafficPolicyMode } from '../../imports/networking.istio.io';
import { ISTIO_EGRESS_NAMESPACE, ISTIO_SYSTEM_NAMESPACE, parseServiceKey } from '../../platform/naming';
import type { Environment, Namespace, Platform } from '../../platform/types';
import { EGRESS_GATEWAY, gatewayHost } from './gateway-identities';
import { meshConfig } from './mesh-config';
import { otelCollectorEgressHost } from './telemetry';
import { verifiesStaffTokens } from './temporal-ui';
import { auroraMeshHost, consumesTokens, externalCallsOf, peerServiceName, refOf, scopedServiceHost } from './topology';

/** The API server's Service, as a Sidecar egress host. */
export const KUBERNETES_API_EGRESS_HOST = 'default/kubernetes.default.svc.cluster.local';

/** The sorted egress hosts of a namespace's Sidecar. */
export function sidecarEgressHosts(platform: Pick<Platform, 'name' | 'teams' | 'identity'>, env: Pick<Environment, 'name' | 'account' | 'region'>, namespace: Namespace): string[] {
  const hosts = new Set<string>([`${ISTIO_SYSTEM_NAMESPACE}/*`, otelCollectorEgressHost()]);
  for (const service of namespace.services) {
    // Token consumers' sidecars fetch the IdP's JWKS themselves (request-authentication.ts).
    if (consumesTokens(platform, refOf(namespace, service), service) || verifiesStaffTokens(service)) hosts.add(scopedServiceHost(parseServiceKey(platform.identity.service)));
    // Clustered services reach their own replicas through the headless peers Service.
    if (service.peerPorts.length > 0) hosts.add(scopedServiceHost({ namespace: namespace.name, service: peerServiceName(service) }));
    for (const dep of service.dependencies) if ('service' in dep) hosts.add(scopedServiceHost(parseServiceKey(dep.service)));
    for (const call of externalCallsOf(platform, env, service)) {
      hosts.add(`${ISTIO_EGRESS_NAMESPACE}/${call.host}`);
      hosts.add(`${EGRESS_GATEWAY.namespace}/${gatewayHost(EGRESS_GATEWAY)}`);
    }
    if (service.database) hosts.add(`${ISTIO_EGRESS_NAMESPACE}/${auroraMeshHost(platform, env)}`);
    if (service.peerPorts.length > 0) hosts.add(`${namespace.name}/*`);
    if (service.runtime === 'keycloak-operator') hosts.add(KUBERNETES_API_EGRESS_HOST);
  }
  return [...hosts].sort();
}

export class NamespaceSidecar extends Construct {
  constructor(scope: Construct, id: string, props: { readonly platform: Platform; readonly env: Environment; readonly namespace: Namespace }) {
    super(scope, id);
    meshConfig(
      new Sidecar(this, 'resource', {
        metadata: { name: 'default' },
        spec: {
          egress: [{ hosts: sidecarEgressHosts(props.platform, props.env, props.namespace) }],
          outboundTrafficPolicy: { mode: SidecarSpecOutboundTrafficPolicyMode.REGISTRY_UNDERSCORE_ONLY },
        },
      }),
    );
  }
}
