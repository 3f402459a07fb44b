/**
 * Every per-service database secret (tagged `platform.ec/secret-kind = database`) rotates within 90
 * days: either Secrets Manager rotates it (an `aws_secretsmanager_secret_rotation` on it, with
 * `rotation_rules.automatically_after_days` or a schedule; hashicorp/terraform-provider-aws
 * internal/service/secretsmanager/secret_rotation.go), or it declares the platform's in-cluster
 * rotation (the DB rotation CronJob, MySQL dual passwords) by its tags `platform.ec/rotation-days`
 * (1..90) and `platform.ec/rotated-by` (`<namespace>/<CronJob>`), which the data stack sets from
 * the same function the CronJob's threshold comes from. A secret tagged `platform.ec/rotation-exempt`
 * with a reason is the model's explicit, named choice not to rotate it (contractBroker's PostgreSQL);
 * an empty reason is no exemption.
 *
 * AWS "Rotate AWS Secrets Manager secrets" (secrets that are not rotated are long-term
 * credentials); the 90 days are checkov CKV_AWS_304 ("Secrets Manager secrets should be rotated
 * within 90 days"), which reads only `aws_secretsmanager_secret_rotation`; this rule also accepts
 * the declared in-cluster rotation.
 */
import { blocksOf, parseReference, type StackJson } from './terraform-json';
import { finding, type SecurityRule } from './rule';

const KIND_TAG = 'platform.ec/secret-kind';
const ROTATION_DAYS_TAG = 'platform.ec/rotation-days';
const ROTATED_BY_TAG = 'platform.ec/rotated-by';
const EXEMPT_TAG = 'platform.ec/rotation-exempt';
const MAX_DAYS = 90;

export const rule: SecurityRule = {
  id: 'database-secret-rotation',
  mirrors: 'checkov CKV_AWS_304 (narrowed to database secrets; accepts the declared in-cluster rotation)',
  layer: 'IAM',
  description: 'Every per-service database secret rotates within 90 days (Secrets Manager rotation or the declared in-cluster rotation).',
  check(stacks: readonly StackJson[]) {
    return stacks.flatMap((stack) => {
      const rotations = new Map(
        blocksOf(stack, 'aws_secretsmanager_secret_rotation').flatMap(([, r]) => {
          const ref = parseReference(r.secret_id);
          return ref?.type === 'aws_secretsmanager_secret' ? [[ref.name, r] as const] : [];
        }),
      );
      return blocksOf(stack, 'aws_secretsmanager_secret')
        .filter(([, s]) => s.tags?.[KIND_TAG] === 'database')
        .flatMap(([name, s]) => {
          const at = `aws_secretsmanager_secret.${name}`;
          const rotation = rotations.get(name);
          if (rotation) {
            const days = rotation.rotation_rules?.automatically_after_days;
            if (days === undefined && rotation.rotation_rules?.schedule_expression) return [];
            return typeof days === 'number' && days >= 1 && days <= MAX_DAYS ? [] : [finding(stack, at, `secret ${s.name} is rotated by Secrets Manager every ${days ?? '?'} days; at most ${MAX_DAYS}`)];
          }
          if ((s.tags?.[EXEMPT_TAG] ?? '').trim().length > 0) return [];
          const declared = s.tags?.[ROTATION_DAYS_TAG];
          if (declared === undefined || !s.tags?.[ROTATED_BY_TAG]) {
            return [finding(stack, at, `database secret ${s.name} never rotates: no aws_secretsmanager_secret_rotation and no in-cluster rotation declared (tags ${ROTATION_DAYS_TAG}, ${ROTATED_BY_TAG})`)];
          }
          const days = Number(declared);
          return Number.isInteger(days) && days >= 1 && days <= MAX_DAYS ? [] : [finding(stack, at, `database secret ${s.name} declares rotation every ${declared} days; at most ${MAX_DAYS}`)];
        });
    });
  },
};
