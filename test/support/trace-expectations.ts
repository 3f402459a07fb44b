/**
 * Requests derived from the model, with the outcome the model declares: every public route and
 * internal host reaches its backend, every declared dependency edge is allowed, and a sample of
 * undeclared edges is refused at the hop the README documents. The tracer then checks them
 * against the rendered files only.
 */
import { NON_MESH_PROFILES } from '../../charts/network-policy/non-mesh-profiles';
import { PROMETHEUS_SERVICE } from '../../charts/addons/sre-tools';
import { cdnPurgeJobName, internalHost, keycloakIssuer, migrationJobName, parseServiceKey, PROMETHEUS_IDENTITY, publicHost, serviceHost, serviceKey } from '../../platform/naming';
import type { Environment, Platform, Service } from '../../platform/types';
import { fakeJwt } from '../../verify/trace';

export interface TraceCase {
  readonly name: string;
  readonly method: string;
  readonly url: string;
  readonly headers: readonly string[];
  readonly from?: string;
  /** Expected backend ("<ns>/<deployment>" or the external host), or the hop that refuses. */
  readonly reach?: string;
  readonly refuseAt?: string;
}

interface Entry {
  readonly namespace: string;
  readonly mesh: boolean;
  readonly service: Service;
  readonly key: string;
}

const entries = (platform: Platform): Entry[] =>
  platform.teams.flatMap((t) => t.namespaces.flatMap((n) => n.services.map((service) => ({ namespace: n.name, mesh: n.mesh, service, key: `${n.name}/${service.name}` }))));

export const tokenHeader = (platform: Platform, env: Environment, sub = 'user-1'): string => `authorization: Bearer ${fakeJwt({ iss: keycloakIssuer(env, platform.identity.realm), sub })}`;

const servingPort = (s: Service) => s.ports.find((p) => p.name !== 'http-metrics') ?? s.ports[0];

/** A request a caller would send to a service on its first serving port. */
function callUrl(target: Entry): { method: string; url: string } {
  const port = servingPort(target.service);
  const host = serviceHost(parseServiceKey(target.key));
  if (port.protocol === 'grpc') return { method: 'POST', url: `grpc://${host}:${port.port}/${port.grpcServices[0] ?? 'grpc.health.v1.Health'}/Check` };
  return { method: 'GET', url: `http://${host}:${port.port}/` };
}

export function publicRouteCases(platform: Platform, env: Environment): TraceCase[] {
  const all = entries(platform);
  const byKey = new Map(all.map((e) => [e.key, e]));
  const token = tokenHeader(platform, env);
  const cases: TraceCase[] = [];
  for (const e of all) {
    const s = e.service;
    for (const r of s.exposure.public) {
      const base = `https://${publicHost(env, r.host)}${r.pathPrefix}`;
      const headers = [...(r.userAgent ? [`user-agent: Mozilla/5.0 (iPhone; CPU iPhone OS 17_0)`] : ['user-agent: Mozilla/5.0 (Windows NT 10.0)']), ...(s.endUserAuth ? [token] : [])];
      if (s.kind === 'bff') {
        for (const d of s.dependencies) {
          if (!('service' in d)) continue;
          const target = byKey.get(d.service);
          const port = target && servingPort(target.service);
          if (!target || !port || port.protocol !== 'grpc') continue;
          for (const g of port.grpcServices) {
            cases.push({ name: `${r.host}${r.pathPrefix} (${s.name}) -> ${g}`, method: 'POST', url: `${base}${g}/Get`, headers: [...headers, 'content-type: application/grpc-web+proto'], reach: d.service });
          }
        }
      } else {
        cases.push({ name: `${r.host}${r.pathPrefix} -> ${e.key}`, method: 'GET', url: `${base}index.html`, headers, reach: e.key });
      }
    }
    for (const r of s.exposure.internal) cases.push({ name: `internal ${r.subdomain} -> ${e.key}`, method: 'GET', url: `https://${internalHost(env, r.subdomain)}/`, headers: [], reach: e.key });
  }
  return cases;
}

