/**
 * AppProject changes: what a team may deploy, where, from which repositories, and when (sync
 * windows). argo-cd docs/user-guide/projects.md: the project is the boundary a team cannot cross.
 */
import { canonical, subject, type ObjectChange } from '../compare-trees';
import { flag, setDelta, type RiskFlag } from '../risk-flag';

const FIELDS = ['sourceRepos', 'destinations', 'clusterResourceWhitelist', 'namespaceResourceWhitelist', 'roles', 'syncWindows'] as const;

export function appProjectFlags(change: ObjectChange): RiskFlag[] {
  const o = subject(change);
  if (o.kind !== 'AppProject') return [];
  const attribution = (field: string) => (field === 'syncWindows' ? `environments[${o.env}].sync.windows` : o.name.startsWith('sre') || o.name === 'platform' ? 'platform add-ons / teams[sre]' : `teams[${o.name}]`);
  if (change.type !== 'changed') return [flag('app-project', o, `AppProject ${o.name} ${change.type}`, attribution(''))];
  const before = (change.before!.body.spec ?? {}) as Record<string, unknown[]>;
  const after = (change.after!.body.spec ?? {}) as Record<string, unknown[]>;
  const flags: RiskFlag[] = [];
  for (const field of FIELDS) {
    const { added, removed } = setDelta((before[field] ?? []).map(canonical), (after[field] ?? []).map(canonical));
    if (added.length + removed.length === 0) continue;
    const parts = [...added.map((a) => `+${a}`), ...removed.map((r) => `-${r}`)];
    flags.push(flag('app-project', o, `${field}: ${parts.join(' ')}`, attribution(field)));
  }
  if (flags.length === 0) flags.push(flag('app-project', o, 'changed (description or other fields)', attribution('')));
  return flags;
}
