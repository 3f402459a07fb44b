/**
 * One Kubernetes Secret read from AWS Secrets Manager through the namespace's SecretStore: the one
 * shape every ExternalSecret of the platform has (hourly refresh, the Secret owned by its
 * ExternalSecret, no value ever rendered). External Secrets semantics: external-secrets
 * apis/externalsecrets/v1 ExternalSecretTarget (creationPolicy, deletionPolicy, template).
 */
import { Construct } from 'constructs';
import {
  ExternalSecret,
  ExternalSecretSpecTargetCreationPolicy,
  ExternalSecretSpecTargetDeletionPolicy,
  ExternalSecretSpecTargetTemplateEngineVersion,
  ExternalSecretSpecTargetTemplateMergePolicy,
} from '../../imports/external-secrets.io';
import { PLATFORM_SECRET_STORE_REF } from './cluster-secret-store';

/** One key of the Kubernetes Secret: a property of an AWS secret. */
export interface AwsSecretKey {
  readonly secretKey: string;
  /** Name of the AWS Secrets Manager secret. */
  readonly key: string;
  /** JSON property of that secret. */
  readonly property: string;
}

export interface AwsSecretProps {
  /** Name of the ExternalSecret and of the Secret it writes. */
  readonly name: string;
  /** The keys, one AWS secret property each; or `extract` to take every property of one AWS secret. */
  readonly keys?: readonly AwsSecretKey[];
  /**
   * Every property of this AWS secret becomes a key (`dataFrom.extract`).
   * @default none
   */
  readonly extract?: string;
  /**
   * Further keys templated from the read ones (template v2, merged).
   * @default none
   */
  readonly template?: Readonly<Record<string, string>>;
  /**
   * What happens to the Secret when the AWS secret is deleted.
   * @default Retain
   */
  readonly deletionPolicy?: ExternalSecretSpecTargetDeletionPolicy;
  /**
   * Argo CD sync wave.
   * @default none (wave 0)
   */
  readonly syncWave?: number;
  /**
   * How often External Secrets re-reads AWS.
   * @default "1h"
   */
  readonly refreshInterval?: string;
}

export class AwsSecret extends Construct {
  constructor(scope: Construct, id: string, props: AwsSecretProps) {
    super(scope, id);
    if ((props.keys === undefined) === (props.extract === undefined)) throw new Error(`AwsSecret ${props.name}: give exactly one of keys and extract`);
    new ExternalSecret(this, 'resource', {
      metadata: { name: props.name, ...(props.syncWave !== undefined ? { annotations: { 'argocd.argoproj.io/sync-wave': String(props.syncWave) } } : {}) },
      spec: {
        refreshInterval: props.refreshInterval ?? '1h',
        secretStoreRef: PLATFORM_SECRET_STORE_REF,
        target: {
          name: props.name,
          creationPolicy: ExternalSecretSpecTargetCreationPolicy.OWNER,
          deletionPolicy: props.deletionPolicy ?? ExternalSecretSpecTargetDeletionPolicy.RETAIN,
          ...(props.template
            ? { template: { engineVersion: ExternalSecretSpecTargetTemplateEngineVersion.V2, mergePolicy: ExternalSecretSpecTargetTemplateMergePolicy.MERGE, data: { ...props.template } } }
            : {}),
        },
        ...(props.keys ? { data: props.keys.map((k) => ({ secretKey: k.secretKey, remoteRef: { key: k.key, property: k.property } })) } : {}),
        ...(props.extract ? { dataFrom: [{ extract: { key: props.extract } }] } : {}),
      },
    });
  }
}
