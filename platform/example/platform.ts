/**
 * The shipped example platform: the EC site of the source documents (002, 003, 004).
 *
 * Clients pc (PC browser SPA), sp (smartphone SPA) and partner (external API) each get a BFF;
 * bounded-context microservices talk gRPC; Keycloak authenticates (OIDC authorization code flow);
 * Temporal runs the orchestration saga with its own saga-log database; team sre owns Istio and the
 * SRE tools outside the mesh (`*-infra`). Release files (image per service per environment) live in
 * `releases/` beside this file and are what CI edits.
 */
import { serviceHost } from '../naming';
import type { EnvironmentInput, PlatformInput, ServiceInput, TeamInput } from '../schema';

const TEMPORAL_ADDRESS = `${serviceHost({ namespace: 'saga-service', service: 'temporal' })}:7233`;

const REGION = 'ap-northeast-1';
const AZS = ['ap-northeast-1a', 'ap-northeast-1c', 'ap-northeast-1d'];

export const exampleEnvironments: EnvironmentInput[] = [
  {
    name: 'dev',
    account: '111111111111',
    region: REGION,
    availabilityZones: AZS,
    vpcCidr: '10.10.0.0/16',
    kubernetesVersion: '1.33',
    domains: { web: 'dev.shop.example.com', api: 'api.dev.shop.example.com', internal: 'dev.internal.shop.example.com' },
    apiAccessCidrs: ['203.0.113.0/24'],
    sizing: {
      replicaFloor: 1,
      natGateways: 1,
      systemNodeInstanceTypes: ['m7i.large'],
      systemNodes: { min: 2, desired: 2, max: 4 },
      workloadInstanceCategories: ['c', 'm'],
      spotWorkloads: true,
      auroraInstanceClass: 'db.t4g.medium',
      auroraInstances: 1,
    },
    requireImageDigest: false,
    deletionProtection: false,
    logRetentionDays: 30,
    backupRetentionDays: 1,
    internalAllowCidrs: ['203.0.113.0/24'],
    incidentEndpoint: 'https://incidents.example.com/hooks/aws-dev',
    // Resilience experiments in dev (source 002 表5): the mesh slows and fails some calls on purpose.
    faults: [
      { from: 'pc-bff/pc-bff', to: 'order-service/order-service', delay: { percent: 10, fixedDelaySeconds: 2 } },
      { from: 'saga-service/saga-orchestrator', to: 'payment-service/payment-service', abort: { percent: 5, httpStatus: 503 } },
    ],
  },
  {
    name: 'stg',
    account: '222222222222',
    region: REGION,
    availabilityZones: AZS,
    vpcCidr: '10.20.0.0/16',
    kubernetesVersion: '1.33',
    domains: { web: 'stg.shop.example.com', api: 'api.stg.shop.example.com', internal: 'stg.internal.shop.example.com' },
    apiAccessCidrs: ['203.0.113.0/24'],
    sizing: {
      replicaFloor: 2,
      natGateways: 3,
      systemNodeInstanceTypes: ['m7i.large'],
      systemNodes: { min: 3, desired: 3, max: 6 },
      workloadInstanceCategories: ['c', 'm', 'r'],
      auroraInstanceClass: 'db.r7g.large',
      auroraInstances: 2,
    },
    requireImageDigest: false,
    deletionProtection: true,
    logRetentionDays: 90,
    backupRetentionDays: 7,
    internalAllowCidrs: ['203.0.113.0/24'],
    incidentEndpoint: 'https://incidents.example.com/hooks/aws-stg',
    // Staging is where contracts, E2E and load tests stop a bad version before production.
    gates: { contract: true, e2e: true, load: true },
  },
  {
    name: 'prd',
    account: '333333333333',
    region: REGION,
    availabilityZones: AZS,
    vpcCidr: '10.30.0.0/16',
    kubernetesVersion: '1.33',
    domains: { web: 'shop.example.com', api: 'api.shop.example.com', internal: 'internal.shop.example.com' },
    apiAccessCidrs: [],
    sizing: {
      replicaFloor: 3,
      natGateways: 3,
      systemNodeInstanceTypes: ['m7i.xlarge'],
      systemNodes: { min: 3, desired: 3, max: 9 },
      workloadInstanceCategories: ['c', 'm', 'r'],
      auroraInstanceClass: 'db.r7g.xlarge',
      auroraInstances: 3,
    },
    requireImageDigest: true,
    deletionProtection: true,
    logRetentionDays: 365,
    backupRetentionDays: 30,
    internalAllowCidrs: ['203.0.113.0/24', '198.51.100.0/24'],
    incidentEndpoint: 'https://incidents.example.com/hooks/aws-prd',
    gates: { contract: true },
    // Production changes wait for a person to sync them (the approval of source 004 §23), and only
    // inside staffed weekday hours (a project admin can open a window for an incident fix).
    sync: { automated: false, windows: [{ kind: 'allow', schedule: '0 10 * * 1-4', duration: '6h', timeZone: 'Asia/Tokyo', manualSync: false }] },
  },
];

