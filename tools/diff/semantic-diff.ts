/**
 * The semantic diff of two revisions of the rendered tree: objects added/removed/changed per
 * environment, team and namespace, and the risk flags of every change. Reads only the rendered
 * files and the release files at both revisions.
 */
import { readReleases } from './attribution';
import { compareTrees, subject, type ObjectChange } from './compare-trees';
import { appProjectFlags } from './flags/app-project';
import { egressHostFlags, indexSidecarHosts } from './flags/egress-hosts';
import { faultInjectionFlags } from './flags/fault-injection';
import { iamFlags } from './flags/iam-policy';
import { imageFlags } from './flags/images';
import { meshPolicyFlags } from './flags/mesh-policy';
import { pruneFlags } from './flags/prune';
import { scalingFlags } from './flags/scaling';
import { syncPolicyFlags } from './flags/sync-policy';
import { terraformFlags } from './flags/terraform-resources';
import { readTree, WORKING_TREE } from './read-tree';
import { FLAG_IDS, type RiskFlag } from './risk-flag';

export interface DiffOptions {
  /** Repository root. */
  readonly repo: string;
  /** Base revision. @default "HEAD" */
  readonly base?: string;
  /** Head revision. @default the working tree */
  readonly head?: string;
  /** Rendered tree folder, relative to the repository root. @default "dist" */
  readonly dist?: string;
  /** Release files folder, relative to the repository root. @default "platform/example/releases" */
  readonly releases?: string;
}

/** Added/removed/changed counts of one kind in one env/team/namespace. */
export interface KindCount {
  readonly env: string;
  readonly team: string;
  readonly namespace: string;
  readonly kind: string;
  added: number;
  removed: number;
  changed: number;
}

export interface SemanticDiff {
  readonly base: string;
  readonly head: string;
  readonly counts: readonly KindCount[];
  readonly flags: readonly RiskFlag[];
  readonly otherFiles: readonly string[];
}

function count(changes: readonly ObjectChange[]): KindCount[] {
  const byKey = new Map<string, KindCount>();
  for (const c of changes) {
    const o = subject(c);
    const key = [o.env, o.team, o.namespace, o.kind].join('\0');
    const entry = byKey.get(key) ?? { env: o.env, team: o.team, namespace: o.namespace, kind: o.kind, added: 0, removed: 0, changed: 0 };
    entry[c.type]++;
    byKey.set(key, entry);
  }
  return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
}

export function semanticDiff(options: DiffOptions): SemanticDiff {
  const base = options.base ?? 'HEAD';
  const head = options.head ?? WORKING_TREE;
  const dist = options.dist ?? 'dist';
  const releasesDir = options.releases ?? 'platform/example/releases';
  const { changes, otherFiles } = compareTrees(dist, readTree(options.repo, base, dist), readTree(options.repo, head, dist));
  const ctx = { base: readReleases(readTree(options.repo, base, releasesDir)), head: readReleases(readTree(options.repo, head, releasesDir)) };
  const sidecars = indexSidecarHosts(changes);
  const flags = changes.flatMap((c) => [
    ...pruneFlags(c),
    ...meshPolicyFlags(c),
    ...egressHostFlags(c, sidecars),
    ...faultInjectionFlags(c),
    ...imageFlags(c, ctx),
    ...scalingFlags(c),
    ...appProjectFlags(c),
    ...syncPolicyFlags(c),
    ...terraformFlags(c),
    ...iamFlags(c),
  ]);
  const order = new Map(FLAG_IDS.map((id, i) => [id, i]));
  flags.sort((a, b) => order.get(a.id)! - order.get(b.id)! || (a.env < b.env ? -1 : a.env > b.env ? 1 : 0));
  return { base, head: head === WORKING_TREE ? 'working tree' : head, counts: count(changes), flags, otherFiles };
}
