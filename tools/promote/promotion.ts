/**
 * Promotion of images from one environment's release file to the next one's: the exact digest
 * (or, where the target allows tags, the tag) of each service, with its provenance.
 */
import type { Environment, ImageRelease } from '../../platform/types';
import { describeImage } from '../diff/attribution';

export interface PromotionEntry {
  readonly key: string;
  readonly from: ImageRelease | undefined;
  readonly to: ImageRelease;
}

export interface PromotionPlan {
  readonly entries: readonly PromotionEntry[];
  /** Services whose image is already the source's. */
  readonly unchanged: readonly string[];
}

export interface PromotionOptions {
  readonly from: Pick<Environment, 'name'>;
  readonly to: Pick<Environment, 'name' | 'requireImageDigest'>;
  /** Commit the source release file is read at. */
  readonly commit: string;
  readonly source: Readonly<Record<string, ImageRelease>>;
  readonly target: Readonly<Record<string, ImageRelease>>;
  /** Services to promote, "<namespace>/<service>". @default every service of the source */
  readonly services?: readonly string[];
}

/** Throws listing every service that cannot be promoted (unknown, or a tag where digests are required). */
export function planPromotion(options: PromotionOptions): PromotionPlan {
  const keys = options.services?.length ? [...options.services] : Object.keys(options.source).sort();
  const problems: string[] = [];
  const entries: PromotionEntry[] = [];
  const unchanged: string[] = [];
  for (const key of keys) {
    const image = options.source[key];
    if (!image) {
      problems.push(`${key}: no image in ${options.from.name}`);
      continue;
    }
    if (options.to.requireImageDigest && !image.digest) {
      problems.push(`${key}: ${options.to.name} requires a digest, and ${options.from.name} has only the tag "${image.tag}" (release it there by digest first)`);
      continue;
    }
    const current = options.target[key];
    const pinned: ImageRelease = image.digest ? { digest: image.digest } : { tag: image.tag };
    if (current && describeImage(current) === describeImage(pinned)) {
      unchanged.push(key);
      continue;
    }
    entries.push({ key, from: current, to: { ...pinned, promotedFrom: { environment: options.from.name, commit: options.commit } } });
  }
  if (problems.length) throw new Error(`cannot promote ${options.from.name} -> ${options.to.name}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  return { entries, unchanged };
}
