/**
 * Application sync policy changes: dropping `automated` makes a person sync (an approval gate);
 * adding it, or `prune` / `selfHeal`, lets Argo CD apply and delete on its own
 * (argo-cd docs/user-guide/auto_sync.md).
 */
import { canonical, subject, type ObjectChange } from '../compare-trees';
import { flag, type RiskFlag } from '../risk-flag';

type Policy = { automated?: Record<string, unknown> } | undefined;

export function syncPolicyFlags(change: ObjectChange): RiskFlag[] {
  const o = subject(change);
  if (o.kind !== 'Application' || change.type !== 'changed') return [];
  const before = (change.before!.body.spec as { syncPolicy?: Policy } | undefined)?.syncPolicy?.automated;
  const after = (change.after!.body.spec as { syncPolicy?: Policy } | undefined)?.syncPolicy?.automated;
  if (canonical(before) === canonical(after)) return [];
  const describe = (a: Record<string, unknown> | undefined) => (a ? `automated ${canonical(a)}` : 'manual');
  return [flag('sync-policy', o, `Application ${o.name}: ${describe(before)} -> ${describe(after)}`, `environments[${o.env}].sync.automated`)];
}
