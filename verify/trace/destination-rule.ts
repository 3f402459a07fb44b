/**
 * Hop: the `DestinationRule` of a destination host, as the caller's proxy sees it.
 *
 * Encodes istio.io/latest/docs/reference/config/networking/destination-rule/: the rule of the
 * caller's namespace wins, then the one in the host's namespace (both subject to `exportTo`);
 * `trafficPolicy` (and `subsets[].trafficPolicy`, `portLevelSettings[]`) give load balancing,
 * connection pool, outlier detection and the client TLS mode (ISTIO_MUTUAL, and its `sni`).
 */
import { type DistTree, type K8sObject, objectsIn, objectsOf, ref } from './dist-tree';
import { dnsMatches } from './gateway';
import type { Hop } from './hop';

const visible = (dr: K8sObject, ns: string) => {
  const e: string[] = dr.spec?.exportTo ?? ['*'];
  return e.includes('*') || e.includes(ns) || (e.includes('.') && dr.metadata.namespace === ns);
};

export function destinationRuleFor(tree: DistTree, callerNamespace: string, host: string): K8sObject | undefined {
  const own = objectsIn(tree, 'DestinationRule', callerNamespace).find((d) => dnsMatches(d.spec?.host ?? '', host));
  return own ?? objectsOf(tree, 'DestinationRule').find((d) => dnsMatches(d.spec?.host ?? '', host) && visible(d, callerNamespace));
}

/** The effective client TLS of a host/subset/port (port-level settings override the policy). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function clientTls(dr: K8sObject | undefined, port: number, subset?: string): { mode?: string; sni?: string } {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const pick = (tp: any) => (tp?.portLevelSettings ?? []).find((p: { port: { number: number } }) => Number(p.port.number) === port)?.tls ?? tp?.tls;
  const sub = subset ? (dr?.spec?.subsets ?? []).find((s: { name: string }) => s.name === subset) : undefined;
  return pick(sub?.trafficPolicy) ?? pick(dr?.spec?.trafficPolicy) ?? {};
}

export function evaluateDestinationRule(tree: DistTree, callerNamespace: string, host: string, port: number, subset?: string): Hop {
  const dr = destinationRuleFor(tree, callerNamespace, host);
  if (!dr) return { hop: 'DestinationRule', object: '(none)', detail: `no DestinationRule for ${host}: auto mTLS` };
  const tp = dr.spec?.trafficPolicy ?? {};
  const tls = clientTls(dr, port, subset);
  const parts = [
    subset ? `subset ${subset}` : undefined,
    tp.loadBalancer?.simple ? `lb ${tp.loadBalancer.simple}` : undefined,
    tp.connectionPool?.tcp?.maxConnections ? `max ${tp.connectionPool.tcp.maxConnections} conns` : undefined,
    tp.outlierDetection ? `eject after ${tp.outlierDetection.consecutive5xxErrors} x 5xx` : undefined,
    tls.mode ? `tls ${tls.mode}${tls.sni ? ` sni ${tls.sni}` : ''}` : 'auto mTLS',
  ].filter(Boolean);
  return { hop: 'DestinationRule', object: ref(dr), detail: parts.join(', ') };
}
