/**
 * The whole render: model -> every file of dist/, environment by environment, handed to a sink
 * as they are made (main.ts builds the new tree beside dist/ from them and swaps it in only when
 * every environment rendered without a problem; see write-tree.ts).
 */
import { renderTerraform } from '../infra/render-terraform';
import { sopsConfigPath, sopsConfigYaml } from '../infra/sops-config';
import { contractPath, terraformPath } from '../platform/naming';
import type { Environment, Platform } from '../platform/types';
import { architectureMarkdown, architecturePath } from './architecture';
import { buildContract } from './contract';
import { manifestFile } from './manifest';
import { RenderError, type RenderedFile, toDistRelative, toJsonFile } from './rendered-file';
import { type CachedFiles, decodeCachedFiles, platformForEnvironment, type RenderCache } from './render-cache';
import { renderEnvironmentKubernetes } from './render-kubernetes';

export interface RenderOptions {
  /** Render the Terraform JSON too. @default true */
  readonly terraform?: boolean;
  /** Called before each environment renders (a progress line for long renders). @default none */
  readonly onEnvironment?: (env: string, index: number, total: number) => void;
  /** Reuse an environment's files while everything its render reads is unchanged (render-cache.ts). @default none: every environment renders */
  readonly cache?: RenderCache;
  /** Takes a cached environment's files as their bytes (the tree writer, which need not decode them). @default they are decoded and go to the sink */
  readonly sinkBytes?: (cached: CachedFiles) => void;
}

/** How many environments came from the cache. */
export interface RenderInfo {
  readonly cached: readonly string[];
}

/**
 * Renders every environment, handing the files to `sink` in groups as they are made (the order of
 * groups is not the order of the tree). Once a problem is found nothing more reaches `sink`, and
 * at the end a RenderError lists the problems of all environments: whatever reached `sink` must
 * then be dropped (openTree's abort). The manifest is not part of it (the tree writer makes it).
 */
/**
 * Renders one environment from the model as it sees it (`platformForEnvironment`), handing its
 * files to `give` in groups. Throws RenderError listing its problems.
 */
export function renderEnvironment(envPlatform: Platform, env: Environment, terraform: boolean, give: (files: readonly RenderedFile[]) => void): void {
  const kubernetes = renderEnvironmentKubernetes(envPlatform, env, undefined, give);
  if (!terraform) return;
  const stacks = renderTerraform(envPlatform, env);
  const sops = { path: toDistRelative(sopsConfigPath(env)), content: sopsConfigYaml(envPlatform, env) };
  const contract = { path: toDistRelative(contractPath(env)), content: toJsonFile(buildContract(envPlatform, env, [...kubernetes, sops], stacks)) };
  give([
    ...stacks.map(({ stack, json }) => ({ path: toDistRelative(`${terraformPath(env, stack)}/cdk.tf.json`), content: json })),
    sops,
    { path: toDistRelative(architecturePath(env)), content: architectureMarkdown(envPlatform, env) },
    contract,
  ]);
}

/** The problems a failed render reports (a RenderError's list, or the message of anything else). */
export function problemsOf(err: unknown): string[] {
  return err instanceof RenderError ? [...err.problems] : [(err as Error)?.message ?? String(err)];
}

/** An environment's problems, each prefixed with its name. */
export function environmentProblems(env: Pick<Environment, 'name'>, problems: readonly string[]): string[] {
  return problems.map((p) => `${env.name}: ${p}`);
}

/**
 * The environments to render, in the model's order, after the cached ones went to `sink`: each
 * with the model as it sees it and its cache key.
 */
export function environmentsToRender(platform: Platform, sink: (files: readonly RenderedFile[]) => void, options: RenderOptions): { todo: EnvironmentTask[]; cached: string[] } {
  const terraform = options.terraform ?? true;
  const todo: EnvironmentTask[] = [];
  const cached: string[] = [];
  for (const env of platform.environments) {
    // Each environment sees only its own release, cached or not, so its cache key is all it reads.
    const envPlatform = platformForEnvironment(platform, env);
    const key = options.cache?.key(envPlatform, env, { terraform });
    const hit = key === undefined ? undefined : options.cache!.readBytes(env, key);
    if (hit) {
      cached.push(env.name);
      if (options.sinkBytes) options.sinkBytes(hit);
      else sink(decodeCachedFiles(hit));
    } else {
      todo.push({ env, envPlatform, key });
    }
  }
  return { todo, cached };
}

export interface EnvironmentTask {
  readonly env: Environment;
  readonly envPlatform: Platform;
  /** Its cache key, when a cache is used. */
  readonly key?: string;
}

/**
 * Renders every environment, handing the files to `sink` in groups as they are made (the order of
 * groups is not the order of the tree). Once a problem is found nothing more reaches `sink`, and
 * at the end a RenderError lists the problems of all environments: whatever reached `sink` must
 * then be dropped (openTree's abort). The manifest is not part of it (the tree writer makes it).
 */
export function renderPlatformInto(platform: Platform, sink: (files: readonly RenderedFile[]) => void, options: RenderOptions = {}): RenderInfo {
  const { todo, cached } = environmentsToRender(platform, sink, options);
  renderInThisThread(platform, todo, sink, options);
  return { cached };
}

/** Renders `todo` one environment after the other in this thread; throws RenderError listing every environment's problems. */
export function renderInThisThread(platform: Platform, todo: readonly EnvironmentTask[], sink: (files: readonly RenderedFile[]) => void, options: RenderOptions): void {
  const problems: string[] = [];
  const terraform = options.terraform ?? true;
  for (const { env, envPlatform, key } of todo) {
    options.onEnvironment?.(env.name, platform.environments.indexOf(env), platform.environments.length);
    const entry = key === undefined ? undefined : options.cache!.open(env, key);
    try {
      renderEnvironment(envPlatform, env, terraform, (files) => {
        entry?.add(files);
        if (problems.length === 0) sink(files);
      });
      entry?.commit();
    } catch (err) {
      entry?.abort();
      problems.push(...environmentProblems(env, problemsOf(err)));
    }
  }
  if (problems.length > 0) throw new RenderError('Rendering failed', problems);
}

/** Renders every environment into files in memory, sorted by path, the manifest included. */
export function renderPlatform(platform: Platform, options: RenderOptions = {}): RenderedFile[] {
  const files: RenderedFile[] = [];
  renderPlatformInto(platform, (made) => files.push(...made), options);
  // The manifest is part of the tree, so the in-memory render is exactly what lands on disk.
  files.push(manifestFile(files));
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
