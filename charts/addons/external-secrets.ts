import type { AddonSpec } from '../../apps-of-apps/addon';
import { iamRoleArn, PLATFORM_IDENTITIES, platformRoleName } from '../../platform/naming';
import type { Environment, Platform } from '../../platform/types';
import { SYNC_WAVE } from '../sync-options';

/** External Secrets release; its CRDs in imports/ are generated from the same version. */
export const EXTERNAL_SECRETS_VERSION = '2.9.0';

/** External Secrets Operator: syncs AWS Secrets Manager entries into Kubernetes Secrets. */
export function externalSecretsAddons(platform: Platform, env: Environment): AddonSpec[] {
  const identity = PLATFORM_IDENTITIES.externalSecrets;
  const resources = { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '100m', memory: '128Mi' } };
  return [
    {
      name: 'external-secrets',
      namespace: identity.namespace,
      repoURL: 'https://charts.external-secrets.io',
      chart: 'external-secrets',
      ownsCrds: true,
      version: EXTERNAL_SECRETS_VERSION,
      syncWave: SYNC_WAVE.operators,
      serverSideApply: true,
      values: {
        installCRDs: true,
        serviceAccount: { name: identity.serviceAccount, annotations: { 'eks.amazonaws.com/role-arn': iamRoleArn(env, platformRoleName(platform, env, 'externalSecrets')) } },
        resources,
        webhook: { resources },
        certController: { resources },
      },
    },
  ];
}
