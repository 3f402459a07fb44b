/**
 * The typed platform model: plain data, no framework imports.
 *
 * Raw input (what teams write) is validated by `schema.ts` and cross-checked by `validate.ts`;
 * `resolve.ts` turns it into the resolved model every renderer reads (defaults applied once).
 */

/** Names of the environments, in promotion order (test -> staging -> production, source 004 §23). */
export type EnvironmentName = string;

export interface EnvironmentSizing {
  /** Lowest replica count any service may run with in this environment (HPA minReplicas floor). */
  readonly replicaFloor: number;
  /** NAT gateways (1 = cheap, one per AZ = resilient). */
  readonly natGateways: number;
  /** Instance types of the managed node group (Karpenter, gateways, system pods). */
  readonly systemNodeInstanceTypes: readonly string[];
  /** Managed node group size. */
  readonly systemNodes: { readonly min: number; readonly desired: number; readonly max: number };
  /** Instance categories Karpenter may launch for workloads (e.g. ["c", "m", "r"]). */
  readonly workloadInstanceCategories: readonly string[];
  /** Shared workload nodes may be Spot (dedicated pools are always On-Demand). @default false */
  readonly spotWorkloads: boolean;
  /** Aurora instance class and count (writer + readers). */
  readonly auroraInstanceClass: string;
  readonly auroraInstances: number;
}

export interface EnvironmentDomains {
  /** Public host of the site (PC and smartphone browsers). */
  readonly web: string;
  /** Public host of the partner API. */
  readonly api: string;
  /** Parent domain of internal hosts (dashboards, Keycloak admin, Temporal UI). */
  readonly internal: string;
}

export interface Environment {
  readonly name: EnvironmentName;
  /** AWS account id (12 digits). */
  readonly account: string;
  readonly region: string;
  /** Three availability zones of the region. */
  readonly availabilityZones: readonly string[];
  readonly vpcCidr: string;
  readonly kubernetesVersion: string;
  readonly domains: EnvironmentDomains;
  /** CIDRs allowed to reach the public EKS API endpoint; empty = private endpoint only. */
  readonly apiAccessCidrs: readonly string[];
  readonly sizing: EnvironmentSizing;
  /** Images must be pinned by digest (prd). */
  readonly requireImageDigest: boolean;
  /** Deletion protection on stateful AWS resources (stg, prd). */
  readonly deletionProtection: boolean;
  /** Git revision ArgoCD tracks for this environment's rendered tree. */
  readonly targetRevision: string;
  /** Days CloudWatch keeps logs (control plane, Fluent Bit, ...). @default 90 */
  readonly logRetentionDays: number;
  /** Days Aurora keeps automated backups. @default 7 */
  readonly backupRetentionDays: number;
  /**
   * Days between two rotations of each service's database password (platform/database-rotation.ts;
   * the previous password stays valid for one more period).
   * @default 30
   */
  readonly databaseCredentialRotationDays?: number;
  /** Source CIDRs (offices, VPN), routed privately into the VPC, that may reach the internal ALB (security group and WAF allow list). @default none */
  readonly internalAllowCidrs: readonly string[];
  /**
   * Who may use the cluster's Kubernetes API (EKS access entries): `admins` get cluster-admin
   * (SRE), each team's `teamViewers` read-only access to that team's namespaces. Once admins exist,
   * new clusters give the identity that ran Terraform no admin entry. @default none
   */
  readonly clusterAccess: { readonly admins: readonly string[]; readonly teamViewers: Readonly<Record<string, readonly string[]>> };
  /** HTTPS endpoint of the incident channel the alerts SNS topic delivers to. */
  readonly incidentEndpoint: string;
  /** How Argo CD syncs the namespaces. @default automated, no windows */
  readonly sync: SyncPolicy;
  /** Delivery gates of this environment (source 004 §23-§26). @default every gate off */
  readonly gates: DeliveryGates;
  /**
   * Mesh fault injection per dependency edge (source 002 表5), for resilience tests.
   * @default none
   */
  readonly faults: readonly FaultInjection[];
  /**
   * The named choice that lets `faults` apply in the production environment (the last in promotion
   * order); without it the validation refuses them there. @default false
   */
  readonly allowFaultsInProduction: boolean;
}

