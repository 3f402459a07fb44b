/**
 * The checks `npm run verify` runs over each rendered environment. A check reads the simulated
 * bootstrap (verify/simulation.ts) and returns findings, each tied to a rendered file. Add a check
 * by writing one file (one rule, citing the upstream source it encodes) and listing it here.
 */
import type { Simulation } from './simulation';

export interface Finding {
  /** File relative to the environment folder (`argocd/children/sre/application-cluster.yaml`). */
  readonly file: string;
  /** Id of the rule that found it. */
  readonly rule: string;
  readonly message: string;
}

export interface Check {
  readonly id: string;
  /** One line: what the rule guarantees. */
  readonly description: string;
  readonly run: (sim: Simulation) => Omit<Finding, 'rule'>[];
}

export function runChecks(sim: Simulation, checks: readonly Check[]): Finding[] {
  return checks
    .flatMap((c) => c.run(sim).map((f) => ({ ...f, rule: c.id })))
    .sort((a, b) => a.file.localeCompare(b.file) || a.rule.localeCompare(b.rule) || a.message.localeCompare(b.message));
}
