/**
 * The data, edge and observability stacks, the cluster stack's Karpenter and platform-component
 * parts, and rules that span every stack (keys, least privilege, no secret in the JSON,
 * environment differences). Resource rules use cdktf's Testing helpers on the stacks exactly as
 * `renderTerraform` builds them; the rest read what renderTerraform returns.
 */
import { Testing, type TerraformStack } from 'cdktf';
import { CloudfrontDistribution } from '@cdktf/provider-aws/lib/cloudfront-distribution';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { RdsCluster } from '@cdktf/provider-aws/lib/rds-cluster';
import { RdsClusterParameterGroup } from '@cdktf/provider-aws/lib/rds-cluster-parameter-group';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { Wafv2WebAcl } from '@cdktf/provider-aws/lib/wafv2-web-acl';
import { Wafv2WebAclAssociation } from '@cdktf/provider-aws/lib/wafv2-web-acl-association';
import { KarpenterResources } from '../infra/karpenter';
import { KmsKey } from '../infra/kms-key';
import { renderTerraform } from '../infra/render-terraform';
import { ServiceAccountRole } from '../infra/service-account-role';
import { publicWebAclRules } from '../infra/web-acl-rules';
import { sopsConfigYaml } from '../infra/sops-config';
import { addEnvironmentStacks } from '../infra/stacks';
import {
  API_MAX_REQUEST_BODY_BYTES,
  applicationLogGroupName,
  auroraClusterArn,
  PUBLIC_RATE_LIMIT,
  fluentBitLogGroupNames,
  kmsAliasArn,
  meshAccessLogGroupName,
} from '../platform/aws-names';
import {
  SRE_SECRETS,
  type SreSecret,
  sreSecretName,
  auroraMasterSecretParameter,
  cdnDistributionIdParameter,
  databaseSecretName,
  internalHost,
  karpenterInterruptionQueueName,
  karpenterNodeRoleName,
  kmsAliasName,
  PLATFORM_IDENTITIES,
  platformRoleName,
  serviceSecretName,
  targetGroupName,
  type PlatformIdentity,
} from '../platform/naming';
import { listServices } from '../platform/validate';
import { parse as parseYaml } from 'yaml';
import { envNamed, platform, rendered, type Json } from './support/cdktf-jest';
import { contractBrokerDatabase, contractBrokerSecretName } from '../platform/gates';

const ENVS = ['dev', 'stg', 'prd'] as const;

/** cdktf Testing.synth of every stack of an environment, by short name; built once. */
const synthCache = new Map<string, Map<string, string>>();
function synth(envName: string, stack: string): string {
  let stacks = synthCache.get(envName);
  if (!stacks) {
    stacks = new Map(addEnvironmentStacks(Testing.app(), platform, envNamed(envName)).map((s) => [s.stackName, Testing.synth(s as TerraformStack)]));
    synthCache.set(envName, stacks);
  }
  return stacks.get(stack)!;
}

const json = (envName: string, stack: string): Json => JSON.parse(rendered(envName).find((r) => r.stack === stack)!.json);
const everyStack = (): { env: string; stack: string; json: Json }[] => ENVS.flatMap((env) => rendered(env).map((r) => ({ env, stack: r.stack, json: JSON.parse(r.json) as Json })));

const resources = (stack: Json, type: string): [string, Json][] => Object.entries((stack.resource?.[type] ?? {}) as Record<string, Json>);
const bodies = (stack: Json, type: string): Json[] => resources(stack, type).map(([, body]) => body);
/** The shared Aurora MySQL cluster and its instances (the contract broker's PostgreSQL cluster is test/gates-broker.test.ts's). */
const isSharedAurora = (r: Json): boolean => r.engine === 'aurora-mysql';
const isSharedAuroraInstance = (r: Json): boolean => r.engine === '${aws_rds_cluster.aurora.engine}';
function one(stack: Json, type: string, where: (r: Json) => boolean = () => true): { name: string; body: Json } {
  const matches = resources(stack, type).filter(([, body]) => where(body));
  if (matches.length !== 1) throw new Error(`expected one ${type}, found ${matches.length}`);
  return { name: matches[0][0], body: matches[0][1] };
}
/** `${data.aws_iam_policy_document.x.json}` -> its statements. */
function statements(stack: Json, reference: string): Json[] {
  const match = /^\$\{data\.aws_iam_policy_document\.([\w-]+)\.json\}$/.exec(reference);
  if (!match) throw new Error(`${reference} is not a policy document reference`);
  return stack.data.aws_iam_policy_document[match[1]].statement;
}
/** The inline policy statements and the trust statements of the role with this name. */
function role(stack: Json, roleName: string): { trust: Json[]; permissions: Json[] } {
  const { name, body } = one(stack, 'aws_iam_role', (r) => r.name === roleName);
  const policies = bodies(stack, 'aws_iam_role_policy').filter((p) => p.role === `\${aws_iam_role.${name}.id}`);
  return { trust: statements(stack, body.assume_role_policy), permissions: policies.flatMap((p) => statements(stack, p.policy)) };
}
const ref = (type: string, name: string, attribute: string) => `\${${type}.${name}.${attribute}}`;

// ---- KMS ------------------------------------------------------------------------------------------

