/**
 * Objects gone from the tree: the child Applications sync with `automated.prune: true`, so Argo CD
 * deletes them from the cluster (argo-cd docs/user-guide/auto_sync.md, "Automatic Pruning"), unless
 * the object carries `argocd.argoproj.io/sync-options: Prune=false` (docs/user-guide/sync-options.md).
 * Kinds whose deletion loses data or everything inside them are flagged loudly.
 */
import { subject, type ObjectChange } from '../compare-trees';
import { flag, type RiskFlag } from '../risk-flag';
import { serviceOf, servicePath } from '../attribution';

/** Deleting one of these loses data (PVC, StatefulSet volumes), every object inside (Namespace, CRD) or a synced secret. */
export const STATEFUL_KINDS: ReadonlySet<string> = new Set(['Namespace', 'PersistentVolumeClaim', 'CustomResourceDefinition', 'StatefulSet', 'ExternalSecret']);

const keepsOnPrune = (body: Record<string, unknown>): boolean => {
  const annotations = ((body.metadata as Record<string, unknown> | undefined)?.annotations ?? {}) as Record<string, string>;
  return /(^|,)\s*Prune=false\s*(,|$)/.test(annotations['argocd.argoproj.io/sync-options'] ?? '');
};

export function pruneFlags(change: ObjectChange): RiskFlag[] {
  const o = subject(change);
  if (change.type !== 'removed' || o.layer === 'terraform') return [];
  const stateful = STATEFUL_KINDS.has(o.kind);
  const how = keepsOnPrune(o.body) ? 'removed from Git; it carries Prune=false, so Argo CD leaves it in the cluster until someone deletes it by hand' : 'Argo CD will prune (delete) it from the cluster';
  const what = o.kind === 'Namespace' ? ' and everything in it' : o.kind === 'CustomResourceDefinition' ? ' and every object of that kind' : o.kind === 'PersistentVolumeClaim' || o.kind === 'StatefulSet' ? ' and its volume data' : '';
  const attribution = o.kind === 'Namespace' ? `teams[${o.team}].namespaces[${o.name}] removed` : o.namespace !== 'cluster' && o.layer === 'kubernetes' ? o.kind === 'ExternalSecret' ? `${servicePath(o, serviceOf(o))}.secrets / .database removed` : `${servicePath(o, serviceOf(o))} removed or changed` : undefined;
  return [flag(stateful ? 'prune-stateful' : 'prune', o, `${o.kind} ${o.name}${what}: ${how}`, attribution)];
}
