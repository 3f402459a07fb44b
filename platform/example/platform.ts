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
    // Rotated weekly in dev, so the rotation runs often where it is cheap to notice (default 30).
    databaseCredentialRotationDays: 7,
    internalAllowCidrs: ['203.0.113.0/24'],
    // SSO roles (IAM Identity Center): SRE administers, each product team reads its namespaces.
    clusterAccess: { admins: ['arn:aws:iam::111111111111:role/sre-admin'], teamViewers: { order: ['arn:aws:iam::111111111111:role/order-developer'] } },
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
    // SSO roles (IAM Identity Center): SRE administers, each product team reads its namespaces.
    clusterAccess: { admins: ['arn:aws:iam::222222222222:role/sre-admin'], teamViewers: { order: ['arn:aws:iam::222222222222:role/order-developer'] } },
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
    // SSO roles (IAM Identity Center): SRE administers, each product team reads its namespaces.
    clusterAccess: { admins: ['arn:aws:iam::333333333333:role/sre-admin'], teamViewers: { order: ['arn:aws:iam::333333333333:role/order-developer'] } },
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

// Browsers and partners speak gRPC-Web; the ingress gateway bridges it to gRPC, the BFF's Nginx
// routes each proto service to its microservice (README "Browser -> BFF -> gRPC").
const bff = (name: string, route: { host: 'web' | 'api'; userAgent?: string; pathPrefix?: string }, upstreams: string[]): ServiceInput => ({
  name,
  kind: 'bff',
  ports: [
    { name: 'grpc-web', port: 8080, protocol: 'grpc' },
    { name: 'http-health', port: 8081, protocol: 'http' },
  ],
  health: { port: 'http-health' },
  resources: { cpu: '200m', memory: '128Mi' },
  scaling: { minReplicas: 2, maxReplicas: 10 },
  config: { NGINX_WORKER_PROCESSES: '2' },
  dependencies: upstreams.map((service) => ({ service })),
  exposure: { public: [route] },
  // Browsers and partners call the BFFs with a Keycloak access token (source 002 §7.6).
  endUserAuth: true,
  e2e: { imageRepository: `111111111111.dkr.ecr.ap-northeast-1.amazonaws.com/ec-e2e/${name}`, command: ['npx', 'playwright', 'test', '--project', 'api'] },
});

const microservice = (name: string, grpcService: string, extra: Partial<ServiceInput> = {}): ServiceInput => ({
  name,
  kind: 'microservice',
  ports: [
    { name: 'grpc', port: 50051, protocol: 'grpc', grpcServices: [grpcService] },
    { name: 'http-metrics', port: 9464, protocol: 'http' },
  ],
  metrics: { port: 'http-metrics' },
  health: { port: 'grpc' },
  resources: { cpu: '250m', memory: '256Mi' },
  scaling: { minReplicas: 2, maxReplicas: 8 },
  config: { LOG_LEVEL: 'info', GRPC_PORT: '50051' },
  database: { migrationCommand: ['/app/migrate', 'up'] },
  secrets: [{ name: 'APP_SIGNING_KEY', from: 'secrets-manager', key: 'signing-key' }],
  ...extra,
});

/**
 * A microservice that runs saga activities: a Temporal worker of its own local transactions, which
 * long-polls the frontend for its tasks and reports their outcome (source 002 §7.5: the Temporal
 * workers are the microservices running the local transactions). Its edge to the frontend is
 * declared `call: 'longPoll'` (a poll is held ~60 s).
 */
