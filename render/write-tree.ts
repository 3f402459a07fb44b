/**
 * Replaces a rendered tree on disk with a new one, as a whole:
 *
 * 1. take the folder's lock (`.<name>.synth-lock` beside it; a second synth waits);
 * 2. finish or undo what a killed synth left (see `recoverTree`);
 * 3. refuse a target that is not ours (`/`, the repository, a file, a folder holding files synth
 *    did not write: the manifest `.rendered-files` lists what it wrote);
 * 4. build the new tree in `.<name>.synth-new` beside it as the files arrive (staging-writer.cjs:
 *    unchanged files hard-linked from the current tree, nothing created at all until a file
 *    differs), on a worker thread while the render goes on (`openTree`) or in this thread
 *    (`writeTree`); a problem at any point drops it and leaves the old tree untouched;
 * 5. if nothing changed, touch nothing; otherwise swap by two renames: `<name>` ->
 *    `.<name>.synth-old`, `.<name>.synth-new` -> `<name>`, and delete the old tree.
 *
 * A SIGKILL at any moment therefore leaves the old tree or the new one in `<name>`; only between
 * the two renames is `<name>` briefly absent, with the complete old tree beside it, which the next
 * synth (or `recoverTree`) moves back before anything else. The folder itself stays a real
 * directory of plain files (it is committed to Git, which Argo CD reads).
 */
import * as fs from 'fs';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { MANIFEST_FILE, manifestFile, parseManifest } from './manifest';
import type { RenderedFile } from './rendered-file';
import { TreeError } from './tree-error';
import { StagingError, StagingWriter, type StagingResult } from './staging-writer.cjs';
import { acquireTreeLock, type TreeLock, type TreeLockOptions } from './tree-lock';

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

/**
 * The paths of a tree being built: plain relative paths, each once, and no file where another
 * needs a folder. Checked as files arrive; the first problem stops the tree (see `problem`).
 */
class TreePaths {
  readonly files = new Set<string>();
  /** Every folder some file needs, with the first file that needed it. */
  private readonly folders = new Map<string, string>();
  problem?: string;

  /** Whether `p` may be written; the manifest's own name is skipped (synth writes it last). */
  accept(p: string): boolean {
    if (this.problem !== undefined || p === MANIFEST_FILE) return false;
    this.problem = this.check(p);
    if (this.problem !== undefined) return false;
    this.files.add(p);
    for (let i = p.indexOf('/'); i !== -1; i = p.indexOf('/', i + 1)) {
      const folder = p.slice(0, i);
      if (!this.folders.has(folder)) this.folders.set(folder, p);
    }
    return true;
  }

  private check(p: string): string | undefined {
    const normal = path.posix.normalize(p);
    if (normal !== p || normal === '.' || normal.startsWith('../') || path.posix.isAbsolute(normal) || normal.includes('\\')) {
      return `refusing to write outside the tree: ${JSON.stringify(p)}`;
    }
    if (this.files.has(p)) return `two objects render to ${p}`;
    const under = this.folders.get(p);
    if (under !== undefined) return `${p} would be both a file and the folder of ${under}`;
    for (let i = p.indexOf('/'); i !== -1; i = p.indexOf('/', i + 1)) {
      const folder = p.slice(0, i);
      if (this.files.has(folder)) return `${folder} would be both a file and the folder of ${p}`;
    }
    return undefined;
  }
}

/** Where the new tree is built: in the render's thread, or in a worker thread beside it. */
interface StagingBackend {
  add(files: [string, string][]): void;
  addBytes(files: readonly (readonly [string, number])[], body: Uint8Array): void;
  finish(manifest: string, force: boolean): StagingResult | Promise<StagingResult>;
  /** Stops building and removes the staging folder. */
  abort(): void | Promise<void>;
}

/** The writer in this thread; like the worker, it reports its first failure at the end. */
class InlineStaging implements StagingBackend {
  private readonly writer: StagingWriter;
  private failure?: unknown;
  constructor(out: string, staging: string) {
    this.writer = new StagingWriter(out, staging);
  }
  add(files: [string, string][]): void {
    this.run(() => this.writer.add(files));
  }
  addBytes(files: readonly (readonly [string, number])[], body: Uint8Array): void {
    this.run(() => this.writer.addBytes(files, body));
  }
  private run(step: () => void): void {
    if (this.failure !== undefined) return;
    try {
      step();
    } catch (err) {
      this.failure = err;
    }
  }
  finish(manifest: string, force: boolean): StagingResult {
    if (this.failure !== undefined) throw this.failure;
    return this.writer.finish(MANIFEST_FILE, manifest, force);
  }
  abort(): void {
    this.writer.abort();
  }
}

