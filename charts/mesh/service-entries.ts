/**
 * The mesh's registry of what lives outside it (SPEC: "ServiceEntrys for external hosts (external
 * IdP, payment provider) and the Aurora endpoint"). With REGISTRY_ONLY, a host without an entry is
 * unreachable. Both kinds are rendered in the egress namespace and exported only to the namespaces
 * that declared them.
 */
import { Construct } from 'constructs';
import { ServiceEntry, ServiceEntrySpecLocation, ServiceEntrySpecResolution } from '../../imports/networking.istio.io';
import { AURORA_PORT, ISTIO_EGRESS_NAMESPACE } from '../../platform/naming';
import { subnetPlan } from '../../platform/network';
import type { Environment, Platform } from '../../platform/types';
import { meshConfig } from './mesh-config';
import { auroraMeshHost, databaseNamespaces, type ExternalHost, hostSlug } from './topology';

export const externalEntryName = (host: string): string => `external-${hostSlug(host)}`;
export const AURORA_ENTRY = 'aurora';

/**
 * An external host the applications open TLS to themselves (HTTPS or other TLS): the sidecars and
 * the egress gateway route it by SNI without terminating it. Exported to the declaring namespaces
 * and to this one (the egress gateway must resolve it too).
 */
export class ExternalServiceEntry extends Construct {
  constructor(scope: Construct, id: string, props: { readonly external: ExternalHost }) {
    super(scope, id);
    const { host, ports, namespaces } = props.external;
    meshConfig(
      new ServiceEntry(this, 'resource', {
        metadata: { name: externalEntryName(host) },
        spec: {
          hosts: [host],
          location: ServiceEntrySpecLocation.MESH_UNDERSCORE_EXTERNAL,
          resolution: ServiceEntrySpecResolution.DNS,
          ports: ports.map((port) => ({ number: port, name: `tls-${port}`, protocol: 'TLS' })),
          exportTo: ['.', ...namespaces.filter((n) => n !== ISTIO_EGRESS_NAMESPACE)],
        },
      }),
    );
  }
}

/**
 * The shared Aurora cluster, matched by address: the database subnets of the VPC (the endpoint's
 * DNS name is only known after `terraform apply` and its IPs move on failover, so the entry names
 * a stable in-mesh host and lets the sidecar pass connections to those subnets straight through,
 * TCP on the MySQL port). Exported to the namespaces whose services own a schema.
 */
export class AuroraServiceEntry extends Construct {
  constructor(scope: Construct, id: string, props: { readonly platform: Platform; readonly env: Environment }) {
    super(scope, id);
    const { platform, env } = props;
    const namespaces = databaseNamespaces(platform);
    if (namespaces.length === 0) return;
    meshConfig(
      new ServiceEntry(this, 'resource', {
        metadata: { name: AURORA_ENTRY },
        spec: {
          hosts: [auroraMeshHost(platform, env)],
          addresses: [...subnetPlan(env.vpcCidr, env.availabilityZones.length).database],
          location: ServiceEntrySpecLocation.MESH_UNDERSCORE_EXTERNAL,
          resolution: ServiceEntrySpecResolution.NONE,
          ports: [{ number: AURORA_PORT, name: 'tcp-mysql', protocol: 'TCP' }],
          exportTo: namespaces,
        },
      }),
    );
  }
}
