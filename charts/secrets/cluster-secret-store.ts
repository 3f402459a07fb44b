/**
 * The secret store of one namespace: a namespaced SecretStore on the environment's AWS Secrets
 * Manager that authenticates as the namespace's own reader ServiceAccount, whose IRSA role (cluster
 * stack, `secretsReaderRoleName`) may read only that namespace's secrets. There is no
 * ClusterSecretStore: an ExternalSecret a team syncs into its namespace can only reach the secrets
 * of that namespace, whatever key it names.
 *
 * External Secrets' AWS provider, for `auth.jwt`, requests a token for the referenced ServiceAccount
 * (of the store's own namespace for a SecretStore) and exchanges it with STS for the role in its
 * `eks.amazonaws.com/role-arn` annotation (external-secrets, providers/v1/aws/auth/auth.go); the
 * role trusts exactly `system:serviceaccount:<namespace>:external-secrets-reader`.
 */
import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ExternalSecretSpecSecretStoreRefKind, SecretStore, SecretStoreSpecProviderAwsService } from '../../imports/external-secrets.io';
import { namespaceSecretsRead, SECRETS_READER_SERVICE_ACCOUNT, secretsReaderRoleName } from '../../platform/aws-names';
import { iamRoleArn, SECRET_STORE } from '../../platform/naming';
import type { Environment, Namespace, Platform } from '../../platform/types';
import { syncWave, SYNC_WAVE } from '../sync-options';

/** How every ExternalSecret of the platform names its store: the SecretStore of its own namespace. */
export const PLATFORM_SECRET_STORE_REF = { kind: ExternalSecretSpecSecretStoreRefKind.SECRET_STORE, name: SECRET_STORE };

/** The store and its ServiceAccount come before the ExternalSecrets of the namespace (wave platformConfig). */
export const SECRET_STORE_WAVE = SYNC_WAVE.platformConfig - 1;

export interface NamespaceSecretStoreProps {
  readonly platform: Platform;
  readonly env: Environment;
  /** The namespace being rendered; nothing is rendered when it reads no AWS secret. */
  readonly namespace: Namespace;
}

export class NamespaceSecretStore extends Construct {
  constructor(scope: Construct, id: string, props: NamespaceSecretStoreProps) {
    super(scope, id);
    const { platform, env } = props;
    const namespace = props.namespace.name;
    if (namespaceSecretsRead(platform, env, props.namespace).length === 0) return;

    const reader = new kplus.ServiceAccount(this, 'reader', {
      metadata: {
        name: SECRETS_READER_SERVICE_ACCOUNT,
        annotations: { 'eks.amazonaws.com/role-arn': iamRoleArn(env, secretsReaderRoleName(platform, env, namespace)) },
      },
      // No Pod runs as it: External Secrets requests its tokens through the TokenRequest API.
      automountToken: false,
    });
    syncWave(ApiObject.of(reader), SECRET_STORE_WAVE);

    new SecretStore(this, 'store', {
      metadata: {
        name: SECRET_STORE,
        annotations: { 'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true', 'argocd.argoproj.io/sync-wave': String(SECRET_STORE_WAVE) },
      },
      spec: {
        provider: {
          aws: {
            service: SecretStoreSpecProviderAwsService.SECRETS_MANAGER,
            region: env.region,
            auth: { jwt: { serviceAccountRef: { name: SECRETS_READER_SERVICE_ACCOUNT } } },
          },
        },
      },
    });
  }
}
