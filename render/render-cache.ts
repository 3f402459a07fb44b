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
 * A cache entry is one JSON file per environment, written as the files are made and renamed into
 * place when the environment rendered without a problem; one that cannot be read or does not
 * match its key is a miss. Only the newest entry per environment is kept.
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

interface Entry {
  readonly key: string;
  readonly files: readonly (readonly [string, string])[];
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

  /** The files stored under `key`, or undefined (a miss). */
  read(env: Pick<Environment, 'name'>, key: string): RenderedFile[] | undefined {
    let entry: Entry;
    try {
      entry = JSON.parse(fs.readFileSync(this.file(env, key), 'utf8')) as Entry;
    } catch {
      return undefined;
    }
    if (entry?.key !== key || !Array.isArray(entry.files)) return undefined;
    return entry.files.map(([p, content]) => ({ path: p, content }));
  }

  /**
   * Starts storing an environment's files under `key`: they are appended to the entry as they are
   * made (so they never pile up in memory), and the entry appears, atomically, on `commit`, which
   * also drops the environment's older entries. A cache that cannot be written is skipped.
   */
  open(env: Pick<Environment, 'name'>, key: string): CacheEntryWriter {
    const file = this.file(env, key);
    const tmp = `${file}.${process.pid}.${threadId}.tmp`;
    let fd: number | undefined;
    let first = true;
    const fail = () => {
      if (fd !== undefined) fs.closeSync(fd);
      fd = undefined;
      fs.rmSync(tmp, { force: true });
    };
    try {
      fs.mkdirSync(this.props.dir, { recursive: true });
      fd = fs.openSync(tmp, 'w');
      fs.writeSync(fd, `{"key":${JSON.stringify(key)},"files":[`);
    } catch {
      fail();
    }
    return {
      add: (files) => {
        if (fd === undefined || files.length === 0) return;
        try {
          fs.writeSync(fd, `${first ? '' : ','}${files.map((f) => JSON.stringify([f.path, f.content])).join(',')}`);
          first = false;
        } catch {
          fail();
        }
      },
      commit: () => {
        if (fd === undefined) return;
        try {
          fs.writeSync(fd, ']}');
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

  /** `<env>.<key>.json`: environment names hold no dots, so one environment's entries never match another's. */
  private file(env: Pick<Environment, 'name'>, key: string): string {
    return path.join(this.props.dir, `${env.name}.${key.slice(0, 32)}.json`);
  }

  private isEntryOf(env: Pick<Environment, 'name'>, name: string): boolean {
    return name.startsWith(`${env.name}.`) && /^\.[0-9a-f]{32}\.json$/.test(name.slice(env.name.length));
  }
}
