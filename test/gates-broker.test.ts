import { BOOTSTRAP_SCRIPT } from '../charts/database/database-bootstrap';
import { PACT_BROKER_CHART_VERSION } from '../charts/addons/pact-broker';
import { contractBrokerDatabase, contractBrokerReaderSecretName, contractBrokerSecretName } from '../platform/gates';
import { namespaceSecretsRead } from '../platform/aws-names';
import { rendered, type Json } from './support/cdktf-jest';
import { examplePlatform, mutated, problemsOf, serviceOf, type Loose } from './support/example';
import { exampleFiles, objectAt, objectsWhere } from './support/rendered';

const platform = examplePlatform();
const envNamed = (name: string) => platform.environments.find((e) => e.name === name)!;
const namespaceOf = (name: string) => platform.teams.flatMap((t) => t.namespaces).find((n) => n.name === name)!;
const brokerApp = () => objectAt('prd/argocd/children/sre/application-addon-pact-broker.yaml');
const values = () => brokerApp().spec.source.helm.valuesObject;
const brokerUrlOf = (job: Loose): string => job.spec.template.spec.containers[0].env.find((e: Loose) => e.name === 'PACT_BROKER_BASE_URL').value;
const gateJobs = (env: string) => objectsWhere((o, path) => path.startsWith(`${env}/namespaces/`) && o.kind === 'Job' && /-(can-i-deploy|record-deployment)$/.test(o.metadata.name)).map(({ obj }) => obj);
const terraform = (env: string, stack: string): Json => JSON.parse(rendered(env).find((r) => r.stack === stack)!.json);
const resourcesOf = (stack: Json, type: string): Json[] => Object.values((stack.resource?.[type] ?? {}) as Record<string, Json>);

