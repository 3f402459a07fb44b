/**
 * The AWS layer (infra/): one rule per test. Resource rules use cdktf's own testing helpers on
 * stacks built exactly as `renderTerraform` builds them; file rules check what renderTerraform
 * returns (what lands in dist/<env>/terraform/<stack>/cdk.tf.json).
 */
import { Testing, type TerraformStack } from 'cdktf';
import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository';
import { EksCluster } from '@cdktf/provider-aws/lib/eks-cluster';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { serviceAccountName, serviceRoleName } from '../platform/naming';
import type { Environment } from '../platform/types';
import { listServices } from '../platform/validate';
import { parseCidr, subnetPlan } from '../platform/network';
import { renderTerraform } from '../infra/render-terraform';
import { addEnvironmentStacks, STACKS } from '../infra/stacks';
import { envNamed, platform, rendered, type Json } from './support/cdktf-jest';


/** Synthesized JSON (cdktf Testing.synth) of every stack of an environment, by short name; built once. */
const synthCache = new Map<string, Map<string, string>>();
function synth(envName: string, stack: string): string {
  let stacks = synthCache.get(envName);
  if (!stacks) {
    const app = Testing.app();
    stacks = new Map(addEnvironmentStacks(app, platform, envNamed(envName)).map((s) => [s.stackName, Testing.synth(s as TerraformStack)]));
    synthCache.set(envName, stacks);
  }
  const json = stacks.get(stack);
  if (json === undefined) throw new Error(`no stack ${stack} in ${envName}`);
  return json;
}
const parsed = (envName: string, stack: string): Json => JSON.parse(synth(envName, stack));

const everyRenderedStack = (): { env: Environment; stack: string; json: Json }[] =>
  platform.environments.flatMap((env) => rendered(env.name).map((r) => ({ env, stack: r.stack, json: JSON.parse(r.json) as Json })));

/** The one resource of a type, or the one whose attributes satisfy `where`. */
function resourceOf(json: Json, type: string, where: (r: Json) => boolean = () => true): { name: string; body: Json } {
  const matches = Object.entries((json.resource?.[type] ?? {}) as Record<string, Json>).filter(([, body]) => where(body));
  if (matches.length !== 1) throw new Error(`expected one ${type}, found ${matches.length}`);
  return { name: matches[0][0], body: matches[0][1] };
}

/** `${data.aws_iam_policy_document.x.json}` -> the data source's body. */
function policyDocument(json: Json, reference: string): Json {
  const match = /^\$\{data\.aws_iam_policy_document\.([\w-]+)\.json\}$/.exec(reference);
  if (!match) throw new Error(`${reference} is not a policy document reference`);
  return json.data.aws_iam_policy_document[match[1]];
}

const servicesWithGrants = listServices(platform).filter((e) => e.service.aws.length > 0);

