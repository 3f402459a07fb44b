/**
 * Validation of the whole model: the schema (shape, formats, defaults) and then every rule that
 * spans more than one field. All problems are collected and reported together, each naming the
 * team/namespace/service/field (or release file) it is about.
 */
import type { z } from 'zod';
import { largestNode, MAX_CONFIGMAP_BYTES, memoryMib, cpuMillicores } from './node-capacity';
import { secretsReaderRoleName, secretsReaders } from './aws-names';
import { karpenterNodeRoleName, PLATFORM_IDENTITIES, PLATFORM_PROJECT, platformRoleName, type PlatformIdentity, serviceKey, serviceRoleName, SRE_SECRETS, SRE_TEAM } from './naming';
import { platformSchema } from './schema';
import type { Environment, Platform, Problem, Service, Team, ToolName } from './types';
import { isPlausibleDigest } from './images';
import { CONTRACT_BROKER_NAMESPACE, isProduction, LOAD_TEST_NAMESPACE } from './gates';

/** Thrown when the model is invalid; `problems` lists every one of them. */
export class ModelError extends Error {
  constructor(public readonly problems: readonly Problem[]) {
    super(`The platform model is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  - ${p.path}: ${p.message}`).join('\n')}`);
    this.name = 'ModelError';
  }
}

/** Kubernetes and Argo CD namespaces no team may claim (and every `kube-*` namespace). */
const RESERVED_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];
/**
 * Team names that collide with Argo CD or platform objects: a team's AppProject is named after it,
 * next to Argo CD's built-in "default" project, the root's "platform" project and the add-ons'
 * "sre-addons" project (apps-of-apps/app-of-apps.ts ADDONS_PROJECT; a test keeps them in step);
 * "argocd"/`kube-*` are the namespaces of Argo CD and Kubernetes itself.
 */
export const RESERVED_TEAM_NAMES: readonly string[] = [PLATFORM_PROJECT, 'default', 'argocd', 'sre-addons', 'kubernetes'];
/** Public config keys that look like credentials (they belong under `secrets`). */
const SECRET_LOOKING_KEY = /PASSWORD|PASSWD|TOKEN|SECRET|PRIVATE|CREDENTIAL|(^|_)KEY$/;
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
  if (issue.code === 'unrecognized_keys') return `unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  // A record key that fails its own check (e.g. a config key): say why, not just "Invalid key".
  if (issue.code === 'invalid_key' && issue.issues.length > 0) return issue.issues.map((i) => i.message).join('; ');
  return issue.message;
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
  for (const team of platform.teams) {
    if (RESERVED_TEAM_NAMES.includes(team.name) || team.name === platform.argocdNamespace || team.name.startsWith('kube-')) {
      add(`teams[${team.name}].name`, `team name "${team.name}" is reserved: its AppProject would collide with Argo CD's or the platform's own (reserved: ${[...RESERVED_TEAM_NAMES, platform.argocdNamespace].filter((n, i, a) => a.indexOf(n) === i).join(', ')}, kube-*)`);
    }
  }
  if (!platform.teams.some((t) => t.name === SRE_TEAM)) add('teams', `a team named "${SRE_TEAM}" must own the cross-cutting namespaces and cluster-scoped objects`);
  const owners = new Map<string, string[]>();
  for (const team of platform.teams) {
    for (const ns of team.namespaces) owners.set(ns.name, [...(owners.get(ns.name) ?? []), team.name]);
  }
  for (const [ns, teams] of owners) {
    if (teams.length > 1) add(`teams[${teams.join(',')}].namespaces[${ns}]`, `namespace "${ns}" is claimed by more than one team (${teams.join(', ')})`);
    if (RESERVED_NAMESPACES.includes(ns) || ns === platform.argocdNamespace || ns.startsWith('kube-')) {
      add(`teams[${teams[0]}].namespaces[${ns}]`, `namespace "${ns}" is reserved (Kubernetes' default and kube-* namespaces, Argo CD's "${platform.argocdNamespace}")`);
    }
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
    if (id === 'argocdRepoServer') {
      if (namespace !== platform.argocdNamespace) add('argocdNamespace', `must be "${namespace}", where Argo CD's repo-server identity lives (PLATFORM_IDENTITIES.argocdRepoServer)`);
    } else if (sre && !sre.namespaces.some((n) => n.name === namespace)) add(`teams[${SRE_TEAM}].namespaces`, `the sre team must own namespace "${namespace}" (runs ${id})`);
  }

