import { examplePlatform, type Loose } from './support/example';
import { objectAt, objectsWhere } from './support/rendered';

const deployment = (env: string, ns: string, name = ns) => objectAt(`${env}/namespaces/${ns}/deployment-${name}.yaml`);
const appContainer = (d: Loose): Loose => d.spec.template.spec.containers.find((c: Loose) => c.name === 'app');
/** Objects of services whose Pods a maintained installer creates (test/stateful-tools-*.test.ts covers them), "<ns>/<name>". */
const managedObjects = new Set(
  examplePlatform().teams.flatMap((t) => t.namespaces.flatMap((ns) => ns.services.filter((s) => s.runtime !== 'workload').flatMap((s) => [`${ns.name}/${s.name}`, `${ns.name}/${s.name}-metrics`]))),
);

describe('service workloads', () => {
  test('every service renders a Deployment, Service, ServiceAccount, ConfigMap, HPA and PDB in its namespace folder', () => {
    for (const env of examplePlatform().environments) {
      for (const team of examplePlatform().teams) {
        for (const ns of team.namespaces) {
          for (const s of ns.services.filter((x) => x.runtime === 'workload')) {
            for (const file of [`deployment-${s.name}`, `service-${s.name}`, `serviceaccount-${s.name}`, `configmap-${s.name}-config`, `horizontalpodautoscaler-${s.name}`, `poddisruptionbudget-${s.name}`]) {
              expect(objectAt(`${env.name}/namespaces/${ns.name}/${file}.yaml`).metadata.namespace).toBe(ns.name);
            }
          }
        }
      }
    }
  });

  test('containers have Guaranteed QoS: requests equal limits for cpu and memory', () => {
    for (const { obj } of objectsWhere((o) => o.kind === 'Deployment')) {
      for (const c of obj.spec.template.spec.containers) {
        expect(c.resources.requests).toEqual(c.resources.limits);
        expect(Object.keys(c.resources.limits).sort()).toEqual(['cpu', 'memory']);
      }
    }
  });

  test('containers run non-root with a read-only root filesystem, no privilege escalation, no capabilities and RuntimeDefault seccomp', () => {
    for (const { obj } of objectsWhere((o) => o.kind === 'Deployment')) {
      const c = appContainer(obj);
      expect(c.securityContext).toMatchObject({
        runAsNonRoot: true,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        privileged: false,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(c.securityContext.runAsUser).toBeGreaterThan(0);
    }
  });

  test('rollouts never take a Pod away before its replacement is ready', () => {
    const d = deployment('prd', 'order-service');
    expect(d.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } });
  });

  test("the preStop hook is the kubelet's native sleep (no sleep binary in the image), shorter than the termination grace period", () => {
    for (const { obj } of objectsWhere((o) => o.kind === 'Deployment')) {
      const preStop = appContainer(obj).lifecycle.preStop;
      expect(preStop.exec).toBeUndefined();
      expect(preStop.sleep.seconds).toBeGreaterThan(0);
      expect(obj.spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThan(preStop.sleep.seconds);
    }
  });

  test('Pods spread across zones and hosts by their own selector labels', () => {
    const d = deployment('stg', 'payment-service');
    const spread = d.spec.template.spec.topologySpreadConstraints;
    expect(spread.map((s: { topologyKey: string }) => s.topologyKey)).toEqual(['topology.kubernetes.io/zone', 'kubernetes.io/hostname']);
    for (const s of spread) expect(s.labelSelector.matchLabels).toEqual(d.spec.selector.matchLabels);
  });

  test('gRPC services are probed with the gRPC health protocol, HTTP services on their health paths', () => {
    const grpc = appContainer(deployment('dev', 'order-service'));
    expect(grpc.readinessProbe.grpc).toEqual({ port: 50051 });
    expect(grpc.startupProbe.grpc).toEqual({ port: 50051 });
    const http = appContainer(deployment('dev', 'pc-bff'));
    // The BFF answers health checks over HTTP/1.1 on its health port (its API port speaks gRPC).
    expect(http.livenessProbe.httpGet).toMatchObject({ path: '/healthcheck', port: 8081 });
  });

  test('images come from the release file: a digest in prd, a tag in dev, and IfNotPresent pulls', () => {
    const prd = appContainer(deployment('prd', 'order-service'));
    expect(prd.image).toMatch(/^333333333333\.dkr\.ecr\.ap-northeast-1\.amazonaws\.com\/ec\/order-service\/order-service@sha256:[a-f0-9]{64}$/);
    expect(prd.imagePullPolicy).toBe('IfNotPresent');
    expect(appContainer(deployment('dev', 'order-service')).image).toBe('111111111111.dkr.ecr.ap-northeast-1.amazonaws.com/ec/order-service/order-service:3.8.0-rc.1');
    expect(objectAt('dev/namespaces/auth-service/keycloak-keycloak.yaml').spec.image).toBe('quay.io/keycloak/keycloak:26.4.2');
  });

  test('the HPA targets its Deployment and never goes below the environment replica floor', () => {
    const hpa = objectAt('prd/namespaces/pc-frontend/horizontalpodautoscaler-pc-frontend.yaml');
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'pc-frontend' });
    expect(hpa.spec.minReplicas).toBe(3); // model says 2, prd floor is 3
    expect(objectAt('dev/namespaces/pc-frontend/horizontalpodautoscaler-pc-frontend.yaml').spec.minReplicas).toBe(2);
  });

  test('every PodDisruptionBudget and Service selects exactly its Deployment’s Pods', () => {
    for (const { path, obj } of objectsWhere((o) => (o.kind === 'PodDisruptionBudget' || o.kind === 'Service') && !managedObjects.has(`${o.metadata.namespace}/${o.metadata.name.replace(/-peers$/, '')}`))) {
      const dir = path.slice(0, path.lastIndexOf('/'));
      // The headless `<name>-peers` Service of a clustered service selects that service's Pods.
      const d = objectAt(`${dir}/deployment-${obj.metadata.name.replace(/-peers$/, '')}.yaml`);
      const selector = obj.kind === 'Service' ? obj.spec.selector : obj.spec.selector.matchLabels;
      expect(selector).toEqual(d.spec.selector.matchLabels);
      expect(d.spec.template.metadata.labels).toMatchObject(selector);
    }
  });

  test('every HorizontalPodAutoscaler scales the Deployment of its own name in its own folder', () => {
    const hpas = objectsWhere((o) => o.kind === 'HorizontalPodAutoscaler');
    expect(hpas.length).toBeGreaterThan(0);
    for (const { path, obj } of hpas) {
      const dir = path.slice(0, path.lastIndexOf('/'));
      expect(obj.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: obj.metadata.name });
      expect(objectAt(`${dir}/deployment-${obj.metadata.name}.yaml`).spec.replicas).toBeUndefined(); // the HPA owns the replica count
      expect(obj.spec.minReplicas).toBeGreaterThanOrEqual(2);
    }
  });

  test('the PodDisruptionBudget lets at most one Pod go at a time', () => {
    expect(objectAt('prd/namespaces/order-service/poddisruptionbudget-order-service.yaml').spec.maxUnavailable).toBe(1);
  });

  test('Service ports carry appProtocol so the mesh knows HTTP from gRPC', () => {
    const svc = objectAt('dev/namespaces/order-service/service-order-service.yaml');
    expect(svc.spec.ports).toEqual([
      { name: 'grpc', port: 50051, targetPort: 50051, appProtocol: 'grpc' },
      { name: 'http-metrics', port: 9464, targetPort: 9464, appProtocol: 'http' },
    ]);
  });

  test('a ServiceAccount is bound to its IAM role only when the service has AWS grants, and never automounts a token', () => {
    const withRole = objectAt('stg/namespaces/account-service/serviceaccount-account-service.yaml');
    expect(withRole.metadata.annotations['eks.amazonaws.com/role-arn']).toBe('arn:aws:iam::222222222222:role/ec-stg-account-service-account-service');
    expect(withRole.automountServiceAccountToken).toBe(false);
    expect(objectAt('stg/namespaces/order-service/serviceaccount-order-service.yaml').metadata.annotations['eks.amazonaws.com/role-arn']).toBeUndefined();
  });

  test('public config lands in the ConfigMap the container loads', () => {
    const cm = objectAt('dev/namespaces/saga-service/configmap-saga-orchestrator-config.yaml');
    expect(cm.data.TEMPORAL_ADDRESS).toBe('temporal.saga-service.svc.cluster.local:7233');
    expect(appContainer(deployment('dev', 'saga-service', 'saga-orchestrator')).envFrom).toEqual([{ configMapRef: { name: 'saga-orchestrator-config' } }]);
  });

  test('no object carries a construct-address label or a hashed name', () => {
    for (const { path, obj } of objectsWhere(() => true)) {
      expect(JSON.stringify(obj)).not.toContain('cdk8s.io/metadata.addr');
      expect(path).not.toMatch(/-[a-f0-9]{8}\.yaml$/);
    }
  });
});

describe('migration ordering on a fresh environment (issue 7)', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { parse } = require('yaml') as typeof import('yaml');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const fs = require('fs') as typeof import('fs');
  const at = (p: string) => parse(fs.readFileSync(`${__dirname}/../dist/${p}`, 'utf8'));

  test('the migration Job is a Sync hook in the wave after its ServiceAccount and ExternalSecrets, and reads no SOPS Secret', () => {
    const job = at('dev/namespaces/payment-service/job-payment-service-migrate.yaml');
    expect(job.metadata.annotations).toMatchObject({ 'argocd.argoproj.io/hook': 'Sync', 'argocd.argoproj.io/sync-wave': '-1' });
    expect(job.spec.template.spec.containers[0].envFrom.map((e: { secretRef: { name: string } }) => e.secretRef.name)).toEqual(['payment-service-app', 'payment-service-database']);
    expect(at('dev/namespaces/payment-service/serviceaccount-payment-service.yaml').metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('-2');
  });

  test('the database ExternalSecret is an ordinary object of the prerequisites wave, not a hook', () => {
    const es = at('prd/namespaces/order-service/externalsecret-order-service-database.yaml');
    expect(es.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '-2' });
  });
});