/** staging-writer.cjs run as it is (this file's folder, in the repository also when synth runs bundled). */
const STAGING_WORKER = path.join(__dirname, 'staging-writer.cjs');

/**
 * The staging writer on a worker thread: the render hands files over as it makes them (the copy
 * into the worker is cheap next to creating the files), and the disk work runs on the second core
 * while the render goes on. The worker answers only at the end; a worker that fails or dies ends
 * the write with an error (never a wait).
 */
class WorkerStaging implements StagingBackend {
  private readonly worker: Worker;
  private failure?: Error;
  constructor(out: string, private readonly staging: string) {
    this.worker = new Worker(STAGING_WORKER, { workerData: { stagingWriter: true, out, staging } });
    this.worker.on('error', (err) => (this.failure ??= err));
    this.worker.on('exit', (code) => (this.failure ??= new Error(`the writer thread stopped (exit code ${code})`)));
  }
  add(files: [string, string][]): void {
    if (this.failure === undefined) this.worker.postMessage({ type: 'add', files });
  }
  addBytes(files: readonly (readonly [string, number])[], body: Uint8Array): void {
    if (this.failure !== undefined) return;
    // A large read has its own ArrayBuffer (Node pools only small ones): moved to the worker, not copied.
    const own = body.buffer.byteLength >= 64 * 1024;
    this.worker.postMessage({ type: 'addBytes', files, body }, own ? [body.buffer as ArrayBuffer] : []);
  }
  finish(manifest: string, force: boolean): Promise<StagingResult> {
    return new Promise<StagingResult>((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      const onMessage = (msg: { type: string; result?: StagingResult; message?: string }) => {
        this.worker.off('exit', onExit);
        if (msg.type === 'done') resolve(msg.result!);
        else reject(new StagingError(msg.message ?? 'the writer thread failed'));
      };
      const onExit = () => {
        this.worker.off('message', onMessage);
        reject(this.failure);
      };
      this.worker.once('message', onMessage);
      this.worker.once('exit', onExit);
      this.worker.postMessage({ type: 'finish', manifestName: MANIFEST_FILE, manifest, force });
    }).finally(() => this.worker.terminate());
  }
  async abort(): Promise<void> {
    // Stopping the thread first drops the files still queued for it.
    await this.worker.terminate();
    fs.rmSync(this.staging, { recursive: true, force: true });
  }
}

export interface OpenTreeOptions extends WriteTreeOptions {
  /** Build the new tree on a worker thread beside the render. @default true */
  readonly worker?: boolean;
}

/**
 * A tree being replaced: `add` the files as they are rendered, then `finish` (or `abort`). Holds
 * the folder's lock from `openTree` to the end.
 */
export class TreeWriter {
  private readonly paths = new TreePaths();
  private readonly backend: StagingBackend;
  private readonly lock: TreeLock;
  private readonly staging: string;
  private readonly previous: string;
  private closed = false;

