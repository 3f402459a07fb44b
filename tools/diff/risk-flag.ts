/** What the diff warns a reviewer about, and how loudly. */
import type { RenderedObject } from './rendered-object';

/** Every flag `--fail-on` accepts, in the order reports list them. */
export const FLAG_IDS = [
  'prune-stateful',
  'prune',
  'mesh-widening',
  'mesh-narrowing',
  'egress-host',
  'fault-injection',
  'iam-widening',
  'app-project',
  'sync-policy',
  'terraform-replace',
  'terraform-removed',
  'terraform-added',
  'image',
  'replicas',
  'resources',
] as const;
export type FlagId = (typeof FLAG_IDS)[number];

/** loud: data or access may be lost or opened; review: needs a reviewer's eye; info: expected churn. */
export type Severity = 'loud' | 'review' | 'info';

export const SEVERITY: Readonly<Record<FlagId, Severity>> = {
  'prune-stateful': 'loud',
  prune: 'review',
  'mesh-widening': 'loud',
  'mesh-narrowing': 'review',
  'egress-host': 'review',
  'fault-injection': 'review',
  'iam-widening': 'loud',
  'app-project': 'review',
  'sync-policy': 'review',
  'terraform-replace': 'loud',
  'terraform-removed': 'loud',
  'terraform-added': 'info',
  image: 'info',
  replicas: 'info',
  resources: 'info',
};

export interface RiskFlag {
  readonly id: FlagId;
  readonly env: string;
  readonly team: string;
  readonly namespace: string;
  /** `<Kind>/<name>` of the object. */
  readonly object: string;
  readonly message: string;
  /** The model field or release entry that caused it, where the rendered tree tells. */
  readonly attribution?: string;
}

export function flag(id: FlagId, o: RenderedObject, message: string, attribution?: string): RiskFlag {
  return { id, env: o.env, team: o.team, namespace: o.namespace, object: `${o.kind}/${o.name}`, message, ...(attribution ? { attribution } : {}) };
}

/** Values in `after` but not in `before`, and the reverse, sorted. */
export function setDelta(before: Iterable<string>, after: Iterable<string>): { added: string[]; removed: string[] } {
  const a = new Set(before);
  const b = new Set(after);
  return { added: [...b].filter((x) => !a.has(x)).sort(), removed: [...a].filter((x) => !b.has(x)).sort() };
}
