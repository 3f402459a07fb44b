/**
 * Objects added, removed and changed between two rendered trees. Files whose bytes are equal are
 * skipped without parsing, so a diff costs what changed, not the size of the tree.
 */
import { isObjectFile, parseObjects, type RenderedObject } from './rendered-object';
import type { TreeFiles } from './read-tree';

export type ChangeType = 'added' | 'removed' | 'changed';

export interface ObjectChange {
  readonly type: ChangeType;
  /** The object as it was (removed, changed) and as it is (added, changed). */
  readonly before?: RenderedObject;
  readonly after?: RenderedObject;
}

/** The one object of a change, preferring its new state. */
export const subject = (c: ObjectChange): RenderedObject => (c.after ?? c.before)!;

/** JSON of a value with object keys sorted, for comparing structures regardless of key order. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).filter(([k]) => k !== '//').sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

export interface TreeComparison {
  readonly changes: readonly ObjectChange[];
  /** Non-object files (contract, pictures, SOPS config) that differ. */
  readonly otherFiles: readonly string[];
}

export function compareTrees(root: string, base: TreeFiles, head: TreeFiles): TreeComparison {
  const files = [...new Set([...base.keys(), ...head.keys()])].sort();
  const changes: ObjectChange[] = [];
  const otherFiles: string[] = [];
  for (const file of files) {
    const a = base.get(file);
    const b = head.get(file);
    if (a === b) continue;
    if (!isObjectFile(file)) {
      otherFiles.push(file);
      continue;
    }
    const before = new Map((a === undefined ? [] : parseObjects(root, file, a)).map((o) => [o.key, o]));
    const after = new Map((b === undefined ? [] : parseObjects(root, file, b)).map((o) => [o.key, o]));
    for (const [key, o] of before) {
      const n = after.get(key);
      if (!n) changes.push({ type: 'removed', before: o });
      else if (canonical(o.body) !== canonical(n.body)) changes.push({ type: 'changed', before: o, after: n });
    }
    for (const [key, n] of after) if (!before.has(key)) changes.push({ type: 'added', after: n });
  }
  return { changes, otherFiles };
}
