/**
 * Reading the rendered Terraform JSON (`dist/<env>/terraform/<stack>/cdk.tf.json`) the way
 * Terraform does: resources and data sources by type, `${...}` references resolved within the
 * stack, and `aws_iam_policy_document` data sources turned into the IAM JSON AWS evaluates
 * (hashicorp/terraform-provider-aws, internal/service/iam/policy_document_data_source.go). Reads
 * files only; imports nothing from the model or the renderers.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = Record<string, any>;

/** One rendered stack of one environment. */
export interface StackJson {
  readonly env: string;
  readonly stack: string;
  readonly json: Json;
}

/** Every `terraform/<stack>/cdk.tf.json` of one rendered environment folder (`dist/<env>`), by stack name. */
export function readEnvironmentStacks(envDir: string): StackJson[] {
  const env = path.basename(envDir);
  const root = path.join(envDir, 'terraform');
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root)
    .sort()
    .filter((stack) => fs.existsSync(path.join(root, stack, 'cdk.tf.json')))
    .map((stack) => ({ env, stack, json: JSON.parse(fs.readFileSync(path.join(root, stack, 'cdk.tf.json'), 'utf8')) as Json }));
}

/** Resources (or data sources with `kind: 'data'`) of one type: `[name, body]`, in file order. */
export function blocksOf(stack: Pick<StackJson, 'json'>, type: string, kind: 'resource' | 'data' = 'resource'): [string, Json][] {
  return Object.entries((stack.json[kind]?.[type] ?? {}) as Record<string, Json>);
}

/** `${type.name.attr}` (or `${data.type.name.attr}`) of a plain reference, else undefined. */
export function parseReference(value: unknown): { data: boolean; type: string; name: string; attr: string } | undefined {
  if (typeof value !== 'string') return undefined;
  const m = /^\$\{(data\.)?([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_.[\]]+)\}$/.exec(value);
  return m ? { data: m[1] !== undefined, type: m[2], name: m[3], attr: m[4] } : undefined;
}

/** The resource a reference points at, if it is in the same stack. */
export function referenced(stack: Pick<StackJson, 'json'>, value: unknown): Json | undefined {
  const ref = parseReference(value);
  if (!ref) return undefined;
  return stack.json[ref.data ? 'data' : 'resource']?.[ref.type]?.[ref.name];
}

/** An IAM policy document as AWS evaluates it. */
export interface IamPolicy {
  readonly Version: '2012-10-17';
  readonly Statement: IamStatement[];
}
export interface IamStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: string[];
  NotAction?: string[];
  Resource?: string[];
  NotResource?: string[];
  Principal?: Record<string, string[]>;
  Condition?: Record<string, Record<string, string[]>>;
}

/**
 * A value of a policy with Terraform references replaced by stand-ins: a reference to a KMS key,
 * SQS queue or IAM role of the stack becomes an ARN of that kind (region/account from `arnContext`),
 * anything else `arn:aws:terraform:::<reference>`. So evaluators can match them.
 */
export function resolveValue(stack: Pick<StackJson, 'json'>, value: string, arnContext: { region: string; account: string }): string {
  return value.replace(/\$\{([^}]+)\}/g, (whole, inner: string) => {
    const ref = parseReference(whole);
    const { region, account } = arnContext;
    if (ref && !ref.data && ref.attr === 'arn') {
      const body = referenced(stack, whole) ?? {};
      if (ref.type === 'aws_kms_key') return `arn:aws:kms:${region}:${account}:key/${ref.name}`;
      if (ref.type === 'aws_sqs_queue') return `arn:aws:sqs:${region}:${account}:${body.name ?? ref.name}`;
      if (ref.type === 'aws_iam_role') return `arn:aws:iam::${account}:role/${body.name ?? ref.name}`;
    }
    return `arn:aws:terraform:::${inner}`;
  });
}