/** Which delivery gates run in an environment. */
export interface DeliveryGates {
  /**
   * A `can-i-deploy` Job per service with consumers or providers (a Sync hook before the
   * workloads) asks the contract broker whether this version may go to this environment (needs
   * `contractBroker`). @default false
   */
  readonly contract: boolean;
  /** A PostSync Job per frontend/BFF that declares `e2e` runs it against the public hosts. @default false */
  readonly e2e: boolean;
  /**
   * Load and regression tests of the whole architecture: a nightly k6 CronJob over every public
   * route (staging only: refused in production; needs the sre namespace `load-infra`). @default false
   */
  readonly load: boolean;
}

/** Faults the mesh injects into calls from one service to one of its declared dependencies. */
export interface FaultInjection {
  /** The caller, "<namespace>/<service>". */
  readonly from: string;
  /** The callee, "<namespace>/<service>" (a declared dependency of `from`). */
  readonly to: string;
  /** Delay a share of the calls. @default none */
  readonly delay?: { readonly percent: number; readonly fixedDelaySeconds: number };
  /** Fail a share of the calls with an HTTP status (gRPC clients see the mapped status). @default none */
  readonly abort?: { readonly percent: number; readonly httpStatus: number };
}

/**
 * The consumer-driven contract broker (source 004 §24: Pact Broker) the contract gate asks: one
 * broker for every environment (it records which version runs where), run by sre as a tool in the
 * cluster of one environment (charts/addons/pact-broker.ts); its URLs come from platform/gates.ts.
 */
export interface ContractBroker {
  /** The environment whose cluster runs the broker (its gate must be on). */
  readonly environment: EnvironmentName;
  /** Sub-domain of the broker's host under that environment's internal domain. @default "pact-broker" */
  readonly subdomain: string;
  /**
   * Why the broker's database password may stay unrotated: the in-cluster rotation relies on MySQL
   * dual passwords, PostgreSQL has none, and the pact-broker chart fixes the user name
   * (`database.auth.username`), so neither that rotation nor alternating users can keep the broker
   * connected. Naming the reason is the explicit choice of this weaker setting; it is written on the
   * secret (tag `platform.ec/rotation-exempt`) and accepted by the security check.
   * @default none: the model is refused until it names the reason
   */
  readonly databaseRotationExemption?: string;
}

/** A frontend's or BFF's end-to-end tests (source 004 §25: Playwright), run after each sync. */
export interface EndToEndTests {
  /** Image repository of the team's E2E tests; its tag is the service's release tag. */
  readonly imageRepository: string;
  /** Command of the test container; the target URLs arrive as E2E_BASE_URL and E2E_TARGET_URLS. */
  readonly command: readonly string[];
}

/**
 * An Argo CD sync window of the environment's team projects (argo-cd docs/user-guide/sync_windows.md):
 * with an allow window, syncs run only inside it; with a deny window, never inside it.
 */
export interface SyncWindow {
  readonly kind: 'allow' | 'deny';
  /** Cron expression of the window's start, e.g. "0 10 * * 1-4". */
  readonly schedule: string;
  /** Length of the window, e.g. "6h". */
  readonly duration: string;
  /** Time zone of the schedule. @default "UTC" */
  readonly timeZone: string;
  /** Manual syncs are allowed outside an allow window (or inside a deny window). @default false */
  readonly manualSync: boolean;
}

/** How Argo CD applies an environment's rendered changes to the namespaces (source 004 §23: approval before production). */
export interface SyncPolicy {
  /** Argo CD syncs each namespace by itself; false = a person syncs it (the approval). @default true */
  readonly automated: boolean;
  /** Sync windows of the team projects. @default none */
  readonly windows: readonly SyncWindow[];
}

export interface Team {
  readonly name: string;
  readonly owners: readonly string[];
  /** Git repository that holds the team's application code (admitted by its AppProject). */
  readonly repo: string;
  readonly namespaces: readonly Namespace[];
}

export interface Namespace {
  readonly name: string;
  /**
   * Whether the namespace is in the Istio mesh (sidecar injection).
   * @default true
   */
  readonly mesh: boolean;
  /**
   * Pod Security Standard enforced on the namespace. Anything weaker than "restricted" is an
   * explicit, named choice (node agents such as Fluent Bit need "privileged").
   * @default "restricted"
   */
  readonly podSecurity: PodSecurityLevel;
  readonly services: readonly Service[];
}

export type PodSecurityLevel = 'restricted' | 'baseline' | 'privileged';

export type ServiceKind = 'frontend' | 'bff' | 'microservice' | 'tool';
export type PortProtocol = 'http' | 'grpc';

