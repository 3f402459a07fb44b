/**
 * Replaces a rendered tree on disk with a new one computed in memory: writes changed files (each
 * atomically, through a temporary file in the same folder), deletes files of objects that no longer
 * exist, removes emptied folders, and touches nothing outside the tree.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { RenderedFile } from './rendered-file';

export interface WriteSummary {
  readonly total: number;
  readonly written: number;
  readonly unchanged: number;
  readonly deleted: number;
}

const TOP_LEVEL_ENTRY = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function listFiles(dir: string, prefix = ''): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...listFiles(path.join(dir, entry.name), rel));
    else out.push(rel);
  }
  return out;
}

/** Refuses a folder that does not look like a rendered tree (say, the repository root by mistake). */
export function assertReplaceable(outDir: string): void {
  if (!fs.existsSync(outDir)) return;
  if (!fs.statSync(outDir).isDirectory()) throw new Error(`${outDir} exists and is not a folder`);
  const foreign = fs.readdirSync(outDir, { withFileTypes: true }).filter((e) => !e.isDirectory() || !TOP_LEVEL_ENTRY.test(e.name));
  if (foreign.length > 0) {
    throw new Error(`${outDir} does not look like a rendered tree (it holds ${foreign.map((e) => e.name).join(', ')}); refusing to replace it`);
  }
}

function removeEmptyDirs(dir: string, isRoot = true): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) removeEmptyDirs(path.join(dir, entry.name), false);
  }
  if (!isRoot && fs.readdirSync(dir).length === 0) fs.rmdirSync(dir);
}

export function writeTree(outDir: string, files: readonly RenderedFile[]): WriteSummary {
  const wanted = new Map<string, string>();
  for (const f of files) {
    const normal = path.posix.normalize(f.path);
    if (normal !== f.path || normal.startsWith('../') || path.posix.isAbsolute(normal)) throw new Error(`refusing to write outside the tree: ${f.path}`);
    if (wanted.has(f.path)) throw new Error(`two objects render to ${f.path}`);
    wanted.set(f.path, f.content);
  }
  assertReplaceable(outDir);

  let written = 0;
  let unchanged = 0;
  for (const [rel, content] of wanted) {
    const target = path.join(outDir, rel);
    if (fs.existsSync(target) && fs.readFileSync(target, 'utf8') === content) {
      unchanged++;
      continue;
    }
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const tmp = path.join(path.dirname(target), `.${path.basename(target)}.tmp`);
    fs.writeFileSync(tmp, content);
    fs.renameSync(tmp, target);
    written++;
  }
  let deleted = 0;
  for (const rel of listFiles(outDir)) {
    if (!wanted.has(rel)) {
      fs.unlinkSync(path.join(outDir, rel));
      deleted++;
    }
  }
  if (fs.existsSync(outDir)) removeEmptyDirs(outDir);
  return { total: wanted.size, written, unchanged, deleted };
}
