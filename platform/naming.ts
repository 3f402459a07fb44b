/**
 * Pure functions deriving every name more than one layer uses. The Kubernetes charts, the CDKTF
 * stacks and the ArgoCD apps-of-apps all call these; nothing types a shared name twice.
 */
import { KEYCLOAK_HTTP_PATH, keycloakBaseUrl, keycloakIssuer, keycloakJwksUri } from './identity';
export { keycloakIssuer } from './identity';
import type { Environment, Namespace, Platform, Service, Team } from './types';

/** A service addressed within the platform. */
export interface ServiceRef {
  readonly namespace: string;
  readonly service: string;
}

export const serviceKey = (ref: ServiceRef): string => `${ref.namespace}/${ref.service}`;

export function parseServiceKey(key: string): ServiceRef {
  const [namespace, service] = key.split('/');
  return { namespace, service };
}

// ---- Kubernetes ---------------------------------------------------------------------------------

export const serviceAccountName = (service: Pick<Service, 'name'> & Partial<Pick<Service, 'serviceAccount'>>): string => service.serviceAccount ?? service.name;
export const configMapName = (service: Pick<Service, 'name'>): string => `${service.name}-config`;
export const migrationJobName = (service: Pick<Service, 'name'>): string => `${service.name}-migrate`;
/** PostSync Job of a frontend that purges the CDN; it reads the distribution id the data stack publishes. */
export const cdnPurgeJobName = (service: Pick<Service, 'name'>): string => `${service.name}-cdn-purge`;

/** Label every object carries; the selector labels are the stable subset. */
export const LABEL_NAME = 'app.kubernetes.io/name';
export const LABEL_PART_OF = 'app.kubernetes.io/part-of';
export const LABEL_MANAGED_BY = 'app.kubernetes.io/managed-by';
export const LABEL_COMPONENT = 'app.kubernetes.io/component';
export const LABEL_TEAM = 'platform.ec/team';
export const LABEL_ENVIRONMENT = 'platform.ec/environment';

/**
 * Label that names the model service of Pods a maintained installer creates (Keycloak Operator,
 * Temporal chart): those installers own `app.kubernetes.io/name`, so the platform adds its own.
 */
export const LABEL_WORKLOAD = 'platform.ec/workload';

export function selectorLabels(service: Pick<Service, 'name'> & Partial<Pick<Service, 'runtime'>>): Record<string, string> {
  return service.runtime !== undefined && service.runtime !== 'workload' ? { [LABEL_WORKLOAD]: service.name } : { [LABEL_NAME]: service.name };
}

/** In-cluster DNS name of a service. */
export const serviceHost = (ref: ServiceRef): string => `${ref.service}.${ref.namespace}.svc.cluster.local`;

/** Istio/SPIFFE principal of a service's ServiceAccount (what AuthorizationPolicies match). */
export const servicePrincipal = (ref: ServiceRef): string => `cluster.local/ns/${ref.namespace}/sa/${ref.service}`;

// ---- AWS ----------------------------------------------------------------------------------------

/** Prefix of every AWS name of one environment, e.g. "ec-dev". */
export const awsPrefix = (platform: Pick<Platform, 'name'>, env: Pick<Environment, 'name'>): string => `${platform.name}-${env.name}`;

export const clusterName = awsPrefix;

/** Tag Karpenter discovers subnets and security groups by (set by the network/cluster stacks). */
export function karpenterDiscoveryTag(platform: Pick<Platform, 'name'>, env: Pick<Environment, 'name'>): { key: string; value: string } {
  return { key: 'karpenter.sh/discovery', value: clusterName(platform, env) };
}

/** IAM role of a service's ServiceAccount (IRSA). At most 64 characters: validate.ts checks it. */
export const serviceRoleName = (platform: Pick<Platform, 'name'>, env: Pick<Environment, 'name'>, ref: ServiceRef): string =>
  `${awsPrefix(platform, env)}-${ref.namespace}-${ref.service}`;

export const iamRoleArn = (env: Pick<Environment, 'account'>, roleName: string): string => `arn:aws:iam::${env.account}:role/${roleName}`;

