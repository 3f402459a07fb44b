/**
 * Rotation of the per-service database credentials (issue 10, item 6): the period comes from the
 * model through one function both layers use; the data stack declares it on every database secret,
 * the rotation CronJob rotates at that age with MySQL dual passwords, External Secrets refreshes
 * far more often, and the Descheduler replaces every consumer's Pods inside the overlap.
 */
import { parse } from 'yaml';
import { BOOTSTRAP_SCRIPT } from '../charts/database/database-bootstrap';
import {
  DATABASE_POD_LIFETIME_MARGIN_DAYS,
  DATABASE_SECRET_REFRESH,
  databaseConsumerNamespaces,
  databaseRotationDays,
  DEFAULT_DATABASE_ROTATION_DAYS,
} from '../platform/database-rotation';
import type { Environment } from '../platform/types';
import { mutated, problemsOf, type Loose } from './support/example';
import { exampleFiles, objectAt, objectsWhere } from './support/rendered';
import { platform } from './support/cdktf-jest';
import { databaseRotationCoverage } from '../verify/bootstrap/database-rotation-coverage';
import { verifyDist } from '../verify';
import { messages, verifyTiny } from './support/verify-tree';

const DAY = 24 * 60 * 60;
const dataStack = (env: string): Loose => JSON.parse(exampleFiles().get(`${env}/terraform/data/cdk.tf.json`)!);
const allDatabaseSecrets = (env: string): Loose[] =>
  Object.values(dataStack(env).resource.aws_secretsmanager_secret as Record<string, Loose>).filter((s) => s.tags['platform.ec/secret-kind'] === 'database');
/** The database secrets the MySQL rotation covers: all but those the model exempts by name (the contract broker's PostgreSQL). */
const databaseSecrets = (env: string): Loose[] => allDatabaseSecrets(env).filter((s) => s.tags['platform.ec/rotation-exempt'] === undefined);
const rotationJob = (env: string): Loose => objectAt(`${env}/namespaces/database-infra/cronjob-db-rotation.yaml`);
const jobEnv = (env: string): Record<string, string> =>
  Object.fromEntries((rotationJob(env).spec.jobTemplate.spec.template.spec.containers[0].env as { name: string; value: string }[]).map((e) => [e.name, e.value]));
/** "1h" / "30m" / "45s" -> seconds (the External Secrets duration form used here). */
const seconds = (duration: string): number => {
  const m = /^(\d+)([hms])$/.exec(duration);
  if (!m) throw new Error(`unexpected duration ${duration}`);
  return Number(m[1]) * { h: 3600, m: 60, s: 1 }[m[2] as 'h' | 'm' | 's'];
};

