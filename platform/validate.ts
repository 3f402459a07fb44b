/**
 * Validation of the whole model: the schema (shape, formats, defaults) and then every rule that
 * spans more than one field. All problems are collected and reported together, each naming the
 * team/namespace/service/field (or release file) it is about.
 */
import type { z } from 'zod';
import { secretsReaderRoleName, secretsReaders } from './aws-names';
import { PLATFORM_IDENTITIES, serviceKey, serviceRoleName, SRE_SECRETS, SRE_TEAM } from './naming';
import { platformSchema } from './schema';
import type { Environment, Platform, Problem, Service, Team } from './types';

/** Thrown when the model is invalid; `problems` lists every one of them. */
export class ModelError extends Error {
  constructor(public readonly problems: readonly Problem[]) {
    super(`The platform model is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  - ${p.path}: ${p.message}`).join('\n')}`);
    this.name = 'ModelError';
  }
}

/** Kubernetes and Argo CD namespaces no team may claim. */
const RESERVED_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];
/** Ports the Istio sidecar and agent listen on inside every meshed Pod. */
const ISTIO_RESERVED_PORTS = { from: 15000, to: 15099 };
const MAX_IAM_ROLE_NAME = 64;
/** Path segment of the SRE secrets' names (sreSecretName). */
const SRE_SECRETS_SEGMENT = 'sre';

/** Parses and validates raw input; returns the resolved model or throws ModelError. */
export function parsePlatform(input: unknown): Platform {
  const parsed = platformSchema.safeParse(input);
  if (!parsed.success) {
    throw new ModelError(parsed.error.issues.map((issue) => ({ path: describePath(input, issue.path), message: issueMessage(issue) })));
  }
  const problems = validatePlatform(parsed.data);
  if (problems.length > 0) throw new ModelError(problems);
  return parsed.data;
}

function issueMessage(issue: z.core.$ZodIssue): string {
  return issue.code === 'unrecognized_keys' ? `unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}` : issue.message;
}

/** Turns a schema path into one that names teams, namespaces, services and release files. */
export function describePath(input: unknown, path: readonly PropertyKey[]): string {
  let node: unknown = input;
  let out = '';
  for (const key of path) {
    const child = node !== null && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key as string] : undefined;
    if (typeof key === 'number') {
      const label = labelOf(child);
      out += `[${label ?? key}]`;
    } else {
      out += out === '' ? String(key) : `.${String(key)}`;
    }
    node = child;
  }
  return out === '' ? '(platform)' : out;
}

function labelOf(node: unknown): string | undefined {
  if (node === null || typeof node !== 'object') return undefined;
  const rec = node as Record<string, unknown>;
  if (typeof rec.source === 'string') return rec.source;
  if (typeof rec.name === 'string') return rec.name;
  if (typeof rec.environment === 'string') return rec.environment;
  return undefined;
}

interface ServiceEntry {
  readonly team: Team;
  readonly namespace: Platform['teams'][number]['namespaces'][number];
  readonly service: Service;
  readonly path: string;
}

/** Every service with the path used in messages. */
export function listServices(platform: Pick<Platform, 'teams'>): ServiceEntry[] {
  return platform.teams.flatMap((team) =>
    team.namespaces.flatMap((namespace) =>
      namespace.services.map((service) => ({ team, namespace, service, path: `teams[${team.name}].namespaces[${namespace.name}].services[${service.name}]` })),
    ),
  );
}

/** Rules that span fields. Returns every problem found (empty when valid). */
export function validatePlatform(platform: Platform): Problem[] {
  const problems: Problem[] = [];
  const add = (path: string, message: string) => problems.push({ path, message });

  duplicates(platform.environments.map((e) => e.name)).forEach((name) => add(`environments[${name}]`, `environment "${name}" is defined more than once`));
  for (const env of platform.environments) {
    for (const az of env.availabilityZones) {
      if (!az.startsWith(env.region)) add(`environments[${env.name}].availabilityZones`, `zone "${az}" is not in region ${env.region}`);
    }
    if (env.sizing.systemNodes.min > env.sizing.systemNodes.desired || env.sizing.systemNodes.desired > env.sizing.systemNodes.max) {
      add(`environments[${env.name}].sizing.systemNodes`, 'needs min <= desired <= max');
    }
  }
  duplicates(Object.values(platform.nodePorts).map(String)).forEach((port) => add('nodePorts', `NodePort ${port} is used twice`));

  // Teams and namespace ownership.
  duplicates(platform.teams.map((t) => t.name)).forEach((name) => add(`teams[${name}]`, `team "${name}" is defined more than once`));
  if (!platform.teams.some((t) => t.name === SRE_TEAM)) add('teams', `a team named "${SRE_TEAM}" must own the cross-cutting namespaces and cluster-scoped objects`);
  const owners = new Map<string, string[]>();
  for (const team of platform.teams) {
    for (const ns of team.namespaces) owners.set(ns.name, [...(owners.get(ns.name) ?? []), team.name]);
  }
  for (const [ns, teams] of owners) {
    if (teams.length > 1) add(`teams[${teams.join(',')}].namespaces[${ns}]`, `namespace "${ns}" is claimed by more than one team (${teams.join(', ')})`);
    if (RESERVED_NAMESPACES.includes(ns) || ns === platform.argocdNamespace) add(`teams[${teams[0]}].namespaces[${ns}]`, `namespace "${ns}" is reserved`);
    // The SRE secrets live under "<platform>/<env>/sre/": a namespace of that name would own their prefix.
    if (ns === SRE_SECRETS_SEGMENT) add(`teams[${teams[0]}].namespaces[${ns}]`, `namespace "${ns}" is reserved (prefix of the SRE secrets in Secrets Manager)`);
  }
  for (const env of platform.environments) {
    for (const team of Object.keys(env.clusterAccess.teamViewers)) {
      if (!platform.teams.some((t) => t.name === team)) add(`environments[${env.name}].clusterAccess.teamViewers[${team}]`, `unknown team "${team}"`);
    }
    for (const reader of secretsReaders(platform, env)) {
      const role = secretsReaderRoleName(platform, env, reader.namespace);
      if (role.length > MAX_IAM_ROLE_NAME) {
        add(`teams[${reader.team}].namespaces[${reader.namespace}]`, `IAM role name "${role}" of the namespace's secrets reader is ${role.length} characters; AWS allows ${MAX_IAM_ROLE_NAME} (shorten the namespace name)`);
      }
    }
  }

  const sre = platform.teams.find((t) => t.name === SRE_TEAM);
  const platformNamespaces = [...Object.entries(PLATFORM_IDENTITIES), ...Object.entries(SRE_SECRETS)].map(([id, { namespace }]) => [id, namespace] as const);
  for (const [id, namespace] of platformNamespaces) {
    if (sre && !sre.namespaces.some((n) => n.name === namespace)) add(`teams[${SRE_TEAM}].namespaces`, `the sre team must own namespace "${namespace}" (runs ${id})`);
  }

  const entries = listServices(platform);
  const identity = entries.find((e) => serviceKey({ namespace: e.namespace.name, service: e.service.name }) === platform.identity.service);
  if (!identity) add('identity.service', `unknown service "${platform.identity.service}"`);
  else if (!identity.service.exposure.public.length) add('identity.service', `"${platform.identity.service}" must be exposed publicly so browsers can log in`);
  const byKey = new Map(entries.map((e) => [serviceKey({ namespace: e.namespace.name, service: e.service.name }), e]));
  for (const team of platform.teams) {
    for (const ns of team.namespaces) {
      duplicates(ns.services.map((s) => s.name)).forEach((name) =>
        add(`teams[${team.name}].namespaces[${ns.name}].services[${name}]`, `service "${name}" is defined more than once in namespace ${ns.name}`),
      );
    }
  }

  for (const entry of entries) validateService(platform, entry, byKey, add);
  validateCycles(entries, byKey, add);
  validateExposure(entries, add);
  validateReleases(platform, entries, add);
  return problems;
}

