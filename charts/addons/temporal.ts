/**
 * Temporal (source 002 §7.5, the orchestration saga) from its official Helm chart, configured from
 * the model's `temporal-server` and `temporal-web` services:
 * - the server split as the chart splits it (frontend, history, matching, worker Deployments, one
 *   membership ring), each at the model's replica count and Guaranteed resources;
 * - persistence and visibility on the shared Aurora cluster (MySQL 8), database `schema` and
 *   `extraSchemas[0]` of one user, password from the `<service>-database` Secret (ExternalSecret of
 *   the bootstrap's entry); the chart's own schema Jobs set up and migrate both (temporal-sql-tool
 *   `setup-schema` / `update-schema`), the bootstrap creates the databases and grants (the user may
 *   not create databases);
 * - metrics on the servers' Prometheus endpoint (9090), scraped over mutual TLS by the platform's
 *   ServiceMonitor (the chart's own is off: it cannot present the mesh certificate);
 * - the UI signs users in against the staff realm (its own OIDC: TEMPORAL_AUTH_*), client secret
 *   from Secrets Manager.
 * Values keys follow the chart's values.yaml (test/stateful-tools-temporal.test.ts checks them).
 */
import type { AddonSpec } from '../../apps-of-apps/addon';
import { staffClientId } from '../../platform/identity';
import { imageReference } from '../../platform/images';
import { appSecretName, AURORA_PORT, auroraWriterHost, databaseSecretK8sName, databaseUser, internalHost, LABEL_WORKLOAD, serviceAccountName, staffIssuer } from '../../platform/naming';
import type { Environment, Namespace, Platform, Service, Team } from '../../platform/types';
import { NO_SIDECAR, restrictedContainer } from '../jobs/hardened-pod';
import { identityRealmUrl } from '../mesh/request-authentication';
import { SYNC_WAVE } from '../sync-options';
import { TEMPORAL_UI_CALLBACK_PATH } from '../tools/realms';
import { guaranteed } from './sre-tools';

/** Chart 0.73.1 (server 1.29.1, UI 2.42.1 by default); the servers' image comes from the releases. */
export const TEMPORAL_CHART_VERSION = '0.73.1';
export const TEMPORAL_CHART_REPO = 'https://go.temporal.io/helm-charts';
/** `fullnameOverride`: the chart names every object `temporal-<component>`. */
export const TEMPORAL_FULLNAME = 'temporal';
/** UID of the temporalio/server and temporalio/ui images. */
const TEMPORAL_UID = 1000;
/** History shards: fixed for the life of the cluster (the chart's default). */
export const TEMPORAL_HISTORY_SHARDS = 512;
export const TEMPORAL_SERVER_SERVICES = ['frontend', 'history', 'matching', 'worker'] as const;

/** `repository` and `tag` of the chart's image values for a full reference (`repo:tag` or `repo@sha256:hex`). */
export function chartImage(reference: string): { repository: string; tag: string } {
  const at = reference.lastIndexOf(':');
  return { repository: reference.slice(0, at), tag: reference.slice(at + 1) };
}

interface Located {
  readonly team: Team;
  readonly namespace: Namespace;
  readonly service: Service;
}

function locate(platform: Platform, runtime: Service['runtime']): Located[] {
  return platform.teams.flatMap((team) => team.namespaces.flatMap((namespace) => namespace.services.filter((s) => s.runtime === runtime).map((service) => ({ team, namespace, service }))));
}

