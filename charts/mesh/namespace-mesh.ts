/**
 * Everything Istio renders into one namespace (SPEC "Service mesh", sources 002 §9.2/§10, 003
 * §15-17), composed from one construct per concept:
 *
 * - istio-system (the root namespace, itself outside the mesh): the mesh-wide STRICT
 *   PeerAuthentication and the mesh-wide Telemetry;
 * - every in-mesh namespace: STRICT PeerAuthentication and `default-deny`;
 * - every in-mesh namespace running services: its Sidecar, and per service the ALLOW policy derived
 *   from the declared dependencies and exposure, Prometheus' scrape, the DestinationRule,
 *   the mesh VirtualService, the headless peers Service of a clustered service and, for every
 *   token-consuming service, the RequestAuthentication (a Temporal UI's: the staff realm's);
 * - the ingress gateway namespace: the Gateways, the host routes and the gateway's ALLOW policy;
 * - the egress gateway namespace: the ServiceEntries (external hosts, Aurora), the egress
 *   Gateway/DestinationRule/VirtualServices and the gateway's ALLOW policy.
 *
 * Every object carries the namespace of the chart it is rendered in.
 */
import { Construct } from 'constructs';
import { ISTIO_EGRESS_NAMESPACE, ISTIO_INGRESS_NAMESPACE, ISTIO_SYSTEM_NAMESPACE } from '../../platform/naming';
import type { Environment, Namespace, Platform, Team } from '../../platform/types';
import { DefaultDenyPolicy, EgressGatewayPolicy, IngressGatewayPolicy, MetricsScrapePolicy, ServiceAllowPolicy } from './authorization-policies';
import { ServiceDestinationRule } from './destination-rule';
import { EgressRouting } from './egress-gateway';
import { IngressRouting } from './ingress-routes';
import { StrictPeerAuthentication } from './peer-authentication';
import { EndUserRequestAuthentication } from './request-authentication';
import { AuroraServiceEntry, ExternalServiceEntry } from './service-entries';
import { NamespaceSidecar } from './sidecar';
import { MeshTelemetry } from './telemetry';
import { PeerService } from './peer-service';
import { StaffRequestAuthentication, verifiesStaffTokens } from './temporal-ui';
import { consumesTokens, externalHosts, hostSlug, refOf } from './topology';
import { ServiceVirtualService } from './virtual-service';
import { faultsInto } from '../../platform/gates';

export interface NamespaceMeshProps {
  readonly platform: Platform;
  readonly env: Environment;
  readonly team: Team;
  readonly namespace: Namespace;
}

/** Namespaces that run an Istio gateway, never an application sidecar. */
export const GATEWAY_NAMESPACES: readonly string[] = [ISTIO_INGRESS_NAMESPACE, ISTIO_EGRESS_NAMESPACE];

export class NamespaceMesh extends Construct {
  constructor(scope: Construct, id: string, props: NamespaceMeshProps) {
    super(scope, id);
    const { platform, env, namespace } = props;
    const isRoot = namespace.name === ISTIO_SYSTEM_NAMESPACE;
    const isGateway = GATEWAY_NAMESPACES.includes(namespace.name);

    this.node.addValidation({ validate: () => problems(namespace, isGateway) });

    if (isRoot) {
      new StrictPeerAuthentication(this, 'mesh-wide-mtls');
      new MeshTelemetry(this, 'telemetry');
    }
    if (!namespace.mesh) return;

    // In the root namespace the mesh-wide policy (same name) already covers it.
    if (!isRoot) new StrictPeerAuthentication(this, 'mtls');
    new DefaultDenyPolicy(this, 'default-deny');
    if (!isGateway && namespace.services.length > 0) new NamespaceSidecar(this, 'sidecar', { platform, env, namespace });

    for (const service of namespace.services) {
      const scope = new Construct(this, service.name);
      new ServiceAllowPolicy(scope, 'allow', { platform, env, namespace, service });
      new MetricsScrapePolicy(scope, 'allow-metrics', { service });
      new ServiceDestinationRule(scope, 'destination-rule', { namespace, service });
      new ServiceVirtualService(scope, 'virtual-service', { platform, namespace, service, faults: faultsInto(env, refOf(namespace, service)) });
      new PeerService(scope, 'peers', { service });
      if (consumesTokens(platform, refOf(namespace, service), service)) new EndUserRequestAuthentication(scope, 'request-authentication', { platform, env, service });
      if (verifiesStaffTokens(service)) new StaffRequestAuthentication(scope, 'staff-request-authentication', { platform, env, service });
    }

    if (namespace.name === ISTIO_INGRESS_NAMESPACE) {
      new IngressRouting(this, 'ingress', { platform, env });
      new IngressGatewayPolicy(this, 'ingress-gateway-allow');
    }
    if (namespace.name === ISTIO_EGRESS_NAMESPACE) {
      const hosts = externalHosts(platform, env);
      for (const external of hosts) new ExternalServiceEntry(this, `external-${hostSlug(external.host)}`, { external });
      new AuroraServiceEntry(this, 'aurora', { platform, env });
      new EgressRouting(this, 'egress', { platform, env });
      new EgressGatewayPolicy(this, 'egress-gateway-allow', { hosts });
    }
  }
}

/** Model combinations the mesh cannot honour, reported at render time. */
function problems(namespace: Namespace, isGateway: boolean): string[] {
  const out: string[] = [];
  if (isGateway && !namespace.mesh) out.push(`namespace ${namespace.name} runs an Istio gateway and must be in the mesh (sidecar injection)`);
  if (!namespace.mesh) {
    for (const s of namespace.services.filter((x) => x.endUserAuth)) {
      out.push(`${namespace.name}/${s.name}: endUserAuth needs the mesh (the sidecar validates the token), but namespace ${namespace.name} is outside it`);
    }
  }
  return out;
}
