/**
 * North-south routing (source 003 §15-02, §16): ALB (TLS terminated) -> NodePort -> Istio ingress
 * gateway -> `Gateway` + `VirtualService` -> the frontends, BFFs and tools declared as exposed.
 *
 * - one `Gateway` per public host (`web`, `api`) and one for the internal hosts, all plain HTTP on
 *   the gateway's HTTP port (the ALBs hold the certificates). Hosts are written "./<host>": only
 *   VirtualServices in the gateway's own namespace may bind to them, never a team's;
 * - one `VirtualService` per host. On the web host the routes are ordered most specific first:
 *   longer path prefixes before shorter ones ("/auth/", "/api/" before "/"), and within a prefix the
 *   `User-Agent` routes (smartphone browsers) before the route without one, which is the fallback
 *   (PC browsers). The partner API host is matched by `Host` alone (the Gateway/VirtualService host);
 * - destinations are the services' Services (FQDN, first serving port), with the services' own
 *   timeout and retries; routes to a BFF strip the public prefix and the gateway bridges gRPC-Web
 *   to gRPC (see `stripsPrefix`, `gatewayProtocol`).
 */
import { Construct } from 'constructs';
import { Gateway, VirtualService, type VirtualServiceSpecHttp, type VirtualServiceSpecHttpMatch } from '../../imports/networking.istio.io';
import { internalHost, ISTIO_INGRESS_NAMESPACE, publicHost, serviceHost } from '../../platform/naming';
import type { Environment, Platform } from '../../platform/types';
import { INGRESS_GATEWAY, INGRESS_HTTP_PORT } from './gateway-identities';
import { meshConfig } from './mesh-config';
import { type MeshService, meshServices, routedPort } from './topology';
import { resilience } from './virtual-service';

/** One route of an ingress host to a service. */
export interface IngressRoute {
  readonly target: MeshService;
  readonly pathPrefix: string;
  readonly userAgent?: string;
}

/** A host the ingress gateway serves, with its Gateway name and its routes in match order. */
export interface IngressHost {
  readonly gateway: string;
  /** VirtualService name. */
  readonly name: string;
  readonly host: string;
  readonly routes: readonly IngressRoute[];
}

export const PUBLIC_GATEWAY = (host: 'web' | 'api'): string => `public-${host}`;
export const INTERNAL_GATEWAY = 'internal';

/** Most specific first: longer prefix, then a User-Agent route before the fallback, then by service for a stable order. */
function compareRoutes(a: IngressRoute, b: IngressRoute): number {
  if (a.pathPrefix.length !== b.pathPrefix.length) return b.pathPrefix.length - a.pathPrefix.length;
  if (a.pathPrefix !== b.pathPrefix) return a.pathPrefix.localeCompare(b.pathPrefix);
  if ((a.userAgent === undefined) !== (b.userAgent === undefined)) return a.userAgent === undefined ? 1 : -1;
  return `${a.target.ref.namespace}/${a.target.ref.service} ${a.userAgent ?? ''}`.localeCompare(`${b.target.ref.namespace}/${b.target.ref.service} ${b.userAgent ?? ''}`);
}

/** Every host the ingress gateway serves for this environment, public hosts first, then internal hosts by name. */
export function ingressHosts(platform: Pick<Platform, 'teams'>, env: Pick<Environment, 'domains'>): IngressHost[] {
  const services = meshServices(platform);
  const hosts: IngressHost[] = [];
  for (const which of ['web', 'api'] as const) {
    const routes = services.flatMap((target) => target.service.exposure.public.filter((r) => r.host === which).map((r) => ({ target, pathPrefix: r.pathPrefix, userAgent: r.userAgent })));
    if (routes.length > 0) hosts.push({ gateway: PUBLIC_GATEWAY(which), name: PUBLIC_GATEWAY(which), host: publicHost(env, which), routes: routes.sort(compareRoutes) });
  }
  const internal = services
    .flatMap((target) => target.service.exposure.internal.map((r) => ({ subdomain: r.subdomain, target })))
    .sort((a, b) => a.subdomain.localeCompare(b.subdomain));
  for (const { subdomain, target } of internal) {
    hosts.push({ gateway: INTERNAL_GATEWAY, name: `internal-${subdomain}`, host: internalHost(env, subdomain), routes: [{ target, pathPrefix: '/' }] });
  }
  return hosts;
}

