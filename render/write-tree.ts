/**
 * Replaces a rendered tree on disk with a new one computed in memory, as a whole:
 *
 * 1. take the folder's lock (`.<name>.synth-lock` beside it; a second synth waits);
 * 2. finish or undo what a killed synth left (see `recoverTree`);
 * 3. refuse a target that is not ours (`/`, the repository, a file, a folder holding files synth
 *    did not write: the manifest `.rendered-files` lists what it wrote);
 * 4. if nothing changed, touch nothing; otherwise write the whole new tree into `.<name>.synth-new`
 *    beside it (a write error there leaves the old tree untouched), then swap by two renames:
 *    `<name>` -> `.<name>.synth-old`, `.<name>.synth-new` -> `<name>`, and delete the old tree.
 *
 * A SIGKILL at any moment therefore leaves the old tree or the new one in `<name>`; only between
 * the two renames is `<name>` briefly absent, with the complete old tree beside it, which the next
 * synth (or `recoverTree`) moves back before anything else. The folder itself stays a real
 * directory of plain files (it is committed to Git, which Argo CD reads).
 */
import * as fs from 'fs';
import * as path from 'path';
import { MANIFEST_FILE, manifestFile, parseManifest } from './manifest';
import type { RenderedFile } from './rendered-file';
import { TreeError } from './tree-error';
import { acquireTreeLock, type TreeLockOptions } from './tree-lock';

export { TreeError } from './tree-error';

export interface WriteSummary {
  readonly total: number;
  readonly written: number;
  readonly unchanged: number;
  readonly deleted: number;
}

export interface WriteTreeOptions {
  /** Waiting for another synth writing the same folder. @default see TreeLockOptions */
  readonly lock?: TreeLockOptions;
}

/** The siblings of an output folder synth uses while replacing it. */
export function treeSiblings(outDir: string): { readonly staging: string; readonly previous: string; readonly lock: string } {
  const dir = path.dirname(outDir);
  const base = path.basename(outDir);
  return { staging: path.join(dir, `.${base}.synth-new`), previous: path.join(dir, `.${base}.synth-old`), lock: path.join(dir, `.${base}.synth-lock`) };
}

/** The repository this code lives in (the folder of its package.json). */
export function repositoryRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

const isErrno = (err: unknown, code: string) => (err as NodeJS.ErrnoException)?.code === code;

function lstat(p: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(p);
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return undefined;
    throw err;
  }
}

/** Every entry under `dir` that is not a folder ("/"-separated, relative), symbolic links included. */
function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (abs: string, rel: string) => {
    for (const entry of fs.readdirSync(abs, { withFileTypes: true })) {
      const r = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(path.join(abs, entry.name), r);
      else out.push(r);
    }
  };
  walk(dir, '');
  return out;
}

function listSome(paths: readonly string[]): string {
  const shown = paths.slice(0, 3).join(', ');
  return paths.length > 3 ? `${shown} and ${paths.length - 3} more` : shown;
}

/**
 * Refuses an output folder synth must not replace; returns the files it holds (none when it does
 * not exist). A folder is synth's when it is empty or holds its manifest; then every file in it must
 * be listed there or be one of `wanted` (the files about to be written, so a tree merged from two
 * branches still renders). Without `wanted` (the early check, before rendering) only the folder
 * itself is checked.
 */
export function checkTarget(outDir: string, wanted?: ReadonlySet<string>): string[] {
  const out = path.resolve(outDir);
  if (out === path.parse(out).root) throw new TreeError(`refusing to render into ${out}: it is the filesystem root`);
  const repo = repositoryRoot();
  if (out === repo) throw new TreeError(`refusing to render into ${out}: it is the repository root (use --out dist or a new folder)`);
  if (repo.startsWith(`${out}${path.sep}`)) throw new TreeError(`refusing to render into ${out}: it holds the repository ${repo}`);
  const stat = lstat(out);
  if (!stat) return [];
  if (stat.isSymbolicLink()) throw new TreeError(`refusing to render into ${out}: it is a symbolic link (give the folder it points to)`);
  if (!stat.isDirectory()) throw new TreeError(`refusing to render into ${out}: it is a file, not a folder`);
  const manifestPath = path.join(out, MANIFEST_FILE);
  const hasManifest = lstat(manifestPath)?.isFile() === true;
  if (!hasManifest) {
    const entries = fs.readdirSync(out);
    if (entries.length > 0) {
      throw new TreeError(`refusing to replace ${out}: it is not empty and was not rendered by synth (no ${MANIFEST_FILE}; it holds ${listSome(entries.sort())})`);
    }
    return [];
  }
  if (!wanted) return [];
  const files = listFiles(out);
  const manifest = parseManifest(fs.readFileSync(manifestPath, 'utf8'));
  const foreign = files.filter((f) => f !== MANIFEST_FILE && !manifest.has(f) && !wanted.has(f));
  if (foreign.length > 0) {
    throw new TreeError(`refusing to replace ${out}: it holds ${foreign.length === 1 ? 'a file' : 'files'} synth did not write (${listSome(foreign)}); move ${foreign.length === 1 ? 'it' : 'them'} out of the folder first`);
  }
  return files;
}

