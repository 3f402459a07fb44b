/**
 * Builds `dist/<env>/contract.json` and checks it: every shared value must be present in the
 * Terraform stack that produces it and in each Kubernetes file that consumes it, or the render fails.
 */
import { contractEntries, type ContractEntry } from '../platform/contract';
import type { Environment, Platform } from '../platform/types';
import { RenderError, type RenderedFile, toDistRelative } from './rendered-file';

/** contract.json: the entries without the evidence strings used to check them. */
export interface Contract {
  readonly environment: string;
  readonly entries: readonly (Omit<ContractEntry, 'producer'> & { readonly producer: Omit<ContractEntry['producer'], 'evidence'> })[];
}

export function buildContract(platform: Platform, env: Environment, kubernetes: readonly RenderedFile[], stacks: readonly { stack: string; json: string }[]): Contract {
  const files = new Map(kubernetes.map((f) => [f.path, f.content]));
  const stackJson = new Map(stacks.map((s) => [s.stack, s.json]));
  const problems: string[] = [];
  const entries = contractEntries(platform, env);
  for (const entry of entries) {
    const json = stackJson.get(entry.producer.stack);
    if (json === undefined) problems.push(`contract ${entry.name}: stack "${entry.producer.stack}" is not rendered`);
    else {
      for (const evidence of entry.producer.evidence) {
        if (!json.includes(JSON.stringify(evidence).slice(1, -1))) problems.push(`contract ${entry.name}: stack ${entry.producer.stack} does not produce "${evidence}"`);
      }
    }
    for (const consumer of entry.consumers) {
      const content = files.get(toDistRelative(consumer.file));
      if (content === undefined) problems.push(`contract ${entry.name}: consumer ${consumer.file} is not rendered`);
      else if (!content.includes(entry.value)) problems.push(`contract ${entry.name}: ${consumer.file} (${consumer.field}) does not use "${entry.value}"`);
    }
  }
  if (problems.length > 0) throw new RenderError(`The ${env.name} contract between the AWS and Kubernetes layers is broken`, problems);
  return {
    environment: env.name,
    entries: entries.map(({ producer: { evidence: _evidence, ...producer }, ...rest }) => ({ ...rest, producer })),
  };
}
