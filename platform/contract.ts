/**
 * The values the AWS and Kubernetes layers share, derived once from the model. Each entry names
 * who produces the value (a Terraform stack, with the resource that carries it) and who consumes it
 * (a Kubernetes object and field). The render checks every entry against both rendered layers
 * (render/contract.ts) and fails when either side lacks it.
 *
 * Consumers are rolled out kind by kind: an entry is emitted only for the consumers whose kind is
 * in RENDERED_CONSUMERS (or the kinds a caller passes), so a producer can land before the charts
 * that read it. Add a kind to RENDERED_CONSUMERS when its objects render.
 */
import {
  applicationLogGroupName,
  auroraEndpointParameter,
  kmsAliasArn,
  kmsKeyAlias,
  meshAccessLogGroupName,
  SECRETS_READER_SERVICE_ACCOUNT,
  secretsReaderRoleName,
  secretsReaders,
  sopsConfigPath,
} from './aws-names';
import { contractBrokerDatabase, hostsContractBroker } from './gates';
import { buildsOwnImage, imageRepository } from './images';
import {
  cdnPurgeJobName,
  appSecretName,
  auroraMasterSecretParameter,
  cdnDistributionIdParameter,
  childrenPath,
  clusterNodesPath,
  databaseSecretK8sName,
  databaseSecretName,
  ecrRepositoryName,
  iamRoleArn,
  karpenterDiscoveryTag,
  karpenterInterruptionQueueName,
  karpenterNodeRoleName,
  namespacePath,
  NODE_CLASS,
  objectFileName,
  PLATFORM_IDENTITIES,
  platformRoleName,
  serviceAccountName,
  serviceRoleName,
  serviceSecretName,
  SRE_TEAM,
  targetGroupName,
  type PlatformIdentity,
} from './naming';
import type { Environment, Platform } from './types';

/** Which kind of rendered file consumes a value (the unit consumers are switched on by). */
export type ConsumerKind =
  /** `namespaces/<ns>/serviceaccount-<service>.yaml`: the IRSA role annotation. */
  | 'service-account'
  /** `namespaces/<ns>/deployment-<service>.yaml`: the image repository. */
  | 'deployment-image'
  /** `namespaces/<ns>/externalsecret-<service>-database.yaml`: remote key of the database secret. */
  | 'external-secret-database'
  /** `namespaces/<ns>/externalsecret-<service>-app.yaml`: remote key of the app secret. */
  | 'external-secret-app'
  /** `namespaces/<ns>/job-<service>-cdn-purge.yaml`: SSM parameter of the distribution id. */
  | 'cdn-purge-job'
  /** `cluster/ec2nodeclass-default.yaml`: discovery tags, node role, EBS key. */
  | 'ec2nodeclass'
  /** `argocd/children/sre/application-addon-<name>.yaml`: Helm values of the platform add-ons. */
  | 'addon-karpenter'
  | 'addon-external-secrets'
  | 'addon-fluent-bit'
  | 'addon-otel-collector'
  | 'addon-istio-ingressgateway'
  | 'addon-ingress-nginx'
  | 'addon-argo-cd'
  /** `namespaces/database-infra/serviceaccount-db-bootstrap.yaml`: its IRSA role annotation. */
  | 'db-bootstrap-service-account'
  /** `namespaces/database-infra/job-db-bootstrap.yaml`: the SSM parameters it reads. */
  | 'db-bootstrap-job'
  /** `dist/<env>/sops.yaml`: the SOPS key. */
  | 'sops-config'
  /** `namespaces/<ns>/serviceaccount-external-secrets-reader.yaml`: the namespace's secrets reader role. */
  | 'secrets-reader-service-account';

export const ALL_CONSUMER_KINDS: readonly ConsumerKind[] = [
  'service-account',
  'deployment-image',
  'external-secret-database',
  'external-secret-app',
  'cdn-purge-job',
  'ec2nodeclass',
  'addon-karpenter',
  'addon-external-secrets',
  'addon-fluent-bit',
  'addon-otel-collector',
  'addon-istio-ingressgateway',
  'addon-ingress-nginx',
  'addon-argo-cd',
  'db-bootstrap-service-account',
  'db-bootstrap-job',
  'sops-config',
  'secrets-reader-service-account',
];