function validateService(platform: Platform, entry: ServiceEntry, byKey: Map<string, ServiceEntry>, add: (path: string, message: string) => void): void {
  const { service: s, path } = entry;
  const self = { namespace: entry.namespace.name, service: s.name };

  duplicates(s.ports.map((p) => String(p.port))).forEach((port) => add(`${path}.ports`, `port ${port} is declared more than once`));
  duplicates(s.ports.map((p) => p.name)).forEach((name) => add(`${path}.ports`, `port name "${name}" is declared more than once`));
  s.ports.forEach((p, i) => {
    if (p.port >= ISTIO_RESERVED_PORTS.from && p.port <= ISTIO_RESERVED_PORTS.to) {
      add(`${path}.ports[${i}].port`, `port ${p.port} clashes with the Istio sidecar's reserved range ${ISTIO_RESERVED_PORTS.from}-${ISTIO_RESERVED_PORTS.to}`);
    }
  });
  if (s.shutdown.terminationGracePeriodSeconds <= s.shutdown.preStopSleepSeconds) {
    add(`${path}.shutdown`, `terminationGracePeriodSeconds (${s.shutdown.terminationGracePeriodSeconds}) must exceed preStopSleepSeconds (${s.shutdown.preStopSleepSeconds})`);
  }
  if (s.traffic.perTryTimeoutSeconds > s.traffic.timeoutSeconds) {
    add(`${path}.traffic.perTryTimeoutSeconds`, `a try (${s.traffic.perTryTimeoutSeconds}s) cannot outlast the whole request timeout (${s.traffic.timeoutSeconds}s)`);
  }
  if (!s.ports.some((p) => p.protocol === 'http')) add(`${path}.ports`, 'a service needs an HTTP port Prometheus can scrape (name it "http-metrics")');
  if (!s.ports.some((p) => p.name === s.health.port)) add(`${path}.health.port`, `port "${s.health.port}" is not one of the service's ports`);

  if (s.scaling.minReplicas > s.scaling.maxReplicas) {
    add(`${path}.scaling`, `minReplicas (${s.scaling.minReplicas}) is greater than maxReplicas (${s.scaling.maxReplicas})`);
  }
  for (const env of platform.environments) {
    if (s.scaling.maxReplicas < env.sizing.replicaFloor) {
      add(`${path}.scaling.maxReplicas`, `maxReplicas (${s.scaling.maxReplicas}) is below the ${env.name} replica floor (${env.sizing.replicaFloor})`);
    }
  }

  const envNames = [...Object.keys(s.config), ...s.secrets.map((x) => x.name)];
  duplicates(envNames).forEach((name) => add(`${path}.secrets`, `"${name}" is set more than once across config and secrets`));
  if (s.database && s.kind !== 'microservice' && s.kind !== 'tool') add(`${path}.database`, `a ${s.kind} cannot own a database schema; only microservices and tools can`);
  if (s.aws.includes('cdn-invalidation') && s.kind !== 'frontend') add(`${path}.aws`, 'only a frontend may invalidate the CDN');

  s.dependencies.forEach((dep, i) => {
    if (!('service' in dep)) return;
    const target = byKey.get(dep.service);
    if (dep.service === serviceKey(self)) add(`${path}.dependencies[${i}]`, 'a service cannot depend on itself');
    else if (!target) add(`${path}.dependencies[${i}]`, `unknown service "${dep.service}" (expected "<namespace>/<service>" of a declared service)`);
    else if (!entry.namespace.mesh && target.namespace.mesh) {
      add(`${path}.dependencies[${i}]`, `"${dep.service}" is in the mesh with STRICT mTLS; ${self.namespace} is outside the mesh and could not reach it`);
    }
  });
  duplicates(s.dependencies.map((d) => ('service' in d ? d.service : d.external))).forEach((d) => add(`${path}.dependencies`, `"${d}" is declared more than once`));

  for (const env of platform.environments) {
    const role = serviceRoleName(platform, env, self);
    if (s.aws.length > 0 && role.length > MAX_IAM_ROLE_NAME) {
      add(`${path}.name`, `IAM role name "${role}" is ${role.length} characters; AWS allows ${MAX_IAM_ROLE_NAME} (shorten the namespace or service name)`);
    }
  }
}

