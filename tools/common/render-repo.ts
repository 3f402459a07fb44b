/**
 * Validates the model with a repository's release files and re-renders its tree: what `release`
 * and `promote` run after editing a release file. A progress line per environment goes to stderr.
 */
import * as path from 'path';
import { loadPlatform } from '../../platform/load';
import type { Platform } from '../../platform/types';
import { renderPlatform } from '../../render/render';
import { writeTree, type WriteSummary } from '../../render/write-tree';

export interface RepoLayout {
  /** Repository root (absolute). */
  readonly repo: string;
  /** Rendered tree, relative to the repository. @default "dist" */
  readonly dist?: string;
  /** Release files, relative to the repository. @default "platform/example/releases" */
  readonly releases?: string;
  /** A whole model (JSON/YAML), relative to the repository. @default the embedded example platform */
  readonly model?: string;
}

export const releasesDir = (layout: RepoLayout): string => path.join(layout.repo, layout.releases ?? 'platform/example/releases');

/** The validated platform of the repository (throws ModelError listing every problem). */
export function loadRepoPlatform(layout: RepoLayout, releases = releasesDir(layout)): Platform {
  return loadPlatform({ modelFile: layout.model ? path.join(layout.repo, layout.model) : undefined, releasesDir: releases });
}

/** Renders the repository's model into its tree; progress lines go to `log` (default: stderr when it is a terminal). */
export function renderRepo(layout: RepoLayout, log: (line: string) => void = (l) => void (process.stderr.isTTY && process.stderr.write(`${l}\n`))): WriteSummary {
  const started = Date.now();
  const platform = loadRepoPlatform(layout);
  const files = renderPlatform(platform, { onEnvironment: (env, i, n) => log(`rendering ${env} (${i + 1}/${n}, ${((Date.now() - started) / 1000).toFixed(1)} s)`) });
  const summary = writeTree(path.join(layout.repo, layout.dist ?? 'dist'), files);
  log(`rendered ${summary.total} files: ${summary.written} written, ${summary.deleted} deleted (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return summary;
}
