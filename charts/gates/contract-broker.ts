/**
 * What the contract broker's chart (charts/addons/pact-broker.ts) reads in its namespace, in the
 * environment that runs it: its database password and its two users, each an ExternalSecret of a
 * Secrets Manager entry (the database one written by the DB bootstrap, the users filled by
 * operators). Synced with the namespace's other prerequisites; the chart's Pods wait for them.
 */
import { Construct } from 'constructs';
import {
  CONTRACT_BROKER_K8S_SECRETS,
  CONTRACT_BROKER_NAMESPACE,
  contractBrokerDatabase,
  contractBrokerReaderSecretName,
  contractBrokerSecretName,
  hostsContractBroker,
} from '../../platform/gates';
import type { Environment, Namespace, Platform } from '../../platform/types';
import { AwsSecret } from '../secrets/aws-secret';
import { NAMESPACE_WAVE } from '../sync-options';

export interface ContractBrokerSecretsProps {
  readonly platform: Platform;
  readonly env: Environment;
  readonly namespace: Namespace;
}

export class ContractBrokerSecrets extends Construct {
  constructor(scope: Construct, id: string, props: ContractBrokerSecretsProps) {
    super(scope, id);
    const { platform, env, namespace } = props;
    if (namespace.name !== CONTRACT_BROKER_NAMESPACE || !hostsContractBroker(platform, env)) return;
    const wave = NAMESPACE_WAVE.prerequisites;
    new AwsSecret(this, 'database', {
      name: CONTRACT_BROKER_K8S_SECRETS.database,
      keys: [{ secretKey: 'DB_PASSWORD', key: contractBrokerDatabase(platform, env).secretName, property: 'DB_PASSWORD' }],
      syncWave: wave,
    });
    const client = contractBrokerSecretName(platform, env);
    new AwsSecret(this, 'write-user', {
      name: CONTRACT_BROKER_K8S_SECRETS.writeUser,
      keys: [
        { secretKey: 'PACT_BROKER_USERNAME', key: client, property: 'username' },
        { secretKey: 'PACT_BROKER_PASSWORD', key: client, property: 'password' },
      ],
      syncWave: wave,
    });
    const reader = contractBrokerReaderSecretName(platform, env);
    new AwsSecret(this, 'read-user', {
      name: CONTRACT_BROKER_K8S_SECRETS.readUser,
      keys: [
        { secretKey: 'username', key: reader, property: 'username' },
        { secretKey: 'password', key: reader, property: 'password' },
      ],
      syncWave: wave,
    });
  }
}