/** Synchronous call graphs must be acyclic: a cycle deadlocks under load and defeats timeouts. */
function validateCycles(entries: ServiceEntry[], byKey: Map<string, ServiceEntry>, add: (path: string, message: string) => void): void {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const reported = new Set<string>();
  const visit = (key: string): void => {
    if (state.get(key) === 'done') return;
    if (state.get(key) === 'visiting') {
      const cycle = [...stack.slice(stack.indexOf(key)), key];
      const id = [...cycle.slice(0, -1)].sort().join('|');
      if (!reported.has(id)) {
        reported.add(id);
        add(`${byKey.get(key)!.path}.dependencies`, `dependency cycle: ${cycle.join(' -> ')}`);
      }
      return;
    }
    state.set(key, 'visiting');
    stack.push(key);
    for (const dep of byKey.get(key)!.service.dependencies) {
      if ('service' in dep && byKey.has(dep.service)) visit(dep.service);
    }
    stack.pop();
    state.set(key, 'done');
  };
  for (const e of entries) visit(serviceKey({ namespace: e.namespace.name, service: e.service.name }));
}

function validateExposure(entries: ServiceEntry[], add: (path: string, message: string) => void): void {
  const routes = new Map<string, string[]>();
  const internal = new Map<string, string[]>();
  for (const e of entries) {
    e.service.exposure.public.forEach((r, i) => {
      if (e.service.kind === 'microservice') {
        add(`${e.path}.exposure.public[${i}]`, 'a microservice is never exposed publicly; route through its BFF');
      }
      if (r.userAgent !== undefined) {
        try {
          new RegExp(r.userAgent);
        } catch {
          add(`${e.path}.exposure.public[${i}].userAgent`, `"${r.userAgent}" is not a valid regular expression`);
        }
      }
      const key = `${r.host} ${r.pathPrefix} ${r.userAgent ?? '*'}`;
      routes.set(key, [...(routes.get(key) ?? []), e.path]);
    });
    e.service.exposure.internal.forEach((r) => internal.set(r.subdomain, [...(internal.get(r.subdomain) ?? []), e.path]));
  }
  for (const [key, paths] of routes) {
    if (paths.length > 1) add(`${paths[1]}.exposure.public`, `route "${key}" is also claimed by ${paths[0]}`);
  }
  for (const [sub, paths] of internal) {
    if (paths.length > 1) add(`${paths[1]}.exposure.internal`, `internal host "${sub}" is also claimed by ${paths[0]}`);
  }
}

