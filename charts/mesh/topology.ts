/**
 * The mesh's view of the model: who calls whom, what is exposed through the ingress gateway, which
 * hosts leave the mesh. Pure functions over the platform (no cdk8s), so every mesh object and every
 * test derives the same answers from the same declarations.
 */
import { auroraWriterHost, serviceAccountName, serviceHost, serviceKey, servicePrincipal, type ServiceRef } from '../../platform/naming';
import type { Environment, Namespace, Platform, Service, ServiceDependency, ServicePort, Team } from '../../platform/types';
import { awsEndpoints } from './aws-endpoints';

/** Name of a service's dedicated metrics port (scraped by Prometheus, never called by services). */
export const METRICS_PORT_NAME = 'http-metrics';

/** One service of the model with where it lives. */
export interface MeshService {
  readonly team: Team;
  readonly namespace: Namespace;
  readonly service: Service;
  readonly ref: ServiceRef;
}

/**
 * Answers computed once per model (keyed by its `teams`, which the model never changes in place):
 * every mesh object of every namespace asks the same questions, and scanning all services for each
 * made the render quadratic in the number of services.
 */
interface TopologyIndex {
  readonly services: readonly MeshService[];
  /** Services by "<namespace>/<service>". */
  readonly byKey: ReadonlyMap<string, MeshService>;
  readonly callers: ReadonlyMap<string, readonly MeshService[]>;
  readonly externalHosts: Map<string, ExternalHost[]>;
  databaseNamespaces?: string[];
}
const indexes = new WeakMap<Platform['teams'], TopologyIndex>();

function indexOf(platform: Pick<Platform, 'teams'>): TopologyIndex {
  let index = indexes.get(platform.teams);
  if (!index) {
    const services = Object.freeze(
      platform.teams.flatMap((team) =>
        team.namespaces.flatMap((namespace) => namespace.services.map((service) => ({ team, namespace, service, ref: { namespace: namespace.name, service: service.name } }))),
      ),
    );
    const callers = new Map<string, MeshService[]>();
    for (const s of services) {
      // A caller counts once even if it declares the same dependency twice (validation rejects that).
      for (const key of new Set(s.service.dependencies.flatMap((d) => ('service' in d ? [d.service] : [])))) callers.set(key, [...(callers.get(key) ?? []), s]);
    }
    const byKey = new Map<string, MeshService>();
    for (const s of services) if (!byKey.has(serviceKey(s.ref))) byKey.set(serviceKey(s.ref), s);
    index = { services, byKey, callers, externalHosts: new Map() };
    indexes.set(platform.teams, index);
  }
  return index;
}

export function meshServices(platform: Pick<Platform, 'teams'>): MeshService[] {
  return [...indexOf(platform).services];
}

/** The service a reference names (a dependency's target), if the model has it. */
export const meshServiceAt = (platform: Pick<Platform, 'teams'>, ref: ServiceRef): MeshService | undefined => indexOf(platform).byKey.get(serviceKey(ref));

export const refOf = (namespace: Pick<Namespace, 'name'>, service: Pick<Service, 'name'>): ServiceRef => ({ namespace: namespace.name, service: service.name });

/** A declared call: the caller and the dependency edge (with its call kind and timeouts). */
export interface CallEdge {
  readonly caller: MeshService;
  readonly dependency: ServiceDependency;
}

const CALLERS = new WeakMap<object, Map<string, CallEdge[]>>();

/** Every service's incoming edges, indexed once per model (linear in the number of edges). */
function callerIndex(platform: Pick<Platform, 'teams'>): Map<string, CallEdge[]> {
  const cached = CALLERS.get(platform.teams);
  if (cached) return cached;
  const index = new Map<string, CallEdge[]>();
  for (const caller of meshServices(platform)) {
    for (const d of caller.service.dependencies) if ('service' in d) index.set(d.service, [...(index.get(d.service) ?? []), { caller, dependency: d }]);
  }
  CALLERS.set(platform.teams, index);
  return index;
}

/** The declared edges into `target`, in model order. */
export const callEdgesOf = (platform: Pick<Platform, 'teams'>, target: ServiceRef): CallEdge[] => callerIndex(platform).get(serviceKey(target)) ?? [];

/** Services that declare a dependency on `target`, in model order. */
export function callersOf(platform: Pick<Platform, 'teams'>, target: ServiceRef): MeshService[] {
  return callEdgesOf(platform, target).map((e) => e.caller);
}

/**
 * Whether a service consumes end-user tokens: it takes them itself (`endUserAuth`) or a caller
 * that takes them (a BFF) forwards them to it (seed 000: each microservice verifies the token).
 */
export const consumesTokens = (platform: Pick<Platform, 'teams'>, ref: ServiceRef, service: Pick<Service, 'endUserAuth'>): boolean =>
  service.endUserAuth || callEdgesOf(platform, ref).some((e) => e.caller.service.endUserAuth);

/** Port ingress routes target: the service's first serving port (a BFF's gRPC port, a frontend's HTTP port). */
export function routedPort(service: Pick<Service, 'name' | 'ports'>): ServicePort {
  const port = servingPorts(service)[0];
  if (!port) throw new Error(`service ${service.name} has no port to route to`);
  return port;
}

/** Name of the headless Service that lists a clustered service's Pods on its peer ports. */
export const peerServiceName = (service: Pick<Service, 'name'>): string => `${service.name}-peers`;

/** SPIFFE principal of a service's Pods: its ServiceAccount (the model's `serviceAccount` where an installer shares one). */
export const principalOf = (m: Pick<MeshService, 'ref' | 'service'>): string =>
  servicePrincipal({ namespace: m.ref.namespace, service: serviceAccountName(m.service) });