describe('cluster', () => {
  it('EKS secrets are envelope-encrypted with a KMS key that rotates', () => {
    expect(synth('prd', 'cluster')).toHaveResourceWithProperties(EksCluster, {
      encryption_config: expect.objectContaining({ resources: ['secrets'], provider: { key_arn: expect.stringMatching(/^\$\{aws_kms_key\.[\w-]+\.arn\}$/) } }),
    });
    const json = parsed('prd', 'cluster');
    const keyName = /^\$\{aws_kms_key\.([\w-]+)\.arn\}$/.exec(resourceOf(json, 'aws_eks_cluster').body.encryption_config.provider.key_arn)![1];
    expect(json.resource.aws_kms_key[keyName]).toMatchObject({ enable_key_rotation: true });
  });

  it('the API endpoint is private-only when apiAccessCidrs is empty (prd)', () => {
    expect(envNamed('prd').apiAccessCidrs).toEqual([]);
    const vpcConfig = resourceOf(parsed('prd', 'cluster'), 'aws_eks_cluster').body.vpc_config;
    expect(vpcConfig).toMatchObject({ endpoint_private_access: true, endpoint_public_access: false });
    expect(vpcConfig.public_access_cidrs).toBeUndefined();
  });

  it('the API endpoint is public only to the allow-listed CIDRs otherwise (dev)', () => {
    const cidrs = envNamed('dev').apiAccessCidrs;
    expect(cidrs.length).toBeGreaterThan(0);
    expect(synth('dev', 'cluster')).toHaveResourceWithProperties(EksCluster, {
      vpc_config: expect.objectContaining({ endpoint_private_access: true, endpoint_public_access: true, public_access_cidrs: [...cidrs] }),
    });
  });

  it('control-plane audit logs are enabled (with every other log type)', () => {
    expect(synth('prd', 'cluster')).toHaveResourceWithProperties(EksCluster, {
      enabled_cluster_log_types: expect.arrayContaining(['api', 'audit', 'authenticator', 'controllerManager', 'scheduler']),
    });
  });

  it('control-plane logs go to a KMS-encrypted log group created before the cluster', () => {
    const json = parsed('prd', 'cluster');
    const group = resourceOf(json, 'aws_cloudwatch_log_group', (g) => g.name === '/aws/eks/ec-prd/cluster');
    expect(group.body.kms_key_id).toMatch(/^\$\{aws_kms_key\.[\w-]+\.arn\}$/);
    expect(group.body.retention_in_days).toBeGreaterThan(0);
    expect(resourceOf(json, 'aws_eks_cluster').body.depends_on).toContain(`aws_cloudwatch_log_group.${group.name}`);
  });

  it('the launch template requires IMDSv2 with a hop limit of 1', () => {
    expect(synth('prd', 'cluster')).toHaveResourceWithProperties(LaunchTemplate, {
      metadata_options: expect.objectContaining({ http_endpoint: 'enabled', http_tokens: 'required', http_put_response_hop_limit: 1 }),
    });
  });

  it('the launch template encrypts the gp3 root EBS volume', () => {
    expect(synth('prd', 'cluster')).toHaveResourceWithProperties(LaunchTemplate, {
      block_device_mappings: [expect.objectContaining({ ebs: expect.objectContaining({ encrypted: 'true', volume_type: 'gp3' }) })],
    });
  });

  it('the node user data configures kubelet graceful shutdown', () => {
    const json = parsed('prd', 'cluster');
    const userData = resourceOf(json, 'aws_launch_template').body.user_data as string;
    const local = /^\$\{base64encode\(local\.([\w-]+)\)\}$/.exec(userData)![1];
    const text = json.locals[local] as string;
    expect(text).toContain('Content-Type: application/node.eks.aws');
    expect(text).toMatch(/"shutdownGracePeriod": "\d+s"/);
    expect(text).toMatch(/"shutdownGracePeriodCriticalPods": "\d+s"/);
  });

  it('the system node group is tainted and labelled for system pods and uses the launch template', () => {
    const group = resourceOf(parsed('prd', 'cluster'), 'aws_eks_node_group').body;
    expect(group).toMatchObject({
      node_group_name_prefix: 'system-',
      lifecycle: { create_before_destroy: true },
      instance_types: [...envNamed('prd').sizing.systemNodeInstanceTypes],
      scaling_config: { min_size: 3, desired_size: 3, max_size: 9 },
      taint: [{ key: 'CriticalAddonsOnly', effect: 'NO_SCHEDULE' }],
      labels: { 'platform.ec/node-group': 'system' },
    });
    expect(group.launch_template.id).toMatch(/^\$\{aws_launch_template\.[\w-]+\.id\}$/);
  });

  it('vpc-cni, kube-proxy, coredns, metrics-server and the EBS CSI driver are managed add-ons at pinned versions', () => {
    const addons = Object.values(parsed('prd', 'cluster').resource.aws_eks_addon as Record<string, Json>);
    expect(addons.map((a) => a.addon_name).sort()).toEqual(['aws-ebs-csi-driver', 'coredns', 'kube-proxy', 'metrics-server', 'vpc-cni']);
    for (const addon of addons) expect(addon.addon_version).toMatch(/^v\d+\.\d+\.\d+-eksbuild\.\d+$/);
  });

  it('the EBS CSI driver runs as its own IRSA role trusting only kube-system/ebs-csi-controller-sa, with use of the EBS key', () => {
    const cluster = parsed('prd', 'cluster');
    const csi = resourceOf(cluster, 'aws_eks_addon', (a) => a.addon_name === 'aws-ebs-csi-driver').body;
    const roleId = /aws_iam_role\.([\w-]+)\.arn/.exec(csi.service_account_role_arn)![1];
    const trust = JSON.stringify(cluster.data.aws_iam_policy_document[/aws_iam_policy_document\.([\w-]+)\.json/.exec(cluster.resource.aws_iam_role[roleId].assume_role_policy)![1]]);
    expect(trust).toContain('"system:serviceaccount:kube-system:ebs-csi-controller-sa"');
    expect(JSON.stringify(cluster.data.aws_iam_policy_document['ebs-csi-role_permissions'])).toContain('${aws_kms_key.ebs-key_key.arn}');
  });

  it('the CoreDNS configuration is JSON placing it on the system nodes, spread over zones', () => {
    const coredns = resourceOf(parsed('prd', 'cluster'), 'aws_eks_addon', (a) => a.addon_name === 'coredns').body;
    const config = JSON.parse(coredns.configuration_values);
    expect(config.replicaCount).toBeGreaterThanOrEqual(envNamed('prd').sizing.replicaFloor);
    expect(config.nodeSelector).toEqual({ 'platform.ec/node-group': 'system' });
    expect(config.tolerations).toContainEqual(expect.objectContaining({ key: 'CriticalAddonsOnly' }));
    expect(config.topologySpreadConstraints[0].topologyKey).toBe('topology.kubernetes.io/zone');
  });

  it('the metrics-server add-on tolerates the system taint and runs on the system nodes, the only nodes when it is created', () => {
    const ms = resourceOf(parsed('dev', 'cluster'), 'aws_eks_addon', (a) => a.addon_name === 'metrics-server').body;
    const config = JSON.parse(ms.configuration_values);
    expect(config.tolerations).toEqual([{ key: 'CriticalAddonsOnly', operator: 'Exists', effect: 'NoSchedule' }]);
    expect(config.nodeSelector).toEqual({ 'platform.ec/node-group': 'system' });
  });

  it('the IRSA role of each service with AWS grants trusts exactly its system:serviceaccount:<ns>:<sa>', () => {
    expect(servicesWithGrants.length).toBeGreaterThan(0);
    const json = parsed('prd', 'cluster');
    for (const { namespace, service } of servicesWithGrants) {
      const role = resourceOf(json, 'aws_iam_role', (r) => r.name === serviceRoleName(platform, envNamed('prd'), { namespace: namespace.name, service: service.name }));
      const [statement, ...others] = policyDocument(json, role.body.assume_role_policy).statement;
      expect(others).toEqual([]);
      expect(statement.actions).toEqual(['sts:AssumeRoleWithWebIdentity']);
      expect(statement.principals).toEqual([{ type: 'Federated', identifiers: [expect.stringMatching(/^\$\{aws_iam_openid_connect_provider\.[\w-]+\.arn\}$/)] }]);
      expect(statement.condition).toEqual(
        expect.arrayContaining([
          { test: 'StringEquals', variable: expect.stringMatching(/:sub$/), values: [`system:serviceaccount:${namespace.name}:${serviceAccountName(service)}`] },
          { test: 'StringEquals', variable: expect.stringMatching(/:aud$/), values: ['sts.amazonaws.com'] },
        ]),
      );
      expect(statement.condition).toHaveLength(2);
    }
  });

  it('no trust policy has a "*" principal or a wildcard service account', () => {
    const json = parsed('prd', 'cluster');
    for (const [name, role] of Object.entries(json.resource.aws_iam_role as Record<string, Json>)) {
      for (const statement of policyDocument(json, role.assume_role_policy).statement as Json[]) {
        const identifiers = (statement.principals as Json[]).flatMap((p) => p.identifiers as string[]);
        expect({ role: name, identifiers: identifiers.filter((i) => i.includes('*')) }).toEqual({ role: name, identifiers: [] });
        const values = ((statement.condition ?? []) as Json[]).flatMap((c) => c.values as string[]);
        expect({ role: name, values: values.filter((v) => v.includes('*')) }).toEqual({ role: name, values: [] });
      }
    }
  });

  it('the email-send grant allows only SES sends from the site domain identity', () => {
    const json = parsed('prd', 'cluster');
    const env = envNamed('prd');
    const account = servicesWithGrants.find((e) => e.service.aws.includes('email-send'))!;
    const roleName = serviceRoleName(platform, env, { namespace: account.namespace.name, service: account.service.name });
    const role = resourceOf(json, 'aws_iam_role', (r) => r.name === roleName);
    const policy = resourceOf(json, 'aws_iam_role_policy', (p) => p.role === `\${aws_iam_role.${role.name}.id}`);
    expect(policyDocument(json, policy.body.policy).statement).toEqual([
      expect.objectContaining({ effect: 'Allow', actions: ['ses:SendEmail', 'ses:SendRawEmail'], resources: [`arn:aws:ses:${env.region}:${env.account}:identity/${env.domains.web}`] }),
    ]);
  });

  it('the system node group Auto Scaling group name is an output', () => {
    expect(parsed('prd', 'cluster').output.system_node_group_asg_name.value).toMatch(
      /^\$\{aws_eks_node_group\.[\w-]+\.resources\[0\]\.autoscaling_groups\[0\]\.name\}$/,
    );
  });
});