/** The chart's values for one Temporal cluster; throws on a model the chart cannot run. */
export function temporalValues(platform: Platform, env: Environment, server: Located, web?: Located): Record<string, unknown> {
  const { namespace, service } = server;
  const where = `${namespace.name}/${service.name}`;
  const db = service.database;
  if (!db || db.extraSchemas.length !== 1) throw new Error(`${where}: Temporal needs database.schema (persistence) and exactly one database.extraSchemas entry (visibility), got ${JSON.stringify(db ?? null)}`);
  const replicas = Math.max(service.scaling.minReplicas, env.sizing.replicaFloor);
  const container = { ...restrictedContainer(TEMPORAL_UID), readOnlyRootFilesystem: false };
  const pod = { runAsNonRoot: true, runAsUser: TEMPORAL_UID, runAsGroup: TEMPORAL_UID, fsGroup: TEMPORAL_UID, seccompProfile: { type: 'RuntimeDefault' } };
  const store = (database: string) => ({
    driver: 'sql',
    sql: {
      driver: 'mysql8',
      host: auroraWriterHost(platform, env),
      port: AURORA_PORT,
      database,
      user: databaseUser(db),
      existingSecret: databaseSecretK8sName(service),
      secretKey: 'DB_PASSWORD',
      maxConns: 20,
      maxIdleConns: 20,
      maxConnLifetime: '1h',
      // Aurora users REQUIRE SSL; the name is a CNAME, so the certificate's host is not verified.
      tls: { enabled: true, enableHostVerification: false },
    },
  });
  const perService = Object.fromEntries(
    TEMPORAL_SERVER_SERVICES.map((name) => [
      name,
      {
        ...(name === 'frontend' ? { service: { appProtocol: 'grpc' } } : {}),
        containerSecurityContext: container,
        podDisruptionBudget: { maxUnavailable: 1 },
        metrics: { annotations: { enabled: false }, serviceMonitor: { enabled: false } },
      },
    ]),
  );
  const values: Record<string, unknown> = {
    fullnameOverride: TEMPORAL_FULLNAME,
    serviceAccount: { create: false, name: serviceAccountName(service) },
    server: {
      image: chartImage(imageReference(platform, env, { namespace: namespace.name, service: service.name }, service)),
      replicaCount: replicas,
      resources: guaranteed(service.resources.cpu, service.resources.memory),
      podLabels: { [LABEL_WORKLOAD]: service.name },
      securityContext: pod,
      metrics: { annotations: { enabled: false }, serviceMonitor: { enabled: false } },
      config: {
        logLevel: 'info',
        numHistoryShards: TEMPORAL_HISTORY_SHARDS,
        persistence: { defaultStore: 'default', default: store(db.schema), visibility: store(db.extraSchemas[0]) },
      },
      ...perService,
    },
    // Operators use the temporal CLI from their workstation through the frontend; no standing shell Pod.
    admintools: { enabled: false },
    schema: {
      // The bootstrap Job creates the databases; the chart's Jobs create and migrate the tables.
      createDatabase: { enabled: false },
      setup: { enabled: true },
      update: { enabled: true },
      podAnnotations: { ...NO_SIDECAR },
      resources: guaranteed('200m', '256Mi'),
      containerSecurityContext: container,
      securityContext: pod,
    },
    elasticsearch: { enabled: false },
    cassandra: { enabled: false },
    mysql: { enabled: false },
    prometheus: { enabled: false },
    grafana: { enabled: false },
    web: { enabled: false },
  };
  if (web) {
    const ui = web.service;
    const host = ui.exposure.internal[0];
    if (!host) throw new Error(`${web.namespace.name}/${ui.name}: the Temporal UI needs an internal route (its OIDC callback host)`);
    values.web = {
      enabled: true,
      replicaCount: Math.max(ui.scaling.minReplicas, env.sizing.replicaFloor),
      image: chartImage(imageReference(platform, env, { namespace: web.namespace.name, service: ui.name }, ui)),
      podLabels: { [LABEL_WORKLOAD]: ui.name },
      resources: guaranteed(ui.resources.cpu, ui.resources.memory),
      containerSecurityContext: container,
      securityContext: pod,
      podDisruptionBudget: { maxUnavailable: 1 },
      additionalEnv: [
        { name: 'TEMPORAL_AUTH_ENABLED', value: 'true' },
        // Discovery, code exchange and keys in-cluster (the UI's sidecar blackholes the public host);
        // the issuer the tokens carry stays the public one (temporalio/ui route/auth.go: IssuerUrl).
        { name: 'TEMPORAL_AUTH_PROVIDER_URL', value: identityRealmUrl(platform, platform.identity.staffRealm) },
        { name: 'TEMPORAL_AUTH_ISSUER_URL', value: staffIssuer(platform, env) },
        { name: 'TEMPORAL_AUTH_CLIENT_ID', value: staffClientId(ui) },
        { name: 'TEMPORAL_AUTH_CALLBACK_URL', value: `https://${internalHost(env, host.subdomain)}${TEMPORAL_UI_CALLBACK_PATH}` },
        { name: 'TEMPORAL_AUTH_SCOPES', value: 'openid,profile,email' },
        // PKCE where the UI server has it (the staff realm accepts it, and does not require it: realms.ts requirePkce).
        { name: 'TEMPORAL_AUTH_PKCE_ENABLED', value: 'true' },
      ],
      // TEMPORAL_AUTH_CLIENT_SECRET (the model's secret of the UI).
      additionalEnvSecretName: appSecretName(ui),
    };
  }
  return values;
}

export function temporalAddons(platform: Platform, env: Environment): AddonSpec[] {
  const servers = locate(platform, 'temporal-server');
  const webs = locate(platform, 'temporal-web');
  return servers.map((server) => ({
    name: servers.length === 1 ? 'temporal' : `temporal-${server.namespace.name}`,
    namespace: server.namespace.name,
    tenantTeam: server.team.name,
    repoURL: TEMPORAL_CHART_REPO,
    chart: 'temporal',
    version: TEMPORAL_CHART_VERSION,
    releaseName: TEMPORAL_FULLNAME,
    syncWave: SYNC_WAVE.workloads,
    values: temporalValues(platform, env, server, webs.find((w) => w.namespace.name === server.namespace.name)),
  }));
}
