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
 * Services that are a consumer or a provider of another platform service (a declared service
 * dependency, either end), as "<namespace>/<service>" keys. One pass over the dependency graph.
 */
export function contractParticipants(platform: Pick<Platform, 'teams'>): ReadonlySet<string> {
  const out = new Set<string>();
  for (const t of platform.teams) {
    for (const ns of t.namespaces) {
      for (const s of ns.services) {
        for (const d of s.dependencies) {
          if (!('service' in d)) continue;
          out.add(serviceKey({ namespace: ns.name, service: s.name }));
          out.add(d.service);
        }
      }
    }
  }
  return out;
}

/** Namespaces that run a contract gate in an environment (the ones whose ExternalSecrets need the store). */
export function contractGateNamespaces(platform: Pick<Platform, 'teams'>, env: Pick<Environment, 'gates'>): string[] {
  if (!env.gates.contract) return [];
  return [...new Set([...contractParticipants(platform)].map((k) => parseServiceKey(k).namespace))].sort();
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

/** Faults of an environment on calls into one service, in model order. */
export function faultsInto(env: Pick<Environment, 'faults'>, ref: ServiceRef): FaultInjection[] {
  const key = serviceKey(ref);
  return env.faults.filter((f) => f.to === key);
}
