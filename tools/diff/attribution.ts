/**
 * Naming the cause of a rendered change: a path into the model (`teams[t].namespaces[n].services[s].field`)
 * or a release entry (`<release file> images[<namespace>/<service>]`). Derived from the rendered
 * object's labels and the release files at both revisions, never from the model code.
 */
import { parse as parseYaml } from 'yaml';
import type { RenderedObject } from './rendered-object';
import type { TreeFiles } from './read-tree';

export interface ReleaseImage {
  readonly tag?: string;
  readonly digest?: string;
  readonly promotedFrom?: { readonly environment: string; readonly commit: string };
}

/** The release files of one revision, by environment. */
export type Releases = ReadonlyMap<string, { readonly file: string; readonly images: Readonly<Record<string, ReleaseImage>> }>;

export function readReleases(files: TreeFiles): Releases {
  const out = new Map<string, { file: string; images: Record<string, ReleaseImage> }>();
  for (const [file, content] of files) {
    if (!/\.ya?ml$/.test(file)) continue;
    try {
      const doc = parseYaml(content) as { environment?: string; images?: Record<string, ReleaseImage> } | null;
      if (doc?.environment) out.set(doc.environment, { file, images: doc.images ?? {} });
    } catch {
      // An unreadable release file cannot attribute anything; the render itself reports it.
    }
  }
  return out;
}

export const describeImage = (i: ReleaseImage | undefined): string => (!i ? 'none' : i.digest ? i.digest.slice(0, 19) : `tag ${i.tag}`);

/** The service an object belongs to: its pod template's or its own `app.kubernetes.io/name` label. @returns undefined when unlabelled */
export function serviceOf(o: RenderedObject): string | undefined {
  const spec = o.body.spec as Record<string, unknown> | undefined;
  const template = (spec?.template ?? (spec?.jobTemplate as Record<string, unknown> | undefined)?.spec) as Record<string, unknown> | undefined;
  const labels = ((template?.metadata as Record<string, unknown> | undefined)?.labels ?? (o.body.metadata as Record<string, unknown>)?.labels ?? {}) as Record<string, string>;
  return labels['app.kubernetes.io/name'] ?? ((o.body.metadata as Record<string, unknown>)?.labels as Record<string, string> | undefined)?.['app.kubernetes.io/name'];
}

/** Model path of a service of the object's namespace (`*`: some service of it). */
export const servicePath = (o: RenderedObject, service: string | undefined): string => `teams[${o.team}].namespaces[${o.namespace}].services[${service ?? '*'}]`;

export interface AttributionContext {
  readonly base: Releases;
  readonly head: Releases;
}

/** The release entry behind an image change, with its provenance when it was promoted. */
export function releaseAttribution(ctx: AttributionContext, env: string, key: string): string | undefined {
  const before = ctx.base.get(env)?.images[key];
  const afterFile = ctx.head.get(env);
  const after = afterFile?.images[key];
  if (!afterFile || (before && after && describeImage(before) === describeImage(after))) return undefined;
  const provenance = after?.promotedFrom ? ` (promoted from ${after.promotedFrom.environment} at ${after.promotedFrom.commit.slice(0, 12)})` : '';
  return `${afterFile.file} images[${key}]: ${describeImage(before)} -> ${describeImage(after)}${provenance}`;
}
