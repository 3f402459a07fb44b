/** Replica and resource changes: what a service may scale to and what each Pod may use. */
import { canonical, subject, type ObjectChange } from '../compare-trees';
import { serviceOf, servicePath } from '../attribution';
import { flag, type RiskFlag } from '../risk-flag';
import { containers, WORKLOAD_KINDS } from './images';

type Spec = Record<string, unknown> | undefined;

export function scalingFlags(change: ObjectChange): RiskFlag[] {
  const o = subject(change);
  if (change.type !== 'changed') return [];
  const before = change.before!.body.spec as Spec;
  const after = change.after!.body.spec as Spec;
  const flags: RiskFlag[] = [];
  const service = serviceOf(o);
  if (o.kind === 'HorizontalPodAutoscaler') {
    const target = ((after?.scaleTargetRef ?? {}) as { name?: string }).name ?? o.name;
    for (const [field, model] of [['minReplicas', 'scaling.minReplicas (raised to environments[].sizing.replicaFloor)'], ['maxReplicas', 'scaling.maxReplicas']] as const) {
      if (before?.[field] !== after?.[field]) flags.push(flag('replicas', o, `${field} ${before?.[field]} -> ${after?.[field]}`, `${servicePath(o, target)}.${model}`));
    }
  }
  if (WORKLOAD_KINDS.has(o.kind)) {
    if (before?.replicas !== after?.replicas) flags.push(flag('replicas', o, `replicas ${before?.replicas ?? 'unset'} -> ${after?.replicas ?? 'unset'}`, `${servicePath(o, service)}.scaling`));
    const old = containers(change.before);
    for (const [name, c] of containers(change.after)) {
      const was = old.get(name);
      if (was && canonical(was.resources) !== canonical(c.resources)) {
        flags.push(flag('resources', o, `container ${name}: ${canonical(was.resources)} -> ${canonical(c.resources)}`, `${servicePath(o, service)}.resources`));
      }
    }
  }
  return flags;
}
