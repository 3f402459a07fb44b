/**
 * Hops of a call to a host outside the cluster, through the egress gateway.
 *
 * Encodes the Istio task "Egress Gateways" (istio.io/latest/docs/tasks/traffic-management/egress/egress-gateway/):
 * the caller's sidecar finds the host's `ServiceEntry` (visible through `exportTo`), routes it by
 * the VirtualService `tls` route matched on gateway "mesh", port and SNI to the egress gateway
 * (DestinationRule subset: ISTIO_MUTUAL carries the caller's mesh identity, with `sni` naming the
 * host; without it the application's TLS passes through and the gateway sees no principal); the
 * gateway's `Gateway` server for that port and host accepts it, its AuthorizationPolicy decides
 * (source.principal, connection.sni), and its `tls` (passthrough, by SNI) or `tcp` (after
 * ISTIO_MUTUAL termination) route sends it to the ServiceEntry host (MESH_EXTERNAL).
 */
import { type DistTree, type K8sObject, objectsOf, parseServiceFqdn, ref } from './dist-tree';
import { evaluateAuthorization } from './authorization-policy';
import { clientTls, destinationRuleFor, evaluateDestinationRule } from './destination-rule';
import { dnsMatches, selects } from './gateway';
import { type Hop, refuse, type TraceRequest, type Workload } from './hop';

const visible = (o: K8sObject, ns: string) => {
  const e: string[] = o.spec?.exportTo ?? ['*'];
  return e.includes('*') || e.includes(ns) || (e.includes('.') && o.metadata.namespace === ns);
};

export function serviceEntryFor(tree: DistTree, callerNamespace: string, host: string): K8sObject | undefined {
  return objectsOf(tree, 'ServiceEntry').find((se) => (se.spec?.hosts ?? []).some((h: string) => dnsMatches(h, host)) && visible(se, callerNamespace));
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const matchL4 = (m: any, gateway: string, port: number, sni?: string) =>
  (m.gateways ?? ['mesh']).includes(gateway) && (m.port === undefined || Number(m.port) === port) && (!m.sniHosts || (sni !== undefined && m.sniHosts.some((h: string) => dnsMatches(h, sni))));

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function l4Route(tree: DistTree, ns: string, host: string, gateway: string, port: number, sni: string | undefined): { vs: K8sObject; dest: any; kind: string } | undefined {
  for (const vs of objectsOf(tree, 'VirtualService')) {
    if (!(vs.spec?.hosts ?? []).some((h: string) => dnsMatches(h, host)) || !visible(vs, ns)) continue;
    for (const kind of ['tls', 'tcp'] as const) {
      for (const r of vs.spec?.[kind] ?? []) {
        if ((r.match ?? [{}]).some((m: unknown) => matchL4(m, gateway, port, kind === 'tls' ? sni : undefined))) return { vs, dest: r.route?.[0]?.destination, kind };
      }
    }
  }
  return undefined;
}

export function traceEgress(tree: DistTree, caller: Workload, req: TraceRequest, se: K8sObject): { hops: Hop[]; reached: boolean } {
  const hops: Hop[] = [];
  const host = req.host;
  const toGw = l4Route(tree, caller.namespace, host, 'mesh', req.port, host);
  if (!toGw) {
    hops.push({ hop: 'ServiceEntry', object: ref(se), detail: `${host} ${se.spec?.location}: no route to the egress gateway, the sidecar connects directly` });
    return { hops, reached: true };
  }
  hops.push({ hop: 'VirtualService', object: ref(toGw.vs), detail: `${toGw.kind} route (mesh, port ${req.port}, SNI ${host}) -> ${toGw.dest.host}:${toGw.dest.port?.number} subset ${toGw.dest.subset ?? '-'}` });
  hops.push(evaluateDestinationRule(tree, caller.namespace, toGw.dest.host, Number(toGw.dest.port?.number ?? req.port), toGw.dest.subset));
  const tls = clientTls(destinationRuleFor(tree, caller.namespace, toGw.dest.host), Number(toGw.dest.port?.number ?? req.port), toGw.dest.subset);
  const mutual = tls.mode === 'ISTIO_MUTUAL';
  const gwFq = parseServiceFqdn(toGw.dest.host);
  const app = objectsOf(tree, 'Application').find((a) => a.spec?.source?.chart === 'gateway' && a.spec?.source?.helm?.releaseName === gwFq?.service && a.spec?.destination?.namespace === gwFq?.namespace);
  if (!gwFq || !app) {
    hops.push(refuse('Egress gateway', toGw.dest.host, 'no gateway release serves this host', 'egress gateway Service', '503'));
    return { hops, reached: false };
  }
  const labels = app.spec.source.helm.valuesObject?.labels ?? {};
  const gwPort = Number(toGw.dest.port?.number ?? req.port);
  const sni = mutual ? (tls.sni ?? host) : host;
  const gateway = objectsOf(tree, 'Gateway').find((g) => selects(g.spec?.selector, labels) && (g.spec?.servers ?? []).some((s: { port: { number: number }; hosts: string[] }) => Number(s.port.number) === gwPort && s.hosts.some((h) => dnsMatches(h.split('/').pop() ?? h, sni))));
  if (!gateway) {
    hops.push(refuse('Gateway', `Gateways selecting ${JSON.stringify(labels)}`, `no server on port ${gwPort} for SNI ${sni}`, 'egress Gateway servers', 'connection reset'));
    return { hops, reached: false };
  }
  const server = gateway.spec.servers.find((s: { port: { number: number }; hosts: string[] }) => Number(s.port.number) === gwPort && s.hosts.some((h) => dnsMatches(h.split('/').pop() ?? h, sni)));
  const mode = server.tls?.mode ?? 'PASSTHROUGH';
  if (mutual !== (mode === 'ISTIO_MUTUAL')) {
    hops.push(refuse('Gateway', ref(gateway), `server tls ${mode} but the sidecar sends ${mutual ? 'ISTIO_MUTUAL' : 'the application TLS'}`, `${ref(gateway)} servers[].tls.mode`, 'connection reset'));
    return { hops, reached: false };
  }
  hops.push({ hop: 'Gateway', object: ref(gateway), detail: `egress server port ${gwPort} tls ${mode} accepts SNI ${sni}${mutual ? `, caller identity ${caller.principal}` : ', no caller identity (passthrough)'}` });
  const gwWorkload: Workload = { namespace: gwFq.namespace, name: gwFq.service, labels, inMesh: true };
  const authz = evaluateAuthorization(tree, gwWorkload, req, { principal: mutual ? caller.principal : undefined, sourceNamespace: mutual ? caller.namespace : undefined, sni, port: gwPort, tcp: true });
  hops.push(authz);
  if (authz.refused) return { hops, reached: false };
  const out = l4Route(tree, gwFq.namespace, host, `${gateway.metadata.namespace}/${gateway.metadata.name}`, gwPort, host);
  if (!out) {
    hops.push(refuse('VirtualService', `gateway ${gateway.metadata.name}`, `no tls/tcp route from the gateway to ${host}`, 'egress VirtualService', 'connection reset'));
    return { hops, reached: false };
  }
  hops.push({ hop: 'VirtualService', object: ref(out.vs), detail: `${out.kind} route (gateway, port ${gwPort}) -> ${out.dest.host}:${out.dest.port?.number}` });
  hops.push({ hop: 'ServiceEntry', object: ref(se), detail: `${host} ${se.spec?.location} resolution ${se.spec?.resolution}: leaves the cluster` });
  return { hops, reached: true };
}
