/**
 * The staging load and regression test (source 004 §26: load tests of the whole architecture in
 * staging), where `gates.load` is on (never in production: the validation refuses it there).
 *
 * A CronJob, not a sync hook: the architecture is many Applications that sync independently, and
 * a hook of one namespace's sync would load the others at a random point of their own rollout. So
 * it runs nightly (and on demand: `kubectl -n load-infra create job --from=cronjob/load-test
 * load-test-manual`), k6 (grafana/k6, pinned in the release file's `tools.k6`) calling every public
 * route of the model (platform/gates.ts loadTestTargets, rendered as the `load-test` ConfigMap)
 * through the real path: DNS, the external ALB and its WAF, the ingress gateway, the BFFs and the
 * services behind them.
 *
 * The request rate stays below what the public web ACL admits from one address (the Pod leaves
 * through one NAT gateway; PUBLIC_RATE_LIMIT), or the test would measure WAF blocks. Results:
 * - k6's metrics (`k6_*`, tagged `testid` and `route`) are remote-written to VictoriaMetrics
 *   (k6 docs results-output/real-time/prometheus-remote-write, output `experimental-prometheus-rw`),
 *   which Grafana reads; the summary goes to the Pod log (Fluent Bit -> CloudWatch Logs);
 * - failed thresholds make k6 exit non-zero, so the Job fails and kube-prometheus-stack's
 *   KubeJobFailed alert fires.
 * Non-root, read-only root filesystem, no ServiceAccount token, no Secret: the routes are public.
 */
import { ApiObject, Cron, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { PUBLIC_RATE_LIMIT } from '../../platform/aws-names';
import { LOAD_TEST_NAME, LOAD_TEST_NAMESPACE, loadTestTargets } from '../../platform/gates';
import { toolImageReference } from '../../platform/images';
import { LABEL_COMPONENT, LABEL_NAME } from '../../platform/naming';
import type { Environment, Namespace, Platform } from '../../platform/types';
import { VICTORIA_METRICS_SERVICE, serviceUrl } from '../addons/sre-tools';
import { kplusContainerSecurity, kplusPodSecurity, RUN_AS } from '../jobs/hardened-pod';
import { hardenPodTemplate } from '../jobs/hook-job';

/** Nightly at 18:00 UTC (03:00 in Tokyo, the site's quietest hour). */
export const LOAD_TEST_SCHEDULE = { cron: { minute: '0', hour: '18' }, timeZone: 'Etc/UTC' } as const;
/** How long the steady load lasts. */
export const LOAD_TEST_DURATION = '10m';
/** Where the script and the targets are mounted. */
export const LOAD_TEST_DIR = '/etc/load-test';
/** Regression thresholds: fewer than 1% failed requests, 95% under a second. */
export const LOAD_TEST_THRESHOLDS = { http_req_failed: ['rate<0.01'], http_req_duration: ['p(95)<1000'] } as const;

/** Requests per second: 80% of what the public web ACL lets one client address send. */
export const loadTestRate = (): number => Math.max(1, Math.floor((PUBLIC_RATE_LIMIT.requests / PUBLIC_RATE_LIMIT.windowSeconds) * 0.8));

/** VictoriaMetrics' Prometheus remote-write endpoint. */
export const LOAD_TEST_REMOTE_WRITE_URL = `${serviceUrl(VICTORIA_METRICS_SERVICE)}/api/v1/write`;

/**
 * The k6 script: a constant arrival rate over every target, each request tagged with its route,
 * a check that nothing answered 5xx, and the thresholds.
 */
export function loadTestScript(rate: number): string {
  const options = {
    scenarios: { routes: { executor: 'constant-arrival-rate', rate, timeUnit: '1s', duration: LOAD_TEST_DURATION, preAllocatedVUs: rate * 2, maxVUs: rate * 10 } },
    thresholds: LOAD_TEST_THRESHOLDS,
  };
  return `import http from 'k6/http';
import { check } from 'k6';

const targets = JSON.parse(open('${LOAD_TEST_DIR}/targets.json'));

export const options = ${JSON.stringify(options, null, 2)};

export default function () {
  const target = targets[(__ITER + __VU) % targets.length];
  const res = http.get(target.url, { headers: { 'User-Agent': target.userAgent }, tags: { route: target.name } });
  check(res, { 'no server error': (r) => r.status < 500 });
}
`;
}

export interface LoadTestProps {
  readonly platform: Platform;
  readonly env: Environment;
  readonly namespace: Namespace;
}

export class LoadTest extends Construct {
  constructor(scope: Construct, id: string, props: LoadTestProps) {
    super(scope, id);
    const { platform, env, namespace } = props;
    if (!env.gates.load || namespace.name !== LOAD_TEST_NAMESPACE) return;
    const targets = loadTestTargets(platform, env);
    if (targets.length === 0) throw new Error(`environment ${env.name} turns gates.load on, but no service has a public route to load`);

    const config = new kplus.ConfigMap(this, 'config', {
      metadata: { name: LOAD_TEST_NAME },
      data: { 'script.js': loadTestScript(loadTestRate()), 'targets.json': `${JSON.stringify(targets, null, 2)}\n` },
    });
    const cron = new kplus.CronJob(this, 'cron-job', {
      metadata: { name: LOAD_TEST_NAME },
      schedule: Cron.schedule(LOAD_TEST_SCHEDULE.cron),
      timeZone: LOAD_TEST_SCHEDULE.timeZone,
      concurrencyPolicy: kplus.ConcurrencyPolicy.FORBID,
      startingDeadline: Duration.minutes(30),
      successfulJobsRetained: 3,
      failedJobsRetained: 3,
      // A failed run is a finding, not a flake: no retries.
      backoffLimit: 0,
      activeDeadline: Duration.minutes(30),
      podMetadata: { labels: { [LABEL_NAME]: LOAD_TEST_NAME, [LABEL_COMPONENT]: 'load-test' } },
      serviceAccount: kplus.ServiceAccount.fromServiceAccountName(this, 'sa', 'default'),
      automountServiceAccountToken: false,
      restartPolicy: kplus.RestartPolicy.NEVER,
      securityContext: kplusPodSecurity(RUN_AS),
      containers: [
        {
          name: 'k6',
          image: toolImageReference(platform, env, 'k6'),
          imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
          command: ['k6', 'run', '--no-usage-report', '--out', 'experimental-prometheus-rw', '--tag', `testid=${env.name}-routes`, `${LOAD_TEST_DIR}/script.js`],
          envVariables: {
            HOME: kplus.EnvValue.fromValue('/tmp'),
            K6_PROMETHEUS_RW_SERVER_URL: kplus.EnvValue.fromValue(LOAD_TEST_REMOTE_WRITE_URL),
            K6_PROMETHEUS_RW_TREND_STATS: kplus.EnvValue.fromValue('p(50),p(95),p(99),max'),
          },
          resources: { cpu: { request: kplus.Cpu.units(1), limit: kplus.Cpu.units(1) }, memory: { request: Size.gibibytes(1), limit: Size.gibibytes(1) } },
          securityContext: kplusContainerSecurity(RUN_AS),
          volumeMounts: [
            { path: LOAD_TEST_DIR, volume: kplus.Volume.fromConfigMap(this, 'config-volume', config, { name: 'config' }), readOnly: true },
            { path: '/tmp', volume: kplus.Volume.fromEmptyDir(this, 'tmp', 'tmp', { sizeLimit: Size.mebibytes(256) }) },
          ],
        },
      ],
    });
    hardenPodTemplate(ApiObject.of(cron), '/spec/jobTemplate/spec/template');
  }
}
