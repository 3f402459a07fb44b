/**
 * Hop: `VirtualService` http routes.
 *
 * Encodes istio.io/latest/docs/reference/config/networking/virtual-service/:
 * - a VirtualService applies to a gateway when `gateways` names it ("<ns>/<name>", or "<name>" in
 *   its own namespace) and to sidecars when `gateways` is empty or contains "mesh"; its `hosts`
 *   must name the request's Host, and `exportTo` must make it visible to the caller's namespace;
 * - `http` routes are evaluated in order and the first whose `match` list matches wins (an absent
 *   match list matches everything); the conditions inside one HTTPMatchRequest are ANDed, the
 *   entries of the list ORed; `uri`/header StringMatch is exact, prefix or RE2 regex (full match);
 * - `rewrite.uri` replaces the matched prefix when the route matched on a prefix (else the path);
 * - `timeout` and `retries` apply per route; "0s" disables the timeout;
 * - `fault` (HTTPFaultInjection) delays (`delay.fixedDelay`) and/or aborts (`abort.httpStatus`,
 *   `grpcStatus`) the share `percentage.value` of the route's requests (the deprecated integer
 *   `percent` where no `percentage` is given); the hop prints it, the request goes on (a trace is
 *   one request, not a sample).
 * No VirtualService for a host: the sidecar routes to the Service as is (Istio's default route has
 * no timeout and 2 retries).
 */
import { type DistTree, type K8sObject, objectsOf, ref } from './dist-tree';
import { dnsMatches } from './gateway';
import { type Hop, refuse, type TraceRequest, type Workload } from './hop';