describe('network', () => {
  it.each([
    ['dev', 1],
    ['prd', 3],
  ])('%s has %i NAT gateway(s), each with its own Elastic IP', (envName, count) => {
    expect(envNamed(envName).sizing.natGateways).toBe(count);
    const json = parsed(envName, 'network');
    expect(Object.keys(json.resource.aws_nat_gateway)).toHaveLength(count);
    expect(Object.keys(json.resource.aws_eip)).toHaveLength(count);
  });

  it('every private route table sends internet traffic through a NAT gateway', () => {
    const json = parsed('dev', 'network');
    const routes = Object.values(json.resource.aws_route as Record<string, Json>).filter((r) => 'nat_gateway_id' in r);
    expect(routes).toHaveLength(envNamed('dev').availabilityZones.length);
  });

  it('private subnets carry the Karpenter discovery and internal-elb tags', () => {
    const subnets = Object.values(parsed('dev', 'network').resource.aws_subnet as Record<string, Json>).filter((s) => s.tags.tier === 'private');
    expect(subnets).toHaveLength(3);
    for (const subnet of subnets) expect(subnet.tags).toMatchObject({ 'karpenter.sh/discovery': 'ec-dev', 'kubernetes.io/role/internal-elb': '1' });
  });

  it('subnets of every tier are disjoint and inside the VPC', () => {
    for (const env of platform.environments) {
      const vpc = parseCidr(env.vpcCidr);
      const blocks = Object.values(subnetPlan(env.vpcCidr, env.availabilityZones.length)).flat().map(parseCidr);
      const range = (c: { network: number; prefix: number }) => [c.network, c.network + 2 ** (32 - c.prefix) - 1];
      const [vpcStart, vpcEnd] = range(vpc);
      for (const [i, block] of blocks.entries()) {
        const [start, end] = range(block);
        expect(start >= vpcStart && end <= vpcEnd).toBe(true);
        for (const other of blocks.slice(i + 1)) {
          const [otherStart, otherEnd] = range(other);
          expect(end < otherStart || otherEnd < start).toBe(true);
        }
      }
    }
  });

  it('interface endpoints admit HTTPS from the VPC only', () => {
    const json = parsed('dev', 'network');
    const rules = Object.values(json.resource.aws_vpc_security_group_ingress_rule as Record<string, Json>);
    expect(rules).toEqual([expect.objectContaining({ ip_protocol: 'tcp', from_port: 443, to_port: 443, cidr_ipv4: envNamed('dev').vpcCidr })]);
  });
});

