import { PUBLIC_RATE_LIMIT } from '../platform/aws-names';
import { loadTestTargets } from '../platform/gates';
import { toolImageReference } from '../platform/images';
import { publicHost } from '../platform/naming';
import { LOAD_TEST_DIR, loadTestRate } from '../charts/gates/load-test';
import { examplePlatform, mutated, problemsOf, type Loose } from './support/example';
import { exampleFiles, objectAt } from './support/rendered';

const platform = examplePlatform();
const stg = platform.environments.find((e) => e.name === 'stg')!;
const cronJob = () => objectAt('stg/namespaces/load-infra/cronjob-load-test.yaml');
const pod = () => cronJob().spec.jobTemplate.spec.template.spec;
const config = () => objectAt('stg/namespaces/load-infra/configmap-load-test.yaml');
const targets = (): Loose[] => JSON.parse(config().data['targets.json']);
const publicRoutes = () =>
  platform.teams.flatMap((t) => t.namespaces.flatMap((ns) => ns.services.flatMap((s) => s.exposure.public.map((r) => ({ key: `${ns.name}/${s.name}`, host: r.host, url: `https://${publicHost(stg, r.host)}${r.pathPrefix}`, userAgent: r.userAgent })))));

describe('the staging load test', () => {
  test('is a nightly k6 CronJob in staging only, with the k6 image pinned in the release file', () => {
    const cron = cronJob();
    expect(cron.spec).toMatchObject({ schedule: '0 18 * * *', timeZone: 'Etc/UTC', concurrencyPolicy: 'Forbid' });
    expect(cron.spec.jobTemplate.spec.backoffLimit).toBe(0);
    expect(pod().containers[0].image).toBe(toolImageReference(platform, stg, 'k6'));
    expect(pod().containers[0].image).toMatch(/^docker\.io\/grafana\/k6:[\w.]+@sha256:[0-9a-f]{64}$/);
    const rendered = [...exampleFiles().keys()].filter((p) => /\/cronjob-load-test\.yaml$/.test(p));
    expect(rendered).toEqual(['stg/namespaces/load-infra/cronjob-load-test.yaml']);
  });

  test('runs non-root on a read-only root filesystem, without a ServiceAccount token or any Secret', () => {
    const spec = pod();
    expect(spec.automountServiceAccountToken).toBe(false);
    expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(spec.containers[0].securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(JSON.stringify(spec)).not.toMatch(/secretKeyRef|"secret":|secretRef/);
  });

  test("its targets are the model's public routes, each with a User-Agent the edge routes to that route", () => {
    const expected = publicRoutes();
    expect(targets().map((t) => t.url)).toEqual(expected.map((r) => r.url));
    targets().forEach((t, i) => {
      const route = expected[i];
      expect(t.name).toBe(`${route.key} ${t.url.replace(/^https:\/\//, '')}`);
      if (route.userAgent) expect(t.userAgent).toMatch(new RegExp(route.userAgent));
      else for (const other of expected.filter((r) => r.host === route.host && r.userAgent)) expect(t.userAgent).not.toMatch(new RegExp(other.userAgent!));
    });
  });

  test('the script reads the targets where the ConfigMap is mounted and fails on errors or slow answers', () => {
    const mount = pod().containers[0].volumeMounts.find((m: Loose) => m.mountPath === LOAD_TEST_DIR);
    expect(pod().volumes.find((v: Loose) => v.name === mount.name).configMap.name).toBe(config().metadata.name);
    expect(config().data['script.js']).toContain(`open('${LOAD_TEST_DIR}/targets.json')`);
    expect(pod().containers[0].command.at(-1)).toBe(`${LOAD_TEST_DIR}/script.js`);
    expect(config().data['script.js']).toMatch(/"http_req_failed": \[\s*"rate<0\.01"\s*\]/);
  });

  test('its results are remote-written to the VictoriaMetrics Service the add-on creates', () => {
    const vm = objectAt('stg/argocd/children/sre/application-addon-victoria-metrics.yaml');
    const server = vm.spec.source.helm.valuesObject.server;
    const env = Object.fromEntries(pod().containers[0].env.map((e: Loose) => [e.name, e.value]));
    expect(pod().containers[0].command).toEqual(expect.arrayContaining(['--out', 'experimental-prometheus-rw']));
    expect(env.K6_PROMETHEUS_RW_SERVER_URL).toBe(`http://${server.fullnameOverride}.${vm.spec.destination.namespace}.svc.cluster.local:${server.service.servicePort}/api/v1/write`);
  });

  test('the request rate stays below what the public web ACL admits from one address', () => {
    expect(config().data['script.js']).toContain(`"rate": ${loadTestRate()}`);
    expect(loadTestRate() * PUBLIC_RATE_LIMIT.windowSeconds).toBeLessThan(PUBLIC_RATE_LIMIT.requests);
  });

  test('a route no load-test User-Agent can reach is refused at render time, naming it', () => {
    const input = { teams: [{ name: 't', owners: [], repo: '', namespaces: [{ name: 'n', mesh: true, podSecurity: 'restricted', services: [{ name: 's', exposure: { public: [{ host: 'web', pathPrefix: '/', userAgent: '^curl/' }], internal: [] } }] }] }] } as Loose;
    expect(() => loadTestTargets(input, stg)).toThrow(/^n\/s: no load-test User-Agent reaches the public route https:\/\/stg\.shop\.example\.com\/ \(User-Agent \^curl\/; known: /);
  });

  test('the load gate needs its namespace in the sre team', () => {
    const input = mutated((i) => {
      const sre = i.teams.find((t: Loose) => t.name === 'sre');
      sre.namespaces = sre.namespaces.filter((n: Loose) => n.name !== 'load-infra');
    });
    expect(problemsOf(input)).toContainEqual('teams[sre].namespaces: the sre team must own namespace "load-infra" (runs the load test of stg)');
  });
});
