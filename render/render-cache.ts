/**
 * Re-rendering only what a change touches, per environment: an environment's files are stored
 * under a key of everything its render reads (the code, the options and the model as that
 * environment sees it), and reused while that key is unchanged. A change to one environment's
 * release file therefore re-renders that environment only; any change to the code, the lockfile,
 * Node or the shared model re-renders all of them.
 *
 * What an environment's render reads is made exact rather than assumed: it is given the model
 * with only its own release (`platformForEnvironment`), in a cached render and an uncached one
 * alike, and the render reads no files, clock or environment variables (charts/, infra/,
 * apps-of-apps/ and platform/ outside load.ts). The code key comes from the launcher
 * (render/launch.cjs: paths, sizes and mtimes of every source file, the lockfile and the Node
 * version, the same key its bundle is built under); without one nothing is cached.
 *
 * A cache entry is one file per environment (the files' bytes, then an index of paths and
 * lengths), written as the files are made and renamed into place when the environment rendered
 * without a problem, and handed to the tree writer as bytes on a hit (no decoding, no copy). One
 * that cannot be read or does not match its key is a miss. Only the newest entry per environment
 * is kept.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { threadId } from 'worker_threads';
import type { Environment, Platform } from '../platform/types';
import type { RenderedFile } from './rendered-file';

export interface RenderCacheProps {
  /** Folder of the entries (created when first written). */
  readonly dir: string;
  /** Identity of the code that renders (e.g. the launcher's source key). */
  readonly codeKey: string;
}

/** The model as one environment's render sees it: every environment, but only its own release. */
export function platformForEnvironment(platform: Platform, env: Pick<Environment, 'name'>): Platform {
  return { ...platform, releases: platform.releases.filter((r) => r.environment === env.name) };
}

/**
 * An entry is the files' bytes one after the other, then this index as JSON, then the index's
 * length in bytes as TRAILER decimal digits.
 */
interface Index {
  readonly key: string;
  /** Path and length in bytes of each file, in the order of the bytes. */
  readonly files: readonly (readonly [string, number])[];
}

const TRAILER = 16;

/** An environment's files as stored: paths and lengths, and their bytes one after the other. */
export interface CachedFiles {
  readonly files: readonly (readonly [string, number])[];
  readonly body: Buffer;
}

/** The files of a cache entry as text. */
export function decodeCachedFiles(cached: CachedFiles): RenderedFile[] {
  let offset = 0;
  return cached.files.map(([p, bytes]) => {
    const content = cached.body.toString('utf8', offset, offset + bytes);
    offset += bytes;
    return { path: p, content };
  });
}

/** An entry being written (RenderCache.open). */
export interface CacheEntryWriter {
  add(files: readonly RenderedFile[]): void;
  commit(): void;
  abort(): void;
}

export class RenderCache {
  constructor(readonly props: RenderCacheProps) {}

  /** The key of an environment's render: the code, the options, and the model it is given. */
  key(envPlatform: Platform, env: Pick<Environment, 'name'>, options: { readonly terraform: boolean }): string {
    return createHash('sha256')
      .update(JSON.stringify({ code: this.props.codeKey, environment: env.name, terraform: options.terraform, platform: envPlatform }))
      .digest('hex');
  }

  /**
   * The files stored under `key` as their bytes (what the tree writer takes without decoding), or
   * undefined (a miss: no entry, another key, or an entry that does not add up).
   */
  readBytes(env: Pick<Environment, 'name'>, key: string): CachedFiles | undefined {
    try {
      const data = fs.readFileSync(this.file(env, key));
      const indexLength = Number(data.toString('latin1', data.length - TRAILER, data.length));
      const bodyLength = data.length - TRAILER - indexLength;
      if (!Number.isInteger(indexLength) || bodyLength < 0) return undefined;
      const index = JSON.parse(data.toString('utf8', bodyLength, bodyLength + indexLength)) as Index;
      if (index?.key !== key || !Array.isArray(index.files) || index.files.reduce((n, [, bytes]) => n + bytes, 0) !== bodyLength) return undefined;
      return { files: index.files, body: data.subarray(0, bodyLength) };
    } catch {
      return undefined;
    }
  }

  /**
   * Starts storing an environment's files under `key`: their bytes are appended to the entry as
   * they are made (so they never pile up in memory), the index of paths and lengths follows on
   * `commit`, and the entry appears, atomically, by a rename, which also drops the environment's
   * older entries. A cache that cannot be written is skipped.
   */
  open(env: Pick<Environment, 'name'>, key: string): CacheEntryWriter {
    const file = this.file(env, key);
    const tmp = `${file}.${process.pid}.${threadId}.tmp`;
    const files: [string, number][] = [];
    let fd: number | undefined;
    const fail = () => {
      if (fd !== undefined) fs.closeSync(fd);
      fd = undefined;
      fs.rmSync(tmp, { force: true });
    };
    try {
      fs.mkdirSync(this.props.dir, { recursive: true });
      fd = fs.openSync(tmp, 'w');
    } catch {
      fail();
    }
    return {
      add: (made) => {
        if (fd === undefined || made.length === 0) return;
        try {
          for (const f of made) files.push([f.path, Buffer.byteLength(f.content)]);
          fs.writeSync(fd, made.map((f) => f.content).join(''));
        } catch {
          fail();
        }
      },
      commit: () => {
        if (fd === undefined) return;
        try {
          const index = JSON.stringify({ key, files } satisfies Index);
          fs.writeSync(fd, `${index}${String(Buffer.byteLength(index)).padStart(TRAILER, '0')}`);
          fs.closeSync(fd);
          fd = undefined;
          fs.renameSync(tmp, file);
          for (const name of fs.readdirSync(this.props.dir)) {
            if (name !== path.basename(file) && this.isEntryOf(env, name)) fs.rmSync(path.join(this.props.dir, name), { force: true });
          }
        } catch {
          fail();
        }
      },
      abort: fail,
    };
  }

  /** `<env>.<key>.bin`: environment names hold no dots, so one environment's entries never match another's. */
  private file(env: Pick<Environment, 'name'>, key: string): string {
    return path.join(this.props.dir, `${env.name}.${key.slice(0, 32)}.bin`);
  }

  private isEntryOf(env: Pick<Environment, 'name'>, name: string): boolean {
    return name.startsWith(`${env.name}.`) && /^\.[0-9a-f]{32}\.(bin|json)$/.test(name.slice(env.name.length));
  }
}
