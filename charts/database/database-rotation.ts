/**
 * The scheduled re-run of the DB bootstrap that rotates the per-service database passwords
 * (platform/database-rotation.ts): a CronJob in the bootstrap's namespace, as the bootstrap's
 * identity (the only one that may read the Aurora master secret), running the same script with
 * ROTATE_AFTER_SECONDS, so it rotates exactly the secrets whose current version is that old.
 *
 * Kubernetes CronJob semantics (kubernetes/kubernetes pkg/controller/cronjob): `timeZone` names
 * the schedule's zone; `concurrencyPolicy: Forbid` skips a run while the previous one is active;
 * `startingDeadlineSeconds` bounds how late a missed run may still start. A run that fails is
 * retried by the next day's run, which resumes at the step that failed (AWSPENDING is kept).
 */
import { ApiObject, Cron, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { DATABASE_ROTATION_JOB, DATABASE_ROTATION_SCHEDULE, databaseRotationSeconds } from '../../platform/database-rotation';
import { LABEL_COMPONENT, LABEL_NAME, PLATFORM_IDENTITIES } from '../../platform/naming';
import type { Environment, Platform } from '../../platform/types';
import { toolImageReference } from '../../platform/images';
import { hardenPodTemplate } from '../jobs/hook-job';
import { kplusContainerSecurity, kplusPodSecurity, NO_SIDECAR, RUN_AS } from '../jobs/hardened-pod';

export interface DatabaseRotationProps {
  readonly platform: Platform;
  readonly env: Environment;
  /** The bootstrap's ConfigMap (script and schema lines). */
  readonly config: kplus.ConfigMap;
  /** Where the ConfigMap is mounted; the command runs `<dir>/bootstrap.sh`. */
  readonly configDir: string;
  /** The bootstrap's environment (region, SSM parameter names, port, CA bundle). */
  readonly scriptEnv: Readonly<Record<string, string>>;
}

export class DatabaseRotation extends Construct {
  public readonly cronJob: kplus.CronJob;

  constructor(scope: Construct, id: string, props: DatabaseRotationProps) {
    super(scope, id);
    const { platform, env } = props;
    const identity = PLATFORM_IDENTITIES.dbBootstrap;
    const scriptEnv = { HOME: '/tmp', ...props.scriptEnv, ROTATE_AFTER_SECONDS: String(databaseRotationSeconds(env)) };
    this.cronJob = new kplus.CronJob(this, 'cron-job', {
      metadata: { name: DATABASE_ROTATION_JOB },
      schedule: Cron.schedule({ minute: DATABASE_ROTATION_SCHEDULE.minute, hour: DATABASE_ROTATION_SCHEDULE.hour }),
      timeZone: DATABASE_ROTATION_SCHEDULE.timeZone,
      concurrencyPolicy: kplus.ConcurrencyPolicy.FORBID,
      startingDeadline: Duration.hours(6),
      successfulJobsRetained: 1,
      failedJobsRetained: 3,
      podMetadata: { labels: { [LABEL_NAME]: DATABASE_ROTATION_JOB, [LABEL_COMPONENT]: 'database-bootstrap' }, annotations: { ...NO_SIDECAR } },
      serviceAccount: kplus.ServiceAccount.fromServiceAccountName(this, 'sa', identity.serviceAccount),
      automountServiceAccountToken: false,
      restartPolicy: kplus.RestartPolicy.NEVER,
      backoffLimit: 1,
      activeDeadline: Duration.minutes(30),
      securityContext: kplusPodSecurity(RUN_AS),
      containers: [
        {
          name: 'job',
          image: toolImageReference(platform, env, 'dbBootstrap'),
          imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
          command: ['/bin/sh', `${props.configDir}/bootstrap.sh`],
          resources: { cpu: { request: kplus.Cpu.millis(100), limit: kplus.Cpu.millis(100) }, memory: { request: Size.mebibytes(128), limit: Size.mebibytes(128) } },
          securityContext: kplusContainerSecurity(RUN_AS),
          envVariables: Object.fromEntries(Object.entries(scriptEnv).map(([k, v]) => [k, kplus.EnvValue.fromValue(v)])),
          volumeMounts: [
            { path: '/tmp', volume: kplus.Volume.fromEmptyDir(this, 'tmp', 'tmp', { sizeLimit: Size.mebibytes(64) }) },
            { path: props.configDir, volume: kplus.Volume.fromConfigMap(this, 'config', props.config, { name: 'config' }), readOnly: true },
          ],
        },
      ],
    });
    hardenPodTemplate(ApiObject.of(this.cronJob), '/spec/jobTemplate/spec/template');
  }
}
