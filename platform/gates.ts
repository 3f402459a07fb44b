/**
 * Delivery gates (source 004 §23-§26) derived from the model: who takes part in contract tests,
 * where E2E tests point, which faults the mesh injects. Pure functions, read by charts and tests.
 */
import { databaseSecretName, internalHost, parseServiceKey, privateZoneName, publicHost, serviceHost, serviceKey, ssmParameterName, type ServiceRef } from './naming';
import type { Environment, FaultInjection, Platform, Service } from './types';

/** The production environment: the last one in promotion order (test -> staging -> production). */
export const isProduction = (platform: Pick<Platform, 'environments'>, env: Pick<Environment, 'name'>): boolean =>
  platform.environments[platform.environments.length - 1]?.name === env.name;

/** Pact pacticipant name of a service: "<namespace>.<service>" (no "/", which the broker's URLs would need escaped). */
export const pacticipantName = (ref: ServiceRef): string => `${ref.namespace}.${ref.service}`;

/**
 * Services that are a consumer or a provider of another platform service the teams build (a
 * declared service dependency, either end, between services that are not third-party tools, which
 * publish no contracts), as "<namespace>/<service>" keys. Two passes over the dependency graph.
 */
export function contractParticipants(platform: Pick<Platform, 'teams'>): ReadonlySet<string> {
  // Asked once per namespace (secret readers, gates): computed once per model (its teams are immutable).
  const cached = participantsByTeams.get(platform.teams);
  if (cached) return cached;
  const kinds = new Map<string, Service['kind']>();
  for (const t of platform.teams) for (const ns of t.namespaces) for (const s of ns.services) kinds.set(serviceKey({ namespace: ns.name, service: s.name }), s.kind);
  const out = new Set<string>();
  for (const t of platform.teams) {
    for (const ns of t.namespaces) {
      for (const s of ns.services) {
        if (s.kind === 'tool') continue;
        for (const d of s.dependencies) {
          if (!('service' in d) || (kinds.get(d.service) ?? 'tool') === 'tool') continue;
          out.add(serviceKey({ namespace: ns.name, service: s.name }));
          out.add(d.service);
        }
      }
    }
  }
  participantsByTeams.set(platform.teams, out);
  return out;
}
const participantsByTeams = new WeakMap<Platform['teams'], ReadonlySet<string>>();
const gateNamespacesByTeams = new WeakMap<Platform['teams'], readonly string[]>();
const gateNamespaceSets = new WeakMap<Platform['teams'], ReadonlySet<string>>();

function gateNamespaces(platform: Pick<Platform, 'teams'>): readonly string[] {
  let namespaces = gateNamespacesByTeams.get(platform.teams);
  if (!namespaces) {
    namespaces = [...new Set([...contractParticipants(platform)].map((k) => parseServiceKey(k).namespace))].sort();
    gateNamespacesByTeams.set(platform.teams, namespaces);
  }
  return namespaces;
}

/** Namespaces that run a contract gate in an environment (the ones whose ExternalSecrets need the store). */
export function contractGateNamespaces(platform: Pick<Platform, 'teams'>, env: Pick<Environment, 'gates'>): string[] {
  if (!env.gates.contract) return [];
  return [...gateNamespaces(platform)];
}

/** Whether a namespace runs a contract gate in an environment (`contractGateNamespaces` includes it), in constant time. */
export function isContractGateNamespace(platform: Pick<Platform, 'teams'>, env: Pick<Environment, 'gates'>, namespace: string): boolean {
  if (!env.gates.contract) return false;
  let set = gateNamespaceSets.get(platform.teams);
  if (!set) {
    set = new Set(gateNamespaces(platform));
    gateNamespaceSets.set(platform.teams, set);
  }
  return set.has(namespace);
}

/** AWS Secrets Manager secret holding the contract broker's client credentials (keys `username`, `password`). */
export const contractBrokerSecretName = (platform: Pick<Platform, 'name'>, env: Pick<Environment, 'name'>): string =>
  `${platform.name}/${env.name}/sre/contract-broker-client`;

/** Kubernetes Secret (per gated namespace) with the broker credentials as PACT_BROKER_USERNAME / PACT_BROKER_PASSWORD. */
export const CONTRACT_BROKER_K8S_SECRET = 'contract-broker-client';

export const canIDeployJobName = (service: Pick<Service, 'name'>): string => `${service.name}-can-i-deploy`;
export const recordDeploymentJobName = (service: Pick<Service, 'name'>): string => `${service.name}-record-deployment`;
export const e2eJobName = (service: Pick<Service, 'name'>): string => `${service.name}-e2e`;

/** URLs the E2E tests of a service target: one per public route, `https://<public host><path prefix>`, in model order, unique. */
export function e2eTargetUrls(env: Pick<Environment, 'domains'>, service: Pick<Service, 'exposure'>): string[] {
  return [...new Set(service.exposure.public.map((r) => `https://${publicHost(env, r.host)}${r.pathPrefix}`))];
}

const faultIndexes = new WeakMap<readonly FaultInjection[], ReadonlyMap<string, FaultInjection[]>>();

