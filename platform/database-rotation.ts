/**
 * Rotation of the per-service database credentials: how often, and the values both layers derive
 * from it. The data stack (Terraform) declares it on each database secret; the DB rotation CronJob
 * (Kubernetes) rotates a secret once its current version is that old. Both read
 * `databaseRotationDays`, never a literal.
 *
 * The strategy is MySQL dual passwords (`ALTER USER ... RETAIN CURRENT PASSWORD`, supported by
 * Aurora MySQL, AWS "Password policies and Password validation in Aurora MySQL"): the user keeps
 * its name, the new password becomes primary and the previous one stays valid until the next
 * rotation, so a consumer that still holds the previous credentials has one whole period to pick
 * up the new ones. They do by being replaced: the Descheduler evicts (through the Eviction API,
 * within PodDisruptionBudgets) every Pod of a database consumer older than
 * `databaseConsumerPodLifetimeSeconds`, and the new Pod reads the current Secret at start.
 */
import { PLATFORM_IDENTITIES } from './naming';
import type { Environment, Platform } from './types';

/** Days between two rotations when the environment names none. */
export const DEFAULT_DATABASE_ROTATION_DAYS = 30;

/**
 * The bounds the model accepts: at least 7 days (a consumer's Pods must be replaced inside the
 * overlap, DATABASE_POD_LIFETIME_MARGIN_DAYS before its end), at most 90 (checkov CKV_AWS_304:
 * secrets rotated within 90 days).
 */
export const DATABASE_ROTATION_DAYS_RANGE = { min: 7, max: 90 } as const;

/**
 * How much earlier than one rotation period a consumer's Pod is replaced: the External Secrets
 * refresh (DATABASE_SECRET_REFRESH, 1 h), the Descheduler's pacing (one eviction per namespace per
 * run, a run every 10 minutes, so up to a day for a large namespace) and the daily rotation check.
 */
export const DATABASE_POD_LIFETIME_MARGIN_DAYS = 2;

/** How often External Secrets re-reads a database secret: far below the shortest rotation period. */
export const DATABASE_SECRET_REFRESH = '1h';

/** When the rotation CronJob runs (daily, UTC; it rotates only the secrets that are due). */
export const DATABASE_ROTATION_SCHEDULE = { minute: '17', hour: '3', timeZone: 'Etc/UTC' } as const;

/** Tags of a database secret that declare its in-cluster rotation (read by the security check). */
export const ROTATION_DAYS_TAG = 'platform.ec/rotation-days';
export const ROTATED_BY_TAG = 'platform.ec/rotated-by';
/** Tag of a database secret that does not rotate, by an explicit choice of the model: its value is the reason. */
export const ROTATION_EXEMPT_TAG = 'platform.ec/rotation-exempt';

/** Days between two rotations of the environment's database credentials. */
export function databaseRotationDays(env: Pick<Environment, 'databaseCredentialRotationDays'>): number {
  return env.databaseCredentialRotationDays ?? DEFAULT_DATABASE_ROTATION_DAYS;
}

/**
 * The longest a Pod of a database consumer may live (the Descheduler's PodLifeTime): a Pod that read
 * the previous password is replaced while that password is still valid (it is discarded only by the
 * next rotation, one period later). Envoy/Keycloak/Temporal and the services all read their
 * credentials at start, so a replaced Pod starts with the current ones.
 */
export function databaseConsumerPodLifetimeSeconds(env: Pick<Environment, 'databaseCredentialRotationDays'>): number {
  return (databaseRotationDays(env) - DATABASE_POD_LIFETIME_MARGIN_DAYS) * 24 * 60 * 60;
}

/** Namespaces with a service that reads a database secret (sorted): where PodLifeTime applies. */
export function databaseConsumerNamespaces(platform: Pick<Platform, 'teams'>): string[] {
  return platform.teams
    .flatMap((t) => t.namespaces)
    .filter((ns) => ns.services.some((s) => s.database !== undefined))
    .map((ns) => ns.name)
    .sort();
}

/** Seconds after which a secret's current version is due for rotation (the CronJob's threshold). */
export function databaseRotationSeconds(env: Pick<Environment, 'databaseCredentialRotationDays'>): number {
  return databaseRotationDays(env) * 24 * 60 * 60;
}

/** Name of the rotation CronJob (in the DB bootstrap's namespace, as the DB bootstrap identity). */
export const DATABASE_ROTATION_JOB = 'db-rotation';

/** "<namespace>/<CronJob>" of the rotation, the value of ROTATED_BY_TAG. */
export const databaseRotationJobRef = (): string => `${PLATFORM_IDENTITIES.dbBootstrap.namespace}/${DATABASE_ROTATION_JOB}`;
