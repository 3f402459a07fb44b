/**
 * One IRSA role per namespace that reads AWS Secrets Manager (`secretsReaders`): it trusts only
 * that namespace's `external-secrets-reader` ServiceAccount (the one its SecretStore authenticates
 * as) and may read only that namespace's secrets, so no team's ExternalSecret can reach another
 * namespace's (or the SRE tools') secrets.
 */
import { Construct } from 'constructs';
import {
  awsDnsSuffix,
  namespaceSecretPrefix,
  regionalArn,
  secretArnPattern,
  SECRETS_READER_SERVICE_ACCOUNT,
  secretsReaderRoleName,
  secretsReaders,
} from '../platform/aws-names';
import type { Environment, Platform } from '../platform/types';
import type { PolicyStatement } from './aws-grants';
import { ServiceAccountRole, type OidcProviderRef } from './service-account-role';

/**
 * Statements of a namespace's reader role: read the secrets under the namespace's own prefix (its
 * services' app and database secrets) and, by exact name, every other secret the namespace reads
 * (`namespaceSecretsRead`: the SRE secrets kept in it, the contract broker's credentials where the
 * gate runs); decrypt them only through Secrets Manager.
 */
export function secretsReaderStatements(platform: Pick<Platform, 'name'>, env: Environment, namespace: string, secrets: readonly string[], secretsKeyArn: string): PolicyStatement[] {
  const prefix = namespaceSecretPrefix(platform, env, namespace);
  const exact = secrets.filter((s) => !s.startsWith(prefix));
  const resources = [
    ...(secrets.some((s) => s.startsWith(prefix)) ? [regionalArn(env, 'secretsmanager', `secret:${prefix}*`)] : []),
    ...exact.map((name) => secretArnPattern(env, name)),
  ];
  return [
    { sid: 'ReadNamespaceSecrets', actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], resources },
    {
      sid: 'DecryptThroughSecretsManager',
      actions: ['kms:Decrypt'],
      resources: [secretsKeyArn],
      conditions: [{ test: 'StringEquals', variable: 'kms:ViaService', values: [`secretsmanager.${env.region}.${awsDnsSuffix(env.region)}`] }],
    },
  ];
}

export interface SecretsReaderRolesProps {
  readonly platform: Platform;
  readonly env: Environment;
  readonly oidcProvider: OidcProviderRef;
  /** The Secrets Manager key of the environment. */
  readonly secretsKeyArn: string;
}

export class SecretsReaderRoles extends Construct {
  /** Reader roles by namespace. */
  public readonly roles: ReadonlyMap<string, ServiceAccountRole>;

  constructor(scope: Construct, id: string, props: SecretsReaderRolesProps) {
    super(scope, id);
    const { platform, env } = props;
    const roles = new Map<string, ServiceAccountRole>();
    for (const reader of secretsReaders(platform, env)) {
      roles.set(
        reader.namespace,
        new ServiceAccountRole(this, reader.namespace, {
          roleName: secretsReaderRoleName(platform, env, reader.namespace),
          namespace: reader.namespace,
          serviceAccount: SECRETS_READER_SERVICE_ACCOUNT,
          oidcProvider: props.oidcProvider,
          statements: secretsReaderStatements(platform, env, reader.namespace, reader.secrets, props.secretsKeyArn),
          description: `External Secrets reader of namespace ${reader.namespace} (team ${reader.team})`,
        }),
      );
    }
    this.roles = roles;
  }
}
