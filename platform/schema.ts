/**
 * Shape of the model input, with every default resolved once here.
 *
 * `PlatformInput` is what a team writes (optional fields may be left out); parsing it yields a
 * `Platform` (types.ts). A compile-time check at the bottom keeps the two in step.
 */
import { z } from 'zod';
import { cpuMillicores } from './node-capacity';
import { DATABASE_ROTATION_DAYS_RANGE } from './database-rotation';
import type { Platform, Service, ServiceKind } from './types';

/** RFC 1123 label: lower-case alphanumerics and '-', 1-63 characters (Kubernetes namespaces, Services). */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** IANA service name, as Kubernetes requires for port names. */
const PORT_NAME = /^(?=.*[a-z])[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const ENV_VAR = /^[A-Z_][A-Z0-9_]*$/;
const CPU = /^([1-9][0-9]*m|[0-9]+(\.[0-9]+)?)$/;
const MEMORY = /^[1-9][0-9]*(Mi|Gi)$/;
const HOST = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+[a-z]{2,}$/;
const CIDR = /^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/;
/** An IAM role or user ARN (what an EKS access entry names). */
const IAM_PRINCIPAL_ARN = /^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/[\w+=,.@\/-]+$/;

const HTTP_PATH = /^\/[-A-Za-z0-9_./]*$/;

const dnsLabel = (what: string) =>
  z.string().max(63, `${what} must be at most 63 characters`).regex(DNS_LABEL, `${what} must be a DNS-1123 label (lower-case letters, digits, '-')`);

const port = z.number().int().min(1).max(65535);

const servicePort = z.strictObject({
  name: z.string().max(15, 'port name must be at most 15 characters').regex(PORT_NAME, 'port name must be an IANA service name'),
  port,
  protocol: z.enum(['http', 'grpc']),
  grpcServices: z.array(z.string().regex(/^[A-Za-z_]\w*(\.[A-Za-z_]\w*)+$/, 'gRPC service must be "package.Service"')).default([]),
});

const health = z.strictObject({
  port: z.string().optional(),
  startup: z.string().regex(HTTP_PATH).optional(),
  liveness: z.string().regex(HTTP_PATH).optional(),
  readiness: z.string().regex(HTTP_PATH).optional(),
});

const resources = z.strictObject({
  cpu: z.string().regex(CPU, 'cpu must be a positive quantity such as "250m" or "1"').refine((q) => cpuMillicores(q) >= 1, 'cpu must be at least "1m" (a container with no CPU cannot be scheduled with Guaranteed QoS)'),
  memory: z.string().regex(MEMORY, 'memory must be a positive quantity in Mi or Gi such as "256Mi"'),
});

/** Most replicas one service may ask for. */
export const MAX_REPLICAS = 1000;

const scaling = z.strictObject({
  minReplicas: z.number().int().min(2, 'minReplicas must be at least 2 so that one Pod survives a drain (PodDisruptionBudget)').max(MAX_REPLICAS, `minReplicas must be at most ${MAX_REPLICAS}`),
  maxReplicas: z.number().int().min(1, 'maxReplicas must be at least 1').max(MAX_REPLICAS, `maxReplicas must be at most ${MAX_REPLICAS} (more Pods of one service than any cluster here can schedule)`),
  targetCpuUtilization: z.number().int().min(10).max(100).default(70),
});

const secret = z.discriminatedUnion('from', [
  z.strictObject({ name: z.string().regex(ENV_VAR, 'secret name must be an environment variable name'), from: z.literal('secrets-manager'), key: z.string().min(1) }),
  z.strictObject({ name: z.string().regex(ENV_VAR, 'secret name must be an environment variable name'), from: z.literal('sops'), file: z.string().regex(/^[-\w./]+\.ya?ml$/, 'sops file must be a .yaml path') }),
]);

const database = z.strictObject({
  // Also the MySQL user name, which MySQL limits to 32 characters.
  schema: z.string().regex(/^[a-z][a-z0-9_]{0,31}$/, 'schema must be a MySQL identifier of at most 32 characters (lower-case, digits, _)').optional(),
  migrationCommand: z.array(z.string().min(1)).min(1).optional(),
  extraSchemas: z.array(z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'extra schema must be a MySQL identifier (lower-case, digits, _)')).default([]),
});