/**
 * The consumer kinds the render produces today: all of them. A new producer whose consumer is not
 * rendered yet is listed in ALL_CONSUMER_KINDS first and joins this list when its objects render.
 */
export const RENDERED_CONSUMERS: readonly ConsumerKind[] = ALL_CONSUMER_KINDS;

/** A resource the producing stack must hold: its type, and attributes it must have (deep subset). */
export interface ResourceMatch {
  readonly type: string;
  readonly attributes: Readonly<Record<string, unknown>>;
}

export interface ContractProducer {
  readonly layer: 'terraform';
  /** Stack name under dist/<env>/terraform/. */
  readonly stack: string;
  /** What in the stack carries the value. */
  readonly resource: string;
  /** Strings the stack's JSON must contain for the value to be produced there. */
  readonly evidence: readonly string[];
  /** Resources the stack must hold (checked on the parsed JSON). @default none */
  readonly match?: readonly ResourceMatch[];
}

export interface ContractConsumer {
  readonly layer: 'kubernetes';
  /** Which kind of file this is (see RENDERED_CONSUMERS). */
  readonly kind: ConsumerKind;
  /** File of the consuming object, relative to the repository root. */
  readonly file: string;
  /** Field of the object that carries the value. */
  readonly field: string;
  /** Strings the file must contain besides the value (e.g. the tag key of a tag value). @default none */
  readonly evidence?: readonly string[];
}

export interface ContractEntry {
  readonly name: string;
  readonly value: string;
  readonly producer: ContractProducer;
  readonly consumers: readonly ContractConsumer[];
}

export interface ContractOptions {
  /**
   * Consumer kinds whose files are rendered; consumers of other kinds are left out, and entries
   * left without consumers are not emitted.
   * @default RENDERED_CONSUMERS
   */
  readonly consumersRendered?: readonly ConsumerKind[];
}

/** File of a platform add-on's Application (the sre team's children). */
export const addonApplicationFile = (env: Pick<Environment, 'name'>, addon: string): string =>
  `${childrenPath(env, { name: SRE_TEAM })}/${objectFileName('Application', `addon-${addon}`)}`;

/** Add-on (Application name suffix) that runs each platform component, or the file of its ServiceAccount. */
const IDENTITY_CONSUMERS: Readonly<Record<PlatformIdentity, ConsumerKind>> = {
  karpenter: 'addon-karpenter',
  externalSecrets: 'addon-external-secrets',
  fluentBit: 'addon-fluent-bit',
  otelCollector: 'addon-otel-collector',
  dbBootstrap: 'db-bootstrap-service-account',
  argocdRepoServer: 'addon-argo-cd',
};

/** Name of a frontend's CDN purge Job (charts/service-workload.ts). */
/** Name of the DB bootstrap Job (database-infra). */
const DB_BOOTSTRAP_JOB = 'db-bootstrap';

const HELM_VALUES = 'spec.source.helm.valuesObject';
const ROLE_ANNOTATION = 'metadata.annotations["eks.amazonaws.com/role-arn"]';

export function contractEntries(platform: Platform, env: Environment, options: ContractOptions = {}): ContractEntry[] {
  const rendered = new Set(options.consumersRendered ?? RENDERED_CONSUMERS);
  return allContractEntries(platform, env).flatMap((entry) => {
    const consumers = entry.consumers.filter((c) => rendered.has(c.kind));
    return consumers.length > 0 ? [{ ...entry, consumers }] : [];
  });
}