/** ECR repository of a service (one per account, so the same name in every environment). */
export const ecrRepositoryName = (platform: Pick<Platform, 'name'>, ref: ServiceRef): string => `${platform.name}/${ref.namespace}/${ref.service}`;

export const ecrRegistry = (env: Pick<Environment, 'account' | 'region'>): string => `${env.account}.dkr.ecr.${env.region}.amazonaws.com`;

/** Secrets Manager secret holding a service's private settings (synced by External Secrets). */
export const serviceSecretName = (platform: Pick<Platform, 'name'>, env: Pick<Environment, 'name'>, ref: ServiceRef): string =>
  `${platform.name}/${env.name}/${ref.namespace}/${ref.service}/app`;

/** Secrets Manager secret holding a service's database schema, user, password and endpoint. */
export const databaseSecretName = (platform: Pick<Platform, 'name'>, env: Pick<Environment, 'name'>, ref: ServiceRef): string =>
  `${platform.name}/${env.name}/${ref.namespace}/${ref.service}/database`;

/** SSM parameter prefix for AWS-side settings known only after apply (distribution id, endpoints). */
export const ssmParameterName = (platform: Pick<Platform, 'name'>, env: Pick<Environment, 'name'>, key: string): string =>
  `/${platform.name}/${env.name}/${key}`;

/** KMS alias of one of the environment's keys, e.g. "alias/ec-dev-eks-secrets". */
export const kmsAliasName = (platform: Pick<Platform, 'name'>, env: Pick<Environment, 'name'>, purpose: string): string => `alias/${awsPrefix(platform, env)}-${purpose}`;

/**
 * S3 bucket of the static files behind CloudFront (created by the later data/edge stack;
 * the `static-assets-write` grant is scoped to it). Bucket names are global, so the account id is
 * part of it.
 */
export const staticAssetsBucketName = (platform: Pick<Platform, 'name'>, env: Pick<Environment, 'name' | 'account'>): string =>
  `${awsPrefix(platform, env)}-static-assets-${env.account}`;

/**
 * Label and taint of the managed "system" node group (Karpenter, the ingress gateways,
 * CoreDNS). Pods that must run there select the label and tolerate the taint; everything else
 * lands on Karpenter nodes.
 */
export const SYSTEM_NODE_GROUP = 'system';
export const SYSTEM_NODE_LABELS: Readonly<Record<string, string>> = { 'platform.ec/node-group': SYSTEM_NODE_GROUP };
export const SYSTEM_NODE_TAINT = { key: 'CriticalAddonsOnly', value: 'true', effect: 'NoSchedule' } as const;

/** Host names of the environment. */
export const publicHost = (env: Pick<Environment, 'domains'>, host: 'web' | 'api'): string => env.domains[host];
export const internalHost = (env: Pick<Environment, 'domains'>, subdomain: string): string => `${subdomain}.${env.domains.internal}`;

/** OIDC issuer of the customers' realm (Keycloak behind the web host under /auth, source 002 §7.6; platform/identity.ts). */
export const oidcIssuer = (platform: Pick<Platform, 'identity'>, env: Pick<Environment, 'domains'>): string => keycloakIssuer(env, platform.identity.realm);
export const oidcJwksUri = (platform: Pick<Platform, 'identity'>, env: Pick<Environment, 'domains'>): string => keycloakJwksUri(env, platform.identity.realm);
/** OIDC issuer of the staff realm (OAuth2 Proxy, Grafana, the Temporal UI). */
export const staffIssuer = (platform: Pick<Platform, 'identity'>, env: Pick<Environment, 'domains'>): string => keycloakIssuer(env, platform.identity.staffRealm);
export const staffJwksUri = (platform: Pick<Platform, 'identity'>, env: Pick<Environment, 'domains'>): string => keycloakJwksUri(env, platform.identity.staffRealm);

/** MySQL user of a service's schema (the bootstrap creates it; the tools' configuration names it). */
export const databaseUser = (database: { readonly schema: string }): string => database.schema;
/**
 * Stable DNS name of the Aurora writer: a CNAME in the environment's private zone (data stack), so
 * configuration that needs a literal host (Temporal's chart) can name it before apply.
 */
