/**
 * Terraform resources added or removed, and changes to arguments that force replacement
 * (force-replacement.ts): a replaced Aurora cluster or EKS cluster is a new, empty one.
 */
import { canonical, subject, type ObjectChange } from '../compare-trees';
import { forceNewArguments } from '../force-replacement';
import type { RenderedObject } from '../rendered-object';
import { flag, type RiskFlag } from '../risk-flag';

/** The CDKTF construct path the resource came from (its `//.metadata.path`). */
export function constructPath(o: RenderedObject): string | undefined {
  const meta = (o.body['//'] as { metadata?: { path?: string } } | undefined)?.metadata;
  return meta?.path ? `infra construct ${meta.path}` : undefined;
}

export function terraformFlags(change: ObjectChange): RiskFlag[] {
  const o = subject(change);
  if (o.layer !== 'terraform' || o.kind.startsWith('data.')) return [];
  if (change.type === 'added') return [flag('terraform-added', o, `${o.kind}.${o.name} will be created`, constructPath(o))];
  if (change.type === 'removed') return [flag('terraform-removed', o, `${o.kind}.${o.name} will be destroyed`, constructPath(o))];
  const flags: RiskFlag[] = [];
  for (const arg of forceNewArguments(o.kind)) {
    const before = canonical(change.before!.body[arg.argument]);
    const after = canonical(change.after!.body[arg.argument]);
    if (before === after) continue;
    flags.push(flag('terraform-replace', o, `${o.kind}.${o.name} will be REPLACED: ${arg.argument} ${before ?? 'unset'} -> ${after ?? 'unset'} (ForceNew in ${arg.source})`, constructPath(o)));
  }
  return flags;
}
