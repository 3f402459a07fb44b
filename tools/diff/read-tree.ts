/**
 * Reads a rendered tree (every file under one folder) at a Git revision, or from the working
 * tree. One `git ls-tree` and one `git cat-file --batch` per revision: linear in the tree size.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/** The working tree (files on disk) rather than a commit. */
export const WORKING_TREE = 'WORKTREE';

/** Files of a tree, keyed by their path relative to the repository root (POSIX separators). */
export type TreeFiles = ReadonlyMap<string, string>;

export function git(repo: string, args: readonly string[], input?: string): string {
  return execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8', input, maxBuffer: 1 << 30, stdio: ['pipe', 'pipe', 'pipe'] });
}

function walk(root: string, rel: string, out: Map<string, string>): void {
  const dir = path.join(root, rel);
  if (!fs.existsSync(dir)) return;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const child = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) walk(root, child, out);
    else if (entry.isFile()) out.set(child, fs.readFileSync(path.join(root, child), 'utf8'));
  }
}

/** Every file under `folder` (relative to the repository root) at `revision`. */
export function readTree(repo: string, revision: string, folder: string): TreeFiles {
  const out = new Map<string, string>();
  const prefix = folder.replace(/\/+$/, '');
  if (revision === WORKING_TREE) {
    walk(repo, prefix, out);
    return out;
  }
  const listed = git(repo, ['ls-tree', '-r', '-z', '--name-only', revision, '--', prefix]).split('\0').filter(Boolean);
  if (listed.length === 0) return out;
  const raw = execFileSync('git', ['-C', repo, 'cat-file', '--batch'], { input: listed.map((p) => `${revision}:${p}\n`).join(''), maxBuffer: 1 << 30 });
  let offset = 0;
  for (const file of listed) {
    const headerEnd = raw.indexOf(0x0a, offset);
    const header = raw.subarray(offset, headerEnd).toString('utf8');
    const size = Number(header.split(' ')[2]);
    if (!Number.isInteger(size)) throw new Error(`git cat-file: unexpected answer "${header}" for ${revision}:${file}`);
    out.set(file, raw.subarray(headerEnd + 1, headerEnd + 1 + size).toString('utf8'));
    offset = headerEnd + 1 + size + 1;
  }
  return out;
}

/** The commit a revision names (full hash). */
export const resolveCommit = (repo: string, revision: string): string => git(repo, ['rev-parse', '--verify', `${revision}^{commit}`]).trim();