  /** @internal use openTree */
  constructor(
    private readonly out: string,
    options: OpenTreeOptions,
  ) {
    checkTarget(out);
    const { staging, previous, lock: lockFile } = treeSiblings(out);
    this.staging = staging;
    this.previous = previous;
    try {
      fs.mkdirSync(path.dirname(out), { recursive: true });
    } catch (err) {
      throw new TreeError(`cannot create the folder of ${out}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    this.lock = acquireTreeLock(lockFile, out, options.lock);
    try {
      recoverTree(out);
      checkTarget(out);
      this.backend = (options.worker ?? true) ? new WorkerStaging(out, staging) : new InlineStaging(out, staging);
    } catch (err) {
      this.lock.release();
      throw err;
    }
  }

  /** Hands rendered files over (paths are checked here; a problem is reported by `finish`). */
  add(files: readonly RenderedFile[]): void {
    if (this.closed) throw new Error('the tree is already finished');
    const accepted: [string, string][] = [];
    for (const f of files) if (this.paths.accept(f.path)) accepted.push([f.path, f.content]);
    if (accepted.length > 0 && this.paths.problem === undefined) this.backend.add(accepted);
  }

  /**
   * Hands over files as their bytes, one after the other (a render cache entry): the writer
   * compares and writes them without decoding them. Paths are checked as in `add`.
   */
  addBytes(cached: { readonly files: readonly (readonly [string, number])[]; readonly body: Uint8Array }): void {
    if (this.closed) throw new Error('the tree is already finished');
    for (const [p] of cached.files) {
      // The render never makes the manifest, so no cache entry holds its name.
      if (!this.paths.accept(p)) this.paths.problem ??= `a cached environment holds ${p}, which synth writes itself`;
    }
    if (this.paths.problem === undefined) this.backend.addBytes(cached.files, cached.body);
  }

  /**
   * Ends the tree: refuses a folder holding files synth did not write, writes the manifest, and
   * swaps the new tree in (or touches nothing when nothing changed). On any failure the new tree
   * is dropped and the folder is left as it was.
   */
  async finish(): Promise<WriteSummary> {
    this.close();
    try {
      const { force, manifest, summary } = this.plan();
      return this.complete(summary, await this.backend.finish(manifest, force));
    } catch (err) {
      await this.backend.abort();
      throw this.failure(err);
    } finally {
      this.lock.release();
    }
  }

  /** `finish` for a tree built in this thread (writeTree). */
  finishSync(): WriteSummary {
    if (!(this.backend instanceof InlineStaging)) throw new Error('finishSync needs a tree built in this thread');
    const backend = this.backend;
    this.close();
    try {
      const { force, manifest, summary } = this.plan();
      return this.complete(summary, backend.finish(manifest, force));
    } catch (err) {
      backend.abort();
      throw this.failure(err);
    } finally {
      this.lock.release();
    }
  }

  /** Drops the new tree; the folder stays as it was. */
  async abort(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.backend.abort();
    } finally {
      this.lock.release();
    }
  }

  private close(): void {
    if (this.closed) throw new Error('the tree is already finished');
    this.closed = true;
  }

  private failure(err: unknown): TreeError {
    if (err instanceof TreeError) return err;
    if (err instanceof StagingError) return new TreeError(`${err.message}; ${this.out} is left as it was`);
    return new TreeError(`cannot write the new tree: ${(err as Error)?.message ?? String(err)}; ${this.out} is left as it was`);
  }

  private plan(): { force: boolean; manifest: string; summary: Omit<WriteSummary, 'written' | 'unchanged'> } {
    if (this.paths.problem !== undefined) throw new TreeError(this.paths.problem);
    const wanted = this.paths.files;
    const existing = checkTarget(this.out, wanted);
    const deleted = existing.filter((f) => f !== MANIFEST_FILE && !wanted.has(f)).length;
    return { force: deleted > 0, manifest: manifestFile([...wanted].map((p) => ({ path: p }))).content, summary: { total: wanted.size, deleted } };
  }

  private complete(summary: Omit<WriteSummary, 'written' | 'unchanged'>, result: StagingResult): WriteSummary {
    const done = { total: summary.total, written: result.written, unchanged: result.unchanged, deleted: summary.deleted };
    if (!result.materialized) return done;
    if (!this.lock.held()) throw new TreeError(`another synth took the lock of ${this.out} while this one was writing; ${this.out} is left as it was`);
    const hadTree = lstat(this.out) !== undefined;
    if (hadTree) fs.renameSync(this.out, this.previous);
    try {
      fs.renameSync(this.staging, this.out);
    } catch (err) {
      if (hadTree) fs.renameSync(this.previous, this.out);
      throw err;
    }
    if (hadTree) fs.rmSync(this.previous, { recursive: true, force: true });
    return done;
  }
}

/** Starts replacing `outDir`: takes its lock, finishes what a killed synth left, and checks the folder is synth's. */
export function openTree(outDir: string, options: OpenTreeOptions = {}): TreeWriter {
  return new TreeWriter(path.resolve(outDir), options);
}

/** Replaces `outDir` with `files` as a whole, in this thread (see the file's comment). */
export function writeTree(outDir: string, files: readonly RenderedFile[], options: WriteTreeOptions = {}): WriteSummary {
  const tree = openTree(outDir, { ...options, worker: false });
  tree.add(files);
  return tree.finishSync();
}