describe('database credential rotation', () => {
  it('takes the period per environment from the model, 30 days by default', () => {
    const byEnv = Object.fromEntries(platform.environments.map((e) => [e.name, databaseRotationDays(e)]));
    expect(byEnv).toEqual({ dev: 7, stg: DEFAULT_DATABASE_ROTATION_DAYS, prd: DEFAULT_DATABASE_ROTATION_DAYS });
    expect(databaseRotationDays({} as Pick<Environment, 'databaseCredentialRotationDays'>)).toBe(30);
  });

  it("exempts from rotation only the contract broker's database secret, with the model's reason, where the broker runs", () => {
    for (const env of platform.environments) {
      const exempt = allDatabaseSecrets(env.name).filter((s) => s.tags['platform.ec/rotation-exempt'] !== undefined);
      const expected = env.name === platform.contractBroker!.environment ? [`ec/${env.name}/contract-infra/pact-broker/database`] : [];
      expect(exempt.map((s) => s.name)).toEqual(expected);
      for (const s of exempt) expect(s.tags['platform.ec/rotation-exempt']).toBe(platform.contractBroker!.databaseRotationExemption);
    }
  });

  it('the data stack declares on every database secret the period the rotation CronJob rotates at', () => {
    for (const env of platform.environments) {
      const days = databaseRotationDays(env);
      const secrets = databaseSecrets(env.name);
      expect(secrets.length).toBeGreaterThan(0);
      for (const s of secrets) expect({ secret: s.name, tags: s.tags }).toMatchObject({ secret: s.name, tags: { 'platform.ec/rotation-days': String(days), 'platform.ec/rotated-by': 'database-infra/db-rotation' } });
      expect(Number(jobEnv(env.name).ROTATE_AFTER_SECONDS)).toBe(days * DAY);
    }
  });

  it('the rotation CronJob covers exactly the database secrets the data stack creates, daily, one run at a time', () => {
    for (const env of platform.environments) {
      const job = rotationJob(env.name);
      expect(job.spec).toMatchObject({ schedule: '17 3 * * *', timeZone: 'Etc/UTC', concurrencyPolicy: 'Forbid' });
      const pod = job.spec.jobTemplate.spec.template.spec;
      expect(pod.serviceAccountName).toBe('db-bootstrap');
      expect(pod.volumes).toContainEqual({ name: 'config', configMap: { name: 'db-bootstrap' } });
      const lines = (objectAt(`${env.name}/namespaces/database-infra/configmap-db-bootstrap.yaml`).data.schemas as string).trim().split('\n');
      expect(lines.map((l) => l.split(' ')[0]).sort()).toEqual(databaseSecrets(env.name).map((s) => s.name).sort());
    }
  });

  it('rotates with MySQL dual passwords, staged AWSPENDING and promoted only after the new password logs in; a sync never changes an existing password', () => {
    const rotate = BOOTSTRAP_SCRIPT.slice(BOOTSTRAP_SCRIPT.indexOf('rotate() {'), BOOTSTRAP_SCRIPT.indexOf('now=$(date +%s)'));
    const steps = ['--version-stages "${5:-AWSCURRENT}"', "RETAIN CURRENT PASSWORD", 'login_ "$user" "$next" ||', '--version-stage AWSCURRENT'];
    expect(steps.map((s) => BOOTSTRAP_SCRIPT.indexOf(s) >= 0)).toEqual([true, true, true, true]);
    const order = ['put "$secret" "$schema" "$user" "$next" AWSPENDING', 'RETAIN CURRENT PASSWORD', 'login_ "$user" "$next" ||', '--version-stage AWSCURRENT'].map((s) => rotate.indexOf(s));
    expect(order.every((i, k) => i > 0 && (k === 0 || i > order[k - 1]))).toBe(true);
    // Bootstrap mode re-sets a password only when it does not log in, and without RETAIN (MySQL keeps the secondary).
    const bootstrap = BOOTSTRAP_SCRIPT.slice(BOOTSTRAP_SCRIPT.indexOf('bootstrap() {'), BOOTSTRAP_SCRIPT.indexOf('rotate() {'));
    expect(bootstrap).toContain('elif ! login_ "$user" "$password"; then');
    expect(bootstrap).not.toContain('RETAIN CURRENT PASSWORD');
  });

  it('External Secrets re-reads every database secret far inside the overlap', () => {
    const refreshes = objectsWhere((o, p) => o.kind === 'ExternalSecret' && p.startsWith('prd/') && o.metadata.name.endsWith('-database')).map(({ obj }) => obj.spec.refreshInterval);
    expect(refreshes.length).toBeGreaterThan(0);
    expect([...new Set(refreshes)]).toEqual([DATABASE_SECRET_REFRESH]);
    expect(seconds(DATABASE_SECRET_REFRESH)).toBeLessThan(DATABASE_POD_LIFETIME_MARGIN_DAYS * DAY);
  });

  it('the Descheduler replaces every database consumer\'s Pods before the previous password is discarded, within PodDisruptionBudgets', () => {
    for (const env of platform.environments) {
      const app = objectAt(`${env.name}/argocd/children/sre/application-addon-descheduler.yaml`);
      const values = parse((app.spec.sources ?? [app.spec.source]).find((s: Loose) => s.helm)!.helm.values ?? '') ?? (app.spec.sources ?? [app.spec.source]).find((s: Loose) => s.helm).helm.valuesObject;
      const profile = (values.deschedulerPolicy ?? values).profiles.find((p: Loose) => p.name === 'database-credentials');
      const lifetime = profile.pluginConfig.find((c: Loose) => c.name === 'PodLifeTime').args;
      expect(lifetime.namespaces.include).toEqual(databaseConsumerNamespaces(platform));
      // A Pod started just after a rotation with the previous password (one refresh late) is gone before the next one.
      expect(lifetime.maxPodLifeTimeSeconds + seconds(DATABASE_SECRET_REFRESH)).toBeLessThan(databaseRotationDays(env) * DAY);
      expect(profile.pluginConfig.find((c: Loose) => c.name === 'DefaultEvictor').args).toMatchObject({ ignorePodsWithoutPDB: true, ignorePvcPods: true });
      expect(profile.plugins.deschedule.enabled).toEqual(['PodLifeTime']);
    }
    // Every consumer namespace has a PodDisruptionBudget, so the evictions keep it available.
    for (const ns of databaseConsumerNamespaces(platform)) expect({ ns, pdbs: objectsWhere((o, p) => o.kind === 'PodDisruptionBudget' && p.startsWith(`prd/namespaces/${ns}/`)).length > 0 }).toEqual({ ns, pdbs: true });
  });

  it('refuses a rotation period below a week or above 90 days', () => {
    const set = (days: number) => problemsOf(mutated((input) => (input.environments[0].databaseCredentialRotationDays = days)));
    expect(set(3)).toEqual(['environments[dev].databaseCredentialRotationDays: Too small: expected number to be >=7']);
    expect(set(120)).toEqual(['environments[dev].databaseCredentialRotationDays: Too big: expected number to be <=90']);
    expect(set(30)).toEqual([]);
  });
});

