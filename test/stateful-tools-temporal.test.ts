/**
 * Temporal from its official chart (issue 9): every values key the platform sets is a key of the
 * pinned chart (verify/upstream/charts.ts CHART_VALUES), persistence and visibility are the model's schemas on Aurora with the bootstrap's
 * user and secret, the schema is created and migrated by the chart's own Jobs, the server is split
 * as the chart splits it, metrics are scraped over mutual TLS, and the UI signs in against the
 * staff realm with its secret by reference.
 */
import { TEMPORAL_CHART_VERSION, temporalValues } from '../charts/addons/temporal';
import { TEMPORAL_COMPONENT_LABEL } from '../charts/tools/temporal';
import { auroraWriterHost, databaseSecretName, LABEL_WORKLOAD, privateZoneName, staffIssuer } from '../platform/naming';
import { auroraMeshHost } from '../charts/mesh/topology';
import { isChartKey, valuesPaths } from '../verify/bootstrap/chart-values-keys';
import { CHART_VALUES } from '../verify/upstream/charts';
import { loadDistTree, traceRequest } from '../verify/trace';
import { LONG_POLL_TIMEOUT_SECONDS } from '../platform/traffic';
import { examplePlatform, type Loose } from './support/example';
import { exampleFiles, objectAt, objectsWhere } from './support/rendered';

const platform = () => examplePlatform();
const app = (env: string): Loose => objectAt(`${env}/argocd/children/sre/application-addon-temporal.yaml`);
const values = (env: string): Loose => app(env).spec.source.helm.valuesObject;
const saga = () => platform().teams.flatMap((t) => t.namespaces).find((n) => n.name === 'saga-service')!;
const server = () => saga().services.find((s) => s.name === 'temporal')!;