/** Sorted, de-duplicated SPIFFE principals of the ServiceAccounts of a service's declared callers. */
export function callerPrincipals(platform: Pick<Platform, 'teams'>, target: ServiceRef): string[] {
  return [...new Set(callersOf(platform, target).map(principalOf))].sort();
}

/** Whether the service is reachable through the Istio ingress gateway (a public route or an internal host). */
export const isExposed = (service: Pick<Service, 'exposure'>): boolean => service.exposure.public.length > 0 || service.exposure.internal.length > 0;

/** Ports other services call: every port except the metrics port. */
export const servingPorts = (service: Pick<Service, 'ports'>): ServicePort[] => service.ports.filter((p) => p.name !== METRICS_PORT_NAME);

/** The port ingress routes target: the first HTTP port (validate.ts guarantees every service has one). */
export function firstHttpPort(service: Pick<Service, 'name' | 'ports'>): ServicePort {
  const port = service.ports.find((p) => p.protocol === 'http');
  if (!port) throw new Error(`service ${service.name} has no HTTP port to route to`);
  return port;
}

/** A host outside the cluster a service calls (TLS opened by the application). */
export interface ExternalCall {
  readonly host: string;
  readonly port: number;
}

/**
 * What a service calls outside the cluster: its declared external dependencies and the AWS API
 * endpoints of its grants (HTTPS), sorted by host and port.
 */
export function externalCallsOf(platform: Pick<Platform, 'name'>, env: Pick<Environment, 'name' | 'account' | 'region'>, service: Service): ExternalCall[] {
  const calls = [
    ...service.dependencies.flatMap((d) => ('external' in d ? [{ host: d.external, port: d.port }] : [])),
    ...awsEndpoints(service.aws, platform, env).map((host) => ({ host, port: 443 })),
  ];
  const unique = new Map(calls.map((c) => [`${c.host}:${c.port}`, c]));
  return [...unique.values()].sort((a, b) => a.host.localeCompare(b.host) || a.port - b.port);
}

/** An external host the mesh may reach, with the ports and the namespaces of the services that call it. */
export interface ExternalHost {
  readonly host: string;
  readonly ports: readonly number[];
  /** Namespaces of the calling services, sorted. */
  readonly namespaces: readonly string[];
  /** SPIFFE principals of the calling services, sorted (the egress gateway admits only these). */
  readonly principals: readonly string[];
}

/** Every external host an in-mesh service calls, sorted by host. */
export function externalHosts(platform: Pick<Platform, 'name' | 'teams'>, env: Pick<Environment, 'name' | 'account' | 'region'>): ExternalHost[] {
  const cache = indexOf(platform).externalHosts;
  const key = `${platform.name}\u0000${env.name}\u0000${env.account}\u0000${env.region}`;
  let hosts = cache.get(key);
  if (!hosts) {
    hosts = computeExternalHosts(platform, env);
    cache.set(key, hosts);
  }
  return hosts.map((h) => ({ ...h, ports: [...h.ports], namespaces: [...h.namespaces], principals: [...h.principals] }));
}

function computeExternalHosts(platform: Pick<Platform, 'name' | 'teams'>, env: Pick<Environment, 'name' | 'account' | 'region'>): ExternalHost[] {
  const byHost = new Map<string, { ports: Set<number>; namespaces: Set<string>; principals: Set<string> }>();
  for (const s of indexOf(platform).services.filter((m) => m.namespace.mesh)) {
    for (const call of externalCallsOf(platform, env, s.service)) {
      const entry = byHost.get(call.host) ?? { ports: new Set(), namespaces: new Set(), principals: new Set() };
      entry.ports.add(call.port);
      entry.namespaces.add(s.namespace.name);
      entry.principals.add(principalOf(s));
      byHost.set(call.host, entry);
    }
  }
  return [...byHost.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([host, e]) => ({ host, ports: [...e.ports].sort((a, b) => a - b), namespaces: [...e.namespaces].sort(), principals: [...e.principals].sort() }));
}

/** Ports the egress gateway must listen on (443 always, so the gateway is usable before the first declaration). */
export function egressPorts(platform: Pick<Platform, 'name' | 'teams'>, env: Pick<Environment, 'name' | 'account' | 'region'>): number[] {
  return [...new Set([443, ...externalHosts(platform, env).flatMap((h) => h.ports)])].sort((a, b) => a - b);
}

/** In-mesh namespaces holding a service with a database schema on the shared Aurora cluster, sorted. */
export function databaseNamespaces(platform: Pick<Platform, 'teams'>): string[] {
  const index = indexOf(platform);
  index.databaseNamespaces ??= [...new Set(index.services.filter((s) => s.namespace.mesh && s.service.database).map((s) => s.namespace.name))].sort();
  return [...index.databaseNamespaces];
}

/**
 * Stable in-mesh name of the Aurora endpoint (a ServiceEntry host; the entry matches the database
 * subnets by address). The same name the data stack's private zone resolves (naming.ts auroraWriterHost).
 */
export const auroraMeshHost = (platform: Pick<Platform, 'name'>, env: Pick<Environment, 'name'>): string => auroraWriterHost(platform, env);

/** DNS-1123 name fragment of a host name ("api.example.net" -> "api-example-net"). */
export const hostSlug = (host: string): string => host.toLowerCase().replace(/[^a-z0-9-]/g, '-');

/** "<namespace>/<FQDN>" as Sidecar egress hosts and VirtualService destinations name a service. */
export const scopedServiceHost = (ref: ServiceRef): string => `${ref.namespace}/${serviceHost(ref)}`;

/** Istio duration of whole seconds. */
export const seconds = (n: number): string => `${n}s`;