describe('KMS keys', () => {
  it('a KmsKey rotates yearly and gets its alias (Testing.synthScope)', () => {
    const out = Testing.synthScope((scope) => new KmsKey(scope, 'key', { alias: 'alias/test', description: 'test' }));
    expect(out).toHaveResourceWithProperties({ tfResourceType: 'aws_kms_key' }, { enable_key_rotation: true, deletion_window_in_days: 30 });
    expect(out).toHaveResourceWithProperties({ tfResourceType: 'aws_kms_alias' }, { name: 'alias/test' });
  });

  it('every key of every stack rotates and has exactly one alias at its derived name', () => {
    for (const env of ENVS) {
      const aliases = everyStack()
        .filter((s) => s.env === env)
        .flatMap(({ json: stack }) => {
          for (const key of bodies(stack, 'aws_kms_key')) expect(key).toMatchObject({ enable_key_rotation: true });
          expect(bodies(stack, 'aws_kms_alias')).toHaveLength(bodies(stack, 'aws_kms_key').length);
          return bodies(stack, 'aws_kms_alias').map((a) => a.name);
        });
      expect(aliases.sort()).toEqual(['alerts', 'aurora', 'cdn-logs', 'ebs', 'eks-secrets', 'logs', 'secrets-manager', 'sops'].map((p) => kmsAliasName(platform, envNamed(env), p)).sort());
    }
  });

  it('the node volumes of the system node group are encrypted with the EBS key, which the Auto Scaling role may use', () => {
    const stack = json('prd', 'cluster');
    const ebsKey = one(stack, 'aws_kms_alias', (a) => a.name === 'alias/ec-prd-ebs').body.target_key_id.replace(/\.key_id\}$/, '.arn}');
    expect(one(stack, 'aws_launch_template').body.block_device_mappings[0].ebs).toMatchObject({ encrypted: 'true', kms_key_id: ebsKey });
    const policy = statements(stack, one(stack, 'aws_kms_key', (k) => k.description.startsWith('EBS')).body.policy);
    expect(policy.map((s) => s.sid)).toEqual(['AccountAdministersKeyThroughIam', 'AutoScalingEncryptsNodeVolumes', 'AutoScalingGrantsVolumeAttachment']);
    expect(policy[1].principals[0].identifiers).toEqual(['arn:aws:iam::333333333333:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling']);
    expect(policy[2].condition).toEqual([{ test: 'Bool', variable: 'kms:GrantIsForAWSResource', values: ['true'] }]);
  });

  it('.sops.yaml names the SOPS key the cluster stack creates, by alias ARN', () => {
    for (const env of ENVS) {
      const config = parseYaml(sopsConfigYaml(platform, envNamed(env)));
      expect(config.creation_rules).toEqual([expect.objectContaining({ kms: kmsAliasArn(platform, envNamed(env), 'sops'), encrypted_regex: '^(data|stringData)$' })]);
      expect(bodies(json(env, 'cluster'), 'aws_kms_alias').map((a) => a.name)).toContain(kmsAliasName(platform, envNamed(env), 'sops'));
    }
  });
});

// ---- Cluster: Karpenter and platform components ------------------------------------------------------

describe('cluster: Karpenter', () => {
  it('the interruption queue is encrypted, short-lived and fed only by its EventBridge rules (Testing.synthScope)', () => {
    const out = Testing.synthScope((scope) => new KarpenterResources(scope, 'karpenter', { platform, env: envNamed('dev'), clusterName: 'ec-dev' }));
    expect(out).toHaveResourceWithProperties(SqsQueue, { name: 'ec-dev-karpenter', sqs_managed_sse_enabled: true, message_retention_seconds: 300 });
    const stack = JSON.parse(out) as Json;
    const rules = resources(stack, 'aws_cloudwatch_event_rule');
    expect(rules.map(([, r]) => JSON.parse(r.event_pattern)['detail-type'][0]).sort()).toEqual([
      'AWS Health Event',
      'EC2 Instance Rebalance Recommendation',
      'EC2 Instance State-change Notification',
      'EC2 Spot Instance Interruption Warning',
    ]);
    for (const target of bodies(stack, 'aws_cloudwatch_event_target')) expect(target.arn).toMatch(/^\$\{aws_sqs_queue\.[\w-]+\.arn\}$/);
    const [allow, deny] = statements(stack, one(stack, 'aws_sqs_queue_policy').body.policy);
    expect(allow).toMatchObject({ effect: 'Allow', actions: ['sqs:SendMessage'], principals: [{ type: 'Service', identifiers: ['events.amazonaws.com'] }] });
    expect(allow.condition[0].values.sort()).toEqual(rules.map(([name]) => ref('aws_cloudwatch_event_rule', name, 'arn')).sort());
    expect(deny).toMatchObject({ effect: 'Deny', condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }] });
  });

  it('the node role is assumable by EC2 only and may join the cluster through an EC2_LINUX access entry', () => {
    const stack = json('dev', 'cluster');
    const { trust } = role(stack, karpenterNodeRoleName(platform, envNamed('dev')));
    expect(trust).toEqual([expect.objectContaining({ actions: ['sts:AssumeRole'], principals: [{ type: 'Service', identifiers: ['ec2.amazonaws.com'] }] })]);
    const nodeRole = one(stack, 'aws_iam_role', (r) => r.name === karpenterNodeRoleName(platform, envNamed('dev'))).name;
    expect(one(stack, 'aws_eks_access_entry', (r) => r.type === 'EC2_LINUX').body).toMatchObject({ type: 'EC2_LINUX', principal_arn: ref('aws_iam_role', nodeRole, 'arn') });
  });

  it('the controller may pass only the node role, to EC2, and read only its queue', () => {
    const stack = json('dev', 'cluster');
    const { permissions } = role(stack, platformRoleName(platform, envNamed('dev'), 'karpenter'));
    const nodeRole = one(stack, 'aws_iam_role', (r) => r.name === karpenterNodeRoleName(platform, envNamed('dev'))).name;
    const queue = one(stack, 'aws_sqs_queue', (q) => q.name === karpenterInterruptionQueueName(platform, envNamed('dev'))).name;
    const bySid = new Map(permissions.map((s) => [s.sid, s]));
    expect(bySid.get('AllowPassingInstanceRole')).toMatchObject({
      actions: ['iam:PassRole'],
      resources: [ref('aws_iam_role', nodeRole, 'arn')],
      condition: [{ test: 'StringEquals', variable: 'iam:PassedToService', values: ['ec2.amazonaws.com'] }],
    });
    expect(bySid.get('AllowInterruptionQueueActions')!.resources).toEqual([ref('aws_sqs_queue', queue, 'arn')]);
    expect(bySid.get('AllowScopedDeletion')!.condition).toContainEqual({ test: 'StringEquals', variable: 'aws:ResourceTag/kubernetes.io/cluster/ec-dev', values: ['owned'] });
    expect(permissions.filter((s) => s.actions.some((a: string) => a.startsWith('iam:') && a !== 'iam:GetInstanceProfile' && a !== 'iam:ListInstanceProfiles' && a !== 'iam:PassRole')).every((s) => s.condition?.length > 0)).toBe(true);
  });
});

