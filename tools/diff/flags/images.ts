/** Image changes of every workload kind, attributed to the release entry that moved them. */
import { subject, type ObjectChange } from '../compare-trees';
import { releaseAttribution, serviceOf, type AttributionContext } from '../attribution';
import type { RenderedObject } from '../rendered-object';
import { flag, type RiskFlag } from '../risk-flag';

export const WORKLOAD_KINDS: ReadonlySet<string> = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob']);

type Container = { name: string; image?: string; resources?: unknown };

/** The pod spec of a workload (CronJobs nest it one level deeper). */
export function podSpec(o: RenderedObject | undefined): Record<string, unknown> | undefined {
  const spec = o?.body.spec as Record<string, any> | undefined; // eslint-disable-line @typescript-eslint/no-explicit-any
  return (o?.kind === 'CronJob' ? spec?.jobTemplate?.spec?.template?.spec : spec?.template?.spec) as Record<string, unknown> | undefined;
}

export function containers(o: RenderedObject | undefined): Map<string, Container> {
  const spec = podSpec(o);
  return new Map([...((spec?.initContainers ?? []) as Container[]), ...((spec?.containers ?? []) as Container[])].map((c) => [c.name, c]));
}

export function imageFlags(change: ObjectChange, ctx: AttributionContext): RiskFlag[] {
  const o = subject(change);
  if (!WORKLOAD_KINDS.has(o.kind) || change.type !== 'changed') return [];
  const before = containers(change.before);
  const flags: RiskFlag[] = [];
  for (const [name, c] of containers(change.after)) {
    const old = before.get(name)?.image;
    if (old === undefined || old === c.image) continue;
    const service = serviceOf(o) ?? o.name;
    // The release entry moved, or (same entry) the repository did: the service's imageRepository or the account/region of its ECR.
    const attribution =
      releaseAttribution(ctx, o.env, `${o.namespace}/${service}`) ??
      (ctx.head.get(o.env)?.images[`${o.namespace}/${service}`] ? `teams[${o.team}].namespaces[${o.namespace}].services[${service}].imageRepository (or environments[${o.env}].account/region)` : 'toolImages or an add-on version');
    flags.push(flag('image', o, `container ${name}: ${old} -> ${c.image}`, attribution));
  }
  return flags;
}