/** Faults of an environment on calls into one service, in model order (the environment's faults indexed once by callee). */
export function faultsInto(env: Pick<Environment, 'faults'>, ref: ServiceRef): FaultInjection[] {
  let index = faultIndexes.get(env.faults);
  if (!index) {
    const byCallee = new Map<string, FaultInjection[]>();
    for (const f of env.faults) byCallee.set(f.to, [...(byCallee.get(f.to) ?? []), f]);
    faultIndexes.set(env.faults, (index = byCallee));
  }
  return index.get(serviceKey(ref)) ?? [];
}

/** The version a service is known by in the contract broker: its release tag, or its digest where it has no tag. */
export function releaseVersion(platform: Pick<Platform, 'releases'>, env: Pick<Environment, 'name'>, ref: ServiceRef): string {
  const image = platform.releases.find((r) => r.environment === env.name)?.images[serviceKey(ref)];
  const version = image?.tag ?? image?.digest;
  if (!version) throw new Error(`no release image for ${serviceKey(ref)} in ${env.name} (the model validation should have caught this)`);
  return version;
}

/** Image of a service's E2E tests in an environment: its E2E repository at the service's release tag. */
export function e2eImageReference(platform: Pick<Platform, 'releases'>, env: Pick<Environment, 'name'>, ref: ServiceRef, service: Pick<Service, 'e2e'>): string {
  const tag = platform.releases.find((r) => r.environment === env.name)?.images[serviceKey(ref)]?.tag;
  if (!service.e2e || !tag) throw new Error(`no E2E image for ${serviceKey(ref)} in ${env.name}: it needs e2e and a release tag (the model validation should have caught this)`);
  return `${service.e2e.imageRepository}:${tag}`;
}

// ---- The contract broker (Pact Broker, an SRE tool: charts/addons/pact-broker.ts) -------------------

/** Namespace of the broker (sre, outside the mesh like every `*-infra` tool). */
export const CONTRACT_BROKER_NAMESPACE = 'contract-infra';
/** The chart's `fullnameOverride`: the Deployment and the Service the clients call. */
export const CONTRACT_BROKER_SERVICE = 'pact-broker';
/** Port of the chart's Service (`service.ports.http`) and of the container (`broker.containerPorts.http`). */
export const CONTRACT_BROKER_PORTS = { service: 80, container: 9292 } as const;
/** Kubernetes Secrets of the broker's namespace (ExternalSecrets): its database password, its users. */
export const CONTRACT_BROKER_K8S_SECRETS = { database: 'pact-broker-database', writeUser: CONTRACT_BROKER_K8S_SECRET, readUser: 'contract-broker-reader' } as const;

/** The environment whose cluster runs the one broker every environment's gate asks; undefined without a broker. */
export function contractBrokerEnvironment<E extends Pick<Environment, 'name'>>(platform: Pick<Platform, 'contractBroker'> & { readonly environments: readonly E[] }): E | undefined {
  const name = platform.contractBroker?.environment;
  return name === undefined ? undefined : platform.environments.find((e) => e.name === name);
}

/** Whether an environment's cluster runs the broker. */
export const hostsContractBroker = (platform: Pick<Platform, 'contractBroker'>, env: Pick<Environment, 'name'>): boolean => platform.contractBroker?.environment === env.name;

/** Internal host of the broker (internal ALB -> ingress-nginx -> the broker), where people and the teams' CI reach it. */
export function contractBrokerHost(platform: Pick<Platform, 'contractBroker' | 'environments'>): string {
  const host = contractBrokerEnvironment(platform);
  if (!host || !platform.contractBroker) throw new Error(`the platform has no contractBroker, or its environment ${platform.contractBroker?.environment} does not exist (the model validation should have caught this)`);
  return internalHost(host, platform.contractBroker.subdomain);
}

/** The broker's public base URL (its `PACT_BROKER_BASE_URL`: the links it writes into its answers). */
export const contractBrokerBaseUrl = (platform: Pick<Platform, 'contractBroker' | 'environments'>): string => `https://${contractBrokerHost(platform)}`;

/**
 * The URL an environment's gate Jobs call: the broker's in-cluster Service where the cluster runs
 * it (the Jobs have no sidecar and the broker is outside the mesh: plain HTTP inside the cluster),
 * its internal host from every other environment.
 */
export function contractBrokerUrl(platform: Pick<Platform, 'contractBroker' | 'environments'>, env: Pick<Environment, 'name'>): string {
  if (hostsContractBroker(platform, env)) return `http://${serviceHost({ namespace: CONTRACT_BROKER_NAMESPACE, service: CONTRACT_BROKER_SERVICE })}:${CONTRACT_BROKER_PORTS.service}`;
  return contractBrokerBaseUrl(platform);
}

/** Secrets Manager secret of the broker's read-only user (keys `username`, `password`), filled by operators. */
export const contractBrokerReaderSecretName = (platform: Pick<Platform, 'name'>, env: Pick<Environment, 'name'>): string => `${platform.name}/${env.name}/sre/contract-broker-reader`;