const sagaActivities = (name: string, extra: Partial<ServiceInput> = {}): Partial<ServiceInput> => ({
  ...extra,
  config: { LOG_LEVEL: 'info', GRPC_PORT: '50051', TEMPORAL_ADDRESS: TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE: 'orders', TEMPORAL_TASK_QUEUE: `${name}-activities` },
  dependencies: [...(extra.dependencies ?? []), { service: 'saga-service/temporal', call: 'longPoll' }],
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
      { name: 'contract-infra', mesh: false }, // the Pact Broker (platform/gates.ts CONTRACT_BROKER_NAMESPACE)
      { name: 'load-infra', mesh: false }, // the staging load test (platform/gates.ts LOAD_TEST_NAMESPACE)
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
  team('order', [{ name: 'order-service', services: [microservice('order-service', 'shop.order.v1.OrderService', sagaActivities('order-service', { dedicatedNodes: true }))] }]),
  team('payment', [
    {
      name: 'payment-service',
      services: [
        microservice(
          'payment-service',
          'shop.payment.v1.PaymentService',
          sagaActivities('payment-service', {
            dedicatedNodes: true,
            dependencies: [{ external: 'api.payment-provider.example.net' }],
            secrets: [
              { name: 'PROVIDER_API_KEY', from: 'secrets-manager', key: 'provider-api-key' },
              // Owned by the payment team, encrypted with each environment's SOPS key in their repo.
              { name: 'WEBHOOK_SIGNING_SECRET', from: 'sops', file: 'payment-service/webhook.sops.yaml' },
            ],
          }),
        ),
      ],
    },
  ]),
  team('shipping', [{ name: 'shipping-service', services: [microservice('shipping-service', 'shop.shipping.v1.ShippingService', sagaActivities('shipping-service'))] }]),
  team('account', [
    {
      name: 'account-service',
      services: [microservice('account-service', 'shop.account.v1.AccountService', { dependencies: [{ service: 'auth-service/keycloak' }], aws: ['email-send'] })],
    },
  ]),
  team('identity', [
    {
      name: 'auth-service',
      // The Keycloak Operator's upstream Deployment (keycloak-k8s-resources 26.4.2 kubernetes.yml)
      // sets no securityContext, which "restricted" rejects; Keycloak's own Pods are still rendered
      // with the restricted settings (charts/tools/keycloak.ts).
      podSecurity: 'baseline',
      services: [
        {
          name: 'keycloak',
          kind: 'tool',
          runtime: 'keycloak-operator',
          imageRepository: 'quay.io/keycloak/keycloak',
          ports: [
            { name: 'http', port: 8080, protocol: 'http' },
            // The management interface: health and metrics, never routed.
            { name: 'http-metrics', port: 9000, protocol: 'http' },
          ],
          health: { port: 'http-metrics', startup: '/health/started', liveness: '/health/live', readiness: '/health/ready' },
          resources: { cpu: '500m', memory: '1Gi' },
          scaling: { minReplicas: 2, maxReplicas: 4 },
          secrets: [{ name: 'KC_BOOTSTRAP_ADMIN_PASSWORD', from: 'secrets-manager', key: 'admin-password' }],
          database: { schema: 'keycloak' },
          dependencies: [{ external: 'login.idp-partner.example.org' }],
          // Only the realms' public endpoints (OIDC, login pages, their static resources) are public;
          // the admin console and the master realm only on the internal host.
          exposure: { public: [{ host: 'web', pathPrefix: '/auth/realms/shop/' }, { host: 'web', pathPrefix: '/auth/realms/staff/' }, { host: 'web', pathPrefix: '/auth/resources/' }], internal: [{ subdomain: 'keycloak' }] },
          // JGroups (Infinispan clustering) and its failure detection (port + 50000), TLS of its own.
          peerPorts: [7800, 57800],
          metrics: { port: 'http-metrics' },
        },
      ],
    },
  ]),
  team('saga', [
    {
      name: 'saga-service',
      services: [
        {
          // The server services of the official chart (frontend, history, matching, worker).
          name: 'temporal',
          kind: 'tool',
          runtime: 'temporal-server',
          imageRepository: 'temporalio/server',
          ports: [
            { name: 'grpc', port: 7233, protocol: 'grpc' },
            { name: 'http-metrics', port: 9090, protocol: 'http' },
          ],
          health: { port: 'grpc' },
          resources: { cpu: '500m', memory: '512Mi' },
          scaling: { minReplicas: 2, maxReplicas: 4 },
          // Persistence (saga log) and visibility stores, one user; the chart's schema Jobs create and migrate them.
          database: { schema: 'temporal_saga_log', extraSchemas: ['temporal_saga_visibility'] },
          // Membership ring (6933-6939) and the services' gRPC (7233-7239) between the server Pods.
          peerPorts: [6933, 6934, 6935, 6939, 7233, 7234, 7235, 7239],
          // Workers long-poll the frontend (up to 70 s per poll): their edges are declared
          // `call: 'longPoll'` (90 s, never retried), so unary callers keep the default timeout.
          metrics: { port: 'http-metrics' },
        },
        {
          name: 'temporal-ui',
          kind: 'tool',
          runtime: 'temporal-web',
          // The chart runs the UI with the server's ServiceAccount.
          serviceAccount: 'temporal',
          imageRepository: 'temporalio/ui',
          ports: [{ name: 'http', port: 8080, protocol: 'http' }],
          resources: { cpu: '100m', memory: '128Mi' },
          scaling: { minReplicas: 2, maxReplicas: 3 },
          // OIDC client secret of the UI in the staff realm (Keycloak reads the same entry).
          secrets: [{ name: 'TEMPORAL_AUTH_CLIENT_SECRET', from: 'secrets-manager', key: 'oidc-client-secret' }],
          dependencies: [{ service: 'saga-service/temporal' }],
          exposure: { internal: [{ subdomain: 'temporal' }] },
        },
        microservice('saga-orchestrator', 'shop.checkout.v1.CheckoutService', {
          database: undefined,
          secrets: [],
          config: { LOG_LEVEL: 'info', GRPC_PORT: '50051', TEMPORAL_ADDRESS: TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE: 'orders' },
          dependencies: [
            // Temporal workers hold each task-queue poll open for ~60 s.
            { service: 'saga-service/temporal', call: 'longPoll' },
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
  identity: { service: 'auth-service/keycloak', realm: 'shop', staffRealm: 'staff', staffGroups: ['sre', 'swe'], temporalOperators: 'sre' },
  // Versions (tag and digest) per environment are in the release files' `tools:`.
  toolImages: {
    awsCli: { repository: 'public.ecr.aws/aws-cli/aws-cli' },
    dbBootstrap: { repository: 'ghcr.io/example-shop/db-bootstrap' },
    ksops: { repository: 'docker.io/viaductoss/ksops' },
    pactCli: { repository: 'docker.io/pactfoundation/pact-cli' },
    k6: { repository: 'docker.io/grafana/k6' },
  },
  // One broker for every environment: it records which version runs where (source 004 §24). It runs
  // in production's cluster (the most durable one), at https://pact-broker.internal.shop.example.com.
  contractBroker: {
    environment: 'prd',
    subdomain: 'pact-broker',
    databaseRotationExemption: 'PostgreSQL has no dual passwords and the chart fixes the user: rotated by SRE in a maintenance window',
  },
  environments: exampleEnvironments,
  teams: exampleTeams,
};