/**
 * A route to a BFF strips its public prefix ("/api/shop.order.v1.OrderService/Get" reaches the BFF
 * as "/shop.order.v1.OrderService/Get", the path gRPC servers expect): VirtualService
 * `rewrite.uri` replaces the matched prefix.
 */
export const stripsPrefix = (r: IngressRoute): boolean => r.target.service.kind === 'bff' && r.pathPrefix !== '/';

/**
 * Server protocol of a gateway: GRPC-Web when it routes to a gRPC port (a BFF), so Istio adds
 * Envoy's grpc_web filter to the listener (pilot/pkg/networking/core/listener_builder.go: the
 * filter is added when the port protocol is GRPC-Web) and browsers' gRPC-Web requests (HTTP/1.1
 * through the ALB) leave the gateway as gRPC over HTTP/2; other requests pass the filter untouched.
 */
export const gatewayProtocol = (hosts: readonly IngressHost[]): 'HTTP' | 'GRPC-Web' =>
  hosts.some((h) => h.routes.some((r) => routedPort(r.target.service).protocol === 'grpc')) ? 'GRPC-Web' : 'HTTP';

function httpRoutes(host: IngressHost): VirtualServiceSpecHttp[] {
  const names = new Map<string, number>();
  return host.routes.map((r) => {
    const base = r.userAgent === undefined ? r.target.service.name : `${r.target.service.name}-user-agent`;
    const seen = names.get(base) ?? 0;
    names.set(base, seen + 1);
    const match: VirtualServiceSpecHttpMatch = { uri: { prefix: r.pathPrefix }, ...(r.userAgent !== undefined ? { headers: { 'user-agent': { regex: r.userAgent } } } : {}) };
    return {
      name: seen === 0 ? base : `${base}-${seen + 1}`,
      match: [match],
      ...(stripsPrefix(r) ? { rewrite: { uri: '/' } } : {}),
      route: [{ destination: { host: serviceHost(r.target.ref), port: { number: routedPort(r.target.service).port } } }],
      ...resilience(r.target.service.traffic),
    };
  });
}

/** The Gateways and VirtualServices of the ingress gateway (rendered in its namespace). */
export class IngressRouting extends Construct {
  constructor(scope: Construct, id: string, props: { readonly platform: Platform; readonly env: Environment }) {
    super(scope, id);
    const hosts = ingressHosts(props.platform, props.env);
    const gateways = new Map<string, IngressHost[]>();
    for (const h of hosts) gateways.set(h.gateway, [...(gateways.get(h.gateway) ?? []), h]);
    for (const [name, served] of gateways) {
      const names = served.map((h) => h.host);
      meshConfig(
        new Gateway(this, `gateway-${name}`, {
          metadata: { name },
          spec: {
            selector: { ...INGRESS_GATEWAY.selector },
            servers: [{ port: { number: INGRESS_HTTP_PORT, name: 'http', protocol: gatewayProtocol(served) }, hosts: [...names].sort().map((n) => `./${n}`) }],
          },
        }),
      );
    }
    for (const h of hosts) {
      meshConfig(
        new VirtualService(this, `routes-${h.name}`, {
          metadata: { name: h.name },
          // Only the ingress gateway (in this namespace) uses these routes.
          spec: { hosts: [h.host], gateways: [`${ISTIO_INGRESS_NAMESPACE}/${h.gateway}`], exportTo: ['.'], http: httpRoutes(h) },
        }),
      );
    }
  }
}
