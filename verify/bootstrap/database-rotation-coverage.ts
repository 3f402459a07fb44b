/**
 * A database secret that declares in-cluster rotation (data stack tags `platform.ec/rotation-days`
 * and `platform.ec/rotated-by = <namespace>/<CronJob>`) is rotated by a rendered CronJob of that
 * name and namespace, at that age (`ROTATE_AFTER_SECONDS` of its container), over a schema list
 * (the `schemas` key of the ConfigMap it mounts, one line per secret, the secret name first) that
 * names the secret; and every ExternalSecret that extracts it refreshes well inside one period
 * (twice per day at least), so the Kubernetes Secret follows a rotation long before the previous
 * password is discarded.
 *
 * Kubernetes CronJob (batch/v1 `spec.jobTemplate.spec.template`); External Secrets
 * apis/externalsecrets/v1 ExternalSecretSpec.refreshInterval (a Go duration; "0" never refreshes).
 * The security rule verify/security/database-secret-rotation.ts accepts the tags as a rotation;
 * this check is what makes that declaration true of the rendered cluster.
 */
import type { Check, Finding } from '../registry';

const KIND_TAG = 'platform.ec/secret-kind';
const ROTATION_DAYS_TAG = 'platform.ec/rotation-days';
const ROTATED_BY_TAG = 'platform.ec/rotated-by';
const DAY = 86400;
const DATA_FILE = 'terraform/data/cdk.tf.json';

/** A Go duration ("1h", "30m", "1h30m", "45s") in seconds; undefined when unparsable or 0. */
function durationSeconds(text: unknown): number | undefined {
  if (typeof text !== 'string' || !/^(\d+(\.\d+)?(h|m|s|ms))+$/.test(text)) return undefined;
  const unit = { h: 3600, m: 60, s: 1, ms: 0.001 } as const;
  const total = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)].reduce((sum, [, n, u]) => sum + Number(n) * unit[u as keyof typeof unit], 0);
  return total > 0 ? total : undefined;
}

export const databaseRotationCoverage: Check = {
  id: 'database-rotation-coverage',
  description: 'every database secret declaring in-cluster rotation is rotated by its CronJob at its age, and synced well inside one period',
  run: (sim) => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const secrets = Object.values((sim.tree.terraform.get('data')?.resource?.aws_secretsmanager_secret ?? {}) as Record<string, any>).filter(
      (s) => s.tags?.[KIND_TAG] === 'database' && s.tags?.[ROTATED_BY_TAG] !== undefined,
    );
    if (secrets.length === 0) return [];
    const byKey = (kind: string) => new Map(sim.objects.filter((o) => o.kind === kind).map((o) => [`${o.namespace ?? ''}/${o.name}`, o]));
    const cronJobs = byKey('CronJob');
    const configMaps = byKey('ConfigMap');
    const externalSecrets = sim.objects.filter((o) => o.kind === 'ExternalSecret');
    const findings: Omit<Finding, 'rule'>[] = [];
    for (const secret of secrets) {
      const days = Number(secret.tags[ROTATION_DAYS_TAG]);
      const by = String(secret.tags[ROTATED_BY_TAG]);
      const job = cronJobs.get(by);
      if (!job) {
        findings.push({ file: DATA_FILE, message: `database secret ${secret.name} declares rotation by CronJob ${by}, which is not rendered` });
      } else {
        const pod = job.doc.spec?.jobTemplate?.spec?.template?.spec ?? {};
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        const env = Object.fromEntries(((pod.containers?.[0]?.env ?? []) as any[]).map((e) => [e.name, e.value]));
        if (Number(env.ROTATE_AFTER_SECONDS) !== days * DAY) {
          findings.push({ file: job.file, message: `CronJob ${by} rotates after ${env.ROTATE_AFTER_SECONDS ?? 'no'} seconds, but database secret ${secret.name} declares every ${days} days (${days * DAY} s)` });
        }
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        const listed = ((pod.volumes ?? []) as any[])
          .filter((v) => v.configMap?.name)
          .flatMap((v) => String(configMaps.get(`${job.namespace ?? ''}/${v.configMap.name}`)?.doc.data?.schemas ?? '').split('\n'))
          .map((line) => line.split(' ')[0]);
        if (!listed.includes(secret.name)) findings.push({ file: job.file, message: `CronJob ${by} does not list database secret ${secret.name} in the schemas of the ConfigMaps it mounts: it never rotates it` });
      }
      for (const es of externalSecrets.filter((o) => (o.doc.spec?.dataFrom ?? []).some((d: { extract?: { key?: string } }) => d.extract?.key === secret.name))) {
        const refresh = durationSeconds(es.doc.spec?.refreshInterval ?? '1h');
        if (refresh === undefined || refresh > DAY / 2) {
          findings.push({ file: es.file, message: `ExternalSecret ${es.name} refreshes database secret ${secret.name} every ${es.doc.spec?.refreshInterval}; it rotates every ${days} days and must be re-read at least twice a day` });
        }
      }
    }
    return findings;
  },
};