export function declaredEdgeCases(platform: Platform, env: Environment): TraceCase[] {
  const all = entries(platform);
  const byKey = new Map(all.map((e) => [e.key, e]));
  const cases: TraceCase[] = [];
  for (const e of all.filter((x) => x.mesh)) {
    for (const d of e.service.dependencies) {
      if ('service' in d) {
        const target = byKey.get(d.service);
        if (!target) continue;
        // The user's token travels with the call (services verify it where they consume tokens).
        const headers = [tokenHeader(platform, env)];
        if (target.service.kind === 'bff') {
          // A BFF routes proto services: call one of its upstreams' through it.
          const upstream = target.service.dependencies.flatMap((x) => ('service' in x && byKey.get(x.service) ? [byKey.get(x.service)!] : [])).find((u) => servingPort(u.service).grpcServices.length > 0);
          if (!upstream) continue;
          const port = servingPort(target.service);
          const url = `grpc://${serviceHost(parseServiceKey(target.key))}:${port.port}/${servingPort(upstream.service).grpcServices[0]}/Get`;
          cases.push({ name: `${e.key} -> ${d.service} (-> ${upstream.key})`, method: 'POST', url, headers, from: e.key, reach: upstream.key });
          continue;
        }
        const { method, url } = callUrl(target);
        cases.push({ name: `${e.key} -> ${d.service}`, method, url, headers, from: e.key, reach: d.service });
      } else {
        cases.push({ name: `${e.key} -> ${d.external}`, method: 'GET', url: `https://${d.external}:${d.port}/`, headers: [], from: e.key, reach: d.external });
      }
    }
    for (const port of e.service.peerPorts) {
      cases.push({ name: `${e.key} -> its peers :${port}`, method: 'CONNECT', url: `tcp://${e.service.name}-peers.${e.namespace}.svc.cluster.local:${port}`, headers: [], from: e.key, reach: e.key });
    }
  }
  return cases;
}

/**
 * Undeclared service -> service edges, every `step`-th pair of in-mesh services: refused at the
 * caller's Sidecar egress when nothing in its namespace declares the target, else at the
 * target's AuthorizationPolicy. A namespace with a clustered service (`peerPorts`) imports all of
 * its own namespace (its installer names per-component Services), so same-namespace targets are
 * refused by their AuthorizationPolicy there.
 */
export function undeclaredEdgeCases(platform: Platform, step = 7): TraceCase[] {
  const all = entries(platform).filter((e) => e.mesh);
  const declared = new Set(all.flatMap((e) => e.service.dependencies.flatMap((d) => ('service' in d ? [`${e.key}>${d.service}`] : []))));
  const nsImports = new Map<string, Set<string>>();
  for (const e of all) for (const d of e.service.dependencies) if ('service' in d) nsImports.set(e.namespace, new Set([...(nsImports.get(e.namespace) ?? []), d.service]));
  const cases: TraceCase[] = [];
  let i = 0;
  for (const from of all) {
    for (const to of all) {
      if (from.key === to.key || declared.has(`${from.key}>${to.key}`)) continue;
      if (i++ % step !== 0) continue;
      const { method, url } = callUrl(to);
      const clustered = all.some((e) => e.namespace === from.namespace && e.service.peerPorts.length > 0);
      const imported = nsImports.get(from.namespace)?.has(to.key) || (clustered && to.namespace === from.namespace);
      cases.push({ name: `${from.key} -> ${to.key} (undeclared)`, method, url, headers: [], from: from.key, refuseAt: imported ? 'AuthorizationPolicy' : 'Sidecar egress' });
    }
  }
  return cases;
}