const dependency = z.union([
  z.strictObject({
    service: z.string().regex(/^[^/]+\/[^/]+$/, 'service dependency must be "<namespace>/<service>"'),
    call: z.enum(['unary', 'streaming', 'longPoll']).default('unary'),
    timeoutSeconds: z.number().int().min(1).max(3600).optional(),
    retryAttempts: z.number().int().min(0).max(10).optional(),
    perTryTimeoutSeconds: z.number().int().min(1).max(3600).optional(),
  }),
  z.strictObject({ external: z.string().regex(HOST, 'external dependency must be a host name'), port: port.default(443), protocol: z.enum(['https', 'tls']).default('https') }),
]);

const exposure = z.strictObject({
  public: z
    .array(z.strictObject({ host: z.enum(['web', 'api']), userAgent: z.string().min(1).optional(), pathPrefix: z.string().regex(HTTP_PATH).default('/') }))
    .default([]),
  internal: z.array(z.strictObject({ subdomain: dnsLabel('internal subdomain') })).default([]),
});

const seconds = (max: number) => z.number().int().min(1).max(max);
const traffic = z.strictObject({
  timeoutSeconds: seconds(300).default(5),
  retryAttempts: z.number().int().min(0).max(10).default(2),
  perTryTimeoutSeconds: seconds(300).default(2),
  // Only failures where the request was never processed: retrying a 5xx could repeat a POST (an order).
  retryOn: z.string().regex(/^[a-z0-9-]+(,[a-z0-9-]+)*$/).default('connect-failure,refused-stream,unavailable'),
  loadBalancer: z.enum(['ROUND_ROBIN', 'LEAST_REQUEST']).default('LEAST_REQUEST'),
  maxConnections: z.number().int().min(1).default(100),
  maxPendingRequests: z.number().int().min(1).default(100),
  consecutive5xxErrors: z.number().int().min(1).default(5),
  baseEjectionSeconds: seconds(3600).default(30),
  maxEjectionPercent: z.number().int().min(1).max(100).default(50),
});
const shutdown = z.strictObject({
  preStopSleepSeconds: z.number().int().min(0).max(120).default(10),
  terminationGracePeriodSeconds: seconds(600).default(45),
});

/** Health paths per kind when the service leaves them out (BFFs are Nginx: source 002 §6.1). */
export const DEFAULT_HEALTH_PATHS: Readonly<Record<ServiceKind, { startup: string; liveness: string; readiness: string }>> = {
  frontend: { startup: '/healthz', liveness: '/healthz', readiness: '/healthz' },
  bff: { startup: '/healthcheck', liveness: '/healthcheck', readiness: '/healthcheck' },
  microservice: { startup: '/healthz', liveness: '/healthz', readiness: '/readyz' },
  tool: { startup: '/healthz', liveness: '/healthz', readiness: '/healthz' },
};

export const serviceSchema = z.strictObject({
  name: dnsLabel('service name'),
  kind: z.enum(['frontend', 'bff', 'microservice', 'tool']),
  imageRepository: z.string().min(1).optional(),
  ports: z.array(servicePort).min(1, 'a service needs at least one port'),
  health: health.default({}),
  resources,
  scaling,
  config: z.record(z.string().regex(ENV_VAR, 'config key must be an environment variable name'), z.string()).default({}),
  secrets: z.array(secret).default([]),
  database: database.optional(),
  dependencies: z.array(dependency).default([]),
  exposure: exposure.default({ public: [], internal: [] }),
  dedicatedNodes: z.boolean().default(false),
  aws: z.array(z.enum(['cdn-invalidation', 'static-assets-write', 'email-send'])).default([]),
  endUserAuth: z.boolean().default(false),
  traffic: traffic.default(traffic.parse({})),
  shutdown: shutdown.default(shutdown.parse({})),
  runtime: z.enum(['workload', 'keycloak-operator', 'temporal-server', 'temporal-web']).default('workload'),
  peerPorts: z.array(port).default([]),
  serviceAccount: dnsLabel('service account').optional(),
  metrics: z.strictObject({ port: z.string(), path: z.string().regex(HTTP_PATH).default('/metrics') }).optional(),
  e2e: z.strictObject({ imageRepository: z.string().min(1), command: z.array(z.string().min(1)).min(1, 'e2e.command needs at least one element') }).optional(),
}).transform((s): Service => {
  const paths = DEFAULT_HEALTH_PATHS[s.kind];
  return {
    ...s,
    health: {
      port: s.health.port ?? s.ports[0].name,
      startup: s.health.startup ?? paths.startup,
      liveness: s.health.liveness ?? paths.liveness,
      readiness: s.health.readiness ?? paths.readiness,
    },
    database: s.database && { schema: s.database.schema ?? s.name.replace(/-/g, '_').slice(0, 32), migrationCommand: s.database.migrationCommand, extraSchemas: s.database.extraSchemas },
  };
});