  const entries = listServices(platform);
  const identity = entries.find((e) => serviceKey({ namespace: e.namespace.name, service: e.service.name }) === platform.identity.service);
  if (!identity) add('identity.service', `unknown service "${platform.identity.service}"`);
  else if (!identity.service.exposure.public.length) add('identity.service', `"${platform.identity.service}" must be exposed publicly so browsers can log in`);
  if (!platform.identity.staffGroups.includes(platform.identity.temporalOperators)) {
    add('identity.temporalOperators', `"${platform.identity.temporalOperators}" is not one of identity.staffGroups (${platform.identity.staffGroups.join(', ')}): the staff realm creates only those groups`);
  }
  const byKey = new Map(entries.map((e) => [serviceKey({ namespace: e.namespace.name, service: e.service.name }), e]));
  for (const team of platform.teams) {
    for (const ns of team.namespaces) {
      duplicates(ns.services.map((s) => s.name)).forEach((name) =>
        add(`teams[${team.name}].namespaces[${ns.name}].services[${name}]`, `service "${name}" is defined more than once in namespace ${ns.name}`),
      );
    }
  }

  for (const entry of entries) validateService(platform, entry, byKey, add);
  validateDerivedNames(platform, entries, add);
  validateRuntimes(platform, entries, add);
  validateCycles(entries, byKey, add);
  validateExposure(entries, add, platform.contractBroker?.subdomain);
  validateReleases(platform, entries, add);
  validateGates(platform, entries, byKey, add);
  return problems;
}

/**
 * Tools handed to a maintained installer (`runtime`): what each installer can run. Keycloak's
 * operator serves the platform IdP and needs its schema; Temporal's chart needs a persistence and a
 * visibility schema, at most one server per namespace, and runs its UI as the server's account.
 * Every schema (extra ones included) belongs to one service only.
 */
function validateRuntimes(platform: Platform, entries: readonly ServiceEntry[], add: (path: string, message: string) => void): void {
  const schemas = new Map<string, string[]>();
  for (const { service: s, path, namespace } of entries) {
    for (const schema of s.database ? [s.database.schema, ...s.database.extraSchemas] : []) schemas.set(schema, [...(schemas.get(schema) ?? []), path]);
    s.peerPorts.forEach((port, i) => {
      if (port >= ISTIO_RESERVED_PORTS.from && port <= ISTIO_RESERVED_PORTS.to) add(`${path}.peerPorts[${i}]`, `port ${port} clashes with the Istio sidecar's reserved range ${ISTIO_RESERVED_PORTS.from}-${ISTIO_RESERVED_PORTS.to}`);
    });
    const key = serviceKey({ namespace: namespace.name, service: s.name });
    const servers = namespace.services.filter((x) => x.runtime === 'temporal-server');
    switch (s.runtime) {
      case 'keycloak-operator':
        if (key !== platform.identity.service) add(`${path}.runtime`, `the Keycloak Operator runs the platform IdP only (identity.service is "${platform.identity.service}")`);
        if (!s.database) add(`${path}.database`, 'Keycloak needs a database schema');
        break;
      case 'temporal-server':
        if (!s.database || s.database.extraSchemas.length !== 1) add(`${path}.database`, 'Temporal needs a persistence schema and exactly one extraSchemas entry (its visibility store)');
        if (servers.length > 1) add(`${path}.runtime`, `namespace ${namespace.name} runs more than one Temporal server (one chart release per namespace)`);
        break;
      case 'temporal-web':
        if (!servers.some((x) => x.name === s.serviceAccount)) {
          add(`${path}.serviceAccount`, `the Temporal chart runs its UI as the server's account: set it to the temporal-server service of namespace ${namespace.name} (${servers.map((x) => x.name).join(', ') || 'none'})`);
        }
        break;
      default:
        break;
    }
  }
  for (const [schema, paths] of schemas) if (paths.length > 1) add(paths.join(', '), `database schema "${schema}" is owned by more than one service`);
}

/**
 * Delivery gates and fault injection (platform/gates.ts): E2E tests only on frontends and BFFs with
 * public routes, a broker where the contract gate is on, load tests and faults never in production
 * (faults only with the named choice), faults only on declared dependency edges.
 */
