/**
 * Fault injection (the model's `environments[].faults`, rendered as VirtualService routes with
 * `fault`): a reviewer sees every fault that starts, stops or changes, since it slows or fails real
 * calls between two services.
 */
import { canonical, subject, type ObjectChange } from '../compare-trees';
import { flag, setDelta, type RiskFlag } from '../risk-flag';
import type { RenderedObject } from '../rendered-object';

interface FaultRoute {
  readonly name?: string;
  readonly fault?: unknown;
}

/** Fault routes of a VirtualService, by route name, as canonical JSON of their fault. */
function faultsOf(o: RenderedObject | undefined): Map<string, string> {
  const http = ((o?.body.spec as { http?: FaultRoute[] } | undefined)?.http ?? []).filter((r) => r.fault !== undefined);
  return new Map(http.map((r, i) => [r.name ?? `#${i}`, canonical(r.fault)]));
}

export function faultInjectionFlags(change: ObjectChange): RiskFlag[] {
  const o = subject(change);
  if (o.kind !== 'VirtualService') return [];
  const before = faultsOf(change.before);
  const after = faultsOf(change.after);
  const attribution = `environments[${o.env}].faults`;
  const { added, removed } = setDelta(before.keys(), after.keys());
  const flags = [
    ...added.map((r) => flag('fault-injection', o, `fault injected on route ${r}: ${after.get(r)}`, attribution)),
    ...removed.map((r) => flag('fault-injection', o, `fault removed from route ${r}`, attribution)),
  ];
  for (const [r, f] of after) if (before.has(r) && before.get(r) !== f) flags.push(flag('fault-injection', o, `fault on route ${r}: ${before.get(r)} -> ${f}`, attribution));
  return flags;
}
