/**
 * Mutual TLS (source 003 §17, 002 §10.3): STRICT everywhere, so a plaintext connection to a meshed
 * Pod is refused and every caller carries a verifiable identity for the AuthorizationPolicies.
 *
 * No port-level exception: Prometheus, outside the mesh, scrapes meshed Pods over mutual TLS with
 * the workload certificate its own sidecar writes out (naming.ts PROMETHEUS_IDENTITY), so it has a
 * principal like any caller (MetricsScrapePolicy).
 */
import { Construct } from 'constructs';
import { PeerAuthentication, PeerAuthenticationSpecMtlsMode } from '../../imports/security.istio.io';
import { meshConfig } from './mesh-config';

/** Name Istio expects for the namespace-wide (and, in the root namespace, mesh-wide) policy. */
export const DEFAULT_PEER_AUTHENTICATION = 'default';

/**
 * STRICT for every workload of the namespace it is rendered in. Rendered in the Istio root
 * namespace (istio-system) it is the mesh-wide default: istio-system itself runs no sidecars, but
 * it holds mesh-wide policy.
 */
export class StrictPeerAuthentication extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    meshConfig(new PeerAuthentication(this, 'resource', { metadata: { name: DEFAULT_PEER_AUTHENTICATION }, spec: { mtls: { mode: PeerAuthenticationSpecMtlsMode.STRICT } } }));
  }
}
