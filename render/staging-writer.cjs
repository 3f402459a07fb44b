'use strict';
/**
 * Builds the new tree in the staging folder beside the output folder (see write-tree.ts), file by
 * file as the render hands them over:
 *
 * - a file equal to the one in the current tree is not written again but hard-linked from it (one
 *   metadata operation instead of creating and writing a file; on this kind of disk creating a file
 *   costs ~10x a link), or copied where links are not possible (another file system);
 * - until the first file differs nothing is created at all, so a render that changes nothing leaves
 *   no trace; the files found equal until then are linked when the first difference appears;
 * - a file is only ever created new (`wx`), so nothing is ever written through a link into the
 *   current tree.
 *
 * Plain CommonJS without dependencies, because it runs both in the render's thread (writeTree) and
 * in a worker thread beside the render (openTree), where it overlaps the disk work with rendering;
 * the worker is started from this file as it is, by tsx, jest and the bundled synth alike.
 */
const fs = require('fs');
const path = require('path');
const { isMainThread, parentPort, workerData } = require('worker_threads');

/** Errors a hard link can fail with where a copy still works (other file system, no link support, too many links). */
const LINK_UNSUPPORTED = new Set(['EXDEV', 'EPERM', 'EMLINK', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS']);

class StagingError extends Error {}

class StagingWriter {
  /**
   * @param {string} out the current tree (may not exist)
   * @param {string} staging the folder to build (must not exist)
   */
  constructor(out, staging) {
    this.out = out;
    /** No current tree (a first render): nothing to compare, so no file is looked for in it. */
    this.fresh = !fs.existsSync(out);
    this.staging = staging;
    this.materialized = false;
    /** Files equal to the current tree's, seen before the first difference (linked once there is one). */
    this.pending = [];
    this.folders = new Set();
    this.written = 0;
    this.unchanged = 0;
  }

  /**
   * Files as their bytes, one after the other (a render cache entry, see render-cache.ts).
   * @param {ReadonlyArray<readonly [string, number]>} files relative path and length in bytes
   * @param {Uint8Array} body
   */
  addBytes(files, body) {
    let offset = 0;
    this.add(
      files.map(([rel, bytes]) => {
        const content = body.subarray(offset, offset + bytes);
        offset += bytes;
        return [rel, content];
      }),
    );
  }

  /** @param {ReadonlyArray<readonly [string, string | Uint8Array]>} files relative path and content (text or bytes) */
  add(files) {
    for (const [rel, content] of files) {
      if (this.sameAsCurrent(rel, content)) {
        this.unchanged++;
        if (this.materialized) this.link(rel);
        else this.pending.push(rel);
      } else {
        this.written++;
        this.materialize();
        this.create(rel, content);
      }
    }
  }

  /**
   * Ends the tree with its manifest. Returns whether a staging tree was built: not when every file
   * and the manifest equal the current tree's and `force` (files to delete) is false.
   */
  finish(manifestName, manifest, force) {
    if (!force && !this.materialized && this.sameAsCurrent(manifestName, manifest)) return this.result(false);
    this.materialize();
    this.create(manifestName, manifest);
    return this.result(true);
  }

  /** Removes whatever was staged. */
  abort() {
    fs.rmSync(this.staging, { recursive: true, force: true });
  }

  result(materialized) {
    return { materialized, written: this.written, unchanged: this.unchanged };
  }

  /** Whether the current tree holds exactly this content at `rel` as a plain file (a symbolic link never counts). */
  sameAsCurrent(rel, content) {
    if (this.fresh) return false;
    let fd;
    try {
      fd = fs.openSync(path.join(this.out, rel), fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
    } catch {
      return false;
    }
    try {
      const current = fs.readFileSync(fd);
      return typeof content === 'string' ? current.toString('utf8') === content : current.equals(content);
    } catch {
      return false;
    } finally {
      fs.closeSync(fd);
    }
  }

  materialize() {
    if (this.materialized) return;
    try {
      fs.mkdirSync(this.staging);
    } catch (err) {
      throw new StagingError(`cannot create ${this.staging}: ${err.code ?? err.message}`);
    }
    this.materialized = true;
    for (const rel of this.pending) this.link(rel);
    this.pending = [];
  }

  folderOf(rel) {
    const slash = rel.lastIndexOf('/');
    if (slash <= 0) return;
    const folder = rel.slice(0, slash);
    if (this.folders.has(folder)) return;
    try {
      fs.mkdirSync(path.join(this.staging, folder), { recursive: true });
    } catch (err) {
      throw new StagingError(`cannot write ${rel}: ${err.code ?? err.message}`);
    }
    this.folders.add(folder);
  }

  create(rel, content) {
    this.folderOf(rel);
    try {
      fs.writeFileSync(path.join(this.staging, rel), content, { flag: 'wx' });
    } catch (err) {
      throw new StagingError(`cannot write ${rel}: ${err.code ?? err.message}`);
    }
  }

  link(rel) {
    this.folderOf(rel);
    const from = path.join(this.out, rel);
    const to = path.join(this.staging, rel);
    try {
      fs.linkSync(from, to);
    } catch (err) {
      if (!LINK_UNSUPPORTED.has(err.code)) throw new StagingError(`cannot write ${rel}: ${err.code ?? err.message}`);
      try {
        fs.copyFileSync(from, to, fs.constants.COPYFILE_EXCL);
      } catch (copyErr) {
        throw new StagingError(`cannot write ${rel}: ${copyErr.code ?? copyErr.message}`);
      }
    }
  }
}

/**
 * The worker side: messages {type: 'add', files} | {type: 'addBytes', files, body} | {type:
 * 'finish', manifestName, manifest, force}. The first failure stops all further work; it is
 * answered at 'finish' (the render thread listens only then), as is the result. To abort, the
 * render thread terminates the worker and removes the staging folder itself.
 */
function serveWorker() {
  const writer = new StagingWriter(workerData.out, workerData.staging);
  let failure;
  parentPort.on('message', (msg) => {
    try {
      if (failure) {
        if (msg.type === 'finish') parentPort.postMessage({ type: 'failed', message: failure });
        return;
      }
      if (msg.type === 'add') writer.add(msg.files);
      else if (msg.type === 'addBytes') writer.addBytes(msg.files, msg.body);
      else if (msg.type === 'finish') parentPort.postMessage({ type: 'done', result: writer.finish(msg.manifestName, msg.manifest, msg.force) });
    } catch (err) {
      failure = err instanceof StagingError ? err.message : `cannot write the new tree: ${err.message}`;
      if (msg.type === 'finish') parentPort.postMessage({ type: 'failed', message: failure });
    }
  });
}

if (!isMainThread && workerData && workerData.stagingWriter === true) serveWorker();

module.exports = { StagingWriter, StagingError };
