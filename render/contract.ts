/**
 * Builds `dist/<env>/contract.json` and checks it: every shared value must be present in the
 * Terraform stack that produces it and in each Kubernetes file that consumes it, or the render fails.
 */
import { contractEntries, type ContractEntry, type ContractOptions, type ResourceMatch } from '../platform/contract';
import type { Environment, Platform } from '../platform/types';
import { RenderError, type RenderedFile, toDistRelative } from './rendered-file';

/** contract.json: the entries without what is only used to check them (evidence, matches, consumer kinds). */
export interface Contract {
  readonly environment: string;
  readonly entries: readonly {
    readonly name: string;
    readonly value: string;
    readonly consumers: readonly { readonly layer: 'kubernetes'; readonly file: string; readonly field: string }[];
    readonly producer: { readonly layer: 'terraform'; readonly stack: string; readonly resource: string };
  }[];
}

export function buildContract(
  platform: Platform,
  env: Environment,
  kubernetes: readonly RenderedFile[],
  stacks: readonly { stack: string; json: string }[],
  options: ContractOptions = {},
): Contract {
  const entries = contractEntries(platform, env, options);
  const problems = contractProblems(entries, kubernetes, stacks);
  if (problems.length > 0) throw new RenderError(`The ${env.name} contract between the AWS and Kubernetes layers is broken`, problems);
  return {
    environment: env.name,
    entries: entries.map(({ name, value, consumers, producer }) => ({
      name,
      value,
      consumers: consumers.map(({ layer, file, field }) => ({ layer, file, field })),
      producer: { layer: producer.layer, stack: producer.stack, resource: producer.resource },
    })),
  };
}

/** Every way the rendered layers disagree with the entries (empty when they agree). */
export function contractProblems(entries: readonly ContractEntry[], kubernetes: readonly RenderedFile[], stacks: readonly { stack: string; json: string }[]): string[] {
  const files = new Map(kubernetes.map((f) => [f.path, f.content]));
  const stackJson = new Map(stacks.map((s) => [s.stack, s.json]));
  const parsed = new Map<string, Record<string, unknown>>();
  const parsedStack = (stack: string) => {
    let json = parsed.get(stack);
    if (!json) {
      json = JSON.parse(stackJson.get(stack)!) as Record<string, unknown>;
      parsed.set(stack, json);
    }
    return json;
  };
  const problems: string[] = [];
  for (const entry of entries) {
    const what = `contract ${entry.name} ("${entry.value}")`;
    const { stack } = entry.producer;
    const json = stackJson.get(stack);
    if (json === undefined) problems.push(`${what}: its producer, stack "${stack}", is not rendered`);
    else {
      for (const evidence of entry.producer.evidence) {
        if (!json.includes(JSON.stringify(evidence).slice(1, -1))) problems.push(`${what}: stack ${stack} does not produce it (no "${evidence}" in its Terraform JSON)`);
      }
      for (const match of entry.producer.match ?? []) {
        if (!hasResource(parsedStack(stack), match)) problems.push(`${what}: stack ${stack} creates no ${describeMatch(match)}, yet the Kubernetes layer relies on it`);
      }
    }
    for (const consumer of entry.consumers) {
      const content = files.get(toDistRelative(consumer.file));
      if (content === undefined) problems.push(`${what}: its consumer ${consumer.file} is not rendered`);
      else {
        for (const expected of [entry.value, ...(consumer.evidence ?? [])]) {
          if (!content.includes(expected)) problems.push(`${what}: ${consumer.file} (${consumer.field}) does not use "${expected}"`);
        }
      }
    }
  }
  return problems;
}

/** Whether a stack's JSON holds a resource of the match's type whose attributes include the match's. */
function hasResource(json: Record<string, unknown>, match: ResourceMatch): boolean {
  const resources = ((json.resource ?? {}) as Record<string, Record<string, unknown>>)[match.type] ?? {};
  return Object.values(resources).some((body) => includes(body, match.attributes));
}

/** Deep subset: every key of `expected` is in `actual` with an equal (or, for objects, included) value. */
function includes(actual: unknown, expected: unknown): boolean {
  if (expected !== null && typeof expected === 'object' && !Array.isArray(expected)) {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return false;
    return Object.entries(expected).every(([key, value]) => includes((actual as Record<string, unknown>)[key], value));
  }
  return JSON.stringify(actual) === JSON.stringify(expected);
}

function describeMatch(match: ResourceMatch): string {
  const attributes = Object.entries(match.attributes).map(([key, value]) => `${key}=${JSON.stringify(value)}`);
  return `${match.type} with ${attributes.join(', ')}`;
}
