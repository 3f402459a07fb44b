/**
 * Renders the Terraform JSON of one environment in memory: one `{ stack, json }` per stack, where
 * `stack` is the short name ("network") and `json` what the caller writes to
 * `dist/<env>/terraform/<stack>/cdk.tf.json`. Nothing is written to the repository, and the same
 * model always gives the same bytes.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Aspects } from 'cdktf';
import type { IConstruct } from 'constructs';
import type { Environment, Platform } from '../platform/types';
import { addEnvironmentStacks } from './stacks';
import { foreignReferenceProblems, type TerraformDocument } from './terraform-references';

export interface RenderedStack {
  /** Short stack name, e.g. "network". */
  readonly stack: string;
  /** Terraform JSON (2-space indented, trailing newline). */
  readonly json: string;
}

/** Thrown when a construct's validation fails; `problems` lists every message, each with its construct path. */
export class InfraValidationError extends Error {
  constructor(public readonly problems: readonly string[]) {
    super(`The AWS layer cannot be rendered (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'InfraValidationError';
  }
}

export function renderTerraform(platform: Platform, env: Environment): RenderedStack[] {
  // An App creates its output directory (and "stacks/" in it) when constructed; point it at a
  // throw-away directory so rendering never touches the working tree. Nothing is synthesized there.
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdktf-render-'));
  // cdktf records a full stack trace (every frame) for every token it creates, captured into a plain
  // object: debug info only. Capturing and formatting those (through source maps under tsx and jest)
  // cost a quarter of the Terraform render: they are skipped; real Errors keep V8's plain format.
  const previousPrepareStackTrace = Error.prepareStackTrace;
  const captureStackTrace = Error.captureStackTrace;
  Error.prepareStackTrace = plainStackTrace;
  Error.captureStackTrace = (target: object, constructorOpt?: Function) => {
    if (target instanceof Error) captureStackTrace(target, constructorOpt);
  };
  try {
    const app = new App({ outdir, stackTraces: false, skipValidation: true });
    const stacks = addEnvironmentStacks(app, platform, env);
    invokeAspects(app);
    // No prepareStack(): it resolves every token once more only to wire references that cross
    // stacks, which this platform never makes (they are refused below).
    for (const stack of stacks) stack.ensureBackendExists();

    const problems = app.node.findAll().flatMap((construct) => construct.node.validate().map((message) => `[${construct.node.path}] ${message}`));
    if (problems.length > 0) throw new InfraValidationError(problems);

    // Each stack is checked as an object before it becomes text (parsing the text again cost as
    // much as the check), one at a time so only one stack's object is alive.
    const foreign: string[] = [];
    const rendered = stacks.map((stack) => {
      const terraform = stack.toTerraform() as TerraformDocument;
      foreign.push(...foreignReferenceProblems([{ stack: stack.stackName, terraform }]));
      return { stack: stack.stackName, json: `${JSON.stringify(terraform, null, 2)}\n` };
    });
    if (foreign.length > 0) throw new InfraValidationError(foreign);
    return rendered;
  } finally {
    Error.prepareStackTrace = previousPrepareStackTrace;
    Error.captureStackTrace = captureStackTrace;
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** V8's own stack format, without source-map lookups, for Errors; nothing for cdktf's token traces. */
function plainStackTrace(error: Error, frames: NodeJS.CallSite[]): string {
  if (!(error instanceof Error)) return '';
  return [`${error.name}: ${error.message}`, ...frames.map((frame) => `    at ${frame.toString()}`)].join('\n');
}

/** Applies every Aspect to the constructs below it, as `app.synth()` would. */
function invokeAspects(root: IConstruct, inherited: readonly { visit(node: IConstruct): void }[] = []): void {
  const aspects = [...inherited, ...Aspects.of(root).all];
  for (const aspect of aspects) aspect.visit(root);
  for (const child of root.node.children) invokeAspects(child, aspects);
}