describe('the contract broker (Pact Broker chart)', () => {
  test('runs only in the environment the model names, as an Argo CD Application of the pinned upstream chart', () => {
    const app = brokerApp();
    expect(app.spec.source).toMatchObject({ repoURL: 'https://pact-foundation.github.io/pact-broker-chart/', chart: 'pact-broker', targetRevision: PACT_BROKER_CHART_VERSION });
    expect(PACT_BROKER_CHART_VERSION).toMatch(/^\d+\.\d+\.\d+$/);
    expect(app.spec.destination.namespace).toBe('contract-infra');
    expect([...exampleFiles().keys()].filter((p) => p.endsWith('application-addon-pact-broker.yaml'))).toEqual(['prd/argocd/children/sre/application-addon-pact-broker.yaml']);
  });

  test('the gate Jobs of every environment call the URL the broker answers on: its in-cluster Service where it runs, its internal host elsewhere', () => {
    const v = values();
    const service = `http://${v.fullnameOverride}.${brokerApp().spec.destination.namespace}.svc.cluster.local:${v.service.ports.http}`;
    const host = `https://${v.ingress.host}`;
    const prd = gateJobs('prd');
    const stg = gateJobs('stg');
    expect(prd.length).toBeGreaterThan(0);
    expect(stg.length).toBeGreaterThan(0);
    expect(new Set(prd.map(brokerUrlOf))).toEqual(new Set([service]));
    expect(new Set(stg.map(brokerUrlOf))).toEqual(new Set([host]));
    // The broker writes links for both (PACT_BROKER_BASE_URL is a space-separated list).
    expect(v.broker.config.baseUrl.split(' ')).toEqual([host, service]);
  });

  test('the broker is on an internal host behind ingress-nginx and authenticates every request itself', () => {
    const v = values();
    expect(v.ingress).toMatchObject({ enabled: true, className: 'nginx-internal', host: 'pact-broker.internal.shop.example.com' });
    expect(v.broker.config.basicAuth).toMatchObject({ enabled: true, allowPublicRead: false, publicHeartbeat: true });
    expect(v.broker.config.basicAuth.writeUser).toEqual({ existingSecret: 'contract-broker-client', existingSecretUsernameKey: 'PACT_BROKER_USERNAME', existingSecretPasswordKey: 'PACT_BROKER_PASSWORD' });
    expect(v.broker.containerSecurityContext).toMatchObject({ enabled: true, runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(v.broker.volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
  });

  test('every Secret the chart reads is an ExternalSecret of its namespace, and each key it names is written', () => {
    const v = values();
    const read = [
      [v.database.auth.existingSecret, v.database.auth.existingSecretPasswordKey],
      [v.broker.config.basicAuth.writeUser.existingSecret, v.broker.config.basicAuth.writeUser.existingSecretUsernameKey],
      [v.broker.config.basicAuth.writeUser.existingSecret, v.broker.config.basicAuth.writeUser.existingSecretPasswordKey],
      [v.broker.config.basicAuth.readUser.existingSecret, v.broker.config.basicAuth.readUser.existingSecretUsernameKey],
      [v.broker.config.basicAuth.readUser.existingSecret, v.broker.config.basicAuth.readUser.existingSecretPasswordKey],
    ];
    for (const [secret, key] of read) {
      const es = objectAt(`prd/namespaces/contract-infra/externalsecret-${secret}.yaml`);
      expect(es.spec.target.name).toBe(secret);
      expect(es.spec.data.map((d: Loose) => d.secretKey)).toContain(key);
    }
    expect(namespaceSecretsRead(platform, envNamed('prd'), namespaceOf('contract-infra')).sort()).toEqual(
      [contractBrokerDatabase(platform, envNamed('prd')).secretName, contractBrokerSecretName(platform, envNamed('prd')), contractBrokerReaderSecretName(platform, envNamed('prd'))].sort(),
    );
    expect(namespaceSecretsRead(platform, envNamed('stg'), namespaceOf('contract-infra'))).toEqual([]);
  });
});

describe("the broker's database", () => {
  const db = contractBrokerDatabase(platform, envNamed('prd'));

  test('is a dedicated Aurora PostgreSQL cluster (the chart admits no MySQL), encrypted, TLS only, reachable from the cluster only', () => {
    const data = terraform('prd', 'data');
    const clusters = resourcesOf(data, 'aws_rds_cluster').filter((c) => c.engine === 'aurora-postgresql');
    expect(clusters).toHaveLength(1);
    expect(clusters[0]).toMatchObject({ cluster_identifier: db.clusterIdentifier, port: 5432, storage_encrypted: true, manage_master_user_password: true, deletion_protection: true });
    const params = resourcesOf(data, 'aws_rds_cluster_parameter_group').find((g) => g.name === db.clusterIdentifier)!;
    expect(params.parameter).toContainEqual(expect.objectContaining({ name: 'rds.force_ssl', value: '1' }));
    const ingress = resourcesOf(data, 'aws_vpc_security_group_ingress_rule').filter((r) => r.from_port === 5432);
    expect(ingress).toHaveLength(1);
    expect(ingress[0].referenced_security_group_id).toMatch(/cluster_security_group_id/);
    expect(values().database).toMatchObject({ adapter: 'postgres', host: db.host, port: '5432', databaseName: db.database, auth: { username: db.user } });
    expect(resourcesOf(terraform('stg', 'data'), 'aws_rds_cluster').filter((c) => c.engine === 'aurora-postgresql')).toEqual([]);
  });

  test('the chart, the private name, the DB bootstrap and the secret all name the same host, role, database and secret', () => {
    const data = terraform('prd', 'data');
    expect(resourcesOf(data, 'aws_route53_record').filter((r) => r.name === values().database.host)).toHaveLength(1);
    expect(resourcesOf(data, 'aws_secretsmanager_secret').map((s) => s.name)).toEqual(expect.arrayContaining([db.secretName, contractBrokerReaderSecretName(platform, envNamed('prd'))]));
    expect(resourcesOf(data, 'aws_ssm_parameter').map((p) => p.name)).toEqual(expect.arrayContaining([db.masterSecretParameter, db.endpointParameter]));
    const config = objectAt('prd/namespaces/database-infra/configmap-db-bootstrap.yaml');
    expect(config.data.postgres).toBe(`${db.secretName} ${values().database.auth.username} ${values().database.databaseName}\n`);
    const es = objectAt(`prd/namespaces/contract-infra/externalsecret-${values().database.auth.existingSecret}.yaml`);
    expect(es.spec.data[0].remoteRef).toMatchObject({ key: db.secretName, property: 'DB_PASSWORD' });
    const job = objectAt('prd/namespaces/database-infra/job-db-bootstrap.yaml');
    const env = Object.fromEntries(job.spec.template.spec.containers[0].env.map((e: Loose) => [e.name, e.value]));
    expect(env).toMatchObject({ PG_MASTER_SECRET_PARAMETER: db.masterSecretParameter, PG_ENDPOINT_PARAMETER: db.endpointParameter, PG_PORT: '5432' });
    expect(objectAt('stg/namespaces/database-infra/configmap-db-bootstrap.yaml').data.postgres).toBeUndefined();
  });

  test('the DB bootstrap creates the role and its database idempotently, over verified TLS', () => {
    expect(BOOTSTRAP_SCRIPT).toMatch(/WHERE NOT EXISTS \(SELECT FROM pg_roles WHERE rolname = :'role'\)\\gexec/);
    expect(BOOTSTRAP_SCRIPT).toMatch(/CREATE DATABASE %I OWNER %I/);
    expect(BOOTSTRAP_SCRIPT).toMatch(/sslmode=verify-full sslrootcert=\$RDS_CA_BUNDLE/);
  });

  test("the DB bootstrap role may read the broker cluster's master secret and write only the broker's database secret", () => {
    const cluster = terraform('prd', 'cluster');
    const docs = Object.values((cluster.data?.aws_iam_policy_document ?? {}) as Record<string, Json>).flatMap((d) => d.statement as Json[]);
    const master = docs.find((s) => s.sid === 'ReadAuroraMasterSecret')!;
    expect(master.condition[0].values).toContain(`arn:aws:rds:ap-northeast-1:333333333333:cluster:${db.clusterIdentifier}`);
    const write = docs.find((s) => s.sid === 'WriteServiceDatabaseSecrets')!;
    expect(write.resources.some((r: string) => r.includes(db.secretName))).toBe(true);
  });
});

describe('the broker in the model', () => {
  test('a broker in an unknown environment is refused, naming it', () => {
    expect(problemsOf(mutated((i) => (i.contractBroker = { environment: 'qa' })))).toContainEqual('contractBroker.environment: unknown environment "qa" (environments: dev, stg, prd)');
  });

  test('a broker in an environment without the contract gate is refused', () => {
    expect(problemsOf(mutated((i) => (i.contractBroker = { environment: 'dev' })))).toContainEqual(expect.stringMatching(/^contractBroker\.environment: the broker runs in dev, whose gates\.contract is off/));
  });

  test("a service's internal route on the broker's host is refused", () => {
    const input = mutated((i) => (serviceOf(i, 'saga-service/temporal-ui').exposure.internal = [{ subdomain: 'pact-broker' }]));
    expect(problemsOf(input)).toContainEqual(expect.stringMatching(/services\[temporal-ui\]\.exposure\.internal: internal host "pact-broker" is the contract broker's \(contractBroker\.subdomain\)$/));
  });

  test('the broker needs its namespace in the sre team', () => {
    const input = mutated((i) => {
      const sre = i.teams.find((t: Loose) => t.name === 'sre');
      sre.namespaces = sre.namespaces.filter((n: Loose) => n.name !== 'contract-infra');
    });
    expect(problemsOf(input)).toContainEqual('teams[sre].namespaces: the sre team must own namespace "contract-infra" (runs the contract broker)');
  });
});
