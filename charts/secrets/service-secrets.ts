import { Construct } from 'constructs';
import { ExternalSecretSpecTargetDeletionPolicy } from '../../imports/external-secrets.io';
import { DATABASE_SECRET_REFRESH } from '../../platform/database-rotation';
import { appSecretName, databaseSecretK8sName, databaseSecretName, serviceSecretName, sopsSecretName } from '../../platform/naming';
import type { Environment, Namespace, Platform, Service } from '../../platform/types';
import { NAMESPACE_WAVE } from '../sync-options';
import { AwsSecret } from './aws-secret';

export interface ServiceSecretsProps {
  readonly platform: Platform;
  readonly env: Environment;
  readonly namespace: Namespace;
  readonly service: Service;
  /**
   * How often External Secrets re-reads the app secret (the database secret always refreshes every
   * DATABASE_SECRET_REFRESH, well inside its rotation's overlap).
   * @default "1h"
   */
  readonly refreshInterval?: string;
  /**
   * Further keys of the `<service>-app` Secret, templated from the declared ones (External Secrets
   * template v2, merged): the shape a tool reads (e.g. Keycloak's bootstrap admin `username`/`password`).
   * @default none
   */
  readonly appTemplate?: Readonly<Record<string, string>>;
}

// ExternalSecrets are ordinary Sync-phase objects in the prerequisites wave, never hooks: a hook is
// deleted before the next sync, and with creationPolicy Owner the garbage collector would delete
// its Secret too (verify/bootstrap/hook-external-secret.ts).

/**
 * The private settings of one service; no secret value is ever rendered: `<service>-app` from the
 * service's AWS Secrets Manager secret through External Secrets (one key per declared secret),
 * `<service>-database` (schema, user, password, endpoint) from its database secret, and
 * `<service>-sops` from the SOPS-encrypted files in the team's repo, which Argo CD decrypts.
 *
 * Both ExternalSecrets sync in the prerequisites wave, so the credentials exist before the
 * migration Job (a Sync hook of the next wave) needs them, even on the very first sync.
 */
export class ServiceSecrets extends Construct {
  /** Names of the Kubernetes Secrets the workload loads (envFrom), in order. */
  public readonly secretNames: string[] = [];
  /** The Secrets that exist before the migrations' wave (ExternalSecrets only, no SOPS Secret). */
  public readonly migrationSecretNames: string[] = [];

  constructor(scope: Construct, id: string, props: ServiceSecretsProps) {
    super(scope, id);
    const { platform, env, namespace, service } = props;
    const ref = { namespace: namespace.name, service: service.name };
    const refreshInterval = props.refreshInterval ?? '1h';

    const fromSecretsManager = service.secrets.filter((s) => s.from === 'secrets-manager');
    if (fromSecretsManager.length > 0) {
      new AwsSecret(this, 'app', {
        name: appSecretName(service),
        keys: fromSecretsManager.map((s) => ({ secretKey: s.name, key: serviceSecretName(platform, env, ref), property: s.key })),
        template: props.appTemplate,
        deletionPolicy: ExternalSecretSpecTargetDeletionPolicy.DELETE,
        syncWave: NAMESPACE_WAVE.prerequisites,
        refreshInterval,
      });
      this.secretNames.push(appSecretName(service));
      this.migrationSecretNames.push(appSecretName(service));
    }

    if (service.secrets.some((s) => s.from === 'sops')) {
      // Decrypted by Argo CD from the team's repo (see ChildrenChart); only its name is rendered here.
      this.secretNames.push(sopsSecretName(service));
    }

    if (service.database) {
      // The secret holds DB_HOST, DB_PORT, DB_NAME, DB_USER, DB_PASSWORD (written by the bootstrap Job,
      // the password rotated by the rotation CronJob).
      // Re-read far more often than the password rotates (platform/database-rotation.ts).
      new AwsSecret(this, 'database', { name: databaseSecretK8sName(service), extract: databaseSecretName(platform, env, ref), syncWave: NAMESPACE_WAVE.prerequisites, refreshInterval: DATABASE_SECRET_REFRESH });
      this.secretNames.push(databaseSecretK8sName(service));
      this.migrationSecretNames.push(databaseSecretK8sName(service));
    }
  }
}
