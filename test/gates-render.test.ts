import { parse } from 'yaml';
import { CONTRACT_BROKER_K8S_SECRET, contractBrokerSecretName, e2eTargetUrls } from '../platform/gates';
import { namespaceSecretsRead } from '../platform/aws-names';
import { toolImageReference } from '../platform/images';
import { parsePlatform } from '../platform/validate';
import { renderEnvironmentKubernetes } from '../render/render-kubernetes';
import { examplePlatform, mutated, type Loose } from './support/example';
import { objectAt, objectsWhere } from './support/rendered';

const platform = examplePlatform();
const envNamed = (name: string) => platform.environments.find((e) => e.name === name)!;
const namespaceOf = (name: string) => platform.teams.flatMap((t) => t.namespaces).find((n) => n.name === name)!;
const container = (job: Loose) => job.spec.template.spec.containers[0];
const envVars = (job: Loose): Record<string, string> => Object.fromEntries(container(job).env.map((e: Loose) => [e.name, e.value]));
const kindsIn = (env: string, namespace: string, kind: string) =>
  objectsWhere((o, path) => path.startsWith(`${env}/namespaces/${namespace}/`) && o.kind === kind).map(({ obj }) => obj);

describe('the contract gate', () => {
  const job = objectAt('stg/namespaces/order-service/job-order-service-can-i-deploy.yaml');

  test('a provider gets a can-i-deploy Sync hook before its workloads, asking for its release version in this environment', () => {
    // Wave -1 of the Sync phase: after the SecretStore and credentials (wave -2), before the workloads (wave 0).
    expect(job.metadata.annotations).toMatchObject({ 'argocd.argoproj.io/hook': 'Sync', 'argocd.argoproj.io/sync-wave': '-1' });
    expect(container(job).command).toEqual([
      'pact-broker', 'can-i-deploy', '--pacticipant', 'order-service.order-service', '--version', '3.7.2', '--to-environment', 'stg', '--retry-while-unknown', '12', '--retry-interval', '10',
    ]);
    expect(envVars(job).PACT_BROKER_BASE_URL).toBe('https://pact-broker.internal.shop.example.com');
    expect(job.spec.backoffLimit).toBe(0);
  });

  test('the gate runs the pact-cli image pinned in the environment release file', () => {
    expect(container(job).image).toBe(toolImageReference(platform, envNamed('stg'), 'pactCli'));
    expect(container(job).image).toMatch(/^docker\.io\/pactfoundation\/pact-cli:1\.4\.0@sha256:[0-9a-f]{64}$/);
  });

  test('the gate runs restricted, without a token, as the namespace default ServiceAccount and without a sidecar', () => {
    const pod = job.spec.template.spec;
    expect(pod.serviceAccountName).toBe('default');
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(job.spec.template.metadata.annotations['sidecar.istio.io/inject']).toBe('false');
    expect(container(job).securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
  });

  test('the broker credentials come by reference from an ExternalSecret synced with the prerequisites, a wave before the gate', () => {
    expect(container(job).envFrom).toEqual([{ secretRef: { name: CONTRACT_BROKER_K8S_SECRET } }]);
    const es = objectAt(`stg/namespaces/order-service/externalsecret-${CONTRACT_BROKER_K8S_SECRET}.yaml`);
    expect(es.metadata.annotations['argocd.argoproj.io/hook']).toBeUndefined();
    expect(es.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('-2');
    expect(es.spec.target).toEqual({ name: CONTRACT_BROKER_K8S_SECRET, creationPolicy: 'Owner', deletionPolicy: 'Retain' });
    expect(es.spec.data.map((d: Loose) => d.remoteRef.key)).toEqual([contractBrokerSecretName(platform, envNamed('stg')), contractBrokerSecretName(platform, envNamed('stg'))]);
  });

  test("a gated namespace's own secret store, and its reader role alone, may read the broker credentials", () => {
    for (const ns of ['pc-bff', 'sp-bff', 'partner-bff']) {
      expect(objectAt(`stg/namespaces/${ns}/secretstore-aws-secrets-manager.yaml`).kind).toBe('SecretStore');
      expect(namespaceSecretsRead(platform, envNamed('stg'), namespaceOf(ns))).toContain(contractBrokerSecretName(platform, envNamed('stg')));
      expect(namespaceSecretsRead(platform, envNamed('dev'), namespaceOf(ns))).not.toContain(contractBrokerSecretName(platform, envNamed('dev')));
    }
  });

  test('a consumer records its deployment after the sync so the next can-i-deploy knows what runs where', () => {
    const record = objectAt('prd/namespaces/pc-bff/job-pc-bff-record-deployment.yaml');
    expect(record.metadata.annotations['argocd.argoproj.io/hook']).toBe('PostSync');
    expect(container(record).command).toEqual(['pact-broker', 'record-deployment', '--pacticipant', 'pc-bff.pc-bff', '--version', platform.releases.find((r) => r.environment === 'prd')!.images['pc-bff/pc-bff'].digest, '--environment', 'prd']);
  });

  test('services outside the contract graph and environments with the gate off get no gate', () => {
    expect(kindsIn('stg', 'pc-frontend', 'ExternalSecret')).toEqual([]);
    expect(objectsWhere((o, path) => path.startsWith('dev/') && o.kind === 'Job' && /can-i-deploy|record-deployment/.test(o.metadata.name))).toEqual([]);
    expect(objectsWhere((o) => o.kind === 'Job' && o.metadata.name === 'temporal-ui-can-i-deploy')).toEqual([]);
  });
});

describe('staging E2E', () => {
  const job = objectAt('stg/namespaces/pc-bff/job-pc-bff-e2e.yaml');

  test('a BFF that declares E2E tests gets a PostSync Job running its E2E image at the release tag against its public routes', () => {
    expect(job.metadata.annotations['argocd.argoproj.io/hook']).toBe('PostSync');
    expect(container(job).image).toBe('111111111111.dkr.ecr.ap-northeast-1.amazonaws.com/ec-e2e/pc-bff:1.12.0');
    expect(container(job).command).toEqual(['npx', 'playwright', 'test', '--project', 'api']);
    expect(envVars(job)).toMatchObject({ E2E_BASE_URL: 'https://stg.shop.example.com/api/', E2E_TARGET_URLS: e2eTargetUrls(envNamed('stg'), { exposure: { public: [{ host: 'web', pathPrefix: '/api/' }], internal: [] } }).join(','), E2E_ENVIRONMENT: 'stg' });
  });

  test('a failed E2E run is not retried, so it fails the sync at once', () => {
    expect(job.spec.backoffLimit).toBe(0);
    expect(job.spec.template.spec.restartPolicy).toBe('Never');
  });

  test('the E2E Job holds no secret and no AWS identity', () => {
    expect(container(job).envFrom ?? []).toEqual([]);
    expect(job.spec.template.spec.serviceAccountName).toBe('default');
  });

  test('only environments with gates.e2e run E2E tests', () => {
    const e2eEnvs = objectsWhere((o) => o.kind === 'Job' && /-e2e$/.test(o.metadata.name)).map(({ path }) => path.split('/')[0]);
    expect([...new Set(e2eEnvs)]).toEqual(['stg']);
  });
});

describe('fault injection', () => {
  const vs = objectAt('dev/namespaces/order-service/virtualservice-order-service.yaml');

  test('a declared fault becomes the first route, matching only the faulted caller', () => {
    expect(vs.spec.http[0]).toEqual({
      name: 'grpc-fault-pc-bff-pc-bff',
      match: [{ port: 50051, sourceNamespace: 'pc-bff', sourceLabels: { 'app.kubernetes.io/name': 'pc-bff' } }],
      fault: { delay: { percentage: { value: 10 }, fixedDelay: '2s' } },
      route: [{ destination: { host: 'order-service.order-service.svc.cluster.local', port: { number: 50051 } } }],
    });
  });

  test('other callers keep the ordinary route with timeout and retries', () => {
    expect(vs.spec.http[1]).toMatchObject({ name: 'grpc', match: [{ port: 50051 }], timeout: '5s', retries: { attempts: 2 } });
    expect(vs.spec.http[1].fault).toBeUndefined();
  });

  test('an abort fault renders its percentage and HTTP status', () => {
    const payment = objectAt('dev/namespaces/payment-service/virtualservice-payment-service.yaml');
    expect(payment.spec.http[0].fault).toEqual({ abort: { percentage: { value: 5 }, httpStatus: 503 } });
  });

  test('environments without faults render no fault', () => {
    expect(objectsWhere((o, path) => !path.startsWith('dev/') && o.kind === 'VirtualService' && (o.spec.http ?? []).some((h: Loose) => h.fault))).toEqual([]);
  });

  test('faults in production render only with allowFaultsInProduction', () => {
    const input = mutated((i) => Object.assign(i.environments.find((e: Loose) => e.name === 'prd'), { faults: [{ from: 'pc-bff/pc-bff', to: 'order-service/order-service', abort: { percent: 1, httpStatus: 503 } }], allowFaultsInProduction: true }));
    const p = parsePlatform(input);
    const file = renderEnvironmentKubernetes(p, p.environments.find((e) => e.name === 'prd')!).find((f) => f.path.endsWith('order-service/virtualservice-order-service.yaml'))!;
    expect(parse(file.content).spec.http[0].fault).toEqual({ abort: { percentage: { value: 1 }, httpStatus: 503 } });
  });
});
