/**
 * Names and small derived values of the AWS layer that platform/naming.ts does not hold. Pure
 * functions of the model, no framework imports: the CDKTF stacks, the contract and the tests call
 * them. Names marked "shared" are also what the Kubernetes layer must use (Fluent Bit log groups,
 * the Aurora endpoint parameter, KMS alias ARNs); they are candidates for platform/naming.ts.
 */
import { awsPrefix, databaseSecretName, distEnvPath, kmsAliasName, serviceSecretName, SRE_SECRETS, type SreSecret, sreSecretName, ssmParameterName } from './naming';
import { CONTRACT_BROKER_NAMESPACE, contractBrokerSecretName, contractBrokerSecretsRead, hostsContractBroker, isContractGateNamespace } from './gates';
import type { Environment, Platform } from './types';

type PlatformName = Pick<Platform, 'name'>;
type EnvName = Pick<Environment, 'name'>;

// ---- Partition and ARNs -------------------------------------------------------------------------

/** AWS partition of a region ("aws", "aws-cn", "aws-us-gov"). */
export function awsPartition(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** DNS suffix of AWS service principals and endpoints in a region. */
export function awsDnsSuffix(region: string): string {
  return region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
}

/** Service principal of an AWS service in the environment's partition, e.g. "ec2.amazonaws.com". */
export const awsServicePrincipal = (env: Pick<Environment, 'region'>, service: string): string => `${service}.${awsDnsSuffix(env.region)}`;

/** ARN of a regional resource of the environment's account: `arn:<p>:<service>:<region>:<account>:<resource>`. */
export const regionalArn = (env: Pick<Environment, 'region' | 'account'>, service: string, resource: string): string =>
  `arn:${awsPartition(env.region)}:${service}:${env.region}:${env.account}:${resource}`;

/** ARN of an SSM parameter (its name starts with "/"). */
export const ssmParameterArn = (env: Pick<Environment, 'region' | 'account'>, name: string): string => regionalArn(env, 'ssm', `parameter${name}`);

/**
 * ARN pattern of a Secrets Manager secret by name: AWS appends "-" and six random characters, so
 * "??????" matches exactly that secret (and no secret whose name merely starts with it).
 */
export const secretArnPattern = (env: Pick<Environment, 'region' | 'account'>, name: string): string => regionalArn(env, 'secretsmanager', `secret:${name}-??????`);

// ---- KMS ----------------------------------------------------------------------------------------

/** The environment's customer-managed KMS keys, by purpose (the suffix of their alias). */
export const KMS_KEYS = {
  /** Envelope encryption of Kubernetes Secrets (cluster stack). */
  eksSecrets: 'eks-secrets',
  /** CloudWatch Logs: control plane, Fluent Bit, Aurora logs (cluster stack). */
  logs: 'logs',
  /** EBS volumes of every node, managed and Karpenter's (cluster stack; shared with the EC2NodeClass). */
  ebs: 'ebs',
  /** Secrets Manager secrets: per-service app and database secrets, the Aurora master secret (cluster stack). */
  secretsManager: 'secrets-manager',
  /** SOPS-encrypted files of the team repositories (cluster stack; shared with .sops.yaml). */
  sops: 'sops',
  /** Aurora storage (data stack). */
  aurora: 'aurora',
  /** The alerts SNS topic (observability stack; CloudWatch alarms publish through it). */
  alerts: 'alerts',
  /** The CloudFront web ACL's log group, in us-east-1 (data stack). */
  cdnLogs: 'cdn-logs',
} as const;
export type KmsKeyPurpose = keyof typeof KMS_KEYS;

/** Alias name of one of the environment's keys, e.g. "alias/ec-dev-ebs". */
export const kmsKeyAlias = (platform: PlatformName, env: EnvName, purpose: KmsKeyPurpose): string => kmsAliasName(platform, env, KMS_KEYS[purpose]);

/** Where the render pipeline writes the environment's `.sops.yaml` (see infra/sops-config.ts), relative to the repository root. */
export const sopsConfigPath = (env: EnvName): string => `${distEnvPath(env)}/.sops.yaml`;

/** Alias ARN of one of the environment's keys (shared: SOPS and the EC2NodeClass name keys this way). */
export const kmsAliasArn = (platform: PlatformName, env: Pick<Environment, 'name' | 'region' | 'account'>, purpose: KmsKeyPurpose): string =>
  regionalArn(env, 'kms', kmsKeyAlias(platform, env, purpose));

// ---- Cluster ------------------------------------------------------------------------------------

/** Every IAM role name is at most this long. */
export const MAX_IAM_ROLE_NAME = 64;

/** EKS cluster ARN (derived, so policies of earlier stacks can name it). */
export const eksClusterArn = (env: Pick<Environment, 'region' | 'account'>, clusterName: string): string => regionalArn(env, 'eks', `cluster/${clusterName}`);

// ---- Data ---------------------------------------------------------------------------------------

/** Identifier of the environment's Aurora MySQL cluster (also the CloudWatch dimension of its alarms). */
export const auroraClusterIdentifier = (platform: PlatformName, env: EnvName): string => `${awsPrefix(platform, env)}-aurora`;

/** ARN of the Aurora cluster: the RDS-managed master secret is tagged with it. */
export const auroraClusterArn = (platform: PlatformName, env: Pick<Environment, 'name' | 'region' | 'account'>): string =>
  regionalArn(env, 'rds', `cluster:${auroraClusterIdentifier(platform, env)}`);

/** Master user of the Aurora cluster (its password is managed by RDS in Secrets Manager). */
export const AURORA_MASTER_USERNAME = 'platform_admin';

/**
 * SSM parameter holding the Aurora writer endpoint (shared: the DB bootstrap Job writes it into each
 * service's database secret). Values known only after apply travel this way, never through synth.
 */
export const auroraEndpointParameter = (platform: PlatformName, env: EnvName): string => ssmParameterName(platform, env, 'aurora/endpoint');

/** Prefix of the names of every Secrets Manager secret of the environment (what External Secrets may read). */
export const secretNamePrefix = (platform: PlatformName, env: EnvName): string => `${platform.name}/${env.name}/`;

// ---- Secrets isolation --------------------------------------------------------------------------

/**
 * ServiceAccount External Secrets authenticates as in each namespace that reads AWS Secrets
 * Manager: the namespace's SecretStore names it, and it carries the namespace's own IRSA role.
 */
export const SECRETS_READER_SERVICE_ACCOUNT = 'external-secrets-reader';

/** IRSA role of a namespace's secrets reader, e.g. "ec-dev-order-service-secrets" (at most 64 characters, validate.ts checks it). */
export const secretsReaderRoleName = (platform: PlatformName, env: EnvName, namespace: string): string => `${awsPrefix(platform, env)}-${namespace}-secrets`;

/**
 * Prefix of the secrets of a namespace's services ("<platform>/<env>/<namespace>/"). The SRE
 * secrets live under "<platform>/<env>/sre/", so no namespace may be named "sre" (validate.ts).
 */
export const namespaceSecretPrefix = (platform: PlatformName, env: EnvName, namespace: string): string => `${secretNamePrefix(platform, env)}${namespace}/`;

/** The SRE secrets whose Kubernetes Secret lives in a namespace. */
export const sreSecretsIn = (namespace: string): SreSecret[] => (Object.keys(SRE_SECRETS) as SreSecret[]).filter((s) => SRE_SECRETS[s].namespace === namespace);

interface SecretsNamespace {
  readonly name: string;
  readonly services: readonly { readonly name: string; readonly database?: unknown; readonly secrets: readonly { readonly from: string }[] }[];
}

/**
 * Names of exactly the Secrets Manager secrets a namespace reads: the app and database secrets of
 * its services (`secrets-manager` secrets, a database) and the SRE secrets kept in it.
 */
export function namespaceSecretsRead(platform: PlatformName & Partial<Pick<Platform, 'teams' | 'contractBroker'>>, env: EnvName & Partial<Pick<Environment, 'gates'>>, ns: SecretsNamespace): string[] {
  const secrets: string[] = [];
  // The broker's namespace, in the environment that runs it, reads its database and users.
  if (ns.name === CONTRACT_BROKER_NAMESPACE && hostsContractBroker(platform, env)) secrets.push(...contractBrokerSecretsRead(platform, env));
  // A namespace running the contract gate reads the broker's client credentials (platform/gates.ts).
  if (platform.teams && env.gates && isContractGateNamespace({ teams: platform.teams }, { gates: env.gates }, ns.name)) secrets.push(contractBrokerSecretName(platform, env));
  for (const service of ns.services) {
    const ref = { namespace: ns.name, service: service.name };
    if (service.secrets.some((s) => s.from === 'secrets-manager')) secrets.push(serviceSecretName(platform, env, ref));
    if (service.database) secrets.push(databaseSecretName(platform, env, ref));
  }
  for (const sre of sreSecretsIn(ns.name)) secrets.push(sreSecretName(platform, env, sre));
  return secrets;
}

/**
 * Every namespace that reads AWS Secrets Manager, with its team and the secrets it reads. Each gets
 * its own SecretStore, reader ServiceAccount and IRSA role. Sorted by namespace.
 */
export function secretsReaders(
  platform: PlatformName & Pick<Platform, 'teams'> & Partial<Pick<Platform, 'contractBroker'>>,
  env: EnvName & Partial<Pick<Environment, 'gates'>>,
): { namespace: string; team: string; secrets: string[] }[] {
  const out = platform.teams.flatMap((team) => team.namespaces.map((ns) => ({ namespace: ns.name, team: team.name, secrets: namespaceSecretsRead(platform, env, ns) })));
  return out.filter((r) => r.secrets.length > 0).sort((a, b) => (a.namespace < b.namespace ? -1 : a.namespace > b.namespace ? 1 : 0));
}

/** Tag every Secrets Manager secret carries with its kind ("database", "app", "sre"); the DB bootstrap role is scoped by it. */
export const SECRET_KIND_TAG = 'platform.ec/secret-kind';

/** Log groups Aurora exports to (created ahead, encrypted and bounded, instead of by RDS). */
export const AURORA_LOG_EXPORTS: readonly string[] = ['audit', 'error', 'slowquery'];
export const auroraLogGroupName = (platform: PlatformName, env: EnvName, log: string): string => `/aws/rds/cluster/${auroraClusterIdentifier(platform, env)}/${log}`;

/**
 * Default `max_connections` of Aurora MySQL by instance class (AWS documents the formula and this
 * table; it depends on the class's memory). The connections alarm fires at a share of it.
 */
const AURORA_MAX_CONNECTIONS_BY_SIZE: Readonly<Record<string, number>> = {
  'db.t3.medium': 90,
  'db.t4g.medium': 90,
  'db.t3.large': 135,
  'db.t4g.large': 135,
  large: 1000,
  xlarge: 2000,
  '2xlarge': 3000,
  '4xlarge': 4000,
  '8xlarge': 5000,
  '12xlarge': 6000,
  '16xlarge': 6000,
  '24xlarge': 7000,
};
export function auroraMaxConnections(instanceClass: string): number | undefined {
  if (instanceClass in AURORA_MAX_CONNECTIONS_BY_SIZE) return AURORA_MAX_CONNECTIONS_BY_SIZE[instanceClass];
  const match = /^db\.(r\d+[a-z]*|x\d+[a-z]*)\.(\w+)$/.exec(instanceClass);
  return match ? AURORA_MAX_CONNECTIONS_BY_SIZE[match[2]] : undefined;
}

// ---- Edge ---------------------------------------------------------------------------------------

export type AlbKind = 'external' | 'internal';

/** Name of one of the environment's ALBs (at most 32 characters). */
export const albName = (platform: PlatformName, env: EnvName, alb: AlbKind): string => `${awsPrefix(platform, env)}-${alb}`;

/**
 * Target group of the internal ALB on the Istio NodePort. A target group serves one load balancer,
 * so the internal ALB gets its own (`targetGroupName(.., "istio")` is the external ALB's).
 */
export const internalIstioTargetGroupName = (platform: PlatformName, env: EnvName): string => `${awsPrefix(platform, env)}-istio-int`;

/** ALB, target group and WAF names are at most 32 characters (ALB/TG) or 128 (WAF); ALB/TG is the binding limit. */
export const MAX_ELB_NAME = 32;

/**
 * Rate limit of the public web ACLs: requests one client address may send per evaluation window
 * before WAF blocks it (seed 002 table 5 names the pattern; the numbers are this platform's choice).
 */
export const PUBLIC_RATE_LIMIT = { requests: 2000, windowSeconds: 300 } as const;

/** Largest request body the public API accepts (the BFFs' declared limit). */
export const API_MAX_REQUEST_BODY_BYTES = 8 * 1024;
/** What AWS's SizeRestrictions_BODY (AWSManagedRulesCommonRuleSet) blocks above. */
export const WAF_BODY_SIZE_RESTRICTION_BYTES = 8 * 1024;

/** Web ACL of one ALB. */
export const webAclName = (platform: PlatformName, env: EnvName, alb: AlbKind): string => `${awsPrefix(platform, env)}-${alb}`;

/**
 * Health checks of the gateway target groups (traffic port, HTTP). ingress-nginx answers /healthz
 * on its default server; the Istio gateway's Envoy answers the ALB's host-less probe with 404 (no
 * virtual host matches), so any HTTP answer below 500 proves node -> NodePort -> gateway Pod works,
 * while refused connections, timeouts and 5xx fail the target.
 */
/* The Istio gateway is probed on its status port (`/healthz/ready`, its own fixed NodePort). */
export const GATEWAY_HEALTH_CHECKS = {
  istio: { path: '/healthz/ready', matcher: '200' },
  nginx: { path: '/healthz', matcher: '200' },
} as const;

/**
 * Route 53 hosted zone of a host: the shortest of the environment's domains (web, api, internal)
 * that is the host or a parent of it. So "api.shop.example.com" and "x.internal.shop.example.com"
 * live in "shop.example.com" when that is the web domain, and a separate internal domain (as in
 * dev: "dev.internal.shop.example.com" next to "dev.shop.example.com") is its own zone.
 */
export function hostedZoneName(env: Pick<Environment, 'domains'>, host: string): string {
  const candidates = [env.domains.web, env.domains.api, env.domains.internal].filter((d) => host === d || host.endsWith(`.${d}`));
  if (candidates.length === 0) throw new Error(`host ${host} is under none of the environment's domains`);
  return candidates.sort((a, b) => a.length - b.length || (a < b ? -1 : 1))[0];
}

/**
 * Host of the static files behind CloudFront: "static." under the web domain (the web host itself
 * is the external ALB's). Its record lives in the web domain's zone.
 */
export const cdnHost = (env: Pick<Environment, 'domains'>): string => `static.${env.domains.web}`;

/** S3 bucket of CloudFront's access logs (legacy standard logging needs ACLs: its own bucket). */
export const cdnLogsBucketName = (platform: PlatformName, env: Pick<Environment, 'name' | 'account'>): string => `${awsPrefix(platform, env)}-cdn-logs-${env.account}`;

/** S3 bucket of the ALBs' access logs (names are global: the account id is part of it). */
export const albLogsBucketName = (platform: PlatformName, env: Pick<Environment, 'name' | 'account'>): string => `${awsPrefix(platform, env)}-alb-logs-${env.account}`;

/** Log group of a web ACL's logs (WAF requires the "aws-waf-logs-" prefix). */
export const wafLogGroupName = (platform: PlatformName, env: EnvName, acl: string): string => `aws-waf-logs-${awsPrefix(platform, env)}-${acl}`;

/**
 * Account of Elastic Load Balancing that writes access logs in Regions opened before August 2022
 * (AWS, "Enable access logs for your Application Load Balancer"); later Regions use the service
 * principal `logdelivery.elasticloadbalancing.amazonaws.com` instead.
 */
export const ELB_LOG_DELIVERY_ACCOUNTS: Readonly<Record<string, string>> = {
  'us-east-1': '127311923021',
  'us-east-2': '033677994240',
  'us-west-1': '027434742980',
  'us-west-2': '797873946194',
  'ap-northeast-1': '582318560864',
  'ap-northeast-2': '600734575887',
  'ap-northeast-3': '383597477331',
  'ap-southeast-1': '114774131450',
  'ap-southeast-2': '783225319266',
  'ap-south-1': '718504428378',
  'eu-west-1': '156460612806',
  'eu-west-2': '652711504416',
  'eu-central-1': '054676820928',
};

/** Wildcard host the SRE dashboards behind ingress-nginx use (one certificate, one DNS record). */
export const internalWildcardHost = (env: Pick<Environment, 'domains'>): string => `*.${env.domains.internal}`;

// ---- Observability ------------------------------------------------------------------------------

/** Log group of the application (container stdout/stderr) logs Fluent Bit ships (shared with its config). */
export const applicationLogGroupName = (platform: PlatformName, env: EnvName): string => `/${platform.name}/${env.name}/application`;
/** Log group of the Istio sidecar/gateway access logs Fluent Bit ships (shared with its config). */
export const meshAccessLogGroupName = (platform: PlatformName, env: EnvName): string => `/${platform.name}/${env.name}/mesh-access`;
/** Every log group Fluent Bit writes to (its role may write these and nothing else). */
export const fluentBitLogGroupNames = (platform: PlatformName, env: EnvName): string[] => [applicationLogGroupName(platform, env), meshAccessLogGroupName(platform, env)];

/** Log group of the VPC's flow logs (every accepted and rejected flow). */
export const vpcFlowLogGroupName = (platform: PlatformName, env: EnvName): string => `/${platform.name}/${env.name}/vpc-flow-logs`;

/** SNS topic CloudWatch alarms publish to (delivered to the environment's incident endpoint). */
export const alertsTopicName = (platform: PlatformName, env: EnvName): string => `${awsPrefix(platform, env)}-alerts`;
