/**
 * IAM widening: Allow statements gaining actions, resources or principals, in policy documents
 * (`data.aws_iam_policy_document`, HCL-style statements) and inline JSON policies (`policy`,
 * `assume_role_policy` strings of SQS/SNS/S3/IAM resources), plus new managed-policy attachments.
 */
import { subject, type ObjectChange } from '../compare-trees';
import { flag, setDelta, type RiskFlag } from '../risk-flag';
import { constructPath } from './terraform-resources';

type Statement = Record<string, unknown>;
const arr = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))) : [typeof v === 'string' ? v : JSON.stringify(v)]);

/** "Allow <principal> <action> on <resource>" atoms of one statement. */
function atoms(s: Statement): string[] {
  const effect = String(s.effect ?? s.Effect ?? 'Allow');
  if (effect !== 'Allow') return [];
  const principals = [
    ...((s.principals ?? []) as { type: string; identifiers: string[] }[]).flatMap((p) => p.identifiers.map((i) => `${p.type}:${i}`)),
    ...Object.entries((typeof s.Principal === 'object' ? s.Principal : s.Principal ? { '*': s.Principal } : {}) as Record<string, unknown>).flatMap(([t, ids]) => arr(ids).map((i) => `${t}:${i}`)),
  ];
  const actions = [...arr(s.actions), ...arr(s.Action)];
  const resources = [...arr(s.resources), ...arr(s.Resource)];
  const out: string[] = [];
  for (const p of principals.length ? principals : ['(role)']) for (const a of actions) for (const r of resources.length ? resources : ['(any)']) out.push(`${p} ${a} on ${r}`);
  return out;
}

function policyAtoms(body: Record<string, unknown> | undefined, kind: string): string[] {
  if (!body) return [];
  if (kind === 'data.aws_iam_policy_document') return ((body.statement ?? []) as Statement[]).flatMap(atoms);
  const out: string[] = [];
  for (const field of ['policy', 'assume_role_policy']) {
    const v = body[field];
    if (typeof v !== 'string' || !v.trim().startsWith('{')) continue;
    try {
      const doc = JSON.parse(v) as { Statement?: Statement | Statement[] };
      out.push(...(Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : []).flatMap(atoms));
    } catch {
      // Not JSON (an interpolation): the referenced document is compared instead.
    }
  }
  return out;
}

export function iamFlags(change: ObjectChange): RiskFlag[] {
  const o = subject(change);
  if (o.layer !== 'terraform') return [];
  if (o.kind === 'aws_iam_role_policy_attachment' && change.type !== 'removed') {
    const before = change.before?.body.policy_arn;
    const after = change.after?.body.policy_arn;
    return before === after ? [] : [flag('iam-widening', o, `attaches managed policy ${String(after)} to ${String(change.after?.body.role)}`, constructPath(o))];
  }
  const { added } = setDelta(policyAtoms(change.before?.body, o.kind), policyAtoms(change.after?.body, o.kind));
  if (added.length === 0) return [];
  return [flag('iam-widening', o, `${o.kind}.${o.name} allows more: ${added.join('; ')}`, constructPath(o))];
}