/** Every entry with every consumer, rendered or not. */
function allContractEntries(platform: Platform, env: Environment): ContractEntry[] {
  const entries: ContractEntry[] = [];
  const add = (name: string, value: string, producer: Omit<ContractProducer, 'layer'>, consumers: Omit<ContractConsumer, 'layer'>[]) =>
    entries.push({ name, value, producer: { layer: 'terraform', ...producer }, consumers: consumers.map((c) => ({ layer: 'kubernetes', ...c })) });
  const roleProducer = (role: string, namespace: string, serviceAccount: string): Omit<ContractProducer, 'layer'> => ({
    stack: 'cluster',
    resource: `aws_iam_role ${role} trusting system:serviceaccount:${namespace}:${serviceAccount}`,
    evidence: [role, `system:serviceaccount:${namespace}:${serviceAccount}`],
    match: [{ type: 'aws_iam_role', attributes: { name: role } }],
  });

  // ---- Per service ----------------------------------------------------------------------------
  for (const team of platform.teams) {
    for (const ns of team.namespaces) {
      for (const service of ns.services) {
        const ref = { namespace: ns.name, service: service.name };
        const dir = namespacePath(env, ns);
        if (service.aws.length > 0) {
          const role = serviceRoleName(platform, env, ref);
          add(`iam-role/${ns.name}/${service.name}`, iamRoleArn(env, role), roleProducer(role, ns.name, serviceAccountName(service)), [
            { kind: 'service-account', file: `${dir}/${objectFileName('ServiceAccount', serviceAccountName(service))}`, field: ROLE_ANNOTATION },
          ]);
        }
        if (buildsOwnImage(service)) {
          const repository = ecrRepositoryName(platform, ref);
          add(
            `ecr-repository/${ns.name}/${service.name}`,
            imageRepository(platform, env, ref, service),
            { stack: 'ecr', resource: `aws_ecr_repository ${repository}`, evidence: [repository], match: [{ type: 'aws_ecr_repository', attributes: { name: repository } }] },
            [{ kind: 'deployment-image', file: `${dir}/${objectFileName('Deployment', service.name)}`, field: 'spec.template.spec.containers[app].image' }],
          );
        }
        if (service.database) {
          const secret = databaseSecretName(platform, env, ref);
          add(
            `database-secret/${ns.name}/${service.name}`,
            secret,
            { stack: 'data', resource: `aws_secretsmanager_secret ${secret}`, evidence: [secret], match: [{ type: 'aws_secretsmanager_secret', attributes: { name: secret } }] },
            [{ kind: 'external-secret-database', file: `${dir}/${objectFileName('ExternalSecret', databaseSecretK8sName(service))}`, field: 'spec.dataFrom[].extract.key' }],
          );
        }
        if (service.secrets.some((s) => s.from === 'secrets-manager')) {
          const secret = serviceSecretName(platform, env, ref);
          add(
            `app-secret/${ns.name}/${service.name}`,
            secret,
            { stack: 'data', resource: `aws_secretsmanager_secret ${secret}`, evidence: [secret], match: [{ type: 'aws_secretsmanager_secret', attributes: { name: secret } }] },
            [{ kind: 'external-secret-app', file: `${dir}/${objectFileName('ExternalSecret', appSecretName(service))}`, field: 'spec.data[].remoteRef.key' }],
          );
        }
        if (service.aws.includes('cdn-invalidation')) {
          const parameter = cdnDistributionIdParameter(platform, env);
          add(
            `cdn-distribution-id-parameter/${ns.name}/${service.name}`,
            parameter,
            { stack: 'data', resource: `aws_ssm_parameter ${parameter}`, evidence: [parameter], match: [{ type: 'aws_ssm_parameter', attributes: { name: parameter } }] },
            [{ kind: 'cdn-purge-job', file: `${dir}/${objectFileName('Job', cdnPurgeJobName(service))}`, field: 'spec.template.spec.containers[].env' }],
          );
        }
      }
    }
  }

  // ---- Karpenter ------------------------------------------------------------------------------
  const nodeClass = `${clusterNodesPath(env)}/${objectFileName('EC2NodeClass', NODE_CLASS)}`;
  const tag = karpenterDiscoveryTag(platform, env);
  add(
    'karpenter-discovery-tag/subnets',
    tag.value,
    { stack: 'network', resource: `aws_subnet (private) tagged ${tag.key}=${tag.value}`, evidence: [tag.key, tag.value], match: [{ type: 'aws_subnet', attributes: { tags: { [tag.key]: tag.value } } }] },
    [{ kind: 'ec2nodeclass', file: nodeClass, field: 'spec.subnetSelectorTerms[].tags', evidence: [tag.key] }],
  );
  add(
    'karpenter-discovery-tag/security-group',
    tag.value,
    { stack: 'cluster', resource: `aws_ec2_tag ${tag.key}=${tag.value} on the cluster security group`, evidence: [tag.key, tag.value], match: [{ type: 'aws_ec2_tag', attributes: { key: tag.key, value: tag.value } }] },
    [{ kind: 'ec2nodeclass', file: nodeClass, field: 'spec.securityGroupSelectorTerms[].tags', evidence: [tag.key] }],
  );
  const nodeRole = karpenterNodeRoleName(platform, env);
  add('karpenter-node-role', nodeRole, { stack: 'cluster', resource: `aws_iam_role ${nodeRole}`, evidence: [nodeRole], match: [{ type: 'aws_iam_role', attributes: { name: nodeRole } }] }, [
    { kind: 'ec2nodeclass', file: nodeClass, field: 'spec.role' },
  ]);
  const ebsAlias = kmsKeyAlias(platform, env, 'ebs');
  add('kms-key/ebs', kmsAliasArn(platform, env, 'ebs'), { stack: 'cluster', resource: `aws_kms_alias ${ebsAlias}`, evidence: [ebsAlias], match: [{ type: 'aws_kms_alias', attributes: { name: ebsAlias } }] }, [
    { kind: 'ec2nodeclass', file: nodeClass, field: 'spec.blockDeviceMappings[].ebs.kmsKeyID' },
  ]);
  const queue = karpenterInterruptionQueueName(platform, env);
  add('karpenter-interruption-queue', queue, { stack: 'cluster', resource: `aws_sqs_queue ${queue}`, evidence: [queue], match: [{ type: 'aws_sqs_queue', attributes: { name: queue } }] }, [
    { kind: 'addon-karpenter', file: addonApplicationFile(env, 'karpenter'), field: `${HELM_VALUES}.settings.interruptionQueue` },
  ]);

  // ---- Gateway NodePorts (ALB target groups <-> gateway Services) -----------------------------
  for (const [gateway, addon, port] of [
    ['istio', 'istio-ingressgateway', platform.nodePorts.istioIngressHttp],
    ['nginx', 'ingress-nginx', platform.nodePorts.ingressNginxHttp],
  ] as const) {
    const group = targetGroupName(platform, env, gateway);
    add(
      `node-port/${addon}`,
      String(port),
      { stack: 'cluster', resource: `aws_lb_target_group ${group} (instance, port ${port})`, evidence: [group], match: [{ type: 'aws_lb_target_group', attributes: { name: group, port, target_type: 'instance' } }] },
      [{ kind: `addon-${addon}`, file: addonApplicationFile(env, addon), field: `${HELM_VALUES} (HTTP port nodePort)` }],
    );
  }

  // The Istio gateway's status port: the ALB target groups' health checks probe it on its NodePort.
  {
    const port = platform.nodePorts.istioIngressStatus;
    const group = targetGroupName(platform, env, 'istio');
    add(
      'node-port/istio-ingressgateway-status',
      String(port),
      {
        stack: 'cluster',
        resource: `aws_lb_target_group ${group} health check (port ${port})`,
        evidence: [group],
        match: [{ type: 'aws_lb_target_group', attributes: { name: group, health_check: { port: String(port) } } }],
      },
      [{ kind: 'addon-istio-ingressgateway', file: addonApplicationFile(env, 'istio-ingressgateway'), field: `${HELM_VALUES} (status-port nodePort)` }],
    );
  }

  // ---- Platform components' IRSA roles --------------------------------------------------------
  for (const id of Object.keys(PLATFORM_IDENTITIES) as PlatformIdentity[]) {
    const { namespace, serviceAccount } = PLATFORM_IDENTITIES[id];
    const role = platformRoleName(platform, env, id);
    const kind = IDENTITY_CONSUMERS[id];
    const file =
      kind === 'db-bootstrap-service-account'
        ? `${namespacePath(env, { name: namespace })}/${objectFileName('ServiceAccount', serviceAccount)}`
        : addonApplicationFile(env, kind.replace(/^addon-/, ''));
    add(`iam-role/platform/${id}`, iamRoleArn(env, role), roleProducer(role, namespace, serviceAccount), [
      { kind, file, field: kind === 'db-bootstrap-service-account' ? ROLE_ANNOTATION : `${HELM_VALUES} (ServiceAccount annotation eks.amazonaws.com/role-arn)` },
    ]);
  }

  // ---- Each namespace's secrets reader (its SecretStore's identity) ----------------------------
  for (const reader of secretsReaders(platform, env)) {
    const role = secretsReaderRoleName(platform, env, reader.namespace);
    add(`iam-role/secrets-reader/${reader.namespace}`, iamRoleArn(env, role), roleProducer(role, reader.namespace, SECRETS_READER_SERVICE_ACCOUNT), [
      {
        kind: 'secrets-reader-service-account',
        file: `${namespacePath(env, { name: reader.namespace })}/${objectFileName('ServiceAccount', SECRETS_READER_SERVICE_ACCOUNT)}`,
        field: ROLE_ANNOTATION,
      },
    ]);
  }

  // ---- Values the DB bootstrap Job and Fluent Bit read ----------------------------------------
  const bootstrapJob = `${namespacePath(env, { name: PLATFORM_IDENTITIES.dbBootstrap.namespace })}/${objectFileName('Job', DB_BOOTSTRAP_JOB)}`;
  const broker = hostsContractBroker(platform, env) ? contractBrokerDatabase(platform, env) : undefined;
  for (const [name, parameter] of [
    ['aurora-master-secret-parameter', auroraMasterSecretParameter(platform, env)],
    ['aurora-endpoint-parameter', auroraEndpointParameter(platform, env)],
    // The contract broker's PostgreSQL cluster, where this environment runs it (platform/gates.ts).
    ...(broker ? ([['contract-broker-db-master-secret-parameter', broker.masterSecretParameter], ['contract-broker-db-endpoint-parameter', broker.endpointParameter]] as const) : []),
  ] as const) {
    add(name, parameter, { stack: 'data', resource: `aws_ssm_parameter ${parameter}`, evidence: [parameter], match: [{ type: 'aws_ssm_parameter', attributes: { name: parameter } }] }, [
      { kind: 'db-bootstrap-job', file: bootstrapJob, field: 'spec.template.spec.containers[].env' },
    ]);
  }
  for (const [name, group] of [
    ['log-group/application', applicationLogGroupName(platform, env)],
    ['log-group/mesh-access', meshAccessLogGroupName(platform, env)],
  ] as const) {
    add(name, group, { stack: 'observability', resource: `aws_cloudwatch_log_group ${group}`, evidence: [group], match: [{ type: 'aws_cloudwatch_log_group', attributes: { name: group } }] }, [
      { kind: 'addon-fluent-bit', file: addonApplicationFile(env, 'fluent-bit'), field: `${HELM_VALUES} (cloudwatch_logs outputs: log_group_name)` },
    ]);
  }

  // ---- SOPS -----------------------------------------------------------------------------------
  const sopsAlias = kmsKeyAlias(platform, env, 'sops');
  add('kms-key/sops', kmsAliasArn(platform, env, 'sops'), { stack: 'cluster', resource: `aws_kms_alias ${sopsAlias}`, evidence: [sopsAlias], match: [{ type: 'aws_kms_alias', attributes: { name: sopsAlias } }] }, [
    { kind: 'sops-config', file: sopsConfigPath(env), field: 'creation_rules[].kms' },
  ]);
  return entries;
}