describe('Temporal through its official Helm chart', () => {
  test('the chart is pinned and installs into the saga namespace', () => {
    for (const env of platform().environments) {
      expect(app(env.name).spec.source).toMatchObject({ repoURL: 'https://go.temporal.io/helm-charts', chart: 'temporal', targetRevision: TEMPORAL_CHART_VERSION });
      expect(app(env.name).spec.destination.namespace).toBe('saga-service');
    }
  });

  test('every values key the platform sets is a key of the pinned chart (the upstream facts table, read at the pinned version)', () => {
    const facts = CHART_VALUES.temporal;
    expect(facts.version).toBe(TEMPORAL_CHART_VERSION);
    for (const env of platform().environments) {
      const unknown = valuesPaths(values(env.name), facts.freeForm).filter((p) => !isChartKey(facts, p));
      expect({ env: env.name, unknown }).toEqual({ env: env.name, unknown: [] });
    }
  });

  test('persistence and visibility are the model’s two schemas of one user, with the password from the bootstrap’s secret', () => {
    for (const env of platform().environments) {
      const p = values(env.name).server.config.persistence;
      const db = server().database!;
      expect(p.default.sql).toMatchObject({ driver: 'mysql8', database: db.schema, user: db.schema, existingSecret: 'temporal-database', secretKey: 'DB_PASSWORD', host: auroraWriterHost(platform(), env), tls: { enabled: true } });
      expect(p.visibility.sql).toMatchObject({ driver: 'mysql8', database: db.extraSchemas[0], user: db.schema, existingSecret: 'temporal-database', secretKey: 'DB_PASSWORD' });
      // The bootstrap creates both databases for that user, and stores the password the ExternalSecret syncs.
      const lines = objectAt(`${env.name}/namespaces/database-infra/configmap-db-bootstrap.yaml`).data.schemas.split('\n');
      expect(lines).toContain(`${databaseSecretName(platform(), env, { namespace: 'saga-service', service: 'temporal' })} ${db.schema} ${db.schema} ${db.extraSchemas[0]}`);
      expect(objectAt(`${env.name}/namespaces/saga-service/externalsecret-temporal-database.yaml`).spec.target.name).toBe('temporal-database');
    }
  });

  test('the writer host the chart names is a CNAME of the Aurora writer in the data stack’s private zone', () => {
    for (const env of platform().environments) {
      const tf = JSON.parse(exampleFiles().get(`${env.name}/terraform/data/cdk.tf.json`)!);
      const records = Object.values(tf.resource.aws_route53_record) as Loose[];
      const record = records.find((r) => r.name === auroraWriterHost(platform(), env));
      expect(record).toMatchObject({ type: 'CNAME', records: ['${aws_rds_cluster.aurora.endpoint}'] });
      const zone = (Object.values(tf.resource.aws_route53_zone) as Loose[]).find((z) => z.name === privateZoneName(platform(), env));
      expect(zone.vpc).toHaveLength(1);
      expect(record.zone_id).toMatch(/aws_route53_zone\./);
    }
  });

  test('schemas are created and migrated by the chart’s own Jobs, outside the mesh; the bootstrap creates the databases', () => {
    const s = values('prd').schema;
    expect(s).toMatchObject({ createDatabase: { enabled: false }, setup: { enabled: true }, update: { enabled: true }, podAnnotations: { 'sidecar.istio.io/inject': 'false' } });
    // No hand-written migration Job any more.
    // (The contract gate's Jobs of the saga orchestrator are the only Jobs there: charts/gates/.)
    expect(objectsWhere((o, p) => p.startsWith('prd/namespaces/saga-service/') && o.kind === 'Job' && !/-(can-i-deploy|record-deployment)$/.test(o.metadata.name))).toEqual([]);
  });

  test('the server runs split as the chart splits it, at the model’s replicas, and clients reach the frontend Pods', () => {
    const v = values('prd');
    expect(v.server.replicaCount).toBe(Math.max(server().scaling.minReplicas, platform().environments.find((e) => e.name === 'prd')!.sizing.replicaFloor));
    for (const s of ['frontend', 'history', 'matching', 'worker']) expect(v.server[s].podDisruptionBudget).toEqual({ maxUnavailable: 1 });
    expect(v.server.podLabels).toEqual({ [LABEL_WORKLOAD]: 'temporal' });
    const svc = objectAt('prd/namespaces/saga-service/service-temporal.yaml');
    expect(svc.spec.selector).toEqual({ [LABEL_WORKLOAD]: 'temporal', [TEMPORAL_COMPONENT_LABEL]: 'frontend' });
    expect(svc.spec.ports).toEqual([expect.objectContaining({ name: 'grpc', port: 7233, appProtocol: 'grpc' })]);
    expect(objectAt('prd/namespaces/saga-service/configmap-saga-orchestrator-config.yaml').data.TEMPORAL_ADDRESS).toBe('temporal.saga-service.svc.cluster.local:7233');
  });

  test('metrics: the chart’s own scrape config is off and the platform’s ServiceMonitor scrapes every server Pod on 9090 over mutual TLS', () => {
    const v = values('dev');
    expect(v.server.metrics).toEqual({ annotations: { enabled: false }, serviceMonitor: { enabled: false } });
    const metrics = objectAt('dev/namespaces/saga-service/service-temporal-metrics.yaml');
    expect(metrics.spec).toMatchObject({ clusterIP: 'None', selector: { [LABEL_WORKLOAD]: 'temporal' }, ports: [expect.objectContaining({ name: 'http-metrics', port: 9090 })] });
    expect(objectAt('dev/namespaces/saga-service/servicemonitor-temporal.yaml').spec.endpoints[0]).toMatchObject({ port: 'http-metrics', scheme: 'https' });
  });

  test('the server Pods admit each other only on the ring and service ports, from their own identity', () => {
    const allow = objectAt('dev/namespaces/saga-service/authorizationpolicy-temporal-allow.yaml');
    expect(allow.spec.rules).toContainEqual({ from: [{ source: { principals: ['cluster.local/ns/saga-service/sa/temporal'] } }], to: [{ operation: { ports: server().peerPorts.map(String) } }] });
    expect(values('dev').serviceAccount).toEqual({ create: false, name: 'temporal' });
    expect(objectAt('dev/namespaces/saga-service/serviceaccount-temporal.yaml').automountServiceAccountToken).toBe(false);
  });

  test('the UI signs in against the staff realm, with its client secret from Secrets Manager by reference', () => {
    for (const env of platform().environments) {
      const web = values(env.name).web;
      const envOf = (name: string) => web.additionalEnv.find((e: Loose) => e.name === name)?.value;
      expect(envOf('TEMPORAL_AUTH_ENABLED')).toBe('true');
      // Discovery and the back channel in-cluster; the tokens' issuer is the public one.
      expect(envOf('TEMPORAL_AUTH_PROVIDER_URL')).toBe(`http://keycloak.auth-service.svc.cluster.local:8080/auth/realms/${platform().identity.staffRealm}`);
      expect(envOf('TEMPORAL_AUTH_ISSUER_URL')).toBe(staffIssuer(platform(), env));
      expect(envOf('TEMPORAL_AUTH_CALLBACK_URL')).toBe(`https://temporal.${env.domains.internal}/auth/sso/callback`);
      expect(web.additionalEnv.some((e: Loose) => e.name === 'TEMPORAL_AUTH_CLIENT_SECRET')).toBe(false);
      const es = objectAt(`${env.name}/namespaces/saga-service/externalsecret-temporal-ui-app.yaml`);
      expect(es.spec.target.name).toBe(web.additionalEnvSecretName);
      expect(es.spec.data).toEqual([expect.objectContaining({ secretKey: 'TEMPORAL_AUTH_CLIENT_SECRET' })]);
    }
  });

  test('the saga orchestrator and the microservices that run its activities reach the frontend on 7233 on their long-poll route (tracer, rendered tree)', () => {
    const workers = platform()
      .teams.flatMap((t) => t.namespaces.flatMap((n) => n.services.filter((s) => s.dependencies.some((d) => 'service' in d && d.service === 'saga-service/temporal' && d.call === 'longPoll')).map((s) => `${n.name}/${s.name}`)))
      .sort();
    // Source 002 §7.5: the orchestrator starts the saga, the microservices of its local transactions are the Temporal workers.
    expect(workers).toEqual(expect.arrayContaining(['order-service/order-service', 'payment-service/payment-service', 'saga-service/saga-orchestrator', 'shipping-service/shipping-service']));
    for (const env of platform().environments) {
      const tree = loadDistTree(env.name);
      for (const from of workers) {
        const r = traceRequest(tree, 'POST', 'grpc://temporal.saga-service.svc.cluster.local:7233/temporal.api.workflowservice.v1.WorkflowService/PollActivityTaskQueue', [], { from });
        expect({ from, backend: r.backend, timeouts: r.routeTimeouts }).toEqual({ from, backend: 'saga-service/temporal', timeouts: [`${LONG_POLL_TIMEOUT_SECONDS}s`] });
        const [ns, name] = from.split('/');
        expect(objectAt(`${env.name}/namespaces/${ns}/configmap-${name}-config.yaml`).data.TEMPORAL_ADDRESS).toBe('temporal.saga-service.svc.cluster.local:7233');
      }
    }
  });

  test('a Temporal service without a visibility schema is refused with its name', () => {
    const env = platform().environments[0];
    const located = { team: platform().teams.find((t) => t.name === 'saga')!, namespace: saga(), service: { ...server(), database: { ...server().database!, extraSchemas: [] } } };
    expect(() => temporalValues(platform(), env, located)).toThrow(/saga-service\/temporal: Temporal needs database\.schema \(persistence\) and exactly one database\.extraSchemas entry/);
  });

  test('the private zone name and the mesh’s Aurora host are the one name the chart connects to', () => {
    for (const env of platform().environments) {
      expect(auroraMeshHost(platform(), env)).toBe(auroraWriterHost(platform(), env));
      expect(auroraWriterHost(platform(), env).endsWith(`.${privateZoneName(platform(), env)}`)).toBe(true);
    }
  });
});