export interface ServicePort {
  readonly name: string;
  readonly port: number;
  readonly protocol: PortProtocol;
  /**
   * Fully-qualified gRPC services served on this port (proto `package.Service`, e.g.
   * "shop.order.v1.OrderService"): a BFF that depends on the service routes `/<package.Service>/`
   * to it. Only on gRPC ports. @default none
   */
  readonly grpcServices: readonly string[];
}

export interface HealthEndpoints {
  /** Name of the port the probes use. @default the first port */
  readonly port: string;
  /** HTTP path (ignored for gRPC ports, which use the gRPC health protocol). */
  readonly startup: string;
  readonly liveness: string;
  readonly readiness: string;
}

/** Guaranteed QoS: requests = limits. */
export interface Resources {
  /** CPU quantity, e.g. "250m". */
  readonly cpu: string;
  /** Memory quantity, e.g. "256Mi". */
  readonly memory: string;
}

export interface Scaling {
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /** HPA target CPU utilisation, percent. @default 70 */
  readonly targetCpuUtilization: number;
}

export type Secret =
  /** A key of the service's AWS Secrets Manager secret, synced by External Secrets. */
  | { readonly name: string; readonly from: 'secrets-manager'; readonly key: string }
  /**
   * A key of the Secret `<service>-sops` defined by a SOPS-encrypted manifest in the team's repo at
   * `secrets/<env>/<file>`, passed through untouched (Argo CD decrypts it at sync).
   */
  | { readonly name: string; readonly from: 'sops'; readonly file: string };

export interface Database {
  /** Schema (MySQL database) on the shared Aurora cluster. @default service name with "-" -> "_" */
  readonly schema: string;
  /** Command of the PreSync migration Job (same image). @default none: the service migrates itself on start */
  readonly migrationCommand?: readonly string[];
  /**
   * Further schemas the same user owns on the same cluster (Temporal's visibility store beside its
   * persistence store). The bootstrap creates them and grants the user on them.
   * @default none
   */
  readonly extraSchemas: readonly string[];
}

/**
 * Who creates a service's Pods. "workload": the platform's own Deployment (charts/service-workload).
 * The others hand the Pods to the tool's maintained installer, configured from this model:
 * - "keycloak-operator": a `Keycloak` resource the Keycloak Operator reconciles (StatefulSet);
 * - "temporal-server": the server services (frontend, history, matching, worker) of the official
 *   Temporal Helm chart; "temporal-web": that chart's UI.
 * The model service still names the Pods for the mesh (selectorLabels), the Service clients call,
 * its secrets and its monitoring.
 */
export type ServiceRuntime = 'workload' | 'keycloak-operator' | 'temporal-server' | 'temporal-web';

/**
 * How a caller uses a dependency edge: `unary` calls take the target's timeout and retries;
 * `streaming` calls (server/bidi streams) have no request timeout and are never retried;
 * `longPoll` calls (e.g. Temporal workers polling a task queue for ~60 s) get a long timeout
 * and are never retried on timeout.
 */
export type CallKind = 'unary' | 'streaming' | 'longPoll';

/** A call to another service of the platform and the resilience settings of that edge. */
export interface ServiceDependency {
  /** "<namespace>/<service>". */
  readonly service: string;
  /** @default "unary" */
  readonly call: CallKind;
  /** Per-request timeout of this edge, seconds. @default the target's traffic.timeoutSeconds (unary), 90 (longPoll), none (streaming) */
  readonly timeoutSeconds?: number;
  /** Retries of this edge. @default the target's traffic.retryAttempts (unary), 0 otherwise */
  readonly retryAttempts?: number;
  /** Timeout of each try, seconds. @default the target's traffic.perTryTimeoutSeconds (unary), the edge timeout otherwise */
  readonly perTryTimeoutSeconds?: number;
}

export type Dependency =
  /** Another service of the platform. */
  | ServiceDependency
  /** A host outside the cluster (external IdP, payment provider). */
  | { readonly external: string; readonly port: number; readonly protocol: 'https' | 'tls' };

export interface PublicRoute {
  /** Which public host: the site or the partner API. */
  readonly host: 'web' | 'api';
  /** Route browsers whose User-Agent matches this regex (PC vs smartphone). */
  readonly userAgent?: string;
  /** Path prefix. @default "/" */
  readonly pathPrefix: string;
}

