/**
 * No IAM policy may read Secrets Manager secrets beyond one namespace's prefix or one exact secret:
 * a statement allowing `secretsmanager:GetSecretValue` on `*`, on the environment's whole prefix
 * (`<platform>/<env>/*`) or any pattern with fewer than three name segments before a wildcard lets
 * one team read another's secrets.
 *
 * Mirrors checkov CKV_AWS_356 ("no IAM policy document allows * as a statement's resource for
 * restrictable actions"), narrowed to Secrets Manager reads and to the platform's naming
 * (`<platform>/<env>/<namespace>/...`). A statement conditioned on the secret's tags
 * (`secretsmanager:ResourceTag/...`) is scoped by them instead and passes.
 */
import { blocksOf, type StackJson } from './terraform-json';
import { finding, type SecurityRule } from './rule';

const READS = ['secretsmanager:GetSecretValue', 'secretsmanager:*', '*'];

/** True when a secret ARN pattern can match secrets of more than one namespace. */
export function tooBroad(resource: string): boolean {
  if (resource === '*') return true;
  const m = /^arn:[^:]+:secretsmanager:[^:]*:[^:]*:secret:(.*)$/.exec(resource);
  if (!m) return false;
  const name = m[1];
  if (name.startsWith('rds!')) return false; // RDS-managed secrets, never a team's
  const wildcard = name.search(/[*?]/);
  const fixed = wildcard === -1 ? name : name.slice(0, wildcard);
  // "<platform>/<env>/<namespace>/" at least: three complete segments before any wildcard.
  return wildcard !== -1 && fixed.split('/').length < 4;
}

export const rule: SecurityRule = {
  id: 'secrets-read-scoped-to-namespace',
  mirrors: 'checkov CKV_AWS_356 (narrowed to Secrets Manager reads)',
  layer: 'IAM',
  description: 'Every Secrets Manager read is scoped to one namespace\'s prefix or one exact secret.',
  check(stacks: readonly StackJson[]) {
    return stacks.flatMap((stack) =>
      blocksOf(stack, 'aws_iam_policy_document', 'data').flatMap(([name, doc]) =>
        ((doc.statement ?? []) as { effect?: string; sid?: string; actions?: string[]; resources?: string[]; condition?: { variable: string }[] }[])
          .filter((s) => (s.effect ?? 'Allow') === 'Allow' && (s.actions ?? []).some((a) => READS.includes(a)))
          .filter((s) => !(s.condition ?? []).some((c) => /^(secretsmanager|aws):ResourceTag\//.test(c.variable)))
          .flatMap((s) =>
            (s.resources ?? [])
              .filter(tooBroad)
              .map((r) => finding(stack, `data.aws_iam_policy_document.${name}`, `statement ${s.sid ?? '(no sid)'} reads secrets on ${r}, wider than one namespace's prefix`)),
          ),
      ),
    );
  },
};
