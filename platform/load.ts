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

function readYamlFile(file: string, label: string): ReadResult<unknown> {
  try {
    return { value: parseYaml(fs.readFileSync(file, 'utf8'), { prettyErrors: true }), problems: [] };
  } catch (err) {
    return { problems: [{ path: label, message: `cannot be read: ${(err as Error).message.split('\n')[0]}` }] };
  }
}

/** Reads every `*.yaml` release file of a directory (sorted), labelling each with its file name. */
export function readReleaseFiles(dir: string): ReadResult<unknown[]> {
  const files = fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
  const releases: unknown[] = [];
  const problems: Problem[] = [];
  for (const file of files) {
    const label = `releases/${file}`;
    const read = readYamlFile(path.join(dir, file), label);
    problems.push(...read.problems);
    if (read.value === undefined) continue;
    if (read.value === null || typeof read.value !== 'object' || Array.isArray(read.value)) {
      problems.push({ path: label, message: 'must be a mapping with "environment" and "images"' });
      continue;
    }
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