describe('ecr', () => {
  it('ECR repositories are immutable, scanned on push and KMS-encrypted', () => {
    const ours = listServices(platform).filter((e) => e.service.imageRepository === undefined);
    const repositories = Object.values(parsed('prd', 'ecr').resource.aws_ecr_repository as Record<string, Json>);
    expect(repositories).toHaveLength(ours.length);
    expect(synth('prd', 'ecr')).toHaveResourceWithProperties(EcrRepository, { name: 'ec/order-service/order-service', image_tag_mutability: 'IMMUTABLE' });
    for (const repository of repositories) {
      expect(repository).toMatchObject({ image_tag_mutability: 'IMMUTABLE', image_scanning_configuration: { scan_on_push: true }, encryption_configuration: [{ encryption_type: 'KMS' }] });
    }
  });

  it('services with an upstream image get no ECR repository', () => {
    const names = Object.values(parsed('prd', 'ecr').resource.aws_ecr_repository as Record<string, Json>).map((r) => r.name);
    expect(names).not.toContain('ec/auth-service/keycloak');
  });

  it('each repository expires untagged images after 14 days and keeps a bounded number of tagged ones', () => {
    for (const policy of Object.values(parsed('prd', 'ecr').resource.aws_ecr_lifecycle_policy as Record<string, Json>)) {
      const rules = JSON.parse(policy.policy).rules as Json[];
      expect(rules).toContainEqual(expect.objectContaining({ selection: expect.objectContaining({ tagStatus: 'untagged', countUnit: 'days', countNumber: 14 }) }));
      expect(rules).toContainEqual(expect.objectContaining({ selection: expect.objectContaining({ tagStatus: 'tagged', countType: 'imageCountMoreThan' }) }));
    }
  });
});