const namespace = z.strictObject({
  name: dnsLabel('namespace name'),
  mesh: z.boolean().default(true),
  podSecurity: z.enum(['restricted', 'baseline', 'privileged']).default('restricted'),
  services: z.array(serviceSchema).default([]),
});

const team = z.strictObject({
  name: dnsLabel('team name'),
  owners: z.array(z.string().min(1)).min(1, 'a team needs at least one owner'),
  repo: z.string().regex(/^(https:\/\/|git@)\S+$/, 'repo must be a git URL'),
  namespaces: z.array(namespace).min(1, 'a team owns at least one namespace'),
});

const syncWindow = z.strictObject({
  kind: z.enum(['allow', 'deny']),
  schedule: z.string().regex(/^\S+( \S+){4}$/, 'schedule must be a cron expression of five fields'),
  duration: z.string().regex(/^[1-9][0-9]*[mh]$/, 'duration must be minutes or hours such as "6h"'),
  timeZone: z.string().regex(/^[A-Za-z_]+(\/[A-Za-z_]+)*$/, 'timeZone must be an IANA time zone such as "Asia/Tokyo"').default('UTC'),
  manualSync: z.boolean().default(false),
});

const percent = z.number().min(0, 'percent must be 0-100').max(100, 'percent must be 0-100');
const fault = z
  .strictObject({
    from: z.string().regex(/^[^/]+\/[^/]+$/, 'fault from must be "<namespace>/<service>"'),
    to: z.string().regex(/^[^/]+\/[^/]+$/, 'fault to must be "<namespace>/<service>"'),
    delay: z.strictObject({ percent, fixedDelaySeconds: z.number().int().min(1).max(300) }).optional(),
    abort: z.strictObject({ percent, httpStatus: z.number().int().min(400, 'abort httpStatus must be 400-599').max(599, 'abort httpStatus must be 400-599') }).optional(),
  })
  .refine((f) => f.delay !== undefined || f.abort !== undefined, 'a fault needs a delay, an abort or both');

const environment = z.strictObject({
  name: dnsLabel('environment name'),
  account: z.string().regex(/^\d{12}$/, 'account must be a 12-digit AWS account id'),
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'region must be an AWS region such as ap-northeast-1'),
  availabilityZones: z.array(z.string()).length(3, 'exactly three availability zones'),
  vpcCidr: z.string().regex(CIDR, 'vpcCidr must be an IPv4 CIDR'),
  kubernetesVersion: z.string().regex(/^1\.\d+$/),
  domains: z.strictObject({ web: z.string().regex(HOST), api: z.string().regex(HOST), internal: z.string().regex(HOST) }),
  apiAccessCidrs: z.array(z.string().regex(CIDR)).default([]),
  sizing: z.strictObject({
    replicaFloor: z.number().int().min(1),
    natGateways: z.number().int().min(1).max(3),
    systemNodeInstanceTypes: z.array(z.string()).min(1),
    systemNodes: z.strictObject({ min: z.number().int().min(1), desired: z.number().int().min(1), max: z.number().int().min(1) }),
    workloadInstanceCategories: z.array(z.string().regex(/^[a-z]+$/)).min(1),
    spotWorkloads: z.boolean().default(false),
    auroraInstanceClass: z.string().regex(/^db\./),
    auroraInstances: z.number().int().min(1).max(15),
  }),
  requireImageDigest: z.boolean(),
  deletionProtection: z.boolean(),
  targetRevision: z.string().min(1).default('main'),
  logRetentionDays: z.union([z.literal(1), z.literal(3), z.literal(5), z.literal(7), z.literal(14), z.literal(30), z.literal(60), z.literal(90), z.literal(120), z.literal(150), z.literal(180), z.literal(365), z.literal(400), z.literal(545), z.literal(731), z.literal(1827), z.literal(3653)]).default(90),
  backupRetentionDays: z.number().int().min(1).max(35).default(7),
  databaseCredentialRotationDays: z.number().int().min(DATABASE_ROTATION_DAYS_RANGE.min).max(DATABASE_ROTATION_DAYS_RANGE.max).optional(),
  internalAllowCidrs: z.array(z.string().regex(CIDR)).default([]),
  clusterAccess: z
    .strictObject({
      admins: z.array(z.string().regex(IAM_PRINCIPAL_ARN, 'must be an IAM role or user ARN')).default([]),
      teamViewers: z.record(z.string(), z.array(z.string().regex(IAM_PRINCIPAL_ARN, 'must be an IAM role or user ARN'))).default({}),
    })
    .default({ admins: [], teamViewers: {} }),
  incidentEndpoint: z.string().regex(/^https:\/\/\S+$/, 'incidentEndpoint must be an https URL'),
  sync: z.strictObject({ automated: z.boolean().default(true), windows: z.array(syncWindow).default([]) }).default({ automated: true, windows: [] }),
  gates: z.strictObject({ contract: z.boolean().default(false), e2e: z.boolean().default(false), load: z.boolean().default(false) }).default({ contract: false, e2e: false, load: false }),
  faults: z.array(fault).default([]),
  allowFaultsInProduction: z.boolean().default(false),
});

