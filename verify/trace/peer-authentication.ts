/**
 * Hop: `PeerAuthentication` of the destination (istio.io/latest/docs/reference/config/security/peer_authentication/):
 * the workload-selected policy, else the namespace's, else the root namespace's (mesh-wide) one;
 * mode STRICT refuses a plaintext connection (a caller without a sidecar).
 */
import { type DistTree, objectsIn, ref } from './dist-tree';
import { selects } from './gateway';
import { type Hop, refuse, type Workload } from './hop';
import { ROOT_NAMESPACE } from './request-authentication';

export function evaluatePeerAuthentication(tree: DistTree, to: { namespace: string; labels?: Readonly<Record<string, string>> }, callerHasMtls: boolean): Hop {
  const own = objectsIn(tree, 'PeerAuthentication', to.namespace);
  const pa =
    own.find((p) => p.spec?.selector && to.labels && selects(p.spec.selector.matchLabels, to.labels)) ??
    own.find((p) => !p.spec?.selector) ??
    objectsIn(tree, 'PeerAuthentication', ROOT_NAMESPACE).find((p) => !p.spec?.selector);
  const mode = pa?.spec?.mtls?.mode ?? 'PERMISSIVE';
  if (mode === 'STRICT' && !callerHasMtls) return refuse('PeerAuthentication', pa ? ref(pa) : '(mesh default)', 'STRICT mTLS and the caller has no Istio proxy (plaintext)', `${pa ? ref(pa) : 'PeerAuthentication'} mtls.mode STRICT`, 'connection reset');
  return { hop: 'PeerAuthentication', object: pa ? ref(pa) : '(none)', detail: `${mode}${callerHasMtls ? ': mutual TLS' : ': plaintext accepted'}` };
}
export type { Workload };
