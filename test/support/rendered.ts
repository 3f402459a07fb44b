/** The example platform rendered in memory once per test file, and ways to look objects up in it. */
import { parse } from 'yaml';
import { renderPlatform } from '../../render/render';
import type { RenderedFile } from '../../render/rendered-file';
import { examplePlatform, type Loose } from './example';

let files: ReadonlyMap<string, string> | undefined;
/** The example rendered in memory: path relative to dist/ -> content. */
export function exampleFiles(): ReadonlyMap<string, string> {
  files ??= new Map(renderPlatform(examplePlatform()).map((f: RenderedFile) => [f.path, f.content]));
  return files;
}

/** The sources of an Application (single `source` or multi-source `sources`). */
export const appSources = (app: Loose): Loose[] => app.spec.sources ?? [app.spec.source];

/** The path in this repository's dist/ an Application syncs, if it syncs one (add-ons sync Helm charts). */
export function renderedPath(app: Loose, platformRepo: string): string | undefined {
  return appSources(app).find((s) => s.repoURL === platformRepo && s.path !== undefined)?.path;
}

/** Parsed object of one rendered YAML file. */
export function objectAt(path: string): Loose {
  const content = exampleFiles().get(path);
  if (content === undefined) throw new Error(`${path} is not rendered`);
  return parse(content);
}

/** Every rendered YAML object (with its path) matching a predicate. */
export function objectsWhere(predicate: (obj: Loose, path: string) => boolean): { path: string; obj: Loose }[] {
  const out: { path: string; obj: Loose }[] = [];
  for (const [path, content] of exampleFiles()) {
    if (!path.endsWith('.yaml') || path.split('/').pop()!.startsWith('.')) continue;
    const obj = parse(content);
    if (predicate(obj, path)) out.push({ path, obj });
  }
  return out;
}
