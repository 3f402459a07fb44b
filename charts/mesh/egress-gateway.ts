/**
 * Egress through the egress gateway (source 002 §9.2; Istio task "Egress Gateways", HTTPS
 * traffic with mutual TLS to the gateway), for the declared external hosts and the AWS APIs of the
 * services' grants. The application opens TLS to the external host itself; its sidecar wraps the
 * connection in mesh mutual TLS (ISTIO_MUTUAL, SNI = the external host) to the egress gateway, so
 * the gateway knows the caller's identity; the gateway terminates only the mesh TLS and passes
 * the application's TLS on to the host unchanged. Everything lives in the egress namespace beside
 * the ServiceEntries:
 * - `Gateway` `istio-egressgateway`: one ISTIO_MUTUAL server per external host and port (its own
 *   filter chain, selected by the mesh SNI);
 * - `DestinationRule` for the egress gateway Service with one subset per external host
 *   (ISTIO_MUTUAL, `sni` = the host);
 * - one `VirtualService` per external host: mesh -> the gateway's subset of the host (tls route,
 *   matched on port and the application's SNI), gateway -> the host (tcp route on the port);
 * - the gateway's ALLOW policy (EgressGatewayPolicy) admits, per host, only the principals of the
 *   services that declare it, with `connection.sni` = the host.
 * The VirtualServices and DestinationRule are exported only to the declaring namespaces.
 */
import { Construct } from 'constructs';
import { DestinationRule, DestinationRuleSpecSubsetsTrafficPolicyPortLevelSettingsTlsMode, Gateway, GatewaySpecServersTlsMode, VirtualService } from '../../imports/networking.istio.io';
import { ISTIO_EGRESS_NAMESPACE } from '../../platform/naming';
import type { Environment, Platform } from '../../platform/types';
import { EGRESS_GATEWAY, gatewayHost } from './gateway-identities';
import { meshConfig } from './mesh-config';
import { type ExternalHost, externalHosts, hostSlug } from './topology';

/** Subset of the egress gateway Service for one external host (its mesh TLS carries the host as SNI). */
export const egressSubset = (host: string): string => `external-${hostSlug(host)}`;
/** "<namespace>/<name>" of the egress Gateway resource, as VirtualServices reference it. */
export const EGRESS_GATEWAY_REF = `${ISTIO_EGRESS_NAMESPACE}/${EGRESS_GATEWAY.name}`;

const exported = (namespaces: readonly string[]): string[] => ['.', ...[...new Set(namespaces)].filter((n) => n !== ISTIO_EGRESS_NAMESPACE).sort()];

export class EgressRouting extends Construct {
  constructor(scope: Construct, id: string, props: { readonly platform: Platform; readonly env: Environment }) {
    super(scope, id);
    const hosts = externalHosts(props.platform, props.env);
    if (hosts.length === 0) return;
    const gatewayFqdn = gatewayHost(EGRESS_GATEWAY);

    meshConfig(
      new Gateway(this, 'gateway', {
        metadata: { name: EGRESS_GATEWAY.name },
        spec: {
          selector: { ...EGRESS_GATEWAY.selector },
          servers: hosts.flatMap((h) =>
            h.ports.map((port) => ({
              port: { number: port, name: `tls-${port}-${hostSlug(h.host)}`.slice(0, 63), protocol: 'TLS' },
              hosts: [`./${h.host}`],
              tls: { mode: GatewaySpecServersTlsMode.ISTIO_UNDERSCORE_MUTUAL },
            })),
          ),
        },
      }),
    );

    meshConfig(
      new DestinationRule(this, 'gateway-destination', {
        metadata: { name: EGRESS_GATEWAY.name },
        spec: {
          host: gatewayFqdn,
          subsets: hosts.map((h) => ({
            name: egressSubset(h.host),
            trafficPolicy: { portLevelSettings: h.ports.map((port) => ({ port: { number: port }, tls: { mode: DestinationRuleSpecSubsetsTrafficPolicyPortLevelSettingsTlsMode.ISTIO_UNDERSCORE_MUTUAL, sni: h.host } })) },
          })),
          exportTo: exported(hosts.flatMap((h) => h.namespaces)),
        },
      }),
    );

    for (const external of hosts) new ExternalHostRoute(this, `route-${hostSlug(external.host)}`, { external, gatewayFqdn });
  }
}

class ExternalHostRoute extends Construct {
  constructor(scope: Construct, id: string, props: { readonly external: ExternalHost; readonly gatewayFqdn: string }) {
    super(scope, id);
    const { host, ports, namespaces } = props.external;
    meshConfig(
      new VirtualService(this, 'resource', {
        metadata: { name: `external-${hostSlug(host)}` },
        spec: {
          hosts: [host],
          gateways: ['mesh', EGRESS_GATEWAY_REF],
          exportTo: exported(namespaces),
          tls: ports.map((port) => ({
            match: [{ gateways: ['mesh'], port, sniHosts: [host] }],
            route: [{ destination: { host: props.gatewayFqdn, subset: egressSubset(host), port: { number: port } } }],
          })),
          tcp: ports.map((port) => ({
            match: [{ gateways: [EGRESS_GATEWAY_REF], port }],
            route: [{ destination: { host, port: { number: port } }, weight: 100 }],
          })),
        },
      }),
    );
  }
}