function validateGates(platform: Platform, entries: ServiceEntry[], byKey: Map<string, ServiceEntry>, add: (path: string, message: string) => void): void {
  for (const e of entries) {
    if (!e.service.e2e) continue;
    if (e.service.kind !== 'frontend' && e.service.kind !== 'bff') add(`${e.path}.e2e`, `E2E tests run against the public hosts, so only a frontend or a BFF declares them, not a ${e.service.kind}`);
    else if (e.service.exposure.public.length === 0) add(`${e.path}.e2e`, `E2E tests target the service's public routes, and ${e.service.name} has none (exposure.public)`);
  }
  const broker = platform.contractBroker;
  if (broker) {
    const host = platform.environments.find((e) => e.name === broker.environment);
    if (!host) add('contractBroker.environment', `unknown environment "${broker.environment}" (environments: ${platform.environments.map((e) => e.name).join(', ')})`);
    else if (!host.gates.contract) add('contractBroker.environment', `the broker runs in ${host.name}, whose gates.contract is off: run it where the gate is on`);
    if (!broker.databaseRotationExemption) {
      add('contractBroker.databaseRotationExemption', "the broker's PostgreSQL password cannot rotate like the MySQL ones (no dual passwords; the chart fixes the user name): name the reason this is accepted");
    }
    const sre = platform.teams.find((t) => t.name === SRE_TEAM);
    if (sre && !sre.namespaces.some((n) => n.name === CONTRACT_BROKER_NAMESPACE)) add(`teams[${SRE_TEAM}].namespaces`, `the sre team must own namespace "${CONTRACT_BROKER_NAMESPACE}" (runs the contract broker)`);
  }
  const loaded = platform.environments.filter((e) => e.gates.load).map((e) => e.name);
  const sreTeam = platform.teams.find((t) => t.name === SRE_TEAM);
  if (loaded.length > 0 && sreTeam && !sreTeam.namespaces.some((n) => n.name === LOAD_TEST_NAMESPACE)) {
    add(`teams[${SRE_TEAM}].namespaces`, `the sre team must own namespace "${LOAD_TEST_NAMESPACE}" (runs the load test of ${loaded.join(', ')})`);
  }
  const releases = new Map(platform.releases.map((r) => [r.environment, r]));
  platform.environments.forEach((env) => {
    const where = `environments[${env.name}]`;
    const production = isProduction(platform, env);
    if (env.gates.contract && !platform.contractBroker) add(`${where}.gates.contract`, `the contract gate asks a broker: set contractBroker.environment (the environment whose cluster runs it)`);
    if (env.gates.load && production) add(`${where}.gates.load`, `load tests run in staging, never in the production environment ${env.name} (the last in promotion order)`);
    if (env.gates.e2e) {
      const release = releases.get(env.name);
      for (const e of entries) {
        if (!e.service.e2e || !release) continue;
        const key = serviceKey({ namespace: e.namespace.name, service: e.service.name });
        const image = release.images[key];
        if (image && image.tag === undefined) add(`${where}.gates.e2e`, `the E2E image of ${key} takes the service's release tag, but ${release.source ?? env.name} pins it by digest only`);
      }
    }
    if (env.faults.length > 0 && production && !env.allowFaultsInProduction) {
      add(`${where}.faults`, `${env.faults.length} fault(s) declared in the production environment ${env.name}: set allowFaultsInProduction: true to inject them there on purpose`);
    }
    env.faults.forEach((f, j) => {
      const at = `${where}.faults[${j}]`;
      const from = byKey.get(f.from);
      if (!from) add(`${at}.from`, `unknown service "${f.from}"`);
      else if (!from.service.dependencies.some((d) => 'service' in d && d.service === f.to)) add(`${at}.to`, `"${f.to}" is not a declared dependency of "${f.from}": faults apply to dependency edges only`);
      if (!byKey.has(f.to)) add(`${at}.to`, `unknown service "${f.to}"`);
    });
    const edges = env.faults.map((f) => `${f.from} -> ${f.to}`);
    duplicates(edges).forEach((edge) => add(`${where}.faults`, `more than one fault on the edge ${edge}`));
  });
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
  s.ports.forEach((p, i) => {
    if (p.grpcServices.length > 0 && p.protocol !== 'grpc') add(`${path}.ports[${i}].grpcServices`, `port "${p.name}" is ${p.protocol}; only gRPC ports serve gRPC services`);
  });
  if (s.metrics) {
    const mp = s.ports.find((p) => p.name === s.metrics?.port);
    if (!mp) add(`${path}.metrics.port`, `port "${s.metrics.port}" is not one of the service's ports`);
    else if (mp.protocol !== 'http') add(`${path}.metrics.port`, `port "${mp.name}" is ${mp.protocol}; Prometheus scrapes HTTP`);
  }
  s.peerPorts.forEach((pp, i) => {
    // A peer port may also be a serving port: Temporal's own services call its frontend (7233).
    if (pp >= ISTIO_RESERVED_PORTS.from && pp <= ISTIO_RESERVED_PORTS.to) add(`${path}.peerPorts[${i}]`, `peer port ${pp} clashes with the Istio sidecar's reserved range`);
  });
  duplicates(s.peerPorts.map(String)).forEach((pp) => add(`${path}.peerPorts`, `peer port ${pp} is declared more than once`));

  if (s.scaling.minReplicas > s.scaling.maxReplicas) {
    add(`${path}.scaling`, `minReplicas (${s.scaling.minReplicas}) is greater than maxReplicas (${s.scaling.maxReplicas})`);
  }
  for (const env of platform.environments) {
    if (s.scaling.maxReplicas < env.sizing.replicaFloor) {
      add(`${path}.scaling.maxReplicas`, `maxReplicas (${s.scaling.maxReplicas}) is below the ${env.name} replica floor (${env.sizing.replicaFloor})`);
    }
  }

  for (const env of platform.environments) {
    const node = largestNode(env.sizing.workloadInstanceCategories);
    if (!node) continue;
    const where = `the largest node Karpenter may launch in ${env.name} (${node.type}: ${node.vcpu} vCPU, ${node.memoryMib / 1024} GiB; categories ${env.sizing.workloadInstanceCategories.join(', ')})`;
    if (cpuMillicores(s.resources.cpu) > node.vcpu * 1000) add(`${path}.resources.cpu`, `cpu "${s.resources.cpu}" is more than ${where} holds`);
    if (memoryMib(s.resources.memory) > node.memoryMib) add(`${path}.resources.memory`, `memory "${s.resources.memory}" is more than ${where} holds`);
  }

  let configBytes = 0;
  for (const [key, value] of Object.entries(s.config)) {
    configBytes += Buffer.byteLength(key) + Buffer.byteLength(value);
    const match = SECRET_LOOKING_KEY.exec(key);
    if (match) add(`${path}.config.${key}`, `"${key}" looks like a credential (${match[0].replace(/^_/, '')}); public config becomes a ConfigMap anyone in the namespace can read: declare it under secrets`);
  }
  if (configBytes > MAX_CONFIGMAP_BYTES) {
    add(`${path}.config`, `the ConfigMap would hold ${configBytes} bytes of config; Kubernetes rejects a ConfigMap over 1 MiB (${MAX_CONFIGMAP_BYTES} bytes)`);
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
    else if (s.kind === 'bff') {
      const first = target.service.ports.find((p) => p.name !== 'http-metrics');
      if (first?.protocol === 'grpc' && first.grpcServices.length === 0) {
        add(`${path}.dependencies[${i}]`, `BFF upstream "${dep.service}" declares no grpcServices on its port "${first.name}": the BFF routes /<package.Service>/ and cannot reach it`);
      }
    }
    if (dep.perTryTimeoutSeconds !== undefined && dep.timeoutSeconds !== undefined && dep.perTryTimeoutSeconds > dep.timeoutSeconds) {
      add(`${path}.dependencies[${i}].perTryTimeoutSeconds`, `a try (${dep.perTryTimeoutSeconds}s) cannot outlast the edge timeout (${dep.timeoutSeconds}s)`);
    }
    if (dep.call === 'streaming' && dep.timeoutSeconds !== undefined) add(`${path}.dependencies[${i}].timeoutSeconds`, 'a streaming edge has no request timeout');
  });
  duplicates(s.dependencies.map((d) => ('service' in d ? d.service : d.external))).forEach((d) => add(`${path}.dependencies`, `"${d}" is declared more than once`));

  for (const env of platform.environments) {
    const role = serviceRoleName(platform, env, self);
    if (s.aws.length > 0 && role.length > MAX_IAM_ROLE_NAME) {
      add(`${path}.name`, `IAM role name "${role}" is ${role.length} characters; AWS allows ${MAX_IAM_ROLE_NAME} (shorten the namespace or service name)`);
    }
  }
}

