/** Types of staging-writer.cjs (plain CommonJS, so that a worker thread can run it as it is). */
export interface StagingResult {
  /** Whether a staging tree was built (false: nothing differs from the current tree). */
  readonly materialized: boolean;
  /** Files created new (changed or added). */
  readonly written: number;
  /** Files equal to the current tree's (linked or copied from it). */
  readonly unchanged: number;
}

export declare class StagingError extends Error {}

export declare class StagingWriter {
  constructor(out: string, staging: string);
  add(files: ReadonlyArray<readonly [string, string | Uint8Array]>): void;
  /** Files as their bytes one after the other: path and length of each, and the bytes. */
  addBytes(files: ReadonlyArray<readonly [string, number]>, body: Uint8Array): void;
  finish(manifestName: string, manifest: string, force: boolean): StagingResult;
  abort(): void;
}
