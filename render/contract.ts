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
  return contractOf(env, contractEntries(platform, env, options), kubernetes, stacks);
}

/** buildContract for entries already computed. */
export function contractOf(env: Environment, entries: readonly ContractEntry[], kubernetes: readonly RenderedFile[], stacks: readonly { stack: string; json: string }[]): Contract {
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

/**
 * A stack's Terraform JSON, parsed once and indexed so each contract entry is checked in constant
 * time: every string it holds (keys and values) for the evidence, and its resources by type and by
 * each top-level primitive attribute for the matches.
 */
class StackIndex {
  private readonly strings = new Set<string>();
  private readonly byAttribute = new Map<string, Map<unknown, Record<string, unknown>[]>>();
  private readonly resources: Record<string, Record<string, Record<string, unknown>>>;

  constructor(private readonly json: string) {
    const parsed = JSON.parse(json) as Record<string, unknown>;
    this.resources = (parsed.resource ?? {}) as Record<string, Record<string, Record<string, unknown>>>;
    const collect = (node: unknown): void => {
      if (typeof node === 'string') this.strings.add(node);
      else if (Array.isArray(node)) node.forEach(collect);
      else if (node !== null && typeof node === 'object') {
        for (const [key, value] of Object.entries(node)) {
          this.strings.add(key);
          collect(value);
        }
      }
    };
    collect(parsed);
  }

  /** Whether the JSON text holds the value (a whole string value or key, else any substring). */
  mentions(value: string): boolean {
    return this.strings.has(value) || this.json.includes(JSON.stringify(value).slice(1, -1));
  }

  /** Whether a resource of the match's type has (at least) the match's attributes. */
  hasResource(match: ResourceMatch): boolean {
    const key = Object.keys(match.attributes).find((k) => isPrimitive(match.attributes[k]));
    if (key === undefined) return Object.values(this.resources[match.type] ?? {}).some((body) => includes(body, match.attributes));
    const indexKey = `${match.type}\u0000${key}`;
    let index = this.byAttribute.get(indexKey);
    if (!index) {
      index = new Map();
      for (const body of Object.values(this.resources[match.type] ?? {})) {
        const value = body[key];
        if (isPrimitive(value)) index.set(value, [...(index.get(value) ?? []), body]);
      }
      this.byAttribute.set(indexKey, index);
    }
    return (index.get(match.attributes[key]) ?? []).some((body) => includes(body, match.attributes));
  }
}

const isPrimitive = (v: unknown): boolean => v === null || (typeof v !== 'object' && typeof v !== 'function');

/** Every way the rendered layers disagree with the entries (empty when they agree). */
export function contractProblems(entries: readonly ContractEntry[], kubernetes: readonly RenderedFile[], stacks: readonly { stack: string; json: string }[]): string[] {
  const files = new Map(kubernetes.map((f) => [f.path, f.content]));
  const stackJson = new Map(stacks.map((s) => [s.stack, s.json]));
  const indexes = new Map<string, StackIndex>();
  const indexOf = (stack: string) => {
    let index = indexes.get(stack);
    if (!index) {
      index = new StackIndex(stackJson.get(stack)!);
      indexes.set(stack, index);
    }
    return index;
  };
  const problems: string[] = [];
  for (const entry of entries) {
    const what = `contract ${entry.name} ("${entry.value}")`;
    const { stack } = entry.producer;
    if (!stackJson.has(stack)) problems.push(`${what}: its producer, stack "${stack}", is not rendered`);
    else {
      const index = indexOf(stack);
      for (const evidence of entry.producer.evidence) {
        if (!index.mentions(evidence)) problems.push(`${what}: stack ${stack} does not produce it (no "${evidence}" in its Terraform JSON)`);
      }
      for (const match of entry.producer.match ?? []) {
        if (!index.hasResource(match)) problems.push(`${what}: stack ${stack} creates no ${describeMatch(match)}, yet the Kubernetes layer relies on it`);
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

/** Deep subset: every key of `expected` is in `actual` with an equal (or, for objects, included) value. */
function includes(actual: unknown, expected: unknown): boolean {
  if (expected !== null && typeof expected === 'object' && !Array.isArray(expected)) {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return false;
    for (const key of Object.keys(expected)) if (!includes((actual as Record<string, unknown>)[key], (expected as Record<string, unknown>)[key])) return false;
    return true;
  }
  if (Array.isArray(expected)) return Array.isArray(actual) && actual.length === expected.length && expected.every((e, i) => equal(actual[i], e));
  return actual === expected;
}

/** Deep equality of JSON values. */
function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => equal(x, b[i]));
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => equal((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

function describeMatch(match: ResourceMatch): string {
  const attributes = Object.entries(match.attributes).map(([key, value]) => `${key}=${JSON.stringify(value)}`);
  return `${match.type} with ${attributes.join(', ')}`;
}
