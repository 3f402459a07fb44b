/**
 * Hop: the Istio `Gateway` servers of the gateway workload.
 *
 * Encodes istio.io/latest/docs/reference/config/networking/gateway/: a Gateway applies to the
 * Pods its `selector` matches; a server accepts a request when its port is the one the request
 * arrived on and one of its `hosts` ("<namespace>/<dnsName>", "./" = the Gateway's namespace,
 * "*" = any namespace; dnsName may start with "*.") names the request's Host.
 */
import { type DistTree, type K8sObject, objectsOf, ref } from './dist-tree';
import { type Hop, refuse, type TraceRequest } from './hop';
import type { GatewayWorkload } from './node-port';

export const selects = (selector: Record<string, string> | undefined, labels: Readonly<Record<string, string>>): boolean =>
  Object.entries(selector ?? {}).every(([k, v]) => labels[k] === v);

export function dnsMatches(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase();
  const h = host.toLowerCase();
  if (p === '*') return true;
  if (p.startsWith('*.')) return h.endsWith(p.slice(1));
  return p === h;
}

export interface BoundServer {
  readonly gateway: K8sObject;
  /** Namespaces allowed to bind VirtualServices for this host ("*" = any). */
  readonly bindNamespace: string;
}

export function evaluateGateway(tree: DistTree, gw: GatewayWorkload, req: TraceRequest): { hop: Hop; bound?: BoundServer[] } {
  const bound: BoundServer[] = [];
  for (const g of objectsOf(tree, 'Gateway')) {
    if (!selects(g.spec?.selector, gw.labels)) continue;
    for (const server of g.spec?.servers ?? []) {
      if (Number(server.port?.number) !== gw.port) continue;
      for (const h of server.hosts ?? []) {
        const [ns, dns] = h.includes('/') ? h.split('/') : ['*', h];
        if (dnsMatches(dns, req.host)) bound.push({ gateway: g, bindNamespace: ns === '.' ? g.metadata.namespace ?? '' : ns });
      }
    }
  }
  if (bound.length === 0) return { hop: refuse('Gateway', `Gateways selecting ${JSON.stringify(gw.labels)}`, `no server on port ${gw.port} names host ${req.host}`, 'Gateway servers[].hosts', '404') };
  const protocols = bound.map((b) => b.gateway.spec.servers.find((s: { port: { number: number } }) => Number(s.port.number) === gw.port)?.port?.protocol);
  return { hop: { hop: 'Gateway', object: bound.map((b) => ref(b.gateway)).join(', '), detail: `server port ${gw.port} (${protocols.join(',')}) accepts host ${req.host}` }, bound };
}
