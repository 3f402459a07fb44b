/**
 * New hosts outside the cluster: every external dependency renders a ServiceEntry in the egress
 * gateway's namespace (REGISTRY_ONLY Sidecars admit only registered hosts: istio
 * networking/v1alpha3/service_entry.proto), so a new or widened ServiceEntry is a new way out.
 */
import { subject, type ObjectChange } from '../compare-trees';
import { flag, setDelta, type RiskFlag } from '../risk-flag';

const hosts = (body: Record<string, unknown> | undefined): string[] => (((body?.spec as Record<string, unknown> | undefined)?.hosts ?? []) as unknown[]).map(String);

/** Namespaces whose Sidecar gained `<ns>/<host>` in the same change set, by `<env>|<host>`. */
export type SidecarHostIndex = ReadonlyMap<string, readonly string[]>;

export function indexSidecarHosts(changes: readonly ObjectChange[]): SidecarHostIndex {
  const index = new Map<string, string[]>();
  for (const c of changes) {
    const o = subject(c);
    if (o.kind !== 'Sidecar' || c.type === 'removed') continue;
    const egress = (b: Record<string, unknown> | undefined) => (((b?.spec as Record<string, unknown> | undefined)?.egress ?? []) as { hosts?: string[] }[]).flatMap((e) => e.hosts ?? []);
    for (const h of setDelta(egress(c.before?.body), egress(c.after?.body)).added) {
      const host = h.slice(h.indexOf('/') + 1);
      const key = `${o.env}|${host}`;
      index.set(key, [...(index.get(key) ?? []), o.namespace]);
    }
  }
  return index;
}

export function egressHostFlags(change: ObjectChange, sidecars: SidecarHostIndex): RiskFlag[] {
  const o = subject(change);
  if (o.kind !== 'ServiceEntry' || change.type === 'removed') return [];
  const { added } = setDelta(hosts(change.before?.body), hosts(change.after?.body));
  return added.map((host) => {
    const callers = sidecars.get(`${o.env}|${host}`) ?? [];
    const attribution = callers.length > 0 ? callers.map((ns) => `namespaces[${ns}].services[*].dependencies: { external: "${host}" }`).join('; ') : `a dependency { external: "${host}" } or a platform add-on`;
    return flag('egress-host', o, `new external host ${host}${callers.length ? ` (reached from ${callers.join(', ')})` : ''}`, attribution);
  });
}
