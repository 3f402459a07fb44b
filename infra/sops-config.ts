/**
 * The `.sops.yaml` of one environment: SOPS encrypts the `data`/`stringData` of Kubernetes Secret
 * manifests with the environment's SOPS KMS key (created by the cluster stack), named by its alias
 * ARN so the file never holds a key id known only after apply. Pure: the render pipeline writes it
 * to `dist/<env>/sops.yaml`; team repositories copy it (or point `sops --config` at it).
 */
import { kmsAliasArn } from '../platform/aws-names';
import type { Environment, Platform } from '../platform/types';

export { sopsConfigPath } from '../platform/aws-names';

/** Content of the environment's `.sops.yaml` (deterministic, trailing newline). */
export function sopsConfigYaml(platform: Pick<Platform, 'name'>, env: Pick<Environment, 'name' | 'region' | 'account'>): string {
  return [
    `# SOPS rules of environment ${env.name}, rendered from the platform model. Do not edit: re-render.`,
    '# Secret manifests (from: sops) are encrypted with the environment\'s SOPS KMS key; only data and',
    '# stringData are encrypted, so reviewers still see which Secret changed.',
    'creation_rules:',
    "  - path_regex: '\\.ya?ml$'",
    "    encrypted_regex: '^(data|stringData)$'",
    `    kms: '${kmsAliasArn(platform, env, 'sops')}'`,
    '',
  ].join('\n');
}