/** Undeclared calls to external hosts: an in-mesh service that does not declare a host another one does. */
export function undeclaredExternalCases(platform: Platform): TraceCase[] {
  const all = entries(platform).filter((e) => e.mesh);
  const hosts = [...new Set(all.flatMap((e) => e.service.dependencies.flatMap((d) => ('external' in d ? [d.external] : []))))].sort();
  const cases: TraceCase[] = [];
  for (const host of hosts) {
    const from = all.find((e) => !e.service.dependencies.some((d) => 'external' in d && d.external === host) && e.service.aws.length === 0);
    if (from) cases.push({ name: `${from.key} -> ${host} (undeclared)`, method: 'GET', url: `https://${host}/`, headers: [], from: from.key, refuseAt: 'Sidecar egress' });
  }
  return cases;
}

/** A public host no workload declares. */
export const UNDECLARED_PUBLIC_HOST = 'undeclared.example.org';

/**
 * Pods outside the mesh (any Pod of each non-mesh namespace) calling undeclared peers: Prometheus,
 * an in-mesh service, a public host. Each is refused at the namespace's NetworkPolicy egress,
 * except a public host where the namespace's profile allows public HTTPS to every Pod (a
 * NetworkPolicy cannot tell hosts apart), where it leaves through NAT.
 */
export function nonMeshCases(platform: Platform): TraceCase[] {
  const meshed = entries(platform).find((e) => e.mesh && e.service.kind === 'microservice');
  const namespaces = platform.teams.flatMap((t) => t.namespaces).filter((n) => !n.mesh);
  const prometheus = `http://${serviceHost(PROMETHEUS_SERVICE)}:${PROMETHEUS_SERVICE.port}/api/v1/query`;
  const cases: TraceCase[] = [];
  for (const n of namespaces) {
    const from = `${n.name}/`;
    if (n.name !== PROMETHEUS_IDENTITY.namespace) cases.push({ name: `${from} -> Prometheus (undeclared)`, method: 'GET', url: prometheus, headers: [], from, refuseAt: 'NetworkPolicy egress' });
    if (meshed) cases.push({ name: `${from} -> ${meshed.key} (undeclared)`, ...callUrl(meshed), headers: [], from, refuseAt: 'NetworkPolicy egress' });
    const wideInternet = (NON_MESH_PROFILES[n.name]?.internetHttps ?? []).some((r) => !r.pods || r.pods.length === 0);
    cases.push({ name: `${from} -> ${UNDECLARED_PUBLIC_HOST}`, method: 'GET', url: `https://${UNDECLARED_PUBLIC_HOST}/`, headers: [], from, ...(wideInternet ? { reach: UNDECLARED_PUBLIC_HOST } : { refuseAt: 'NetworkPolicy egress' }) });
  }
  return cases;
}

/**
 * Sidecar-less hook Jobs: a migration reaches neither a public host nor an in-mesh service (only
 * DNS and Aurora); a CDN purge reaches the CloudFront API, its declared public path.
 */
export function hookJobCases(platform: Platform): TraceCase[] {
  const cases: TraceCase[] = [];
  for (const e of entries(platform).filter((x) => x.mesh)) {
    if (e.service.database?.migrationCommand) {
      const from = `${e.namespace}/${migrationJobName(e.service)}`;
      cases.push({ name: `${from} -> ${UNDECLARED_PUBLIC_HOST} (hook Job, undeclared)`, method: 'GET', url: `https://${UNDECLARED_PUBLIC_HOST}/`, headers: [], from, refuseAt: 'NetworkPolicy egress' });
      cases.push({ name: `${from} -> ${e.key} (hook Job, undeclared)`, ...callUrl(e), headers: [], from, refuseAt: 'NetworkPolicy egress' });
    }
    if (e.service.aws.includes('cdn-invalidation')) {
      const from = `${e.namespace}/${cdnPurgeJobName(e.service)}`;
      cases.push({ name: `${from} -> cloudfront.amazonaws.com (hook Job, declared)`, method: 'POST', url: 'https://cloudfront.amazonaws.com/2020-05-31/distribution/x/invalidation', headers: [], from, reach: 'cloudfront.amazonaws.com' });
    }
  }
  return cases;
}

export const keyOf = serviceKey;