/**
 * Names derived from a service must be unique: the AWS resources of a service are named after
 * "<namespace>-<service>" (IAM role, and the ids of its ECR repository and secrets in the Terraform
 * stacks), so "a-b"/"c" and "a"/"b-c" collide; each service owns its own database schema and user.
 * Each collision names both services.
 */
function validateDerivedNames(platform: Platform, entries: ServiceEntry[], add: (path: string, message: string) => void): void {
  const env = platform.environments[0];
  const platformRoles = new Map<string, string>();
  if (env) {
    for (const id of Object.keys(PLATFORM_IDENTITIES) as PlatformIdentity[]) platformRoles.set(platformRoleName(platform, env, id), id);
    platformRoles.set(karpenterNodeRoleName(platform, env), 'the Karpenter nodes');
  }
  const claims = new Map<string, ServiceEntry>();
  const claim = (kind: string, value: string, e: ServiceEntry, field: string, message: (first: ServiceEntry) => string) => {
    const key = `${kind}\u0000${value}`;
    const first = claims.get(key);
    if (first) add(`${e.path}.${field}`, message(first));
    else claims.set(key, e);
  };
  for (const e of entries) {
    const ref = { namespace: e.namespace.name, service: e.service.name };
    const id = `${ref.namespace}-${ref.service}`;
    if (env && e.service.aws.length > 0) {
      const role = serviceRoleName(platform, env, ref);
      const owner = platformRoles.get(role);
      if (owner) add(`${e.path}.name`, `its IAM role "${role}" is the name of the platform's own role for ${owner}; rename the service or namespace`);
    }
    claim('id', id, e, 'name', (first) => `its AWS resources (ECR repository, secrets, IAM role) are named after "${id}", as are those of ${first.path}; rename one of the two services or namespaces`);
    const schema = e.service.database?.schema;
    if (schema !== undefined) {
      const explicit = schema !== e.service.name.replace(/-/g, '_').slice(0, 32);
      claim('schema', schema, e, 'database.schema', (first) =>
        explicit
          ? `declares schema "${schema}", which is the schema of ${first.path}; each service owns its own schema and user`
          : `its schema and user "${schema}" (derived from the name) are also those of ${first.path}; give one of them its own database.schema`,
      );
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

function validateExposure(entries: ServiceEntry[], add: (path: string, message: string) => void, brokerSubdomain?: string): void {
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
  // The contract broker's Ingress takes its internal host (platform/gates.ts contractBrokerHost).
  const brokerSub = brokerSubdomain;
  if (brokerSub && internal.has(brokerSub)) add(`${internal.get(brokerSub)![0]}.exposure.internal`, `internal host "${brokerSub}" is the contract broker's (contractBroker.subdomain)`);
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
      if (image.digest !== undefined && !isPlausibleDigest(image.digest)) add(`${where}.images[${key}]`, `digest ${image.digest} is a placeholder (one byte repeated): pin the digest of the image you pushed`);
      if (image.promotedFrom && (!envs.has(image.promotedFrom.environment) || image.promotedFrom.environment === env.name)) {
        add(`${where}.images[${key}].promotedFrom`, `must name another environment (known: ${[...envs.keys()].join(', ')}), not "${image.promotedFrom.environment}"`);
      }
      if (image.tag?.toLowerCase() === 'latest') add(`${where}.images[${key}].tag`, `tag "${image.tag}" is mutable ("latest" in any case); release a version tag or a digest`);
      if (!keys.has(key)) add(`${where}.images[${key}]`, `unknown service "${key}"`);
      else if (env.requireImageDigest && image.digest === undefined) {
        add(`${where}.images[${key}]`, `${env.name} requires an image digest (sha256:...), not the mutable tag "${image.tag}"`);
      }
    }
    for (const e of entries) {
      const key = serviceKey({ namespace: e.namespace.name, service: e.service.name });
      if (!(key in release.images)) add(`${where}.images`, `no image for service "${key}" (${e.path})`);
    }
    const tools = release.tools ?? {};
    for (const tool of Object.keys(platform.toolImages)) if (!(tool in tools)) add(`${where}.tools`, `no version for tool image "${tool}" (${platform.toolImages[tool as ToolName].repository})`);
    for (const [tool, pinned] of Object.entries(tools)) {
      if (!(tool in platform.toolImages)) add(`${where}.tools[${tool}]`, `unknown tool image "${tool}" (known: ${Object.keys(platform.toolImages).join(', ')})`);
      if (!isPlausibleDigest(pinned.digest)) add(`${where}.tools[${tool}]`, `digest ${pinned.digest} is a placeholder (one byte repeated): pin the digest of the image you mirror`);
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
