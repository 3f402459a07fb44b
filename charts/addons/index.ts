/**
 * Every platform add-on of an environment (upstream Helm charts at pinned versions). Each file in
 * this folder contributes the add-ons of one concern; this list is what the sre children render.
 */
import type { AddonSpec } from '../../apps-of-apps/addon';
import type { Environment, Platform } from '../../platform/types';
import { externalSecretsAddons } from './external-secrets';
import { karpenterAddons } from './karpenter';

export type AddonFactory = (platform: Platform, env: Environment) => AddonSpec[];

/** Registered add-on factories, in the order their Applications are listed. */
export const ADDON_FACTORIES: readonly AddonFactory[] = [karpenterAddons, externalSecretsAddons];

export function platformAddons(platform: Platform, env: Environment): AddonSpec[] {
  return ADDON_FACTORIES.flatMap((factory) => factory(platform, env));
}
