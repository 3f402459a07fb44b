/**
 * The request tracer: carries one request through the rendered files, hop by hop, the way the ALB,
 * Envoy (Istio gateways and sidecars), Kubernetes and Nginx evaluate them, and stops at the first
 * hop that refuses it. North-south (no caller): ALB -> NodePort -> ingress Gateway -> its
 * VirtualService -> the Service -> the destination proxy (PeerAuthentication,
 * RequestAuthentication, AuthorizationPolicy) -> the BFF's Nginx -> east-west to its upstream.
 * East-west (a caller `<ns>/<deployment>` or `<ns>/` for any Pod there): the caller's
 * NetworkPolicy egress, Sidecar egress, mesh VirtualService, DestinationRule, then as above; an
 * external host goes through the egress gateway (egress.ts).
 */
import { evaluateAlb } from './alb';
import { evaluateAuthorization } from './authorization-policy';
import { evaluateDestinationRule } from './destination-rule';
import { type DistTree, objectsOf, parseServiceFqdn } from './dist-tree';
import { serviceEntryFor, traceEgress } from './egress';
import { evaluateGateway } from './gateway';
import { type Hop, refuse, type TraceRequest, type Workload } from './hop';
import { evaluateNetworkEgress, evaluateNetworkIngress } from './network-policy';
import { evaluateNginx } from './nginx-location';
import { evaluateNodePort } from './node-port';
import { evaluatePeerAuthentication } from './peer-authentication';
import { evaluateRequestAuthentication } from './request-authentication';
import { evaluateService, namespaceInMesh, workloadOf } from './service';
import { evaluateSidecarEgress } from './sidecar-egress';
import { evaluateVirtualService } from './virtual-service';

export interface TraceResult {
  readonly hops: readonly Hop[];
  /** Whether the request reached its final backend. */
  readonly reached: boolean;
  /** "<namespace>/<deployment>" (or the external host) that finally served the request. */
  readonly backend?: string;
  /** The refusing hop, when refused. */
  readonly refusedAt?: Hop;
  /** Every workload the request crossed, in order (for tests: "pc-bff/pc-bff", ...). */
  readonly path: readonly string[];
  /** Timeouts of the routes taken, in order ("none" where a route sets none). */
  readonly routeTimeouts: readonly string[];
}

export interface TraceOptions {
  /** `<namespace>/<deployment>` or `<namespace>/` (any Pod of the namespace); absent = from the internet. */
  readonly from?: string;
}

const MAX_DEPTH = 6;

class Tracer {
  readonly hops: Hop[] = [];
  readonly path: string[] = [];
  readonly routeTimeouts: string[] = [];
  constructor(readonly tree: DistTree) {}

  push(h: Hop | undefined): boolean {
    if (!h) return true;
    this.hops.push(h);
    return !h.refused;
  }

  result(backend?: string): TraceResult {
    const refusedAt = this.hops.find((h) => h.refused);
    return { hops: this.hops, reached: !refusedAt && backend !== undefined, backend: refusedAt ? undefined : backend, refusedAt, path: this.path, routeTimeouts: this.routeTimeouts };
  }

  /** From the caller's proxy (or plain Pod) to a host:port. */
  eastWest(caller: Workload, req: TraceRequest, tcp: boolean, depth: number): TraceResult {
    const fq = parseServiceFqdn(req.host);
    const se = fq ? undefined : serviceEntryFor(this.tree, caller.namespace, req.host);
    const external = !fq;
    const peer = fq ? { namespace: fq.namespace, labels: evaluateService(this.tree, req.host, req.port).workload?.labels } : { namespace: '(outside the cluster)', external: true };
    if (!this.push(evaluateNetworkEgress(this.tree, { namespace: caller.namespace, labels: caller.name ? caller.labels : undefined }, peer, req.port))) return this.result();
    if (!caller.inMesh) {
      if (external) {
        this.push({ hop: 'NAT', object: '(no proxy)', detail: `${caller.namespace}/${caller.name ?? '*'} has no sidecar: ${req.host}:${req.port} leaves through the NAT gateway` });
        return this.result(req.host);
      }
      return this.deliver(caller, req, req.host, req.port, false, tcp, depth);
    }
    const hostNs = se?.metadata.namespace ?? fq?.namespace ?? '';
    if (external && !se) {
      this.push(evaluateSidecarEgress(this.tree, caller, req.host, hostNs, req.port));
      if (!this.hops.at(-1)?.refused) this.push(refuse('ServiceEntry', '(none)', `no ServiceEntry visible to ${caller.namespace} names ${req.host}`, 'REGISTRY_ONLY (mesh config outboundTrafficPolicy)', '502'));
      return this.result();
    }
    if (!this.push(evaluateSidecarEgress(this.tree, caller, req.host, hostNs, req.port))) return this.result();
    if (se) {
      const eg = traceEgress(this.tree, caller, req, se);
      eg.hops.forEach((h) => this.push(h));
      return this.result(eg.reached ? req.host : undefined);
    }
    let dest = { host: req.host, port: req.port };
    let next = req;
    if (!tcp) {
      const vs = evaluateVirtualService(this.tree, req, { from: caller });
      if (!this.push(vs.hop)) return this.result();
      this.routeTimeouts.push(vs.timeout ?? 'none');
      dest = { host: vs.destination?.host ?? req.host, port: vs.destination?.port ?? req.port };
      next = vs.request ?? req;
    }
    return this.deliver(caller, next, dest.host, dest.port, true, tcp, depth);
  }