describe('cluster: platform components (IRSA)', () => {
  const stack = () => json('prd', 'cluster');
  const env = envNamed('prd');

  it.each(Object.keys(PLATFORM_IDENTITIES) as PlatformIdentity[])('the %s role trusts exactly its namespace/ServiceAccount through the cluster OIDC provider', (id) => {
    const { namespace, serviceAccount } = PLATFORM_IDENTITIES[id];
    expect(synth('prd', 'cluster')).toHaveResourceWithProperties({ tfResourceType: 'aws_iam_role' }, { name: platformRoleName(platform, env, id) });
    const { trust } = role(stack(), platformRoleName(platform, env, id));
    expect(trust).toHaveLength(1);
    expect(trust[0]).toMatchObject({ effect: 'Allow', actions: ['sts:AssumeRoleWithWebIdentity'], principals: [{ type: 'Federated', identifiers: [expect.stringMatching(/^\$\{aws_iam_openid_connect_provider\.[\w-]+\.arn\}$/)] }] });
    expect(trust[0].condition).toEqual([
      { test: 'StringEquals', variable: expect.stringMatching(/:sub$/), values: [`system:serviceaccount:${namespace}:${serviceAccount}`] },
      { test: 'StringEquals', variable: expect.stringMatching(/:aud$/), values: ['sts.amazonaws.com'] },
    ]);
  });

  it('a ServiceAccountRole trusts one ServiceAccount with no wildcard (Testing.synthScope)', () => {
    const out = Testing.synthScope((scope) => new ServiceAccountRole(scope, 'role', { roleName: 'r', namespace: 'ns', serviceAccount: 'sa', oidcProvider: { arn: 'arn:aws:iam::1:oidc-provider/x', issuer: 'x' } }));
    expect(out).toHaveResourceWithProperties({ tfResourceType: 'aws_iam_role' }, { name: 'r' });
    expect(out).not.toContain('"*"');
    expect(out).toContain('system:serviceaccount:ns:sa');
  });

  it('the External Secrets controller\'s own role has no permission (each namespace\'s store uses that namespace\'s reader role)', () => {
    const { permissions } = role(stack(), platformRoleName(platform, env, 'externalSecrets'));
    expect(permissions).toEqual([]);
  });

  it('the DB bootstrap Job reads only the Aurora master secret and writes only the per-service database secrets', () => {
    const { permissions } = role(stack(), platformRoleName(platform, env, 'dbBootstrap'));
    const secretStatements = permissions.filter((s) => s.actions.some((a: string) => a.startsWith('secretsmanager:')));
    const master = secretStatements.find((s) => s.sid === 'ReadAuroraMasterSecret')!;
    expect(master.actions).toEqual(['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret']);
    // prd runs the contract broker: its PostgreSQL cluster's master secret and its database secret too.
    const broker = contractBrokerDatabase(platform, env);
    expect(master.condition).toEqual([
      { test: 'StringEquals', variable: 'secretsmanager:ResourceTag/aws:rds:primaryDBClusterArn', values: [auroraClusterArn(platform, env), `arn:aws:rds:ap-northeast-1:333333333333:cluster:${broker.clusterIdentifier}`] },
    ]);
    const databases = listServices(platform).filter((e) => e.service.database);
    const written = secretStatements.find((s) => s.sid === 'WriteServiceDatabaseSecrets')!.resources as string[];
    expect(written.sort()).toEqual(
      [...databases.map((e) => databaseSecretName(platform, env, { namespace: e.namespace.name, service: e.service.name })), broker.secretName].map((name) => `arn:aws:secretsmanager:ap-northeast-1:333333333333:secret:${name}-??????`).sort(),
    );
    // Besides: the password generator (no resource), and promoting a rotated password (the same secrets only).
    expect(secretStatements.find((s) => s.sid === 'GeneratePasswords')).toMatchObject({ actions: ['secretsmanager:GetRandomPassword'], resources: ['*'] });
    expect(secretStatements.find((s) => s.sid === 'WriteServiceDatabaseSecrets')!.actions).toContain('secretsmanager:UpdateSecretVersionStage');
    expect(secretStatements).toHaveLength(3);
    expect(JSON.stringify(permissions)).not.toContain('/app-');
    expect(permissions.find((s) => s.sid === 'ReadAuroraParameters')!.resources).toContain(`arn:aws:ssm:ap-northeast-1:333333333333:parameter${auroraMasterSecretParameter(platform, env)}`);
  });

  it('Fluent Bit writes only to its own log groups; the OTel Collector only puts traces', () => {
    const fluentBit = role(stack(), platformRoleName(platform, env, 'fluentBit')).permissions;
    expect(fluentBit).toHaveLength(1);
    expect(fluentBit[0].actions).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams']);
    for (const resource of fluentBit[0].resources as string[]) {
      expect(fluentBitLogGroupNames(platform, env).some((group) => resource.startsWith(`arn:aws:logs:ap-northeast-1:333333333333:log-group:${group}`))).toBe(true);
    }
    const otel = role(stack(), platformRoleName(platform, env, 'otelCollector')).permissions;
    expect(otel.flatMap((s) => s.actions).sort()).toEqual(['xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
  });

  it('the CDN purge grant may read only the distribution id parameter', () => {
    const frontend = listServices(platform).find((e) => e.service.aws.includes('cdn-invalidation'))!;
    const { permissions } = role(stack(), `ec-prd-${frontend.namespace.name}-${frontend.service.name}`);
    expect(permissions.find((s) => s.actions.includes('ssm:GetParameter'))!.resources).toEqual([`arn:aws:ssm:ap-northeast-1:333333333333:parameter${cdnDistributionIdParameter(platform, env)}`]);
  });
});

// ---- Data ----------------------------------------------------------------------------------------

describe('data: Aurora', () => {
  it('is KMS-encrypted, keeps its master password in RDS-managed Secrets Manager, and requires TLS', () => {
    expect(synth('prd', 'data')).toHaveResourceWithProperties(RdsCluster, {
      engine: 'aurora-mysql',
      storage_encrypted: true,
      kms_key_id: expect.stringMatching(/^\$\{aws_kms_key\.[\w-]+\.arn\}$/),
      manage_master_user_password: true,
      master_user_secret_kms_key_id: '${data.terraform_remote_state.cluster.outputs.secrets_manager_kms_key_arn}',
    });
    expect(synth('prd', 'data')).toHaveResourceWithProperties(RdsClusterParameterGroup, {
      parameter: expect.arrayContaining([
        expect.objectContaining({ name: 'require_secure_transport', value: 'ON' }),
        // The audit and slow query logs it exports are written (else the log groups stay empty).
        expect.objectContaining({ name: 'server_audit_logging', value: '1' }),
        expect.objectContaining({ name: 'server_audit_events', value: 'CONNECT,QUERY_DCL,QUERY_DDL' }),
        expect.objectContaining({ name: 'slow_query_log', value: '1' }),
        expect.objectContaining({ name: 'long_query_time', value: '1' }),
        expect.objectContaining({ name: 'log_output', value: 'FILE' }),
      ]),
    });
    const stack = json('prd', 'data');
    const cluster = one(stack, 'aws_rds_cluster', isSharedAurora).body;
    expect(cluster.master_password).toBeUndefined();
    expect(cluster.db_cluster_parameter_group_name).toBe(ref('aws_rds_cluster_parameter_group', one(stack, 'aws_rds_cluster_parameter_group', (g) => g.family.startsWith('aurora-mysql')).name, 'name'));
  });

  it.each(ENVS)('%s: backups, deletion protection, final snapshot and instance count follow the environment', (envName) => {
    const env = envNamed(envName);
    const stack = json(envName, 'data');
    const cluster = one(stack, 'aws_rds_cluster', isSharedAurora).body;
    expect(cluster).toMatchObject({ backup_retention_period: env.backupRetentionDays, deletion_protection: env.deletionProtection, skip_final_snapshot: !env.deletionProtection });
    if (env.deletionProtection) expect(cluster.final_snapshot_identifier).toBe('ec-' + envName + '-aurora-final');
    else expect(cluster.final_snapshot_identifier).toBeUndefined();
    const instances = bodies(stack, 'aws_rds_cluster_instance').filter(isSharedAuroraInstance);
    expect(instances).toHaveLength(env.sizing.auroraInstances);
    for (const instance of instances) expect(instance).toMatchObject({ instance_class: env.sizing.auroraInstanceClass, publicly_accessible: false });
  });

  it('admits MySQL only from the EKS cluster security group (no CIDR), in the database subnets', () => {
    const stack = json('dev', 'data');
    const rules = bodies(stack, 'aws_vpc_security_group_ingress_rule');
    expect(rules.map((r) => ({ port: [r.from_port, r.to_port], cidr: r.cidr_ipv4, from: r.referenced_security_group_id }))).toEqual([
      { port: [3306, 3306], cidr: undefined, from: '${data.terraform_remote_state.cluster.outputs.cluster_security_group_id}' },
    ]);
    expect(one(stack, 'aws_db_subnet_group').body.subnet_ids).toBe('${data.terraform_remote_state.network.outputs.database_subnet_ids}');
    expect(bodies(stack, 'aws_vpc_security_group_egress_rule')).toEqual([]);
  });

  it('publishes the master secret ARN and the endpoint in SSM, never the password', () => {
    const stack = json('dev', 'data');
    const cluster = one(stack, 'aws_rds_cluster', isSharedAurora).name;
    expect(one(stack, 'aws_ssm_parameter', (p) => p.name === auroraMasterSecretParameter(platform, envNamed('dev'))).body).toMatchObject({
      type: 'String',
      value: `\${aws_rds_cluster.${cluster}.master_user_secret[0].secret_arn}`,
    });
    expect(one(stack, 'aws_ssm_parameter', (p) => p.name === '/ec/dev/aurora/endpoint').body.value).toBe(ref('aws_rds_cluster', cluster, 'endpoint'));
  });
});

describe('data: secrets', () => {
  it('creates one KMS-encrypted database secret per service with a database, one app secret per service with Secrets Manager secrets, and the SRE tools’ secrets', () => {
    const env = envNamed('stg');
    const stack = json('stg', 'data');
    const expected = listServices(platform).flatMap(({ namespace, service }) => {
      const key = { namespace: namespace.name, service: service.name };
      return [
        ...(service.database ? [databaseSecretName(platform, env, key)] : []),
        ...(service.secrets.some((s) => s.from === 'secrets-manager') ? [serviceSecretName(platform, env, key)] : []),
      ];
    });
    expected.push(...(Object.keys(SRE_SECRETS) as SreSecret[]).map((id) => sreSecretName(platform, env, id)));
    // stg turns the contract gate on: its broker client credentials.
    expected.push(contractBrokerSecretName(platform, env));
    const secrets = bodies(stack, 'aws_secretsmanager_secret');
    expect(secrets.map((s) => s.name).sort()).toEqual(expected.sort());
    for (const secret of secrets) expect(secret).toMatchObject({ kms_key_id: '${data.terraform_remote_state.cluster.outputs.secrets_manager_kms_key_arn}', recovery_window_in_days: 30 });
  });

  it('writes no secret value: no secret version, no password, no secret string anywhere in any stack', () => {
    const forbiddenKeys = /^(secret_string|secret_binary|secret_string_wo|master_password|master_password_wo|password|private_key|value_wo|insecure_value)$/;
    for (const { env, stack, json: body } of everyStack()) {
      expect({ env, stack, versions: Object.keys(body.resource ?? {}).filter((t) => /secret_version|random_password|tls_private_key/.test(t)) }).toEqual({ env, stack, versions: [] });
      const found: string[] = [];
      const visit = (node: unknown, path: string) => {
        if (Array.isArray(node)) node.forEach((n, i) => visit(n, `${path}[${i}]`));
        else if (node !== null && typeof node === 'object') {
          for (const [key, value] of Object.entries(node)) {
            if (forbiddenKeys.test(key)) found.push(`${path}.${key}`);
            visit(value, `${path}.${key}`);
          }
        }
      };
      visit(body.resource, 'resource');
      expect({ env, stack, found }).toEqual({ env, stack, found: [] });
      for (const parameter of bodies(body, 'aws_ssm_parameter')) expect(parameter.value).toMatch(/^\$\{[^}]+\}$/);
    }
  });
});

describe('data: static files', () => {
  it('the bucket blocks public access, enforces ownership, encrypts and versions', () => {
    expect(synth('prd', 'data')).toHaveResourceWithProperties(S3BucketPublicAccessBlock, {
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    const stack = json('prd', 'data');
    const bucket = one(stack, 'aws_s3_bucket', (b) => b.bucket === 'ec-prd-static-assets-333333333333');
    expect(bucket.body).toMatchObject({ force_destroy: false });
    const ofBucket = (b: Json) => b.bucket === `\${aws_s3_bucket.${bucket.name}.id}`;
    expect(one(stack, 'aws_s3_bucket_ownership_controls', ofBucket).body.rule).toEqual({ object_ownership: 'BucketOwnerEnforced' });
    expect(one(stack, 'aws_s3_bucket_server_side_encryption_configuration', ofBucket).body.rule[0].apply_server_side_encryption_by_default.sse_algorithm).toMatch(/^(AES256|aws:kms)$/);
    expect(one(stack, 'aws_s3_bucket_versioning', ofBucket).body.versioning_configuration).toEqual({ status: 'Enabled' });
  });

  it('only the CloudFront distribution reads the bucket (origin access control), over TLS only', () => {
    expect(synth('prd', 'data')).toHaveResourceWithProperties(CloudfrontDistribution, {
      default_cache_behavior: expect.objectContaining({ viewer_protocol_policy: 'redirect-to-https' }),
      origin: [expect.objectContaining({ origin_access_control_id: expect.stringMatching(/^\$\{aws_cloudfront_origin_access_control\.[\w-]+\.id\}$/) })],
    });
    const stack = json('prd', 'data');
    const distribution = one(stack, 'aws_cloudfront_distribution').name;
    const [allow, deny] = statements(stack, one(stack, 'aws_s3_bucket_policy').body.policy);
    expect(allow).toMatchObject({
      effect: 'Allow',
      actions: ['s3:GetObject'],
      principals: [{ type: 'Service', identifiers: ['cloudfront.amazonaws.com'] }],
      condition: [{ test: 'StringEquals', variable: 'AWS:SourceArn', values: [ref('aws_cloudfront_distribution', distribution, 'arn')] }],
    });
    expect(deny).toMatchObject({ effect: 'Deny', condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }] });
    expect(one(stack, 'aws_ssm_parameter', (p) => p.name === cdnDistributionIdParameter(platform, envNamed('prd'))).body.value).toBe(ref('aws_cloudfront_distribution', distribution, 'id'));
  });
});

// ---- Edge ----------------------------------------------------------------------------------------

describe('edge', () => {
  const stack = () => json('prd', 'edge');
  const env = envNamed('prd');

  it('HTTPS listeners use the modern TLS policy and a DNS-validated certificate; HTTP listeners only redirect', () => {
    expect(synth('prd', 'edge')).toHaveResourceWithProperties(LbListener, {
      port: 443,
      protocol: 'HTTPS',
      ssl_policy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      certificate_arn: expect.stringMatching(/^\$\{aws_acm_certificate_validation\.[\w-]+\.certificate_arn\}$/),
    });
    const listeners = bodies(stack(), 'aws_lb_listener');
    expect(listeners).toHaveLength(4);
    for (const listener of listeners.filter((l) => l.port === 80)) {
      expect(listener.default_action).toEqual([{ type: 'redirect', redirect: { protocol: 'HTTPS', port: '443', status_code: 'HTTP_301' } }]);
    }
    for (const listener of listeners.filter((l) => l.port === 443)) expect(listener.ssl_policy).toBe('ELBSecurityPolicy-TLS13-1-2-2021-06');
    for (const certificate of bodies(stack(), 'aws_acm_certificate')) expect(certificate.validation_method).toBe('DNS');
  });

  it('instance target groups sit on the model\'s NodePorts with health checks, in the cluster stack attached to the system node group\'s Auto Scaling group', () => {
    const cluster = () => json('prd', 'cluster');
    expect(synth('prd', 'cluster')).toHaveResourceWithProperties(LbTargetGroup, { name: targetGroupName(platform, env, 'istio'), port: platform.nodePorts.istioIngressHttp, target_type: 'instance' });
    expect(synth('prd', 'cluster')).toHaveResourceWithProperties(LbTargetGroup, { name: targetGroupName(platform, env, 'nginx'), port: platform.nodePorts.ingressNginxHttp, target_type: 'instance' });
    expect(resources(stack(), 'aws_lb_target_group')).toEqual([]);
    expect(resources(stack(), 'aws_autoscaling_attachment')).toEqual([]);
    const groups = resources(cluster(), 'aws_lb_target_group');
    expect(groups.map(([, g]) => g.port).sort()).toEqual([platform.nodePorts.istioIngressHttp, platform.nodePorts.istioIngressHttp, platform.nodePorts.ingressNginxHttp].sort());
    for (const [, group] of groups) {
      // Istio is probed on its status port (/healthz/ready) through its own fixed NodePort.
      const expected = group.port === platform.nodePorts.istioIngressHttp ? { port: String(platform.nodePorts.istioIngressStatus), path: '/healthz/ready', matcher: '200' } : { port: 'traffic-port' };
      expect(group.health_check).toMatchObject({ enabled: true, protocol: 'HTTP', ...expected });
    }
    const [[nodeGroup]] = resources(cluster(), 'aws_eks_node_group');
    const attachments = bodies(cluster(), 'aws_autoscaling_attachment');
    expect(attachments.map((a) => a.lb_target_group_arn).sort()).toEqual(groups.map(([name]) => ref('aws_lb_target_group', name, 'arn')).sort());
    for (const attachment of attachments) {
      expect(attachment.autoscaling_group_name).toBe(`\${aws_eks_node_group.${nodeGroup}.resources[0].autoscaling_groups[0].name}`);
      expect(attachment.lifecycle).toEqual({ create_before_destroy: true });
    }
  });

  it('routes the public hosts to Istio and refuses other hosts on the external ALB', () => {
    const external = one(stack(), 'aws_lb_listener', (l) => l.port === 443 && l.load_balancer_arn.includes('external')).body;
    expect(external.default_action[0]).toMatchObject({ type: 'fixed-response', fixed_response: { status_code: '404' } });
    const rule = one(stack(), 'aws_lb_listener_rule', (r) => r.listener_arn.includes('external')).body;
    expect(rule.condition).toEqual([{ host_header: { values: [env.domains.web, env.domains.api] } }]);
    expect(rule.action[0].target_group_arn).toBe('${data.terraform_remote_state.cluster.outputs.external_istio_target_group_arn}');
  });

  it('routes internal hosts of in-mesh services to Istio and everything else (SRE dashboards) to ingress-nginx on the internal ALB', () => {
    const meshHosts = listServices(platform)
      .filter((e) => e.namespace.mesh)
      .flatMap((e) => e.service.exposure.internal.map((r) => internalHost(env, r.subdomain)));
    expect(meshHosts.length).toBeGreaterThan(0);
    const rules = bodies(stack(), 'aws_lb_listener_rule').filter((r) => r.listener_arn.includes('internal'));
    expect(rules.flatMap((r) => r.condition[0].host_header.values).sort()).toEqual(meshHosts.sort());
    for (const rule of rules) expect(rule.action[0].target_group_arn).toBe('${data.terraform_remote_state.cluster.outputs.internal_istio_target_group_arn}');
    const internal = one(stack(), 'aws_lb_listener', (l) => l.port === 443 && l.load_balancer_arn.includes('internal')).body;
    expect(internal.default_action).toEqual([{ type: 'forward', target_group_arn: '${data.terraform_remote_state.cluster.outputs.internal_nginx_target_group_arn}' }]);
  });

  it('ALB security groups reach the nodes on the NodePorts only, and the nodes admit the ALBs on the NodePorts only', () => {
    const nodePorts = [platform.nodePorts.istioIngressHttp, platform.nodePorts.istioIngressStatus, platform.nodePorts.ingressNginxHttp];
    for (const rule of bodies(stack(), 'aws_vpc_security_group_egress_rule')) {
      expect(nodePorts).toContain(rule.from_port);
      expect(rule).toMatchObject({ to_port: rule.from_port, referenced_security_group_id: '${data.terraform_remote_state.cluster.outputs.cluster_security_group_id}' });
    }
    const toNodes = bodies(stack(), 'aws_vpc_security_group_ingress_rule').filter((r) => r.security_group_id === '${data.terraform_remote_state.cluster.outputs.cluster_security_group_id}');
    expect(toNodes).toHaveLength(5); // istio traffic + status from both ALBs, nginx from the internal one
    for (const rule of toNodes) {
      expect(nodePorts).toContain(rule.from_port);
      expect(rule.to_port).toBe(rule.from_port);
      expect(rule.referenced_security_group_id).toMatch(/^\$\{aws_security_group\.(external|internal)-alb-security-group\.id\}$/);
    }
  });

  it('the internal ALB admits only the allow list, at the security group and at the WAF (default block)', () => {
    const internalIn = bodies(stack(), 'aws_vpc_security_group_ingress_rule').filter((r) => r.security_group_id === ref('aws_security_group', 'internal-alb-security-group', 'id'));
    const sources = [...new Set(internalIn.map((r) => r.cidr_ipv4))];
    expect(sources).toEqual([...env.internalAllowCidrs]);
    expect(synth('prd', 'edge')).toHaveResourceWithProperties(Wafv2WebAcl, { name: 'ec-prd-internal', default_action: { block: {} } });
    expect(one(stack(), 'aws_wafv2_ip_set').body.addresses).toEqual(sources);
  });

  it('the external web ACL runs the AWS managed IP-reputation, common, known-bad-inputs and SQLi rule groups', () => {
    const acl = one(stack(), 'aws_wafv2_web_acl', (a) => a.name === 'ec-prd-external').body;
    expect(acl.default_action).toEqual({ allow: {} });
    expect(acl.rule.filter((r: Json) => r.statement.managed_rule_group_statement).map((r: Json) => r.statement.managed_rule_group_statement)).toEqual(
      ['AWSManagedRulesAmazonIpReputationList', 'AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet', 'AWSManagedRulesSQLiRuleSet'].map((name) => ({ name, vendor_name: 'AWS' })),
    );
  });

  it('each ALB is associated with its own web ACL', () => {
    expect(synth('prd', 'edge')).toHaveResource(Wafv2WebAclAssociation);
    const associations = bodies(stack(), 'aws_wafv2_web_acl_association').map((a) => [a.resource_arn, a.web_acl_arn]);
    expect(associations.sort()).toEqual([
      [ref('aws_lb', 'external-alb', 'arn'), ref('aws_wafv2_web_acl', 'external-web-acl', 'arn')],
      [ref('aws_lb', 'internal-alb', 'arn'), ref('aws_wafv2_web_acl', 'internal-web-acl', 'arn')],
    ]);
  });

  it('every public host has an alias record in a public zone looked up by name, every internal host one in the private zone', () => {
    for (const envName of ENVS) {
      const e = envNamed(envName);
      const stackJson = json(envName, 'edge');
      const hosts = [e.domains.web, e.domains.api, ...listServices(platform).flatMap((x) => x.service.exposure.internal.map((r) => internalHost(e, r.subdomain)))];
      const records = bodies(stackJson, 'aws_route53_record').filter((r) => r.alias);
      for (const host of hosts) expect(records.map((r) => r.name)).toContain(host);
      for (const record of records) {
        expect(record.alias).toMatchObject({ evaluate_target_health: true, name: expect.stringMatching(/^\$\{aws_lb\.(external|internal)-alb\.dns_name\}$/) });
        expect(record.zone_id).toEqual(record.alias.name.includes('internal-alb') ? '${aws_route53_zone.internal-private-zone.zone_id}' : expect.stringMatching(/^\$\{data\.aws_route53_zone\.[\w-]+\.zone_id\}$/));
      }
      expect(Object.values(stackJson.resource.aws_route53_zone).map((z) => (z as Json).name)).toEqual([e.domains.internal]);
    }
  });

  it.each(ENVS)('%s: ALB deletion protection follows the environment', (envName) => {
    for (const alb of bodies(json(envName, 'edge'), 'aws_lb')) {
      expect(alb).toMatchObject({ enable_deletion_protection: envNamed(envName).deletionProtection, drop_invalid_header_fields: true, load_balancer_type: 'application' });
    }
    expect(synth(envName, 'edge')).toHaveResourceWithProperties(Lb, { enable_deletion_protection: envNamed(envName).deletionProtection });
  });

  it('an allow list that admits the whole internet fails the render', () => {
    expect(() => renderTerraform(platform, { ...envNamed('dev'), internalAllowCidrs: ['0.0.0.0/0'] })).toThrow(/internalAllowCidrs must not admit the whole internet/);
  });
});

// ---- Observability ----------------------------------------------------------------------------------

describe('observability', () => {
  it('Fluent Bit\'s and the VPC flow log\'s log groups keep logs for the environment\'s retention, encrypted with the logs key', () => {
    for (const envName of ENVS) {
      const groups = bodies(json(envName, 'observability'), 'aws_cloudwatch_log_group');
      expect(groups.map((g) => g.name).sort()).toEqual([applicationLogGroupName(platform, envNamed(envName)), meshAccessLogGroupName(platform, envNamed(envName)), `/ec/${envName}/vpc-flow-logs`].sort());
      for (const group of groups) expect(group).toMatchObject({ retention_in_days: envNamed(envName).logRetentionDays, kms_key_id: '${data.terraform_remote_state.cluster.outputs.logs_kms_key_arn}' });
    }
  });

  it('alerts go to a KMS-encrypted topic that CloudWatch may use, delivered over HTTPS to the incident endpoint', () => {
    expect(synth('prd', 'observability')).toHaveResourceWithProperties(SnsTopic, { name: 'ec-prd-alerts', kms_master_key_id: expect.stringMatching(/^\$\{aws_kms_key\.[\w-]+\.arn\}$/) });
    const stack = json('prd', 'observability');
    expect(one(stack, 'aws_sns_topic_subscription').body).toMatchObject({ protocol: 'https', endpoint: envNamed('prd').incidentEndpoint });
    const keyPolicy = statements(stack, one(stack, 'aws_kms_key').body.policy);
    expect(keyPolicy.find((s) => s.principals[0].identifiers.includes('cloudwatch.amazonaws.com'))).toBeDefined();
  });

  it.each([
    ['dev', 1],
    ['prd', 3],
  ] as const)('%s alarms on ALB 5xx, unhealthy targets, Aurora CPU and connections, and each of its %i NAT gateway(s)', (envName, nats) => {
    const stack = json(envName, 'observability');
    const alarms = bodies(stack, 'aws_cloudwatch_metric_alarm');
    const metrics = alarms.map((a) => `${a.namespace}/${a.metric_name}`);
    expect(metrics.filter((m) => m === 'AWS/ApplicationELB/HTTPCode_ELB_5XX_Count')).toHaveLength(2);
    expect(metrics.filter((m) => m === 'AWS/ApplicationELB/UnHealthyHostCount')).toHaveLength(3);
    expect(metrics).toEqual(expect.arrayContaining(['AWS/RDS/CPUUtilization', 'AWS/RDS/DatabaseConnections']));
    expect(metrics.filter((m) => m === 'AWS/NATGateway/ErrorPortAllocation')).toHaveLength(nats);
    expect(metrics.filter((m) => m === 'AWS/NATGateway/PacketsDropCount')).toHaveLength(nats);
    const topic = ref('aws_sns_topic', one(stack, 'aws_sns_topic').name, 'arn');
    for (const alarm of alarms) expect(alarm).toMatchObject({ alarm_actions: [topic], ok_actions: [topic] });
    expect(alarms.find((a) => a.metric_name === 'DatabaseConnections')!.dimensions).toEqual({ DBClusterIdentifier: `ec-${envName}-aurora` });
  });

  it('an Aurora instance class without a known max_connections fails the render', () => {
    const env = envNamed('dev');
    expect(() => renderTerraform(platform, { ...env, sizing: { ...env.sizing, auroraInstanceClass: 'db.z9.huge' } })).toThrow(/no default max_connections known for Aurora instance class db\.z9\.huge/);
  });
});

// ---- Across stacks --------------------------------------------------------------------------------

describe('least privilege across every stack', () => {
  it('no trust policy admits a "*" principal or a wildcard sts:AssumeRole', () => {
    for (const { env, stack, json: body } of everyStack()) {
      for (const [name, r] of resources(body, 'aws_iam_role')) {
        for (const statement of statements(body, r.assume_role_policy)) {
          const identifiers = (statement.principals as Json[]).flatMap((p) => p.identifiers as string[]);
          expect({ env, stack, role: name, star: identifiers.filter((i) => i.includes('*')), actions: statement.actions }).toEqual({
            env,
            stack,
            role: name,
            star: [],
            actions: expect.not.arrayContaining([expect.stringMatching(/\*/)]),
          });
        }
      }
    }
  });

  it('no Allow statement of any policy document names a "*" principal, and no permission policy grants sts:AssumeRole', () => {
    for (const { env, stack, json: body } of everyStack()) {
      for (const [name, document] of Object.entries((body.data?.aws_iam_policy_document ?? {}) as Record<string, Json>)) {
        for (const statement of document.statement as Json[]) {
          if (statement.effect !== 'Allow') continue;
          const identifiers = ((statement.principals ?? []) as Json[]).flatMap((p) => p.identifiers as string[]);
          expect({ env, stack, document: name, star: identifiers.filter((i) => i === '*') }).toEqual({ env, stack, document: name, star: [] });
          if (!statement.principals) expect({ env, stack, document: name, actions: (statement.actions as string[]).filter((a) => /^sts:|^\*$|^iam:\*$/.test(a)) }).toEqual({ env, stack, document: name, actions: [] });
        }
      }
    }
  });
});

describe('environment differences', () => {
  it.each(ENVS)('%s renders its own NAT gateways, Aurora instances and deletion protection', (envName) => {
    const env = envNamed(envName);
    expect(bodies(json(envName, 'network'), 'aws_nat_gateway')).toHaveLength(env.sizing.natGateways);
    expect(bodies(json(envName, 'data'), 'aws_rds_cluster_instance').filter(isSharedAuroraInstance)).toHaveLength(env.sizing.auroraInstances);
    expect(one(json(envName, 'data'), 'aws_rds_cluster', isSharedAurora).body.deletion_protection).toBe(env.deletionProtection);
    expect(one(json(envName, 'cluster'), 'aws_eks_cluster').body.deletion_protection).toBe(env.deletionProtection);
  });

  it('the example environments differ where the model says they do', () => {
    const summary = ENVS.map((e) => ({
      nat: bodies(json(e, 'network'), 'aws_nat_gateway').length,
      aurora: bodies(json(e, 'data'), 'aws_rds_cluster_instance').filter(isSharedAuroraInstance).length,
      protected: one(json(e, 'data'), 'aws_rds_cluster', isSharedAurora).body.deletion_protection,
    }));
    expect(summary).toEqual([
      { nat: 1, aurora: 1, protected: false },
      { nat: 3, aurora: 2, protected: true },
      { nat: 3, aurora: 3, protected: true },
    ]);
  });
});

describe('logs of the network edge (issue 10, item 4)', () => {
  it('the VPC flow log records all traffic of the network stack\'s VPC through a role only VPC Flow Logs of this account may assume', () => {
    const stack = json('prd', 'observability');
    const flow = one(stack, 'aws_flow_log', () => true).body;
    expect(flow).toMatchObject({ vpc_id: '${data.terraform_remote_state.network.outputs.vpc_id}', traffic_type: 'ALL', log_destination_type: 'cloud-watch-logs', max_aggregation_interval: 60 });
    const trust = statements(stack, one(stack, 'aws_iam_role', (r) => r.name === 'ec-prd-vpc-flow-logs').body.assume_role_policy);
    expect(trust[0].principals).toEqual([{ type: 'Service', identifiers: ['vpc-flow-logs.amazonaws.com'] }]);
    expect(trust[0].condition).toContainEqual({ test: 'StringEquals', variable: 'aws:SourceAccount', values: ['333333333333'] });
  });

  it('both ALBs write access logs to a private bucket that only the region\'s ELB log delivery may write to, under their own prefixes', () => {
    const stack = json('prd', 'edge');
    for (const kind of ['external', 'internal']) {
      expect(one(stack, 'aws_lb', (b) => b.name === `ec-prd-${kind}`).body.access_logs).toEqual({ bucket: '${aws_s3_bucket.alb-access-logs_bucket.id}', prefix: kind, enabled: true });
    }
    expect(one(stack, 'aws_s3_bucket', (b) => b.bucket === 'ec-prd-alb-logs-333333333333')).toBeDefined();
    const [write] = statements(stack, one(stack, 'aws_s3_bucket_policy', () => true).body.policy);
    expect(write).toMatchObject({
      actions: ['s3:PutObject'],
      principals: [{ type: 'AWS', identifiers: ['arn:aws:iam::582318560864:root'] }],
      resources: ['${aws_s3_bucket.alb-access-logs_bucket.arn}/external/AWSLogs/333333333333/*', '${aws_s3_bucket.alb-access-logs_bucket.arn}/internal/AWSLogs/333333333333/*'],
    });
  });

  it('each web ACL logs to its own "aws-waf-logs-" group, encrypted, with credentials redacted', () => {
    const stack = json('prd', 'edge');
    const configs = bodies(stack, 'aws_wafv2_web_acl_logging_configuration');
    expect(configs).toHaveLength(2);
    for (const c of configs) expect(c.redacted_fields).toEqual([{ single_header: { name: 'authorization' } }, { single_header: { name: 'cookie' } }]);
    const groups = bodies(stack, 'aws_cloudwatch_log_group').filter((g) => g.name.startsWith('aws-waf-logs-'));
    expect(groups.map((g) => g.name).sort()).toEqual(['aws-waf-logs-ec-prd-external', 'aws-waf-logs-ec-prd-internal']);
    for (const g of groups) expect(g.kms_key_id).toBe('${data.terraform_remote_state.cluster.outputs.logs_kms_key_arn}');
  });
});

describe('CloudFront and the public web ACLs (issue 10, items 3 and 8)', () => {
  it('the distribution serves static.<web domain> with a us-east-1 certificate, TLS 1.2+, a CLOUDFRONT web ACL, access logs and SPA error pages', () => {
    const stack = json('prd', 'data');
    expect(stack.provider.aws).toContainEqual(expect.objectContaining({ alias: 'us-east-1', region: 'us-east-1', allowed_account_ids: ['333333333333'] }));
    const cdn = one(stack, 'aws_cloudfront_distribution').body;
    expect(cdn.aliases).toEqual(['static.shop.example.com']);
    expect(cdn.viewer_certificate).toEqual({ acm_certificate_arn: '${aws_acm_certificate_validation.cdn-protection_certificate-validation-wait.certificate_arn}', ssl_support_method: 'sni-only', minimum_protocol_version: 'TLSv1.2_2021' });
    expect(one(stack, 'aws_acm_certificate').body).toMatchObject({ provider: 'aws.us-east-1', domain_name: 'static.shop.example.com', validation_method: 'DNS' });
    expect(one(stack, 'aws_wafv2_web_acl').body).toMatchObject({ provider: 'aws.us-east-1', scope: 'CLOUDFRONT' });
    expect(cdn.web_acl_id).toBe('${aws_wafv2_web_acl.cdn-protection_web-acl.arn}');
    expect(cdn.logging_config.bucket).toBe('${aws_s3_bucket.cdn-protection_logs-bucket.bucket_domain_name}');
    expect(cdn.custom_error_response).toEqual([403, 404].map((code) => ({ error_code: code, response_code: 200, response_page_path: '/index.html', error_caching_min_ttl: 10 })));
    const records = bodies(stack, 'aws_route53_record').filter((r) => r.name === 'static.shop.example.com');
    expect(records.map((r) => r.type).sort()).toEqual(['A', 'AAAA']);
    for (const r of records) expect(r.alias).toMatchObject({ name: '${aws_cloudfront_distribution.cdn.domain_name}', zone_id: '${aws_cloudfront_distribution.cdn.hosted_zone_id}' });
  });

  it('the external and CloudFront web ACLs block a client above the rate limit before the managed rules run', () => {
    for (const [envName, stackName] of [['dev', 'edge'], ['dev', 'data']] as const) {
      const acl = one(json(envName, stackName), 'aws_wafv2_web_acl', (a) => a.default_action.allow !== undefined).body;
      expect(acl.rule[0]).toMatchObject({ name: 'RateLimitPerClientIp', priority: 0, action: { block: {} }, statement: { rate_based_statement: { limit: 2000, evaluation_window_sec: 300, aggregate_key_type: 'IP' } } });
    }
  });

  it('SizeRestrictions_BODY keeps blocking while the API\'s declared body limit fits in it, and only counts when the limit is larger', () => {
    const common = (rules: Json[]) => rules.find((r) => r.name === "AWSManagedRulesCommonRuleSet")!.statement.managed_rule_group_statement;
    expect(API_MAX_REQUEST_BODY_BYTES).toBeLessThanOrEqual(8192);
    const acl = one(json('prd', 'edge'), 'aws_wafv2_web_acl', (a) => a.name === 'ec-prd-external').body;
    expect(common(acl.rule).rule_action_override).toBeUndefined();
    expect(common(publicWebAclRules('x', PUBLIC_RATE_LIMIT, 64 * 1024) as unknown as Json[]).rule_action_override).toEqual([{ name: 'SizeRestrictions_BODY', action_to_use: { count: {} } }]);
  });
});

describe('the internal ALB is internal (issue 10, item 2)', () => {
  it('sits in the private subnets with the internal scheme, its records in a private zone of the VPC', () => {
    const stack = json('prd', 'edge');
    const alb = one(stack, 'aws_lb', (b) => b.name === 'ec-prd-internal').body;
    expect(alb).toMatchObject({ internal: true, subnets: '${data.terraform_remote_state.network.outputs.private_subnet_ids}' });
    expect(one(stack, 'aws_lb', (b) => b.name === 'ec-prd-external').body).toMatchObject({ internal: false, subnets: '${data.terraform_remote_state.network.outputs.public_subnet_ids}' });
    const zone = one(stack, 'aws_route53_zone').body;
    expect(zone).toMatchObject({ name: 'internal.shop.example.com', vpc: [{ vpc_id: '${data.terraform_remote_state.network.outputs.vpc_id}' }] });
    const internalRecords = bodies(stack, 'aws_route53_record').filter((r) => r.alias?.name === '${aws_lb.internal-alb.dns_name}');
    expect(internalRecords.length).toBeGreaterThan(0);
    for (const r of internalRecords) expect(r.zone_id).toBe('${aws_route53_zone.internal-private-zone.zone_id}');
  });

  it('admits only the allow-listed office/VPN ranges, never the NAT gateways\' addresses', () => {
    const stack = json('prd', 'edge');
    const text = JSON.stringify(stack);
    expect(text).not.toContain('nat_public_ips');
    const sg = one(stack, 'aws_security_group', (g) => g.name === 'ec-prd-internal-alb').name;
    const sources = bodies(stack, 'aws_vpc_security_group_ingress_rule').filter((r) => r.security_group_id === `\${aws_security_group.${sg}.id}`).map((r) => r.cidr_ipv4);
    expect([...new Set(sources)].sort()).toEqual([...envNamed('prd').internalAllowCidrs].sort());
    expect(one(stack, 'aws_wafv2_ip_set').body.addresses).toEqual([...envNamed('prd').internalAllowCidrs]);
  });
});