describe('database-rotation-coverage (verify)', () => {
  const secret = (name: string, days: string) => ({ name, tags: { 'platform.ec/secret-kind': 'database', 'platform.ec/rotation-days': days, 'platform.ec/rotated-by': 'database-infra/db-rotation' } });
  const cronJob = (seconds: string) => ({
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'db-rotation', namespace: 'database-infra' },
    spec: { schedule: '17 3 * * *', jobTemplate: { spec: { template: { spec: { containers: [{ name: 'job', image: 'r/x:1', env: [{ name: 'ROTATE_AFTER_SECONDS', value: seconds }] }], volumes: [{ name: 'config', configMap: { name: 'db-bootstrap' } }] } } } } },
  });
  const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'db-bootstrap', namespace: 'database-infra' }, data: { schemas: 'ec/dev/a/a/database a a\n' } };
  const externalSecret = (key: string, refreshInterval: string) => ({
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: { name: 'b-database', namespace: 'b' },
    spec: { refreshInterval, dataFrom: [{ extract: { key } }] },
  });

  it('finds a CronJob rotating at another age, a secret it does not list, a daily-refreshed ExternalSecret and a missing CronJob', () => {
    const data = { resource: { aws_secretsmanager_secret: { a: secret('ec/dev/a/a/database', '7'), b: secret('ec/dev/b/b/database', '7') } } };
    expect(
      messages(
        verifyTiny(
          {
            'terraform/data/cdk.tf.json': data,
            'namespaces/database-infra/cronjob-db-rotation.yaml': cronJob('2592000'),
            'namespaces/database-infra/configmap-db-bootstrap.yaml': configMap,
            'namespaces/b/externalsecret-b-database.yaml': externalSecret('ec/dev/b/b/database', '24h'),
          },
          [databaseRotationCoverage],
        ),
      ),
    ).toEqual([
      'namespaces/b/externalsecret-b-database.yaml: ExternalSecret b-database refreshes database secret ec/dev/b/b/database every 24h; it rotates every 7 days and must be re-read at least twice a day',
      'namespaces/database-infra/cronjob-db-rotation.yaml: CronJob database-infra/db-rotation does not list database secret ec/dev/b/b/database in the schemas of the ConfigMaps it mounts: it never rotates it',
      'namespaces/database-infra/cronjob-db-rotation.yaml: CronJob database-infra/db-rotation rotates after 2592000 seconds, but database secret ec/dev/a/a/database declares every 7 days (604800 s)',
      'namespaces/database-infra/cronjob-db-rotation.yaml: CronJob database-infra/db-rotation rotates after 2592000 seconds, but database secret ec/dev/b/b/database declares every 7 days (604800 s)',
    ]);
    expect(messages(verifyTiny({ 'terraform/data/cdk.tf.json': data }, [databaseRotationCoverage]))).toEqual([
      'terraform/data/cdk.tf.json: database secret ec/dev/a/a/database declares rotation by CronJob database-infra/db-rotation, which is not rendered',
      'terraform/data/cdk.tf.json: database secret ec/dev/b/b/database declares rotation by CronJob database-infra/db-rotation, which is not rendered',
    ]);
  });

  it('finds nothing in the committed dist, whose data stacks declare rotation on every database secret', () => {
    for (const [env, findings] of verifyDist('dist', [databaseRotationCoverage])) expect({ env, findings }).toEqual({ env, findings: [] });
  });
});