  /** At the destination: DestinationRule, Service, NetworkPolicy ingress, mTLS, token, authorization, then Nginx. */
  deliver(caller: Workload, req: TraceRequest, host: string, port: number, mtls: boolean, tcp: boolean, depth: number): TraceResult {
    if (mtls) this.push(evaluateDestinationRule(this.tree, caller.namespace, host, port));
    const svc = evaluateService(this.tree, host, port);
    const fq = parseServiceFqdn(host);
    if (fq) {
      const ni = evaluateNetworkIngress(this.tree, { namespace: fq.namespace, labels: svc.workload?.labels }, { namespace: caller.namespace, labels: caller.name ? caller.labels : undefined }, svc.targetPort ?? port);
      if (!this.push(ni)) return this.result();
    }
    if (!this.push(svc.hop) || !svc.workload) return this.result();
    const w = svc.workload;
    this.path.push(`${w.namespace}/${w.name}`);
    if (!w.inMesh) return this.result(`${w.namespace}/${w.name}`);
    if (!this.push(evaluatePeerAuthentication(this.tree, w, mtls))) return this.result();
    let requestPrincipal: string | undefined;
    let requestClaims: Readonly<Record<string, unknown>> | undefined;
    if (!tcp) {
      const ra = evaluateRequestAuthentication(this.tree, w, req);
      if (!this.push(ra.hop)) return this.result();
      requestPrincipal = ra.requestPrincipal;
      requestClaims = ra.claims;
    }
    const authz = evaluateAuthorization(this.tree, w, req, { principal: mtls ? caller.principal : undefined, sourceNamespace: mtls ? caller.namespace : undefined, requestPrincipal, requestClaims, port: svc.targetPort ?? port, tcp });
    if (!this.push(authz)) return this.result();
    if (tcp || !w.name) return this.result(`${w.namespace}/${w.name}`);
    const nginx = evaluateNginx(this.tree, w.namespace, w.name, svc.targetPort ?? port, req);
    if (!nginx) return this.result(`${w.namespace}/${w.name}`);
    if (!this.push(nginx.hop)) return this.result();
    if (!nginx.upstream) return this.result(`${w.namespace}/${w.name}`);
    if (depth >= MAX_DEPTH) return this.result(`${w.namespace}/${w.name}`);
    const up = nginx.upstream;
    return this.eastWest(w, { ...req, scheme: 'http', host: up.host, port: up.port, path: up.path, method: up.protocol === 'grpc' ? 'POST' : req.method }, false, depth + 1);
  }