/** The IAM JSON of an `aws_iam_policy_document` data source of the stack (by its `${data....json}` reference or name). */
export function policyDocument(stack: Pick<StackJson, 'json'>, refOrName: string, arnContext: { region: string; account: string }): IamPolicy | undefined {
  const ref = parseReference(refOrName);
  const name = ref ? (ref.data && ref.type === 'aws_iam_policy_document' ? ref.name : undefined) : refOrName;
  const doc = name === undefined ? undefined : stack.json.data?.aws_iam_policy_document?.[name];
  if (!doc) return undefined;
  const r = (v: string) => resolveValue(stack, v, arnContext);
  return {
    Version: '2012-10-17',
    Statement: ((doc.statement ?? []) as Json[]).map((s) => {
      const out: IamStatement = { Effect: (s.effect ?? 'Allow') as 'Allow' | 'Deny' };
      if (s.sid) out.Sid = s.sid;
      if (s.actions) out.Action = [...s.actions];
      if (s.not_actions) out.NotAction = [...s.not_actions];
      if (s.resources) out.Resource = (s.resources as string[]).map(r);
      if (s.not_resources) out.NotResource = (s.not_resources as string[]).map(r);
      if (s.principals) {
        out.Principal = {};
        for (const p of s.principals as Json[]) out.Principal[p.type] = [...(out.Principal[p.type] ?? []), ...(p.identifiers as string[]).map(r)];
      }
      if (s.condition) {
        out.Condition = {};
        for (const c of s.condition as Json[]) {
          out.Condition[c.test] = { ...(out.Condition[c.test] ?? {}), [r(c.variable)]: (c.values as string[]).map(r) };
        }
      }
      return out;
    }),
  };
}

/** One IAM role of a stack with every policy attached to it in that stack. */
export interface RenderedRole {
  readonly resource: string;
  readonly name: string;
  readonly trust?: IamPolicy;
  /** Inline policies (aws_iam_role_policy), by policy name. */
  readonly inline: { name: string; policy: IamPolicy }[];
  /** Attached managed policy ARNs (aws_iam_role_policy_attachment). */
  readonly managed: string[];
}

/** The environment's account and region, read from the stack's AWS provider. */
export function arnContextOf(stack: Pick<StackJson, 'json'>): { region: string; account: string } {
  const providers = (stack.json.provider?.aws ?? []) as Json[];
  const main = providers.find((p) => p.alias === undefined) ?? providers[0] ?? {};
  return { region: main.region ?? 'us-east-1', account: (main.allowed_account_ids ?? [])[0] ?? '000000000000' };
}

/** Every role of the stack with its trust policy and the inline/managed policies attached in the same stack. */
export function rolesOf(stack: Pick<StackJson, 'json'>): RenderedRole[] {
  const ctx = arnContextOf(stack);
  const roles = new Map<string, RenderedRole>();
  for (const [resource, body] of blocksOf(stack, 'aws_iam_role')) {
    roles.set(resource, { resource, name: body.name, trust: policyDocument(stack, body.assume_role_policy ?? '', ctx), inline: [], managed: [] });
  }
  const roleOf = (value: unknown) => {
    const ref = parseReference(value);
    return ref && ref.type === 'aws_iam_role' ? roles.get(ref.name) : undefined;
  };
  for (const [, body] of blocksOf(stack, 'aws_iam_role_policy')) {
    const policy = policyDocument(stack, body.policy, ctx) ?? (typeof body.policy === 'string' && body.policy.startsWith('{') ? (JSON.parse(body.policy) as IamPolicy) : undefined);
    if (policy) roleOf(body.role)?.inline.push({ name: body.name, policy });
  }
  for (const [, body] of blocksOf(stack, 'aws_iam_role_policy_attachment')) roleOf(body.role)?.managed.push(body.policy_arn);
  return [...roles.values()];
}

/** A resource a value points at, possibly in another stack (through `terraform_remote_state` and that stack's output). */
export interface ResolvedResource {
  readonly stack: StackJson;
  readonly type: string;
  readonly name: string;
  readonly body: Json;
}

/**
 * Follows a reference to the resource it names: `${type.name.attr}` in the same stack, or
 * `${data.terraform_remote_state.<s>.outputs.<o>}` to the stack whose state key is `<s>`'s and
 * the resource that stack's output `<o>` references. Undefined for anything else.
 */
export function resolveResource(stacks: readonly StackJson[], stack: StackJson, value: unknown, depth = 0): ResolvedResource | undefined {
  const ref = parseReference(value);
  if (!ref || depth > 3) return undefined;
  if (!ref.data) {
    const body = stack.json.resource?.[ref.type]?.[ref.name];
    return body ? { stack, type: ref.type, name: ref.name, body } : undefined;
  }
  if (ref.type !== 'terraform_remote_state' || !ref.attr.startsWith('outputs.')) return undefined;
  const key = String(stack.json.data?.terraform_remote_state?.[ref.name]?.config?.key ?? '');
  const producer = stacks.find((s) => s.env === stack.env && key === `${s.stack}/terraform.tfstate`);
  const output = producer?.json.output?.[ref.attr.slice('outputs.'.length)]?.value;
  return producer ? resolveResource(stacks, producer, output, depth + 1) : undefined;
}