function validateReleases(platform: Platform, entries: ServiceEntry[], add: (path: string, message: string) => void): void {
  const envs = new Map<string, Environment>(platform.environments.map((e) => [e.name, e]));
  const keys = new Set(entries.map((e) => serviceKey({ namespace: e.namespace.name, service: e.service.name })));
  const seen = new Set<string>();
  for (const release of platform.releases) {
    const where = `releases[${release.source ?? release.environment}]`;
    const env = envs.get(release.environment);
    if (!env) {
      add(where, `unknown environment "${release.environment}" (known: ${[...envs.keys()].join(', ')})`);
      continue;
    }
    if (seen.has(env.name)) add(where, `a second release file for environment ${env.name}`);
    seen.add(env.name);
    for (const [key, image] of Object.entries(release.images)) {
      if (!keys.has(key)) add(`${where}.images[${key}]`, `unknown service "${key}"`);
      else if (env.requireImageDigest && image.digest === undefined) {
        add(`${where}.images[${key}]`, `${env.name} requires an image digest (sha256:...), not the mutable tag "${image.tag}"`);
      }
    }
    for (const e of entries) {
      const key = serviceKey({ namespace: e.namespace.name, service: e.service.name });
      if (!(key in release.images)) add(`${where}.images`, `no image for service "${key}" (${e.path})`);
    }
  }
  for (const env of platform.environments) {
    if (!seen.has(env.name) && entries.length > 0) add(`releases`, `no release file for environment ${env.name}`);
  }
}

function duplicates(values: readonly string[]): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const v of values) (seen.has(v) ? dup : seen).add(v);
  return [...dup];
}