  /** From the internet through the ALB and the ingress gateway. */
  northSouth(req: TraceRequest): TraceResult {
    const alb = evaluateAlb(this.tree, req);
    alb.hops.forEach((h) => this.push(h));
    if (alb.nodePort === undefined || alb.hops.some((h) => h.refused)) return this.result();
    const np = evaluateNodePort(this.tree, alb.nodePort);
    if (!this.push(np.hop) || !np.gateway) return this.result();
    const gw = np.gateway;
    const g = evaluateGateway(this.tree, gw, req);
    if (!this.push(g.hop) || !g.bound) return this.result();
    // Envoy trusts the ALB's X-Forwarded-Proto only with xff_num_trusted_hops > 0 (Istio gatewayTopology.numTrustedProxies).
    const proto = gw.numTrustedProxies > 0 ? 'https' : 'http';
    this.push({ hop: 'Forwarded headers', object: `gateway ${gw.namespace}/${gw.release}`, detail: `X-Forwarded-Proto: ${proto}${gw.numTrustedProxies > 0 ? ' (the ALB is a trusted hop)' : ' (overwritten: no trusted proxy hop, the backend sees http)'}` });
    const inner: TraceRequest = { ...req, headers: { ...req.headers, 'x-forwarded-proto': proto } };
    let vs;
    for (const b of g.bound) {
      vs = evaluateVirtualService(this.tree, inner, { gateway: { name: `${b.gateway.metadata.namespace}/${b.gateway.metadata.name}`, bindNamespace: b.bindNamespace } });
      if (!vs.hop.refused) break;
    }
    if (!vs || !this.push(vs.hop) || !vs.destination) return this.result();
    this.routeTimeouts.push(vs.timeout ?? 'none');
    const caller: Workload = { namespace: gw.namespace, name: gw.release, labels: gw.labels, principal: `cluster.local/ns/${gw.namespace}/sa/${gw.release}`, inMesh: true };
    this.path.push(`${gw.namespace}/${gw.release}`);
    return this.deliver(caller, vs.request ?? inner, vs.destination.host, vs.destination.port ?? 80, true, false, 0);
  }
}

/** The caller of an east-west trace: a Deployment, or any Pod of a namespace ("<ns>/"). */
export function callerWorkload(tree: DistTree, from: string): Workload {
  const [namespace, name] = from.split('/');
  if (!name) return { namespace, labels: {}, inMesh: namespaceInMesh(tree, namespace) };
  const w = workloadOf(tree, namespace, name);
  if (w) return w;
  // A Job (hook) or a Helm-rendered workload: known by namespace only.
  const job = objectsOf(tree, 'Job').find((j) => j.metadata.namespace === namespace && j.metadata.name === name);
  if (job) {
    const tpl = job.spec?.template;
    const injected = tpl?.metadata?.labels?.['sidecar.istio.io/inject'] !== 'false' && tpl?.metadata?.annotations?.['sidecar.istio.io/inject'] !== 'false' && namespaceInMesh(tree, namespace);
    return { namespace, name, labels: tpl?.metadata?.labels ?? {}, principal: `cluster.local/ns/${namespace}/sa/${tpl?.spec?.serviceAccountName ?? 'default'}`, inMesh: injected };
  }
  throw new Error(`--from ${from}: no Deployment or Job ${name} in namespace ${namespace} is rendered (use "${namespace}/" for any Pod of the namespace)`);
}

export function parseRequest(method: string, url: string, headers: readonly string[] = []): TraceRequest {
  const u = new URL(url);
  const scheme = u.protocol.replace(':', '');
  if (!['http', 'https', 'grpc', 'tcp'].includes(scheme)) throw new Error(`unsupported scheme ${scheme} (http, https, grpc, tcp)`);
  const h: Record<string, string> = {};
  for (const line of headers) {
    const i = line.indexOf(':');
    if (i <= 0) throw new Error(`header "${line}" is not "name: value"`);
    h[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  if (scheme === 'grpc') h['content-type'] ??= 'application/grpc';
  const port = u.port ? Number(u.port) : scheme === 'https' ? 443 : 80;
  return { method: method.toUpperCase(), scheme: scheme === 'https' ? 'https' : 'http', host: u.hostname, port, path: `${u.pathname}${u.search}`, headers: h };
}

/** Traces one request through the rendered tree. `url` scheme "tcp://" traces a plain TCP connection (no HTTP hops). */
export function traceRequest(tree: DistTree, method: string, url: string, headers: readonly string[] = [], options: TraceOptions = {}): TraceResult {
  const req = parseRequest(method, url, headers);
  const t = new Tracer(tree);
  if (!options.from) return t.northSouth(req);
  const caller = callerWorkload(tree, options.from);
  t.path.push(`${caller.namespace}/${caller.name ?? '*'}`);
  return t.eastWest(caller, req, url.startsWith('tcp:'), 0);
}

/** Human-readable lines of a trace. */
export function formatTrace(r: TraceResult): string {
  const lines = r.hops.map((h, i) => `${String(i + 1).padStart(2)}. ${h.refused ? 'REFUSED ' : ''}${h.hop.padEnd(22)} ${h.object}\n      ${h.detail}${h.refused ? `\n      rule: ${h.refused.rule} -> ${h.refused.status}` : ''}`);
  lines.push(r.reached ? `=> reached ${r.backend}` : `=> refused at ${r.refusedAt?.hop ?? '(unknown)'}: ${r.refusedAt?.refused?.rule ?? ''}`);
  return lines.join('\n');
}