/**
 * Finishes or undoes a replacement a killed synth left half-way (call with the lock held): an old
 * tree beside a missing folder goes back; an old tree beside a present folder (the swap happened)
 * and any staging folder are deleted. Returns what it did, for tests.
 */
export function recoverTree(outDir: string): 'none' | 'restored' | 'cleaned' {
  const out = path.resolve(outDir);
  const { staging, previous } = treeSiblings(out);
  let done: 'none' | 'restored' | 'cleaned' = 'none';
  if (lstat(previous)) {
    if (lstat(out)) {
      fs.rmSync(previous, { recursive: true, force: true });
      done = 'cleaned';
    } else {
      fs.renameSync(previous, out);
      done = 'restored';
    }
  }
  if (lstat(staging)) {
    fs.rmSync(staging, { recursive: true, force: true });
    if (done === 'none') done = 'cleaned';
  }
  return done;
}

/** Paths must be plain relative paths, unique, and no file may sit where another needs a folder. */
function checkPaths(files: readonly RenderedFile[]): Map<string, string> {
  const wanted = new Map<string, string>();
  for (const f of files) {
    if (f.path === MANIFEST_FILE) continue;
    const normal = path.posix.normalize(f.path);
    if (normal !== f.path || normal === '.' || normal.startsWith('../') || path.posix.isAbsolute(normal) || normal.includes('\\')) {
      throw new TreeError(`refusing to write outside the tree: ${JSON.stringify(f.path)}`);
    }
    if (wanted.has(f.path)) throw new TreeError(`two objects render to ${f.path}`);
    wanted.set(f.path, f.content);
  }
  for (const p of wanted.keys()) {
    for (let i = p.indexOf('/'); i !== -1; i = p.indexOf('/', i + 1)) {
      const dir = p.slice(0, i);
      if (wanted.has(dir)) throw new TreeError(`${dir} would be both a file and the folder of ${p}`);
    }
  }
  return wanted;
}

/** Writes the whole tree into `dir` (which must not exist): each folder made once, each file written once. */
function writeAll(dir: string, files: ReadonlyMap<string, string>): void {
  fs.mkdirSync(dir);
  const made = new Set<string>();
  for (const [rel, content] of files) {
    const slash = rel.lastIndexOf('/');
    if (slash > 0) {
      const folder = rel.slice(0, slash);
      if (!made.has(folder)) {
        fs.mkdirSync(path.join(dir, folder), { recursive: true });
        made.add(folder);
      }
    }
    try {
      fs.writeFileSync(path.join(dir, rel), content);
    } catch (err) {
      throw new TreeError(`cannot write ${rel}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  }
}

export function writeTree(outDir: string, files: readonly RenderedFile[], options: WriteTreeOptions = {}): WriteSummary {
  const out = path.resolve(outDir);
  const wanted = checkPaths(files);
  const manifest = manifestFile([...wanted.keys()].map((p) => ({ path: p })));
  wanted.set(MANIFEST_FILE, manifest.content);
  const wantedPaths = new Set(wanted.keys());
  checkTarget(out);

  const { staging, previous, lock: lockFile } = treeSiblings(out);
  try {
    fs.mkdirSync(path.dirname(out), { recursive: true });
  } catch (err) {
    throw new TreeError(`cannot create the folder of ${out}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const lock = acquireTreeLock(lockFile, out, options.lock);
  try {
    recoverTree(out);
    const existing = checkTarget(out, wantedPaths);
    const existingSet = new Set(existing);
    const same = (rel: string) => existingSet.has(rel) && fs.readFileSync(path.join(out, rel), 'utf8') === wanted.get(rel);
    let unchanged = 0;
    for (const rel of wanted.keys()) if (rel !== MANIFEST_FILE && same(rel)) unchanged++;
    const total = wanted.size - 1;
    const summary: WriteSummary = { total, written: total - unchanged, unchanged, deleted: existing.filter((f) => f !== MANIFEST_FILE && !wanted.has(f)).length };
    if (summary.written === 0 && summary.deleted === 0 && same(MANIFEST_FILE)) return summary;

    try {
      writeAll(staging, wanted);
    } catch (err) {
      fs.rmSync(staging, { recursive: true, force: true });
      const message = err instanceof TreeError ? err.message : `cannot write the new tree: ${(err as Error).message}`;
      throw new TreeError(`${message}; ${out} is left as it was`);
    }
    if (!lock.held()) {
      fs.rmSync(staging, { recursive: true, force: true });
      throw new TreeError(`another synth took the lock of ${out} while this one was writing; ${out} is left as it was`);
    }
    const hadTree = lstat(out) !== undefined;
    if (hadTree) fs.renameSync(out, previous);
    fs.renameSync(staging, out);
    if (hadTree) fs.rmSync(previous, { recursive: true, force: true });
    return summary;
  } finally {
    lock.release();
  }
}
