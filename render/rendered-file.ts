import { DIST_ROOT } from '../platform/naming';
import { yamlText } from './yaml-text';

/** One file of the rendered tree; `path` is relative to the dist/ folder (e.g. "dev/cluster/namespace-x.yaml"). */
export interface RenderedFile {
  readonly path: string;
  readonly content: string;
}

/** A render that failed after the model validated (construct validations, policy checks). */
export class RenderError extends Error {
  constructor(
    summary: string,
    public readonly problems: readonly string[],
  ) {
    super(`${summary} (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'RenderError';
  }
}

/** "dist/dev/cluster/x.yaml" -> "dev/cluster/x.yaml". */
export function toDistRelative(repoPath: string): string {
  const prefix = `${DIST_ROOT}/`;
  if (!repoPath.startsWith(prefix)) throw new Error(`${repoPath} is not under ${DIST_ROOT}/`);
  return repoPath.slice(prefix.length);
}

/**
 * Deterministic YAML. YAML 1.1 quoting so that strings such as "yes", "on" or "0755" stay strings
 * for Kubernetes' YAML 1.1 parser; no line folding, so a diff shows whole values (the text of
 * `yaml`'s stringify with YAML_OPTIONS, see yaml-text.ts).
 */
export function toYaml(obj: unknown): string {
  return yamlText(obj);
}

/** Deterministic JSON (two-space indent, trailing newline). Key order is the producer's. */
export function toJsonFile(obj: unknown): string {
  return `${JSON.stringify(obj, null, 2)}\n`;
}
