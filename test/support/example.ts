/** Shared fixtures: the example model, as raw input (to break on purpose) and validated. */
import { examplePlatformInput } from '../../platform/example/platform';
import { EXAMPLE_RELEASES_DIR, loadPlatform, readReleaseFiles } from '../../platform/load';
import type { PlatformInput } from '../../platform/schema';
import type { Platform } from '../../platform/types';
import { ModelError, parsePlatform } from '../../platform/validate';

/** A deep copy of the example's raw input, release files included, safe to mutate. */
export function exampleInput(): PlatformInput {
  const releases = readReleaseFiles(EXAMPLE_RELEASES_DIR).value ?? [];
  return structuredClone({ ...examplePlatformInput, releases }) as PlatformInput;
}

/** Raw input is loosely typed on purpose: tests write invalid values into it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Loose = any;

export function mutated(change: (input: Loose) => void): PlatformInput {
  const input = exampleInput();
  change(input);
  return input;
}

/** Finds a service of the raw input by "<namespace>/<service>". */
export function serviceOf(input: Loose, key: string): Loose {
  const [ns, name] = key.split('/');
  for (const team of input.teams) for (const n of team.namespaces) if (n.name === ns) return n.services.find((s: Loose) => s.name === name);
  throw new Error(`no service ${key}`);
}

/** The problems parsePlatform reports for an input, as "path: message" lines (none when it is valid). */
export function problemsOf(input: unknown): string[] {
  try {
    parsePlatform(input);
  } catch (err) {
    if (err instanceof ModelError) return err.problems.map((p) => `${p.path}: ${p.message}`);
    throw err;
  }
  return [];
}

let platform: Platform | undefined;
export function examplePlatform(): Platform {
  platform ??= loadPlatform();
  return platform;
}