const SMARTPHONE_UA = '.*(iPhone|iPad|Android|Mobile).*';

const frontend = (name: string, userAgent?: string): ServiceInput => ({
  name,
  kind: 'frontend',
  ports: [{ name: 'http', port: 8080, protocol: 'http' }],
  resources: { cpu: '100m', memory: '128Mi' },
  scaling: { minReplicas: 2, maxReplicas: 6 },
  config: { PUBLIC_PATH: '/' },
  exposure: { public: [{ host: 'web', userAgent }] },
  aws: ['cdn-invalidation'],
  e2e: { imageRepository: `111111111111.dkr.ecr.ap-northeast-1.amazonaws.com/ec-e2e/${name}`, command: ['npx', 'playwright', 'test'] },
});

const bff = (name: string, route: { host: 'web' | 'api'; userAgent?: string; pathPrefix?: string }, upstreams: string[]): ServiceInput => ({
  name,
  kind: 'bff',
  ports: [{ name: 'http', port: 8080, protocol: 'http' }],
  resources: { cpu: '200m', memory: '128Mi' },
  scaling: { minReplicas: 2, maxReplicas: 10 },
  config: { NGINX_WORKER_PROCESSES: '2' },
  dependencies: upstreams.map((service) => ({ service })),
  exposure: { public: [route] },
  // Browsers and partners call the BFFs with a Keycloak access token (source 002 §7.6).
  endUserAuth: true,
  e2e: { imageRepository: `111111111111.dkr.ecr.ap-northeast-1.amazonaws.com/ec-e2e/${name}`, command: ['npx', 'playwright', 'test', '--project', 'api'] },
});

const microservice = (name: string, extra: Partial<ServiceInput> = {}): ServiceInput => ({
  name,
  kind: 'microservice',
  ports: [
    { name: 'grpc', port: 50051, protocol: 'grpc' },
    { name: 'http-metrics', port: 9464, protocol: 'http' },
  ],
  health: { port: 'grpc' },
  resources: { cpu: '250m', memory: '256Mi' },
  scaling: { minReplicas: 2, maxReplicas: 8 },
  config: { LOG_LEVEL: 'info', GRPC_PORT: '50051' },
  database: { migrationCommand: ['/app/migrate', 'up'] },
  secrets: [{ name: 'APP_SIGNING_KEY', from: 'secrets-manager', key: 'signing-key' }],
  ...extra,
});

const team = (name: string, namespaces: TeamInput['namespaces'], owners = [`${name}-leads@shop.example.com`]): TeamInput => ({
  name,
  owners,
  repo: `https://github.com/example-shop/${name}.git`,
  namespaces,
});

