/**
 * Egress through the egress gateway (source 002 §9.2; Istio task "Egress gateway for HTTPS
 * traffic"), for the declared external hosts and the AWS APIs of the services' grants: the
 * application opens TLS to the external host itself; its sidecar routes the
 * connection by SNI to the egress gateway, which passes it through (no termination) to the host.
 * Everything lives in the egress namespace beside the ServiceEntries:
 * - `Gateway` `istio-egressgateway`: one TLS PASSTHROUGH server per port, hosts = the declared
 *   external hosts on that port;
 * - `DestinationRule` for the egress gateway Service with the `external` subset every route uses;
 * - one `VirtualService` per external host: mesh -> egress gateway (subset `external`), egress
 *   gateway -> the host, both matched on port and SNI.
 * The VirtualServices and DestinationRule are exported only to the declaring namespaces.
 *
 * Passthrough means the sidecar-to-gateway hop carries the application's TLS, not mesh mTLS, so the
 * gateway sees no caller principal (istio/istio#48955); what may leave is enforced at the callers'
 * sidecars (Sidecar egress hosts + ServiceEntry exportTo + REGISTRY_ONLY) and, at the gateway, by
 * SNI (EgressGatewayPolicy).
 */
import { Construct } from 'constructs';
import { DestinationRule, Gateway, GatewaySpecServersTlsMode, VirtualService } from '../../imports/networking.istio.io';
import { ISTIO_EGRESS_NAMESPACE } from '../../platform/naming';
import type { Environment, Platform } from '../../platform/types';
import { EGRESS_GATEWAY, gatewayHost } from './gateway-identities';
import { meshConfig } from './mesh-config';
import { type ExternalHost, externalHosts, hostSlug } from './topology';

/** Subset of the egress gateway Service that every egress route targets (one subset, as the Istio task reuses it). */
export const EGRESS_SUBSET = 'external';
/** "<namespace>/<name>" of the egress Gateway resource, as VirtualServices reference it. */
export const EGRESS_GATEWAY_REF = `${ISTIO_EGRESS_NAMESPACE}/${EGRESS_GATEWAY.name}`;

const exported = (namespaces: readonly string[]): string[] => ['.', ...[...new Set(namespaces)].filter((n) => n !== ISTIO_EGRESS_NAMESPACE).sort()];

export class EgressRouting extends Construct {
  constructor(scope: Construct, id: string, props: { readonly platform: Platform; readonly env: Environment }) {
    super(scope, id);
    const hosts = externalHosts(props.platform, props.env);
    if (hosts.length === 0) return;
    const gatewayFqdn = gatewayHost(EGRESS_GATEWAY);
    const ports = [...new Set(hosts.flatMap((h) => h.ports))].sort((a, b) => a - b);

    meshConfig(
      new Gateway(this, 'gateway', {
        metadata: { name: EGRESS_GATEWAY.name },
        spec: {
          selector: { ...EGRESS_GATEWAY.selector },
          servers: ports.map((port) => ({
            port: { number: port, name: `tls-${port}`, protocol: 'TLS' },
            hosts: hosts.filter((h) => h.ports.includes(port)).map((h) => `./${h.host}`),
            tls: { mode: GatewaySpecServersTlsMode.PASSTHROUGH },
          })),
        },
      }),
    );

    meshConfig(
      new DestinationRule(this, 'gateway-destination', {
        metadata: { name: EGRESS_GATEWAY.name },
        spec: { host: gatewayFqdn, subsets: [{ name: EGRESS_SUBSET }], exportTo: exported(hosts.flatMap((h) => h.namespaces)) },
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
          tls: ports.flatMap((port) => [
            {
              match: [{ gateways: ['mesh'], port, sniHosts: [host] }],
              route: [{ destination: { host: props.gatewayFqdn, subset: EGRESS_SUBSET, port: { number: port } } }],
            },
            {
              match: [{ gateways: [EGRESS_GATEWAY_REF], port, sniHosts: [host] }],
              route: [{ destination: { host, port: { number: port } }, weight: 100 }],
            },
          ]),
        },
      }),
    );
  }
}