export interface InternalRoute {
  /** Sub-domain under the environment's internal domain, e.g. "keycloak". */
  readonly subdomain: string;
}

export interface Exposure {
  readonly public: readonly PublicRoute[];
  readonly internal: readonly InternalRoute[];
}

/** Named, least-privilege AWS grants a service's IAM role receives. */
export type AwsGrant = 'cdn-invalidation' | 'static-assets-write' | 'email-send';

/** Resilience settings of calls *to* a service (Istio DestinationRule and VirtualService). */
export interface Traffic {
  /** Per-request timeout, seconds. @default 5 */
  readonly timeoutSeconds: number;
  /** Retries of a failed request. @default 2 */
  readonly retryAttempts: number;
  /** Timeout of each try, seconds. @default 2 */
  readonly perTryTimeoutSeconds: number;
  /**
   * Conditions that trigger a retry (Envoy retry-on). The default retries only requests that were
   * never processed, so non-idempotent calls are not repeated.
   * @default "connect-failure,refused-stream,unavailable"
   */
  readonly retryOn: string;
  /** Load-balancing algorithm. @default "LEAST_REQUEST" */
  readonly loadBalancer: 'ROUND_ROBIN' | 'LEAST_REQUEST';
  /** Connection pool: max TCP connections and max pending HTTP requests. @default 100 and 100 */
  readonly maxConnections: number;
  readonly maxPendingRequests: number;
  /** Circuit breaker: eject a host after this many consecutive 5xx. @default 5 */
  readonly consecutive5xxErrors: number;
  /** Circuit breaker: how long an ejected host stays out, seconds. @default 30 */
  readonly baseEjectionSeconds: number;
  /** Circuit breaker: most of the pool that may be ejected, percent. @default 50 */
  readonly maxEjectionPercent: number;
}

/** How a Pod stops: the preStop sleep drains traffic before the app gets SIGTERM. */
export interface Shutdown {
  /** @default 10 */
  readonly preStopSleepSeconds: number;
  /** Must exceed preStopSleepSeconds. @default 45 */
  readonly terminationGracePeriodSeconds: number;
}

export interface Service {
  readonly name: string;
  readonly kind: ServiceKind;
  /** Image repository; @default the ECR repository derived for the service */
  readonly imageRepository?: string;
  readonly ports: readonly ServicePort[];
  readonly health: HealthEndpoints;
  readonly resources: Resources;
  readonly scaling: Scaling;
  /** Public configuration, rendered as a ConfigMap. */
  readonly config: Readonly<Record<string, string>>;
  readonly secrets: readonly Secret[];
  readonly database?: Database;
  readonly dependencies: readonly Dependency[];
  readonly exposure: Exposure;
  /** High business impact: runs on a dedicated Karpenter NodePool. @default false */
  readonly dedicatedNodes: boolean;
  /** AWS access through the service's own IAM role (IRSA). @default none */
  readonly aws: readonly AwsGrant[];
  /** Calls reaching this service must carry a valid end-user token from the platform IdP. @default false */
  readonly endUserAuth: boolean;
  /** Resilience settings of calls to this service; every field has a default. */
  readonly traffic: Traffic;
  /** Pod shutdown timing; every field has a default. */
  readonly shutdown: Shutdown;
  /** Who creates the Pods. @default "workload" */
  readonly runtime: ServiceRuntime;
  /**
   * TCP ports the service's own replicas call each other on (clustering: Keycloak's JGroups,
   * Temporal's membership ring and internal gRPC). Only the service's own identity may use them.
   * @default none
   */
  readonly peerPorts: readonly number[];
  /**
   * ServiceAccount (mesh identity) the Pods run as, when the installer shares one between services
   * (the Temporal chart runs its UI as the server's account).
   * @default the service name
   */
  readonly serviceAccount?: string;
  /**
   * Where the service serves Prometheus metrics: one of its port names and the path. Without it
   * no ServiceMonitor is rendered and availability alerts use Istio's request metrics.
   * @default none
   */
  readonly metrics?: { readonly port: string; readonly path: string };
  /** End-to-end tests run after each sync where the environment's `gates.e2e` is on (frontends and BFFs only). @default none */
  readonly e2e?: EndToEndTests;
}

/** An image pinned by tag and digest (both: the tag says what, the digest makes it immutable). */
/** A tool image's version in one environment (release file `tools:`): always pinned by digest. */
export interface PinnedImage {
  /** Tag the digest was taken from (readability only: the digest is what is pulled). */
  readonly tag: string;
  readonly digest: string;
}