export const exampleTeams: TeamInput[] = [
  team(
    'sre',
    [
      // istio-cni runs a privileged node agent here, so meshed Pods need no NET_ADMIN (restricted).
      { name: 'istio-system', mesh: false, podSecurity: 'privileged' },
      { name: 'istio-ingress' },
      { name: 'istio-egress' },
      { name: 'karpenter-infra', mesh: false },
      { name: 'secrets-infra', mesh: false },
      { name: 'database-infra', mesh: false },
      { name: 'monitoring-infra', mesh: false, podSecurity: 'privileged' }, // node-exporter: host network and PID
      { name: 'logging-infra', mesh: false, podSecurity: 'privileged' }, // Fluent Bit: hostPath /var/log
      { name: 'tracing-infra', mesh: false },
      { name: 'ingress-infra', mesh: false },
    ],
    ['sre@shop.example.com'],
  ),
  team('pc', [
    { name: 'pc-frontend', services: [frontend('pc-frontend')] },
    { name: 'pc-bff', services: [bff('pc-bff', { host: 'web', pathPrefix: '/api/' }, ['order-service/order-service', 'account-service/account-service', 'shipping-service/shipping-service', 'saga-service/saga-orchestrator'])] },
  ]),
  team('sp', [
    { name: 'sp-frontend', services: [frontend('sp-frontend', SMARTPHONE_UA)] },
    { name: 'sp-bff', services: [bff('sp-bff', { host: 'web', pathPrefix: '/api/', userAgent: SMARTPHONE_UA }, ['order-service/order-service', 'account-service/account-service', 'saga-service/saga-orchestrator'])] },
  ]),
  team('partner', [
    { name: 'partner-bff', services: [bff('partner-bff', { host: 'api' }, ['order-service/order-service', 'shipping-service/shipping-service', 'saga-service/saga-orchestrator'])] },
  ]),
  team('order', [{ name: 'order-service', services: [microservice('order-service', { dedicatedNodes: true })] }]),
  team('payment', [
    {
      name: 'payment-service',
      services: [
        microservice('payment-service', {
          dedicatedNodes: true,
          dependencies: [{ external: 'api.payment-provider.example.net' }],
          secrets: [
            { name: 'PROVIDER_API_KEY', from: 'secrets-manager', key: 'provider-api-key' },
            // Owned by the payment team, encrypted with each environment's SOPS key in their repo.
            { name: 'WEBHOOK_SIGNING_SECRET', from: 'sops', file: 'payment-service/webhook.sops.yaml' },
          ],
        }),
      ],
    },
  ]),
  team('shipping', [{ name: 'shipping-service', services: [microservice('shipping-service')] }]),
  team('account', [
    {
      name: 'account-service',
      services: [microservice('account-service', { dependencies: [{ service: 'auth-service/keycloak' }], aws: ['email-send'] })],
    },
  ]),
  team('identity', [
    {
      name: 'auth-service',
      services: [
        {
          name: 'keycloak',
          kind: 'tool',
          imageRepository: 'quay.io/keycloak/keycloak',
          ports: [
            { name: 'http', port: 8080, protocol: 'http' },
            { name: 'http-mgmt', port: 9000, protocol: 'http' },
          ],
          health: { port: 'http-mgmt', startup: '/health/started', liveness: '/health/live', readiness: '/health/ready' },
          resources: { cpu: '500m', memory: '1Gi' },
          scaling: { minReplicas: 2, maxReplicas: 4 },
          // Served under /auth on the web host: the OIDC issuer is https://<web>/auth/realms/<realm>.
          config: { KC_HEALTH_ENABLED: 'true', KC_METRICS_ENABLED: 'true', KC_HTTP_ENABLED: 'true', KC_PROXY_HEADERS: 'xforwarded', KC_DB: 'mysql', KC_HTTP_RELATIVE_PATH: '/auth' },
          secrets: [{ name: 'KC_BOOTSTRAP_ADMIN_PASSWORD', from: 'secrets-manager', key: 'admin-password' }],
          database: { schema: 'keycloak' },
          dependencies: [{ external: 'login.idp-partner.example.org' }],
          exposure: { public: [{ host: 'web', pathPrefix: '/auth/' }], internal: [{ subdomain: 'keycloak' }] },
        },
      ],
    },
  ]),
  team('saga', [
    {
      name: 'saga-service',
      services: [
        {
          name: 'temporal',
          kind: 'tool',
          imageRepository: 'temporalio/server',
          ports: [
            { name: 'grpc', port: 7233, protocol: 'grpc' },
            { name: 'http-metrics', port: 9090, protocol: 'http' },
          ],
          health: { port: 'grpc' },
          resources: { cpu: '500m', memory: '512Mi' },
          scaling: { minReplicas: 2, maxReplicas: 4 },
          config: { DB: 'mysql8', DEFAULT_NAMESPACE: 'orders' },
          database: { schema: 'temporal_saga_log', migrationCommand: ['temporal-sql-tool', 'update-schema', '--schema-dir', '/etc/temporal/schema/mysql/v8/temporal/versioned'] },
        },
        {
          name: 'temporal-ui',
          kind: 'tool',
          imageRepository: 'temporalio/ui',
          ports: [{ name: 'http', port: 8080, protocol: 'http' }],
          resources: { cpu: '100m', memory: '128Mi' },
          scaling: { minReplicas: 2, maxReplicas: 3 },
          config: { TEMPORAL_ADDRESS: TEMPORAL_ADDRESS },
          dependencies: [{ service: 'saga-service/temporal' }],
          exposure: { internal: [{ subdomain: 'temporal' }] },
        },
        microservice('saga-orchestrator', {
          database: undefined,
          secrets: [],
          config: { LOG_LEVEL: 'info', GRPC_PORT: '50051', TEMPORAL_ADDRESS: TEMPORAL_ADDRESS },
          dependencies: [
            { service: 'saga-service/temporal' },
            { service: 'order-service/order-service' },
            { service: 'payment-service/payment-service' },
            { service: 'shipping-service/shipping-service' },
          ],
        }),
      ],
    },
  ]),
];

/** The example model without its release files (see load.ts for the full, validated platform). */
export const examplePlatformInput: Omit<PlatformInput, 'releases'> = {
  name: 'ec',
  repo: 'https://github.com/example-shop/platform.git',
  argocdNamespace: 'argocd',
  terraformStateBucketPrefix: 'example-shop-tfstate',
  nodePorts: { istioIngressHttp: 30080, istioIngressStatus: 30082, ingressNginxHttp: 30081 },
  identity: { service: 'auth-service/keycloak', realm: 'shop' },
  // Versions (tag and digest) per environment are in the release files' `tools:`.
  toolImages: {
    awsCli: { repository: 'public.ecr.aws/aws-cli/aws-cli' },
    dbBootstrap: { repository: 'ghcr.io/example-shop/db-bootstrap' },
    ksops: { repository: 'docker.io/viaductoss/ksops' },
    pactCli: { repository: 'docker.io/pactfoundation/pact-cli' },
  },
  // One broker for every environment: it records which version runs where (source 004 §24).
  contractBroker: { url: 'https://pact-broker.internal.shop.example.com' },
  environments: exampleEnvironments,
  teams: exampleTeams,
};