export const auroraWriterHost = (platform: Pick<Platform, 'name'>, env: Pick<Environment, 'name'>): string => `aurora.${awsPrefix(platform, env)}.internal`;
/** The private hosted zone holding that name. */
export const privateZoneName = (platform: Pick<Platform, 'name'>, env: Pick<Environment, 'name'>): string => `${awsPrefix(platform, env)}.internal`;
/** HTTP path prefix Keycloak serves under (its http-relative-path; platform/identity.ts). */
export const KEYCLOAK_RELATIVE_PATH = KEYCLOAK_HTTP_PATH;
/** Path of a realm's public endpoints under Keycloak's relative path. */
export const keycloakRealmPath = (realm: string): string => `${KEYCLOAK_RELATIVE_PATH}/realms/${realm}`;
/** Path of a realm's signing keys (JWKS). */
export const keycloakJwksPath = (realm: string): string => `${keycloakRealmPath(realm)}/protocol/openid-connect/certs`;
/** The public base URL Keycloak's hostname is fixed to. */
export const keycloakHostnameUrl = (env: Pick<Environment, 'domains'>): string => keycloakBaseUrl(env);
/**
 * In-cluster JWKS URL (the Keycloak Service, never the public ALB/WAF): fetched by each verifying
 * workload's own sidecar over mesh mTLS (istiod PILOT_JWT_ENABLE_REMOTE_JWKS=envoy).
 */
export const oidcInClusterJwksUri = (platform: Pick<Platform, 'identity'>, port: number, realm: string = platform.identity.realm): string =>
  `http://${serviceHost(parseServiceKey(platform.identity.service))}:${port}${keycloakJwksPath(realm)}`;

/** Name of the SecretStore of each namespace that reads AWS Secrets Manager (its ExternalSecrets name it). */
export const SECRET_STORE = 'aws-secrets-manager';
/** Kubernetes Secret an ExternalSecret materializes for a service. */
export const appSecretName = (service: Pick<Service, 'name'>): string => `${service.name}-app`;
export const databaseSecretK8sName = (service: Pick<Service, 'name'>): string => `${service.name}-database`;
/**
 * Kubernetes Secret a service's SOPS-encrypted files define (one Secret per service, one key per
 * declared secret). The files stay encrypted in the team's repo; Argo CD decrypts them at sync.
 */
export const sopsSecretName = (service: Pick<Service, 'name'>): string => `${service.name}-sops`;
/** Argo CD config management plugin that decrypts SOPS files (KSOPS) with the environment's SOPS key. */
export const SOPS_PLUGIN = 'ksops';
/** Folder of a team repo holding its SOPS files, one subfolder per environment (each encrypted with that environment's key). */
export const SOPS_ROOT = 'secrets';

/** SSM parameter holding the CloudFront distribution id (read at run time by the CDN purge Job). */
export const cdnDistributionIdParameter = (platform: Pick<Platform, 'name'>, env: Pick<Environment, 'name'>): string =>
  ssmParameterName(platform, env, 'cdn/distribution-id');
/** Secrets Manager secret of the Aurora master user (managed by RDS; readable only by the DB bootstrap Job). */
export const auroraMasterSecretParameter = (platform: Pick<Platform, 'name'>, env: Pick<Environment, 'name'>): string =>
  ssmParameterName(platform, env, 'aurora/master-secret-arn');
/** MySQL port of the shared Aurora cluster. */
export const AURORA_PORT = 3306;

/** ALB target groups on the gateway NodePorts (names at most 32 characters). */
export const targetGroupName = (platform: Pick<Platform, 'name'>, env: Pick<Environment, 'name'>, gateway: 'istio' | 'nginx'): string =>
  `${awsPrefix(platform, env)}-${gateway}`;

/** Namespaces and names of the platform's gateways (Istio ingress/egress, ingress-nginx for internal tools). */
export const ISTIO_SYSTEM_NAMESPACE = 'istio-system';
export const ISTIO_INGRESS_NAMESPACE = 'istio-ingress';
export const ISTIO_EGRESS_NAMESPACE = 'istio-egress';
export const INGRESS_NGINX_NAMESPACE = 'ingress-infra';

