/**
 * cdktf's own jest matchers (`toHaveResource`, `toHaveResourceWithProperties`), registered once,
 * with the typings cdktf does not ship for @types/jest; plus the example platform's environments.
 */
import { Testing } from 'cdktf';
import { renderTerraform, type RenderedStack } from '../../infra/render-terraform';
import { loadPlatform } from '../../platform/load';
import type { Environment, Platform } from '../../platform/types';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    // eslint-disable-next-line @typescript-eslint/no-unused-vars
    interface Matchers<R, T = {}> {
      toHaveResource(resource: { tfResourceType: string }): R;
      toHaveResourceWithProperties(resource: { tfResourceType: string }, properties: Record<string, unknown>): R;
    }
  }
}

Testing.setupJest();

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = Record<string, any>;

export const platform: Platform = loadPlatform();

export function envNamed(name: string): Environment {
  const env = platform.environments.find((e) => e.name === name);
  if (!env) throw new Error(`no environment ${name}`);
  return env;
}

const renderCache = new Map<string, RenderedStack[]>();
/** What renderTerraform returns (the dist/ JSON) for an example environment, rendered once. */
export function rendered(envName: string): RenderedStack[] {
  let stacks = renderCache.get(envName);
  if (!stacks) {
    stacks = renderTerraform(platform, envNamed(envName));
    renderCache.set(envName, stacks);
  }
  return stacks;
}
