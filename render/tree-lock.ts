/**
 * One synth at a time per output folder: a lock file beside the folder (`.<name>.synth-lock`)
 * created exclusively and holding the owner's pid. A second synth waits for it; a lock whose owner
 * is gone (killed) is taken over; a lock still held when the wait runs out stops with a message.
 */
import * as fs from 'fs';
import * as path from 'path';
import { TreeError } from './tree-error';

export interface TreeLockOptions {
  /** How long to wait for another synth to finish. @default 120000 (two minutes) */
  readonly timeoutMs?: number;
  /** How often to look again while waiting. @default 100 */
  readonly pollMs?: number;
}

export interface TreeLock {
  /** Whether the lock file still holds this process's token (nobody broke it). */
  held(): boolean;
  release(): void;
}

/** A lock file left empty (its owner died between creating and writing it) is stale after this. */
const EMPTY_LOCK_GRACE_MS = 5000;

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Whether a process with this pid exists (EPERM: it exists, owned by someone else). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readLock(file: string): { content: string; pid?: number; mtimeMs: number } | undefined {
  try {
    const content = fs.readFileSync(file, 'utf8');
    const pid = Number(content.split(' ')[0]);
    return { content, pid: Number.isInteger(pid) && pid > 0 ? pid : undefined, mtimeMs: fs.statSync(file).mtimeMs };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/**
 * Moves a stale lock aside. If, between reading it and moving it, another process replaced it
 * with a live lock, that lock is put back (link fails if yet another one appeared meanwhile; its
 * owner then notices through `held()` before it swaps anything).
 */
function breakStale(file: string, staleContent: string): void {
  const tomb = tombOf(file, process.pid);
  try {
    fs.renameSync(file, tomb);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  try {
    if (fs.readFileSync(tomb, 'utf8') !== staleContent) fs.linkSync(tomb, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    fs.rmSync(tomb, { force: true });
  }
}

/** Where a process moves a stale lock aside while it breaks it (breakStale). */
const tombOf = (file: string, pid: number): string => `${file}.stale-${pid}`;

/**
 * Removes the stale locks that processes killed while breaking them left moved aside (their pid is
 * gone); a live process's is left to it.
 */
function removeDeadTombs(file: string): void {
  const prefix = path.basename(tombOf(file, 0)).slice(0, -1);
  for (const name of fs.readdirSync(path.dirname(file))) {
    const pid = Number(name.slice(prefix.length));
    if (name.startsWith(prefix) && /^[1-9][0-9]*$/.test(name.slice(prefix.length)) && pid !== process.pid && !processAlive(pid)) {
      fs.rmSync(path.join(path.dirname(file), name), { force: true });
    }
  }
}

/** Takes the lock `file` for `what` (the output folder, for messages), waiting for a live owner. */
export function acquireTreeLock(file: string, what: string, options: TreeLockOptions = {}): TreeLock {
  const timeoutMs = options.timeoutMs ?? 120_000;
  const pollMs = options.pollMs ?? 100;
  const token = `${process.pid} ${Date.now()}\n`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const fd = fs.openSync(file, 'wx');
      try {
        fs.writeSync(fd, token);
      } finally {
        fs.closeSync(fd);
      }
      removeDeadTombs(file);
      return {
        held: () => readLock(file)?.content === token,
        release: () => {
          if (readLock(file)?.content === token) fs.rmSync(file, { force: true });
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new TreeError(`cannot create the lock file ${file}: ${(err as Error).message}`);
    }
    const lock = readLock(file);
    if (lock === undefined) continue;
    const stale = lock.pid === undefined ? Date.now() - lock.mtimeMs > EMPTY_LOCK_GRACE_MS : lock.pid !== process.pid && !processAlive(lock.pid);
    if (stale) {
      breakStale(file, lock.content);
      continue;
    }
    if (Date.now() >= deadline) {
      throw new TreeError(
        `${what} is being written by another synth (pid ${lock.pid ?? 'unknown'}, lock ${file}); waited ${(timeoutMs / 1000).toFixed(1)} s, try again when it has finished`,
      );
    }
    sleep(Math.min(pollMs, Math.max(1, deadline - Date.now())));
  }
}