/**
 * Platform components that call AWS, each through one IAM role trusting exactly one
 * namespace/ServiceAccount pair (IRSA). The namespaces belong to the sre team (validate.ts).
 */
export const PLATFORM_IDENTITIES = {
  karpenter: { namespace: 'karpenter-infra', serviceAccount: 'karpenter' },
  externalSecrets: { namespace: 'secrets-infra', serviceAccount: 'external-secrets' },
  fluentBit: { namespace: 'logging-infra', serviceAccount: 'fluent-bit' },
  otelCollector: { namespace: 'tracing-infra', serviceAccount: 'otel-collector' },
  /** Creates each service's schema and user with the Aurora master secret, which nothing else can read. */
  dbBootstrap: { namespace: 'database-infra', serviceAccount: 'db-bootstrap' },
  /**
   * Argo CD's repo-server (upstream argo-cd chart, release "argocd"): its KSOPS sidecar decrypts the
   * teams' SOPS files with the environment's SOPS key. Lives in the Argo CD namespace, which must be
   * the model's `argocdNamespace` (validate.ts), not an sre namespace.
   */
  argocdRepoServer: { namespace: 'argocd', serviceAccount: 'argocd-repo-server' },
} as const;
export type PlatformIdentity = keyof typeof PLATFORM_IDENTITIES;

/**
 * Prometheus (kube-prometheus-stack in monitoring-infra). It scrapes in-mesh Pods over mutual TLS
 * with the workload certificate its sidecar writes out, so STRICT mTLS needs no exception.
 */
export const PROMETHEUS_IDENTITY = { namespace: 'monitoring-infra', serviceAccount: 'prometheus' } as const;
/** Where the Prometheus Pod's sidecar writes the Istio certificates it scrapes with. */
export const PROMETHEUS_ISTIO_CERTS = '/etc/prom-certs';

