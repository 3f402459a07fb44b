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

/** Renders every environment; throws RenderError listing the problems of all environments. */
export function renderPlatform(platform: Platform, options: RenderOptions = {}): RenderedFile[] {
  const files: RenderedFile[] = [];
  const problems: string[] = [];
  for (const env of platform.environments) {
    options.onEnvironment?.(env.name, platform.environments.indexOf(env), platform.environments.length);
    try {
      const kubernetes = renderEnvironmentKubernetes(platform, env);
      files.push(...kubernetes);
      if (options.terraform ?? true) {
        const stacks = renderTerraform(platform, env);
        for (const { stack, json } of stacks) files.push({ path: toDistRelative(`${terraformPath(env, stack)}/cdk.tf.json`), content: json });
        const sops = { path: toDistRelative(sopsConfigPath(env)), content: sopsConfigYaml(platform, env) };
        files.push(sops, { path: toDistRelative(architecturePath(env)), content: architectureMarkdown(platform, env) });
        files.push({ path: toDistRelative(contractPath(env)), content: toJsonFile(buildContract(platform, env, [...kubernetes, sops], stacks)) });
      }
    } catch (err) {
      if (err instanceof RenderError) problems.push(...err.problems.map((p) => `${env.name}: ${p}`));
      else problems.push(`${env.name}: ${(err as Error).message}`);
    }
  }
  if (problems.length > 0) throw new RenderError('Rendering failed', problems);
  // The manifest is part of the tree, so the in-memory render is exactly what lands on disk.
  files.push(manifestFile(files));
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
