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
import { renderEnvironmentKubernetes } from './render-kubernetes';

export interface RenderOptions {
  /** Render the Terraform JSON too. @default true */
  readonly terraform?: boolean;
  /** Called before each environment renders (a progress line for long renders). @default none */
  readonly onEnvironment?: (env: string, index: number, total: number) => void;
}

/**
 * Renders every environment, handing the files to `sink` in groups as they are made (the order of
 * groups is not the order of the tree). Once a problem is found nothing more reaches `sink`, and
 * at the end a RenderError lists the problems of all environments: whatever reached `sink` must
 * then be dropped (openTree's abort). The manifest is not part of it (the tree writer makes it).
 */
export function renderPlatformInto(platform: Platform, sink: (files: readonly RenderedFile[]) => void, options: RenderOptions = {}): void {
  const problems: string[] = [];
  const give = (files: readonly RenderedFile[]) => problems.length === 0 && sink(files);
  for (const env of platform.environments) {
    options.onEnvironment?.(env.name, platform.environments.indexOf(env), platform.environments.length);
    try {
      const kubernetes = renderEnvironmentKubernetes(platform, env, undefined, give);
      if (options.terraform ?? true) {
        const stacks = renderTerraform(platform, env);
        const sops = { path: toDistRelative(sopsConfigPath(env)), content: sopsConfigYaml(platform, env) };
        const contract = { path: toDistRelative(contractPath(env)), content: toJsonFile(buildContract(platform, env, [...kubernetes, sops], stacks)) };
        give([
          ...stacks.map(({ stack, json }) => ({ path: toDistRelative(`${terraformPath(env, stack)}/cdk.tf.json`), content: json })),
          sops,
          { path: toDistRelative(architecturePath(env)), content: architectureMarkdown(platform, env) },
          contract,
        ]);
      }
    } catch (err) {
      if (err instanceof RenderError) problems.push(...err.problems.map((p) => `${env.name}: ${p}`));
      else problems.push(`${env.name}: ${(err as Error).message}`);
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
