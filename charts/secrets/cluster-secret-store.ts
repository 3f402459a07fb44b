import { Construct } from 'constructs';
import { ClusterSecretStore, ClusterSecretStoreSpecProviderAwsService, ExternalSecretSpecSecretStoreRefKind } from '../../imports/external-secrets.io';
import { contractGateNamespaces } from '../../platform/gates';
import { CLUSTER_SECRET_STORE, PLATFORM_IDENTITIES, SRE_SECRETS } from '../../platform/naming';
import type { Environment, Platform } from '../../platform/types';
import { CRD_PENDING } from '../nodes/node-pools';

/** How every ExternalSecret of the platform names the store. */
export const PLATFORM_SECRET_STORE_REF = { kind: ExternalSecretSpecSecretStoreRefKind.CLUSTER_SECRET_STORE, name: CLUSTER_SECRET_STORE };

export interface ClusterSecretStoreProps {
  readonly platform: Platform;
  readonly env: Environment;
}

/**
 * The environment's AWS Secrets Manager as External Secrets sees it. The controller authenticates
 * as its own ServiceAccount (IRSA role that reads only this platform's secrets), and only
 * namespaces that hold services or SRE tools with secrets may use the store.
 */
export class PlatformSecretStore extends Construct {
  constructor(scope: Construct, id: string, props: ClusterSecretStoreProps) {
    super(scope, id);
    const { platform, env } = props;
    const consumers = platform.teams.flatMap((t) => t.namespaces.filter((n) => n.services.some((s) => s.database || s.secrets.some((x) => x.from === 'secrets-manager')))).map((n) => n.name);
    new ClusterSecretStore(this, 'store', {
      metadata: { name: CLUSTER_SECRET_STORE, annotations: CRD_PENDING },
      spec: {
        provider: {
          aws: {
            service: ClusterSecretStoreSpecProviderAwsService.SECRETS_MANAGER,
            region: env.region,
            auth: { jwt: { serviceAccountRef: { name: PLATFORM_IDENTITIES.externalSecrets.serviceAccount, namespace: PLATFORM_IDENTITIES.externalSecrets.namespace } } },
          },
        },
        conditions: [{ namespaces: [...new Set([...consumers, ...contractGateNamespaces(platform, env), ...Object.values(SRE_SECRETS).map((s) => s.namespace)])].sort() }],
      },
    });
  }
}