describe('rendered Terraform JSON', () => {
  it('renders the network, cluster, data, edge, observability and ecr stacks of every environment, in apply order', () => {
    for (const env of platform.environments) expect(rendered(env.name).map((r) => r.stack)).toEqual(['network', 'cluster', 'data', 'edge', 'observability', 'ecr']);
  });

  it('every stack has an encrypted, locked S3 backend keyed by its stack name', () => {
    for (const { env, stack, json } of everyRenderedStack()) {
      expect({ env: env.name, stack, backend: json.terraform.backend }).toEqual({
        env: env.name,
        stack,
        backend: {
          s3: {
            bucket: `${platform.terraformStateBucketPrefix}-${env.name}`,
            key: `${stack}/terraform.tfstate`,
            region: env.region,
            encrypt: true,
            use_lockfile: true,
          },
        },
      });
    }
  });

  it('the AWS provider version is pinned to an exact version', () => {
    for (const { stack, json } of everyRenderedStack()) {
      expect({ stack, aws: json.terraform.required_providers.aws }).toEqual({ stack, aws: { source: 'aws', version: expect.stringMatching(/^\d+\.\d+\.\d+$/) } });
    }
  });

  it('the AWS provider (and the data stack\'s us-east-1 alias, for CloudFront) accepts only the environment account and tags everything', () => {
    for (const { env, stack, json } of everyRenderedStack()) {
      const tags = [{ tags: { platform: platform.name, environment: env.name, 'managed-by': 'cdktf' } }];
      expect(json.provider.aws).toEqual([
        { region: env.region, allowed_account_ids: [env.account], default_tags: tags },
        ...(stack === 'data' ? [{ alias: 'us-east-1', region: 'us-east-1', allowed_account_ids: [env.account], default_tags: tags }] : []),
      ]);
    }
  });

  it('the output is byte-identical across two renders', () => {
    for (const env of platform.environments) expect(renderTerraform(platform, env)).toEqual(rendered(env.name));
  });

  it('every ${...} reference points to a resource, data source, variable or local of the same stack', () => {
    let checked = 0;
    for (const { env, stack, json } of everyRenderedStack()) {
      const dangling = references(json).filter((ref) => !defines(json, ref));
      checked += references(json).length;
      expect({ stack: `${env.name}-${stack}`, dangling }).toEqual({ stack: `${env.name}-${stack}`, dangling: [] });
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('no unresolved cdktf token is left in the output', () => {
    for (const env of platform.environments) {
      for (const { stack, json } of rendered(env.name)) expect({ stack, tokens: json.match(/\$\{Token\[|TfToken\[|\$\{TfToken/g) }).toEqual({ stack, tokens: null });
    }
  });

  it('every remote-state output a stack reads exists, at the location the producing backend writes to, in a stack applied earlier', () => {
    let checked = 0;
    for (const env of platform.environments) {
      const stacks = rendered(env.name).map((r) => ({ stack: r.stack, json: JSON.parse(r.json) as Json }));
      stacks.forEach(({ stack, json }, position) => {
        for (const [upstream, remote] of Object.entries((json.data?.terraform_remote_state ?? {}) as Record<string, Json>)) {
          const producer = stacks.findIndex((s) => s.stack === upstream);
          expect({ stack, upstream, appliedBefore: producer >= 0 && producer < position }).toEqual({ stack, upstream, appliedBefore: true });
          const { use_lockfile: _lock, ...location } = stacks[producer].json.terraform.backend.s3;
          expect(remote).toEqual({ backend: 's3', config: location });
          const read = [...JSON.stringify(json).matchAll(new RegExp(`data\\.terraform_remote_state\\.${upstream}\\.outputs\\.(\\w+)`, 'g'))].map((m) => m[1]);
          expect({ stack, upstream, reads: read.length > 0 }).toEqual({ stack, upstream, reads: true });
          for (const output of read) expect({ stack, output, exists: output in (stacks[producer].json.output ?? {}) }).toEqual({ stack, output, exists: true });
          checked += read.length;
        }
      });
    }
    expect(checked).toBeGreaterThan(20);
  });

  it('each stack reads remote state only from the stacks its STACKS entry names (deploy order)', () => {
    for (const { env, stack, json } of everyRenderedStack()) {
      const definition = STACKS.find((d) => d.name === stack)!;
      expect({ env: env.name, stack, reads: Object.keys(json.data?.terraform_remote_state ?? {}).sort() }).toEqual({ env: env.name, stack, reads: [...(definition.readsFrom ?? [])].sort() });
    }
  });

  it('an invalid environment fails with every problem listed', () => {
    const broken: Environment = { ...envNamed('dev'), kubernetesVersion: '1.99', sizing: { ...envNamed('dev').sizing, natGateways: 5 } };
    expect(() => renderTerraform(platform, broken)).toThrow(/natGateways must be 1 to 3[\s\S]*Kubernetes 1\.99/);
  });
});

// ---- references -------------------------------------------------------------------------------

/** Every reference (`aws_x.name`, `data.aws_y.name`, `var.v`, `local.l`) inside `${...}` of any string or key. */
function references(json: unknown): string[] {
  const found: string[] = [];
  const visit = (node: unknown): void => {
    if (typeof node === 'string') {
      for (const expression of interpolations(node)) found.push(...referencesIn(expression));
    } else if (Array.isArray(node)) {
      node.forEach(visit);
    } else if (node !== null && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === '//') continue;
        visit(key);
        visit(value);
      }
    }
  };
  visit(json);
  return found;
}

/** Contents of every `${...}` of a Terraform template string (`$${` is a literal). */
function interpolations(text: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length - 1; i++) {
    if (text[i] !== '$' || text[i + 1] !== '{' || text[i - 1] === '$') continue;
    let depth = 0;
    let j = i + 1;
    for (; j < text.length; j++) {
      const c = text[j];
      if (c === '"') {
        for (j++; j < text.length && text[j] !== '"'; j++) if (text[j] === '\\') j++;
      } else if (c === '{') depth++;
      else if (c === '}' && --depth === 0) break;
    }
    out.push(text.slice(i + 2, j));
    i = j;
  }
  return out;
}

function referencesIn(expression: string): string[] {
  const withoutStrings = expression.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  const pattern = /(?<![\w.\]\-])(data\.[a-z][\w]*\.[A-Za-z_][\w-]*|var\.[A-Za-z_][\w-]*|local\.[A-Za-z_][\w-]*|[a-z][a-z0-9]*_[a-z0-9_]+\.[A-Za-z_][\w-]*)/g;
  return [...withoutStrings.matchAll(pattern)].map((m) => m[1]);
}

function defines(json: Json, reference: string): boolean {
  const parts = reference.split('.');
  switch (parts[0]) {
    case 'data':
      return json.data?.[parts[1]]?.[parts[2]] !== undefined;
    case 'var':
      return json.variable?.[parts[1]] !== undefined;
    case 'local':
      return json.locals?.[parts[1]] !== undefined;
    default:
      return json.resource?.[parts[0]]?.[parts[1]] !== undefined;
  }
}