/** Where a tool image comes from; its version is in each environment's release file. */
export interface ToolImage {
  readonly repository: string;
}

/** The platform's own tool images (keys of `toolImages` and of each release file's `tools:`). */
export type ToolName = 'awsCli' | 'dbBootstrap' | 'ksops' | 'pactCli' | 'k6';

/** Image of one service in one environment. Exactly one of tag or digest. */
export interface ImageRelease {
  readonly tag?: string;
  readonly digest?: string;
  /** Where a promoted image came from (written by `npm run promote`). @default none */
  readonly promotedFrom?: { readonly environment: EnvironmentName; readonly commit: string };
}

/** One release file: the images of every service in one environment. */
export interface Release {
  /** File the release was read from, for error messages. @default none (built in code) */
  readonly source?: string;
  readonly environment: EnvironmentName;
  /** Keyed by "<namespace>/<service>". */
  readonly images: Readonly<Record<string, ImageRelease>>;
  /** Version of every tool image, keyed by ToolName (the validation requires each), pinned by digest. */
  readonly tools: Readonly<Record<string, PinnedImage>>;
}

export interface Platform {
  /** Short name, prefix of every AWS name (e.g. "ec"). */
  readonly name: string;
  /** Git URL of this platform repository (the rendered tree ArgoCD pulls). */
  readonly repo: string;
  /** Namespace ArgoCD runs in. */
  readonly argocdNamespace: string;
  /** Bucket and lock table of the Terraform S3 backend (per account: suffixed with the env). */
  readonly terraformStateBucketPrefix: string;
  /** NodePorts the model fixes, shared by the gateway Services and the ALB target groups. */
  readonly nodePorts: {
    /** The Istio ingress gateway's HTTP port (external and internal ALB traffic). */
    readonly istioIngressHttp: number;
    /** The Istio ingress gateway's status port (15021, `/healthz/ready`): the ALB health check. */
    readonly istioIngressStatus: number;
    /** The ingress-nginx controller's HTTP port (internal ALB: SRE dashboards). */
    readonly ingressNginxHttp: number;
  };
  /** The platform IdP (source 002 §7.6: Keycloak, OIDC authorization code flow). */
  readonly identity: {
    /** The Keycloak service, "<namespace>/<service>". */
    readonly service: string;
    /** Realm whose tokens the services accept: the customers' realm, one client per frontend and BFF. */
    readonly realm: string;
    /** Realm of the staff (SRE, SWE) who sign in to the platform's tools. @default "staff" */
    readonly staffRealm: string;
    /** Groups of the staff realm admitted to the tools (dashboards, Temporal UI). @default ["sre", "swe"] */
    readonly staffGroups: readonly string[];
    /**
     * The staff group whose members may act in the Temporal UI (start, signal, cancel, terminate,
     * reset, batch: every write method of its API); members of the other staff groups only read.
     * One of `staffGroups`. @default "sre"
     */
    readonly temporalOperators: string;
  };
  /** Repositories of the platform's own tool images; their versions come from the release files. */
  readonly toolImages: {
    /** AWS CLI, used by Jobs that call AWS APIs at sync time. */
    readonly awsCli: ToolImage;
    /** The sre team's database bootstrap image: mysql and PostgreSQL (psql) clients, AWS CLI, jq and the RDS CA bundle. */
    readonly dbBootstrap: ToolImage;
    /** KSOPS (kustomize + the ksops exec plugin): Argo CD's repo-server sidecar decrypting SOPS files. */
    readonly ksops: ToolImage;
    /** Pact CLI (`pact-broker can-i-deploy`, `record-deployment`): the contract gate's Jobs. */
    readonly pactCli: ToolImage;
    /** k6 (grafana/k6): the staging load test (charts/gates/load-test.ts). */
    readonly k6: ToolImage;
  };
  /** The contract broker; required where an environment turns `gates.contract` on. @default none */
  readonly contractBroker?: ContractBroker;
  readonly environments: readonly Environment[];
  readonly teams: readonly Team[];
  readonly releases: readonly Release[];
}

/** Where a model value came from, so an error names it. */
export interface Problem {
  /** e.g. "teams[order].namespaces[order-service].services[order].ports[0].port" or "releases/prd.yaml" */
  readonly path: string;
  readonly message: string;
}
