/**
 * Delivery gates (source 004 §23-§26) derived from the model: who takes part in contract tests,
 * where E2E tests point, which faults the mesh injects. Pure functions, read by charts and tests.
 */
import { parseServiceKey, publicHost, serviceKey, type ServiceRef } from './naming';
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