/** IAM role of a platform component, e.g. "ec-dev-karpenter". */
export const platformRoleName = (platform: Pick<Platform, 'name'>, env: Pick<Environment, 'name'>, id: PlatformIdentity): string =>
  `${awsPrefix(platform, env)}-${id.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
/** IAM role (and instance profile) of the nodes Karpenter launches. */
export const karpenterNodeRoleName = (platform: Pick<Platform, 'name'>, env: Pick<Environment, 'name'>): string => `${awsPrefix(platform, env)}-karpenter-node`;
/** SQS queue of spot interruption and rebalance events Karpenter watches. */
export const karpenterInterruptionQueueName = (platform: Pick<Platform, 'name'>, env: Pick<Environment, 'name'>): string => `${awsPrefix(platform, env)}-karpenter`;
/** Label and taint of the dedicated Karpenter NodePool for high-impact services (source 004 §25-02). */
export const DEDICATED_NODE_LABEL = 'platform.ec/dedicated';
export const dedicatedNodePoolName = (namespace: Pick<Namespace, 'name'>, service: Pick<Service, 'name'>): string => `dedicated-${namespace.name}-${service.name}`;
export const SHARED_NODE_POOL = 'shared';
/** StorageClass of persistent volumes: gp3 through the EBS CSI driver, encrypted with the EBS key. */
export const EBS_STORAGE_CLASS = 'gp3';
export const NODE_CLASS = 'default';

/**
 * AWS Secrets Manager entries of the SRE tools (created by the AWS layer, filled by operators, read
 * by External Secrets). Under the environment's secret prefix, so the External Secrets role can
 * read them; each lists the properties (JSON keys) it must hold.
 */
export const SRE_SECRETS = {
  /** OAuth2 Proxy's OIDC client secret and cookie secret (32 random bytes, base64). */
  oauth2Proxy: { name: 'oauth2-proxy', namespace: INGRESS_NGINX_NAMESPACE, properties: ['client-secret', 'cookie-secret'] },
  /** Webhook URL of the incident channel Alertmanager posts to (never rendered). */
  incidentWebhook: { name: 'incident-webhook', namespace: PROMETHEUS_IDENTITY.namespace, properties: ['url'] },
  /** Grafana's break-glass admin password (the chart would otherwise generate one on every render). */
  grafanaAdmin: { name: 'grafana-admin', namespace: PROMETHEUS_IDENTITY.namespace, properties: ['admin-password'] },
} as const;
export type SreSecret = keyof typeof SRE_SECRETS;

/** Name of an SRE secret in AWS Secrets Manager, e.g. "ec/dev/sre/oauth2-proxy". */
export const sreSecretName = (platform: Pick<Platform, 'name'>, env: Pick<Environment, 'name'>, secret: SreSecret): string =>
  `${platform.name}/${env.name}/sre/${SRE_SECRETS[secret].name}`;

// ---- Terraform state ----------------------------------------------------------------------------

export const terraformStackName = (env: Pick<Environment, 'name'>, stack: string): string => `${env.name}-${stack}`;

export function terraformBackend(platform: Pick<Platform, 'terraformStateBucketPrefix'>, env: Pick<Environment, 'name' | 'region'>, stack: string) {
  return {
    bucket: `${platform.terraformStateBucketPrefix}-${env.name}`,
    key: `${stack}/terraform.tfstate`,
    region: env.region,
    encrypt: true,
  };
}

// ---- ArgoCD and dist/ -------------------------------------------------------------------------

export const ROOT_APPLICATION = 'root';
/** AppProject holding the root and the parents (the platform repo only, ArgoCD's own namespace only). */
export const PLATFORM_PROJECT = 'platform';
export const teamProjectName = (team: Pick<Team, 'name'>): string => team.name;
export const parentApplicationName = (team: Pick<Team, 'name'>): string => `team-${team.name}`;
export const childApplicationName = (namespace: Pick<Namespace, 'name'>): string => `ns-${namespace.name}`;
/** Child Application of the cluster-scoped objects (Namespaces, NodePools ...), in the sre project. */
export const CLUSTER_APPLICATION = 'cluster';
/** Child Application of Karpenter's NodePools and node class: after Karpenter brings their CRDs. */
export const CLUSTER_NODES_APPLICATION = 'cluster-nodes';
/** The team allowed to own cluster-scoped objects. */
export const SRE_TEAM = 'sre';

/** Folder of the rendered tree, relative to the repository root (ArgoCD source paths start here). */
export const DIST_ROOT = 'dist';
export const distEnvPath = (env: Pick<Environment, 'name'>): string => `${DIST_ROOT}/${env.name}`;
export const clusterPath = (env: Pick<Environment, 'name'>): string => `${distEnvPath(env)}/cluster`;
/** Karpenter's cluster-scoped objects (NodePools, EC2NodeClass). */
export const clusterNodesPath = (env: Pick<Environment, 'name'>): string => `${distEnvPath(env)}/cluster-nodes`;
export const namespacePath = (env: Pick<Environment, 'name'>, namespace: Pick<Namespace, 'name'>): string =>
  `${distEnvPath(env)}/namespaces/${namespace.name}`;
export const argocdPath = (env: Pick<Environment, 'name'>): string => `${distEnvPath(env)}/argocd`;
export const rootPath = (env: Pick<Environment, 'name'>): string => `${argocdPath(env)}/root`;
/** Where the root Application points: AppProjects and parent Applications. */
export const teamsPath = (env: Pick<Environment, 'name'>): string => `${argocdPath(env)}/teams`;
/** Where a team's parent Application points: its child Applications. */
export const childrenPath = (env: Pick<Environment, 'name'>, team: Pick<Team, 'name'>): string => `${argocdPath(env)}/children/${team.name}`;
export const terraformPath = (env: Pick<Environment, 'name'>, stack: string): string => `${distEnvPath(env)}/terraform/${stack}`;
export const contractPath = (env: Pick<Environment, 'name'>): string => `${distEnvPath(env)}/contract.json`;

/** File name of one rendered object: `<kind>-<name>.yaml`, kind lower-cased. */
export const objectFileName = (kind: string, name: string): string => `${kind.toLowerCase()}-${name}.yaml`;