/**
 * The broker's database: a small dedicated Aurora PostgreSQL cluster, because the chart admits only
 * the `postgres` and `sqlite` adapters (pact-broker-chart values.yaml `database.adapter`) and the
 * shared Aurora is MySQL. One pure description read by the data stack (cluster, secret, SSM
 * parameters, private name), the DB bootstrap (role and database) and the chart's values.
 */
export interface ContractBrokerDatabase {
  readonly clusterIdentifier: string;
  /** Private DNS name of the writer (CNAME in the environment's private zone), what the chart names. */
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
  /** Secrets Manager secret the DB bootstrap writes (DB_HOST, DB_PORT, DB_NAME, DB_USER, DB_PASSWORD). */
  readonly secretName: string;
  /** SSM parameters: the ARN of the RDS-managed master secret, and the writer endpoint. */
  readonly masterSecretParameter: string;
  readonly endpointParameter: string;
}

export const CONTRACT_BROKER_DB_PORT = 5432;

export function contractBrokerDatabase(platform: Pick<Platform, 'name'>, env: Pick<Environment, 'name'>): ContractBrokerDatabase {
  return {
    clusterIdentifier: `${platform.name}-${env.name}-pact-broker`,
    host: `pact-broker-db.${privateZoneName(platform, env)}`,
    port: CONTRACT_BROKER_DB_PORT,
    database: 'pact_broker',
    user: 'pact_broker',
    // The name a service database of the broker's namespace would have (the bootstrap's policy covers it).
    secretName: databaseSecretName(platform, env, { namespace: CONTRACT_BROKER_NAMESPACE, service: CONTRACT_BROKER_SERVICE }),
    masterSecretParameter: ssmParameterName(platform, env, 'pact-broker-db/master-secret-arn'),
    endpointParameter: ssmParameterName(platform, env, 'pact-broker-db/endpoint'),
  };
}

/** Every Secrets Manager secret the broker's namespace reads, in the environment that runs it. */
export const contractBrokerSecretsRead = (platform: Pick<Platform, 'name'>, env: Pick<Environment, 'name'>): string[] => [
  contractBrokerDatabase(platform, env).secretName,
  contractBrokerSecretName(platform, env),
  contractBrokerReaderSecretName(platform, env),
];

// ---- The staging load test (charts/gates/load-test.ts) -------------------------------------------

/** Namespace of the load test (sre, outside the mesh: it calls the public hosts like a client). */
export const LOAD_TEST_NAMESPACE = 'load-infra';
export const LOAD_TEST_NAME = 'load-test';

/** One public route the load test calls: its URL and the User-Agent that makes the edge route it there. */
export interface LoadTarget {
  /** "<namespace>/<service> <host><path prefix>", the `route` tag of its samples. */
  readonly name: string;
  readonly url: string;
  readonly userAgent: string;
}

/**
 * User-Agents the load test sends: a desktop browser's and a smartphone's. A route that matches on
 * User-Agent gets the first one its regex matches; a route without one gets the first that no
 * User-Agent route of the same host matches (so the gateway routes it to this route, not another).
 */
export const LOAD_TEST_USER_AGENTS = [
  'Mozilla/5.0 (X11; Linux x86_64) k6-load-test',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile k6-load-test',
] as const;

/**
 * Every public route of the platform as a load target of an environment, in model order: the
 * model's public routes are the load test's input (each `https://<public host><path prefix>`).
 * Throws when no User-Agent reaches a route.
 */
export function loadTestTargets(platform: Pick<Platform, 'teams'>, env: Pick<Environment, 'domains'>): LoadTarget[] {
  const routes = platform.teams.flatMap((t) => t.namespaces.flatMap((ns) => ns.services.flatMap((s) => s.exposure.public.map((r) => ({ key: serviceKey({ namespace: ns.name, service: s.name }), route: r })))));
  const patternsByHost = new Map<string, Set<string>>();
  for (const { route } of routes) if (route.userAgent) patternsByHost.set(route.host, (patternsByHost.get(route.host) ?? new Set()).add(route.userAgent));
  const seen = new Set<string>();
  const out: LoadTarget[] = [];
  for (const { key, route } of routes) {
    const url = `https://${publicHost(env, route.host)}${route.pathPrefix}`;
    const name = `${key} ${publicHost(env, route.host)}${route.pathPrefix}`;
    if (seen.has(name)) continue;
    seen.add(name);
    const others = [...(patternsByHost.get(route.host) ?? [])].map((p) => new RegExp(p));
    const userAgent = route.userAgent
      ? LOAD_TEST_USER_AGENTS.find((ua) => new RegExp(route.userAgent!).test(ua))
      : LOAD_TEST_USER_AGENTS.find((ua) => !others.some((p) => p.test(ua)));
    if (!userAgent) throw new Error(`${key}: no load-test User-Agent reaches the public route ${url} (User-Agent ${route.userAgent ?? 'none'}; known: ${LOAD_TEST_USER_AGENTS.join(' | ')})`);
    out.push({ name, url, userAgent });
  }
  return out;
}