export interface RouteResult {
  readonly hop: Hop;
  readonly destination?: { readonly host: string; readonly port?: number };
  readonly request?: TraceRequest;
  readonly timeout?: string;
  /** The route's fault injection, as printed (e.g. "delay 10% x 2s, abort 5% with HTTP 503"). @default none */
  readonly fault?: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const share = (f: any): string => `${f?.percentage?.value ?? f?.percent ?? 'unset'}%`;

/** One line for a route's `fault`, or undefined when it has none. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function describeFault(fault: any): string | undefined {
  if (!fault || (!fault.delay && !fault.abort)) return undefined;
  const parts: string[] = [];
  if (fault.delay) parts.push(`delay ${share(fault.delay)} x ${fault.delay.fixedDelay ?? fault.delay.exponentialDelay ?? '-'}`);
  if (fault.abort) {
    const status = fault.abort.httpStatus !== undefined ? `HTTP ${fault.abort.httpStatus}` : fault.abort.grpcStatus !== undefined ? `gRPC ${fault.abort.grpcStatus}` : fault.abort.http2Error !== undefined ? `HTTP/2 ${fault.abort.http2Error}` : '-';
    parts.push(`abort ${share(fault.abort)} with ${status}`);
  }
  return parts.join(', ');
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function stringMatch(m: any, value: string | undefined): { ok: boolean; prefix?: string } {
  if (value === undefined) return { ok: false };
  if (m.exact !== undefined) return { ok: value === m.exact };
  if (m.prefix !== undefined) return { ok: value.startsWith(m.prefix), prefix: m.prefix };
  if (m.regex !== undefined) return { ok: new RegExp(`^(?:${m.regex})$`).test(value) };
  return { ok: true };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function matchRequest(m: any, req: TraceRequest, from: Workload | undefined, gateway: string | undefined): { ok: boolean; prefix?: string } {
  let prefix: string | undefined;
  if (m.uri) {
    const r = stringMatch(m.uri, req.path.split('?')[0]);
    if (!r.ok) return { ok: false };
    prefix = r.prefix;
  }
  for (const [name, sm] of Object.entries(m.headers ?? {})) if (!stringMatch(sm, req.headers[name.toLowerCase()]).ok) return { ok: false };
  if (m.method && !stringMatch(m.method, req.method).ok) return { ok: false };
  if (m.authority && !stringMatch(m.authority, req.host).ok) return { ok: false };
  if (m.port !== undefined && Number(m.port) !== req.port) return { ok: false };
  if (m.sourceNamespace !== undefined && from?.namespace !== m.sourceNamespace) return { ok: false };
  if (m.sourceLabels && !Object.entries(m.sourceLabels).every(([k, v]) => from?.labels[k] === v)) return { ok: false };
  if (m.gateways && !(m.gateways as string[]).includes(gateway ?? 'mesh')) return { ok: false };
  return { ok: true, prefix };
}

const visibleTo = (vs: K8sObject, namespace: string): boolean => {
  const exportTo: string[] = vs.spec?.exportTo ?? ['*'];
  return exportTo.includes('*') || exportTo.includes(namespace) || (exportTo.includes('.') && vs.metadata.namespace === namespace);
};

/** Routes of the VirtualService that applies, or the default route to the host when none does. */
export function evaluateVirtualService(tree: DistTree, req: TraceRequest, ctx: { readonly gateway?: { name: string; bindNamespace: string }; readonly from?: Workload }): RouteResult {
  const candidates = objectsOf(tree, 'VirtualService').filter((vs) => {
    if (!(vs.spec?.hosts ?? []).some((h: string) => dnsMatches(h, req.host))) return false;
    const gws: string[] = vs.spec?.gateways ?? ['mesh'];
    if (ctx.gateway) {
      const [gns, gname] = ctx.gateway.name.split('/');
      const named = gws.includes(ctx.gateway.name) || (vs.metadata.namespace === gns && gws.includes(gname));
      return named && (ctx.gateway.bindNamespace === '*' || ctx.gateway.bindNamespace === vs.metadata.namespace);
    }
    return gws.includes('mesh') && visibleTo(vs, ctx.from?.namespace ?? '');
  });
  const vs = candidates[0];
  if (!vs) {
    if (ctx.gateway) return { hop: refuse('VirtualService', `gateway ${ctx.gateway.name}`, `no VirtualService bound to the gateway names ${req.host}`, 'VirtualService hosts/gateways', '404') };
    return { hop: { hop: 'VirtualService', object: '(none)', detail: `no VirtualService for ${req.host}: default route to the Service` }, destination: { host: req.host, port: req.port }, request: req };
  }
  const routes = vs.spec?.http ?? [];
  for (const [i, route] of routes.entries()) {
    const matches = route.match ?? [{}];
    const hit = matches.map((m: unknown) => matchRequest(m, req, ctx.from, ctx.gateway?.name)).find((r: { ok: boolean }) => r.ok);
    if (!hit) continue;
    let path = req.path;
    if (route.rewrite?.uri !== undefined) path = hit.prefix !== undefined ? route.rewrite.uri + path.slice(hit.prefix.length) : route.rewrite.uri;
    const dest = route.route?.[0]?.destination;
    const retries = route.retries ? `, retries ${route.retries.attempts} x ${route.retries.perTryTimeout ?? '-'} on ${route.retries.retryOn ?? '-'}` : '';
    const rewrite = path !== req.path ? `, rewrite ${req.path} -> ${path}` : '';
    const fault = describeFault(route.fault);
    return {
      hop: { hop: 'VirtualService', object: ref(vs), detail: `route[${i}] ${route.name ?? ''} -> ${dest?.host}:${dest?.port?.number ?? req.port}${rewrite}, timeout ${route.timeout ?? 'none'}${retries}${fault ? `, fault: ${fault}` : ''}` },
      destination: { host: dest?.host, port: dest?.port?.number },
      request: { ...req, path },
      timeout: route.timeout,
      ...(fault ? { fault } : {}),
    };
  }
  return { hop: refuse('VirtualService', ref(vs), `no http route matches ${req.method} ${req.path}`, `${ref(vs)} http[] (first match wins)`, '404') };
}
