/**
 * The whole render: model -> every file of dist/, in memory. Nothing is written until every
 * environment rendered without a problem (see write-tree.ts and main.ts).
 */
import { renderTerraform } from '../infra/render-terraform';
import { sopsConfigPath, sopsConfigYaml } from '../infra/sops-config';
import { contractPath, terraformPath } from '../platform/naming';
import type { Platform } from '../platform/types';
import { architectureMarkdown, architecturePath } from './architecture';
import { buildContract } from './contract';
import { manifestFile } from './manifest';
import { RenderError, type RenderedFile, toDistRelative, toJsonFile } from './rendered-file';
import { platformForEnvironment, type RenderCache } from './render-cache';
import { renderEnvironmentKubernetes } from './render-kubernetes';

export interface RenderOptions {
  /** Render the Terraform JSON too. @default true */
  readonly terraform?: boolean;
  /** Called before each environment renders (a progress line for long renders). @default none */
  readonly onEnvironment?: (env: string, index: number, total: number) => void;
  /** Reuse an environment's files while everything its render reads is unchanged (render-cache.ts). @default none: every environment renders */
  readonly cache?: RenderCache;
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
export function renderPlatformInto(platform: Platform, sink: (files: readonly RenderedFile[]) => void, options: RenderOptions = {}): RenderInfo {
  const problems: string[] = [];
  const cached: string[] = [];
  const terraform = options.terraform ?? true;
  for (const env of platform.environments) {
    options.onEnvironment?.(env.name, platform.environments.indexOf(env), platform.environments.length);
    // Each environment sees only its own release, cached or not, so its cache key is all it reads.
    const envPlatform = platformForEnvironment(platform, env);
    const key = options.cache?.key(envPlatform, env, { terraform });
    const hit = key === undefined ? undefined : options.cache!.read(env, key);
    if (hit) {
      cached.push(env.name);
      if (problems.length === 0) sink(hit);
      continue;
    }
    const made: RenderedFile[] = [];
    const give = (files: readonly RenderedFile[]) => {
      if (key !== undefined) made.push(...files);
      if (problems.length === 0) sink(files);
    };
    try {
      const kubernetes = renderEnvironmentKubernetes(envPlatform, env, undefined, give);
      if (terraform) {
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
      if (key !== undefined) options.cache!.write(env, key, made);
    } catch (err) {
      if (err instanceof RenderError) problems.push(...err.problems.map((p) => `${env.name}: ${p}`));
      else problems.push(`${env.name}: ${(err as Error).message}`);
    }
  }
  if (problems.length > 0) throw new RenderError('Rendering failed', problems);
  return { cached };
}

/** Renders every environment into files in memory, sorted by path, the manifest included. */
export function renderPlatform(platform: Platform, options: RenderOptions = {}): RenderedFile[] {
  const files: RenderedFile[] = [];
  renderPlatformInto(platform, (made) => files.push(...made), options);
  // The manifest is part of the tree, so the in-memory render is exactly what lands on disk.
  files.push(manifestFile(files));
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
