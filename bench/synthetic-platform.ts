/**
 * A synthetic platform of any size, with the example's kinds and shape: per product team a
 * frontend, a BFF and microservices (some with databases, secrets, AWS grants, dedicated nodes,
 * external hosts), calling "downstream" only so the call graph stays acyclic.
 */
import { examplePlatformInput, exampleTeams } from '../platform/example/platform';
import type { PlatformInput, ReleaseInput, ServiceInput, TeamInput } from '../platform/schema';

const SERVICES_PER_TEAM = 10;

function service(team: number, index: number, callees: string[]): { namespace: string; service: ServiceInput } {
  const name = `t${team}-svc${index}`;
  const base = {
    resources: { cpu: '100m', memory: '128Mi' },
    scaling: { minReplicas: 2, maxReplicas: 6 },
    config: { LOG_LEVEL: 'info' },
    dependencies: callees.map((service) => ({ service })),
  };
  if (index === 0) {
    return {
      namespace: `t${team}-frontend`,
      service: { ...base, name, kind: 'frontend', ports: [{ name: 'http', port: 8080, protocol: 'http' }], aws: ['cdn-invalidation'], exposure: { public: [{ host: 'web', pathPrefix: `/t${team}/` }] } },
    };
  }
  if (index === 1) {
    return {
      namespace: `t${team}-bff`,
      service: {
        ...base,
        name,
        kind: 'bff',
        ports: [
          { name: 'grpc-web', port: 8080, protocol: 'grpc' },
          { name: 'http-health', port: 8081, protocol: 'http' },
        ],
        health: { port: 'http-health' },
        exposure: { public: [{ host: 'api', pathPrefix: `/t${team}/` }] },
      },
    };
  }
  return {
    // Two services per namespace: namespaces may hold several.
    namespace: `t${team}-ms${Math.floor(index / 2)}`,
    service: {
      ...base,
      name,
      kind: 'microservice',
      ports: [
        { name: 'grpc', port: 50051, protocol: 'grpc', grpcServices: [`t${team}.svc${index}.v1.Svc${index}Service`] },
        { name: 'http-metrics', port: 9464, protocol: 'http' },
      ],
      metrics: { port: 'http-metrics' },
      health: { port: 'grpc' },
      database: index % 3 === 0 ? { migrationCommand: ['/app/migrate', 'up'] } : undefined,
      secrets: index % 2 === 0 ? [{ name: 'API_KEY', from: 'secrets-manager', key: 'api-key' }] : [],
      dedicatedNodes: index === 2,
      aws: index === 3 ? ['email-send'] : [],
      dependencies: [...base.dependencies.map((d) => d), ...(index === 4 ? [{ external: 'api.payments.example.net' }] : [])],
    },
  };
}

function platformInputIdentityKey(): string {
  return examplePlatformInput.identity.service;
}

/** A valid platform input with `count` services (rounded up to whole teams of ten). */
export function syntheticPlatformInput(count: number): PlatformInput {
  // The platform's own teams: sre and the identity provider every platform needs.
  const teams: TeamInput[] = exampleTeams.filter((t) => t.name === 'sre' || t.name === 'identity');
  const keys: string[] = [platformInputIdentityKey()];
  for (let team = 0; team * SERVICES_PER_TEAM < count; team++) {
    const namespaces = new Map<string, ServiceInput[]>();
    const teamKeys: string[] = [];
    for (let i = SERVICES_PER_TEAM - 1; i >= 0; i--) {
      // Call up to three services declared after this one (deeper in the graph): acyclic by construction.
      const callees = teamKeys.slice(-3);
      const { namespace, service: svc } = service(team, i, callees);
      namespaces.set(namespace, [...(namespaces.get(namespace) ?? []), svc]);
      teamKeys.push(`${namespace}/${svc.name}`);
    }
    keys.push(...teamKeys);
    teams.push({
      name: `team${team}`,
      owners: [`team${team}@shop.example.com`],
      repo: `https://github.com/example-shop/team${team}.git`,
      namespaces: [...namespaces].map(([name, services]) => ({ name, services })),
    });
  }
  const releases: ReleaseInput[] = (examplePlatformInput.environments ?? []).map((env) => ({
    environment: env.name,
    images: Object.fromEntries(keys.sort().map((k) => [k, env.requireImageDigest ? { digest: `sha256:${'0'.repeat(63)}1` } : { tag: '1.0.0' }])),
    tools: Object.fromEntries((['awsCli', 'dbBootstrap', 'ksops', 'pactCli', 'k6'] as const).map((tool) => [tool, { tag: '1.0.0', digest: `sha256:${tool.length.toString(16).padStart(2, '0')}${'0'.repeat(61)}1` }])),
  }));
  // The example's team viewers name example teams and its faults the example's services; the synthetic platform has neither.
  const environments = (examplePlatformInput.environments ?? []).map((env) => ({ ...env, clusterAccess: { admins: env.clusterAccess?.admins ?? [], teamViewers: {} }, faults: [] }));
  return { ...examplePlatformInput, environments, teams, releases };
}
