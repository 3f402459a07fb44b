/**
 * The contract broker (source 004 §24: Pact Broker) as an SRE tool, from the Pact Foundation's
 * chart (pact-foundation/pact-broker-chart charts/pact-broker), in the one environment the model
 * names (`contractBroker.environment`), outside the mesh in `contract-infra`:
 * - its database on a small dedicated Aurora PostgreSQL cluster (infra/contract-broker-database.ts):
 *   the chart admits only the `postgres` and `sqlite` adapters (values.yaml `database.adapter`) and
 *   the shared Aurora is MySQL; the DB bootstrap creates its role and database and writes the
 *   password into Secrets Manager, an ExternalSecret brings it here (charts/gates/contract-broker.ts);
 * - basic authentication on every request (`allowPublicRead: false`) with the write user the gate
 *   Jobs and the teams' CI use (the `contract-broker-client` secret) and a read-only user for
 *   people; only the heartbeat is public (the probes);
 * - one internal host behind ingress-nginx (internal ALB). No OAuth2 Proxy in front: the broker
 *   authenticates each client itself, and the pact CLI in CI can only send basic credentials.
 *   The gate Jobs of this environment call the in-cluster Service (platform/gates.ts contractBrokerUrl).
 * Values keys follow the chart's values.yaml (test/gates-broker.test.ts checks them).
 */
import type { AddonSpec } from '../../apps-of-apps/addon';
import {
  CONTRACT_BROKER_K8S_SECRETS,
  CONTRACT_BROKER_NAMESPACE,
  CONTRACT_BROKER_PORTS,
  CONTRACT_BROKER_SERVICE,
  contractBrokerBaseUrl,
  contractBrokerDatabase,
  contractBrokerHost,
  contractBrokerUrl,
  hostsContractBroker,
} from '../../platform/gates';
import type { Environment, Platform } from '../../platform/types';
import { restrictedContainer } from '../jobs/hardened-pod';
import { SYNC_WAVE } from '../sync-options';
import { guaranteed, haReplicas, INTERNAL_INGRESS_CLASS } from './sre-tools';

/** Chart 5.5.1 (the image settings under `broker`, external PostgreSQL only; its image pinned by the chart). */
export const PACT_BROKER_CHART_VERSION = '5.5.1';
export const PACT_BROKER_CHART_REPO = 'https://pact-foundation.github.io/pact-broker-chart/';
/** UID of the pactfoundation/pact-broker image (the chart's containerSecurityContext.runAsUser). */
const PACT_BROKER_UID = 1001;

/** The chart's values for the environment that runs the broker. */
export function pactBrokerValues(platform: Platform, env: Environment): Record<string, unknown> {
  const db = contractBrokerDatabase(platform, env);
  const container = restrictedContainer(PACT_BROKER_UID);
  return {
    fullnameOverride: CONTRACT_BROKER_SERVICE,
    broker: {
      imagePullPolicy: 'IfNotPresent',
      replicaCount: haReplicas(env),
      // The chart drops `enabled` and passes the rest through.
      podSecurityContext: { enabled: true, runAsNonRoot: true, runAsUser: PACT_BROKER_UID, runAsGroup: PACT_BROKER_UID, fsGroup: PACT_BROKER_UID, seccompProfile: { type: 'RuntimeDefault' } },
      containerSecurityContext: { enabled: true, ...container },
      // The root filesystem is read-only: Puma's temporary files go to an emptyDir.
      volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }],
      volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
      containerPorts: { http: CONTRACT_BROKER_PORTS.container },
      resources: guaranteed('500m', '512Mi'),
      podDisruptionBudget: { maxUnavailable: 1 },
      config: {
        logFormat: 'json',
        // The chart's host is a CNAME of the RDS endpoint: TLS, without verifying the host name.
        databaseSslmode: 'require',
        // The bootstrap may still be creating the role on a fresh environment.
        databaseConnectMaxRetries: 20,
        // Every link the broker writes: its internal host, and its in-cluster Service for the gate Jobs here.
        baseUrl: `${contractBrokerBaseUrl(platform)} ${contractBrokerUrl(platform, env)}`,
        basicAuth: {
          enabled: true,
          allowPublicRead: false,
          publicHeartbeat: true,
          enablePublicBadgeAccess: false,
          writeUser: { existingSecret: CONTRACT_BROKER_K8S_SECRETS.writeUser, existingSecretUsernameKey: 'PACT_BROKER_USERNAME', existingSecretPasswordKey: 'PACT_BROKER_PASSWORD' },
          readUser: { existingSecret: CONTRACT_BROKER_K8S_SECRETS.readUser, existingSecretUsernameKey: 'username', existingSecretPasswordKey: 'password' },
        },
        webhookSchemeWhitelist: 'https',
        allowDangerousContractModification: false,
        // Bounded growth: the embedded clean task keeps the latest versions and half a year.
        databaseClean: { enabled: true, mode: 'embedded' },
      },
    },
    service: { type: 'ClusterIP', ports: { http: CONTRACT_BROKER_PORTS.service } },
    // TLS ends at the internal ALB, which forwards plain HTTP to the controller's NodePort.
    ingress: { enabled: true, className: INTERNAL_INGRESS_CLASS, host: contractBrokerHost(platform), tls: { enabled: false } },
    database: {
      adapter: 'postgres',
      host: db.host,
      port: String(db.port),
      databaseName: db.database,
      auth: { username: db.user, existingSecret: CONTRACT_BROKER_K8S_SECRETS.database, existingSecretPasswordKey: 'DB_PASSWORD' },
    },
    // It calls no Kubernetes API.
    serviceAccount: { create: true, automountServiceAccountToken: false },
  };
}

export function pactBrokerAddons(platform: Platform, env: Environment): AddonSpec[] {
  if (!hostsContractBroker(platform, env)) return [];
  return [
    {
      name: 'pact-broker',
      namespace: CONTRACT_BROKER_NAMESPACE,
      repoURL: PACT_BROKER_CHART_REPO,
      chart: 'pact-broker',
      version: PACT_BROKER_CHART_VERSION,
      releaseName: CONTRACT_BROKER_SERVICE,
      syncWave: SYNC_WAVE.workloads,
      values: pactBrokerValues(platform, env),
    },
  ];
}
