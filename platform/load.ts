/**
 * Reading a model from files: release files (YAML, one per environment) and, optionally, a whole
 * model as JSON/YAML. Every problem of every file is reported together (see ModelError).
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse as parseYaml } from 'yaml';
import { examplePlatformInput } from './example/platform';
import type { PlatformInput } from './schema';
import type { Platform, Problem } from './types';
import { ModelError, parsePlatform } from './validate';

export const EXAMPLE_RELEASES_DIR = path.join(__dirname, 'example', 'releases');

interface ReadResult<T> {
  readonly value?: T;
  readonly problems: Problem[];
}

/** Largest model or release file read (a model of thousands of services is a few MiB). */
export const MAX_MODEL_FILE_BYTES = 16 * 1024 * 1024;

const kindOf = (value: unknown): string => (value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'a mapping' : `a ${typeof value}`);

/**
 * Reads a JSON or YAML file, refusing what cannot be a model: too large, unreadable, nested too
 * deeply for the parser, or not a mapping at the top. Each problem is one line naming the file.
 */
function readYamlFile(file: string, label: string): ReadResult<unknown> {
  const fail = (message: string): ReadResult<unknown> => ({ problems: [{ path: label, message }] });
  let size: number;
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) return fail('cannot be read: it is not a file');
    size = stat.size;
  } catch (err) {
    return fail(`cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  if (size > MAX_MODEL_FILE_BYTES) return fail(`is ${(size / 1024 / 1024).toFixed(1)} MiB; a model or release file may be at most ${MAX_MODEL_FILE_BYTES / 1024 / 1024} MiB`);
  let value: unknown;
  try {
    const text = fs.readFileSync(file, 'utf8');
    value = /\.json$/i.test(file) ? JSON.parse(text) : parseYaml(text, { prettyErrors: true });
  } catch (err) {
    // A parser's recursion (the yaml package wraps the RangeError in its own error).
    if (err instanceof RangeError || /call stack size exceeded/i.test((err as Error).message)) return fail('cannot be read: it is nested too deeply');
    return fail(`cannot be read: ${(err as Error).message.split('\n')[0]}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return fail(`must be a mapping at the top, not ${kindOf(value)}`);
  return { value, problems: [] };
}

/** Reads every `*.yaml` release file of a directory (sorted), labelling each with its file name. */
export function readReleaseFiles(dir: string): ReadResult<unknown[]> {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (err) {
    return { value: [], problems: [{ path: 'releases', message: `folder ${dir} cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` }] };
  }
  const files = names.filter((f) => /\.ya?ml$/.test(f)).sort();
  const releases: unknown[] = [];
  const problems: Problem[] = [];
  for (const file of files) {
    const label = `releases/${file}`;
    const read = readYamlFile(path.join(dir, file), label);
    problems.push(...read.problems);
    if (read.value === undefined) continue;
    releases.push({ source: label, ...(read.value as object) });
  }
  return { value: releases, problems };
}

export interface LoadOptions {
  /** A JSON or YAML file holding a whole model (PlatformInput). @default the embedded example platform */
  readonly modelFile?: string;
  /** Directory of release files. @default the example's releases/ (or none when modelFile holds releases) */
  readonly releasesDir?: string;
}

/** Loads, parses and validates a platform. Throws ModelError listing every problem. */
export function loadPlatform(options: LoadOptions = {}): Platform {
  const problems: Problem[] = [];
  let input: PlatformInput | undefined;
  if (options.modelFile) {
    const read = readYamlFile(options.modelFile, path.basename(options.modelFile));
    problems.push(...read.problems);
    input = read.value as PlatformInput | undefined;
  } else {
    input = { ...examplePlatformInput };
  }
  const releasesDir = options.releasesDir ?? (options.modelFile ? undefined : EXAMPLE_RELEASES_DIR);
  if (releasesDir) {
    const read = readReleaseFiles(releasesDir);
    problems.push(...read.problems);
    if (input) input = { ...input, releases: [...(input.releases ?? []), ...((read.value ?? []) as PlatformInput['releases'] & unknown[])] };
  }
  if (problems.length > 0 || input === undefined) {
    // Still run the model checks so the user sees every problem at once.
    try {
      if (input) parsePlatform(input);
    } catch (err) {
      if (err instanceof ModelError) problems.push(...err.problems);
      else throw err;
    }
    throw new ModelError(problems);
  }
  return parsePlatform(input);
}