const release = z.strictObject({
  source: z.string().optional(),
  environment: z.string(),
  images: z.record(
    z.string(),
    z
      .strictObject({ tag: z.string().regex(/^[\w][\w.-]{0,127}$/, 'tag must be a valid image tag').optional(), digest: z.string().regex(/^sha256:[a-f0-9]{64}$/, 'digest must be sha256:<64 hex>').optional(),
        promotedFrom: z.strictObject({ environment: z.string().min(1), commit: z.string().regex(/^[0-9a-f]{40}$/, 'commit must be a full 40-hex commit hash') }).optional(),
      })
      .refine((i) => (i.tag === undefined) !== (i.digest === undefined), 'give exactly one of tag or digest'),
  ),
  tools: z.record(
    z.string(),
    z.strictObject({ tag: z.string().regex(/^[\w][\w.-]{0,127}$/, 'tag must be a valid image tag'), digest: z.string().regex(/^sha256:[a-f0-9]{64}$/, 'digest must be sha256:<64 hex>') }),
  ),
});

const nodePort = z.number().int().min(30000, 'NodePorts are 30000-32767').max(32767, 'NodePorts are 30000-32767');

const toolImage = z.strictObject({ repository: z.string().min(1) });

export const platformSchema = z.strictObject({
  name: dnsLabel('platform name').max(8, 'platform name must be at most 8 characters (it prefixes AWS names)'),
  repo: z.string().regex(/^(https:\/\/|git@)\S+$/),
  argocdNamespace: dnsLabel('argocd namespace').default('argocd'),
  terraformStateBucketPrefix: z.string().regex(/^[a-z0-9][a-z0-9-]{2,40}$/),
  nodePorts: z.strictObject({ istioIngressHttp: nodePort, istioIngressStatus: nodePort, ingressNginxHttp: nodePort }),
  toolImages: z.strictObject({ awsCli: toolImage, dbBootstrap: toolImage, ksops: toolImage, pactCli: toolImage, k6: toolImage }),
  contractBroker: z
    .strictObject({
      environment: z.string().min(1),
      subdomain: dnsLabel('contract broker subdomain').default('pact-broker'),
      // Written as an AWS tag value: at most 256 characters of letters, digits, spaces and _.:/=+-@.
      databaseRotationExemption: z
        .string()
        .regex(/^[\p{L}\p{N} _.:/=+\-@]{10,256}$/u, 'a reason of 10-256 characters: letters, digits, spaces and _.:/=+-@ (it becomes an AWS tag value)')
        .optional(),
    })
    .optional(),
  identity: z.strictObject({
    service: z.string().regex(/^[^/]+\/[^/]+$/, 'identity.service must be "<namespace>/<service>"'),
    realm: dnsLabel('realm'),
    staffRealm: dnsLabel('staff realm').default('staff'),
    staffGroups: z.array(dnsLabel('staff group')).min(1).default(['sre', 'swe']),
    temporalOperators: dnsLabel('Temporal operator group').default('sre'),
  }),
  environments: z.array(environment).min(1),
  teams: z.array(team).min(1),
  releases: z.array(release).default([]),
});

export type PlatformInput = z.input<typeof platformSchema>;
export type ServiceInput = z.input<typeof serviceSchema>;
export type ReleaseInput = z.input<typeof release>;
export type EnvironmentInput = z.input<typeof environment>;
export type TeamInput = z.input<typeof team>;

/** Compile-time guarantee that parsing yields the documented model (fails `tsc` if they drift). */
type Parsed = z.output<typeof platformSchema>;
type AssertAssignable<T extends U, U> = T;
export type _ParsedIsPlatform = AssertAssignable<Parsed, Platform>;
