/**
 * The offline security check (verify/security): 0 findings on the example and on a 100-service
 * synthetic platform, both rendered to a temporary tree and read back from the files; and, per
 * rule, a tiny bad Terraform JSON on which the rule reports its message.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { syntheticPlatformInput } from '../bench/synthetic-platform';
import { renderTerraform } from '../infra/render-terraform';
import type { Platform } from '../platform/types';
import { parsePlatform } from '../platform/validate';
import { checkSecurity, checkStacks, formatFindings, SECURITY_RULES, securityPosture } from '../verify/security';
import type { SecurityRule } from '../verify/security/rule';
import type { Json, StackJson } from '../verify/security/terraform-json';
import { platform } from './support/cdktf-jest';

/** Writes the Terraform JSON of every environment of a platform as the render does, under a fresh directory. */
function renderedTree(p: Platform): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'security-check-'));
  for (const env of p.environments) {
    for (const { stack, json } of renderTerraform(p, env)) {
      fs.mkdirSync(path.join(root, env.name, 'terraform', stack), { recursive: true });
      fs.writeFileSync(path.join(root, env.name, 'terraform', stack, 'cdk.tf.json'), json);
    }
  }
  return root;
}

const ruleNamed = (id: string): SecurityRule => {
  const found = SECURITY_RULES.find((r) => r.id === id);
  if (!found) throw new Error(`no rule ${id}`);
  return found;
};
/** Messages of one rule over tiny stacks (`{ stackName: json }`) of an environment "dev". */
const messages = (id: string, stacks: Record<string, Json>): string[] =>
  checkStacks(
    Object.entries(stacks).map(([stack, json]): StackJson => ({ env: 'dev', stack, json })),
    [ruleNamed(id)],
  ).map((f) => `${f.resource}: ${f.message}`);

describe('the security check over rendered trees', () => {
  it('finds nothing in the example platform', () => {
    const root = renderedTree(platform);
    try {
      expect(formatFindings(checkSecurity(root))).toEqual([]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('finds nothing in a 100-service synthetic platform', () => {
    const root = renderedTree(parsePlatform(syntheticPlatformInput(100)));
    try {
      expect(formatFindings(checkSecurity(root))).toEqual([]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('keeps the README\'s "Security posture" table equal to the one generated from the rules', () => {
    const readme = fs.readFileSync(path.join(__dirname, '../README.md'), 'utf8');
    const between = /<!-- security-posture:start -->\n([\s\S]*?)\n<!-- security-posture:end -->/.exec(readme);
    expect(between?.[1]).toBe(securityPosture());
  });

  it('names the tfsec/checkov check every rule mirrors, one rule per file', () => {
    const files = fs.readdirSync(path.join(__dirname, '../verify/security')).filter((f) => !['index.ts', 'posture.ts', 'rule.ts', 'terraform-json.ts'].includes(f));
    expect(SECURITY_RULES.map((r) => `${r.id}.ts`).sort()).toEqual(files.sort());
    for (const r of SECURITY_RULES) expect(r.mirrors).toMatch(/tfsec|checkov|tflint|CKV/);
  });
});

describe('each security rule on a tiny bad JSON', () => {
  it('secrets-read-scoped-to-namespace: a role reading the environment\'s whole secret prefix', () => {
    const doc = { statement: [{ sid: 'ReadAll', effect: 'Allow', actions: ['secretsmanager:GetSecretValue'], resources: ['arn:aws:secretsmanager:ap-northeast-1:1:secret:ec/dev/*'] }] };
    expect(messages('secrets-read-scoped-to-namespace', { cluster: { data: { aws_iam_policy_document: { eso: doc } } } })).toEqual([
      'data.aws_iam_policy_document.eso: statement ReadAll reads secrets on arn:aws:secretsmanager:ap-northeast-1:1:secret:ec/dev/*, wider than one namespace\'s prefix',
    ]);
    const scoped = { statement: [{ sid: 'Ns', actions: ['secretsmanager:GetSecretValue'], resources: ['arn:aws:secretsmanager:ap-northeast-1:1:secret:ec/dev/order-service/*'] }] };
    expect(messages('secrets-read-scoped-to-namespace', { cluster: { data: { aws_iam_policy_document: { ns: scoped } } } })).toEqual([]);
  });

  it('rds-logs-enabled: an Aurora MySQL cluster exporting logs its parameter group never writes', () => {
    const json = {
      resource: {
        aws_rds_cluster: { aurora: { cluster_identifier: 'db', engine: 'aurora-mysql', enabled_cloudwatch_logs_exports: ['audit', 'slowquery'], db_cluster_parameter_group_name: '${aws_rds_cluster_parameter_group.p.name}' } },
        aws_rds_cluster_parameter_group: { p: { parameter: [{ name: 'server_audit_logging', value: '1' }] } },
      },
    };
    expect(messages('rds-logs-enabled', { data: json })).toEqual([
      'aws_rds_cluster.aurora: Aurora cluster db exports "audit" but server_audit_events is unset',
      'aws_rds_cluster.aurora: Aurora cluster db exports "slowquery" but slow_query_log is not 1',
      'aws_rds_cluster.aurora: Aurora cluster db exports "slowquery" but long_query_time is unset',
      'aws_rds_cluster.aurora: Aurora cluster db exports "slowquery" but log_output is not FILE',
    ]);
  });

  it('database-ingress-from-security-groups: MySQL open to a subnet range', () => {
    const json = { resource: { aws_vpc_security_group_ingress_rule: { mysql: { from_port: 3306, to_port: 3306, ip_protocol: 'tcp', cidr_ipv4: '10.0.0.0/18' }, ok: { from_port: 3306, to_port: 3306, referenced_security_group_id: 'sg-1' } } } };
    expect(messages('database-ingress-from-security-groups', { data: json })).toEqual(['aws_vpc_security_group_ingress_rule.mysql: port 3306 is open to 10.0.0.0/18 instead of a security group']);
  });

  it('vpc-flow-logs-enabled: a VPC without a flow log, and one logged only for rejected traffic', () => {
    const network = { resource: { aws_vpc: { vpc: { tags: { Name: 'v' } } } }, output: { vpc_id: { value: '${aws_vpc.vpc.id}' } } };
    const rejectedOnly = {
      data: { terraform_remote_state: { network: { config: { key: 'network/terraform.tfstate' } } } },
      resource: { aws_flow_log: { f: { vpc_id: '${data.terraform_remote_state.network.outputs.vpc_id}', traffic_type: 'REJECT' } } },
    };
    expect(messages('vpc-flow-logs-enabled', { network, observability: rejectedOnly })).toEqual(['aws_vpc.vpc: VPC v has no flow log of all traffic']);
    const all = { ...rejectedOnly, resource: { aws_flow_log: { f: { ...rejectedOnly.resource.aws_flow_log.f, traffic_type: 'ALL' } } } };
    expect(messages('vpc-flow-logs-enabled', { network, observability: all })).toEqual([]);
  });

  it('alb-access-logs-enabled: an ALB without access logs', () => {
    const json = { resource: { aws_lb: { a: { name: 'alb', load_balancer_type: 'application' }, b: { name: 'ok', access_logs: { bucket: 'logs', enabled: true } } } } };
    expect(messages('alb-access-logs-enabled', { edge: json })).toEqual(['aws_lb.a: ALB alb writes no access logs']);
  });

  it('waf-logging-enabled: a web ACL without a logging configuration', () => {
    const json = {
      resource: {
        aws_wafv2_web_acl: { a: { name: 'acl-a' }, b: { name: 'acl-b' } },
        aws_wafv2_web_acl_logging_configuration: { b: { resource_arn: '${aws_wafv2_web_acl.b.arn}', log_destination_configs: ['${aws_cloudwatch_log_group.l.arn}'] } },
      },
    };
    expect(messages('waf-logging-enabled', { edge: json })).toEqual(['aws_wafv2_web_acl.a: web ACL acl-a has no logging configuration']);
  });

  it('cloudfront-tls-minimum: the default certificate, and an old protocol floor', () => {
    const json = { resource: { aws_cloudfront_distribution: { a: { viewer_certificate: { cloudfront_default_certificate: true } }, b: { viewer_certificate: { acm_certificate_arn: 'x', minimum_protocol_version: 'TLSv1.1_2016' } } } } };
    expect(messages('cloudfront-tls-minimum', { data: json })).toEqual([
      'aws_cloudfront_distribution.a: uses the default CloudFront certificate (TLSv1 floor)',
      'aws_cloudfront_distribution.b: minimum_protocol_version is TLSv1.1_2016, not TLSv1.2_2021 or newer',
    ]);
  });

  it('cloudfront-waf-enabled: a distribution without a web ACL', () => {
    expect(messages('cloudfront-waf-enabled', { data: { resource: { aws_cloudfront_distribution: { a: {}, b: { web_acl_id: 'arn' } } } } })).toEqual(['aws_cloudfront_distribution.a: has no web ACL']);
  });

  it('cloudfront-logging-enabled: a distribution without access logs', () => {
    expect(messages('cloudfront-logging-enabled', { data: { resource: { aws_cloudfront_distribution: { a: {}, b: { logging_config: { bucket: 'b.s3.amazonaws.com' } } } } } })).toEqual(['aws_cloudfront_distribution.a: writes no access logs']);
  });

  it('public-web-acl-rate-limited: an allow-by-default ACL whose rate rule only counts', () => {
    const counting = { name: 'public', default_action: { allow: {} }, rule: [{ name: 'r', action: { count: {} }, statement: { rate_based_statement: { limit: 100 } } }] };
    const allowList = { name: 'tools', default_action: { block: {} }, rule: [] };
    expect(messages('public-web-acl-rate-limited', { edge: { resource: { aws_wafv2_web_acl: { counting, allowList } } } })).toEqual([
      'aws_wafv2_web_acl.counting: web ACL public allows by default and has no blocking rate-based rule',
    ]);
  });

  it('alb-public-only-for-internet: an internet-facing ALB whose security group admits an allow list only', () => {
    const json = {
      resource: {
        aws_security_group: { tools: {}, web: {} },
        aws_vpc_security_group_ingress_rule: { t: { security_group_id: '${aws_security_group.tools.id}', cidr_ipv4: '203.0.113.0/24' }, w: { security_group_id: '${aws_security_group.web.id}', cidr_ipv4: '0.0.0.0/0' } },
        aws_lb: { tools: { name: 'tools', internal: false, security_groups: ['${aws_security_group.tools.id}'] }, web: { name: 'web', internal: false, security_groups: ['${aws_security_group.web.id}'] } },
      },
    };
    expect(messages('alb-public-only-for-internet', { edge: json })).toEqual(['aws_lb.tools: ALB tools is internet-facing but admits only allow-listed sources: make it internal']);
  });

  it('terraform-required-version: no constraint, and one below 1.10 with S3 lock files', () => {
    expect(messages('terraform-required-version', { a: { terraform: {} }, b: { terraform: { required_version: '>= 1.5.0', backend: { s3: { use_lockfile: true } } } } })).toEqual([
      'terraform: terraform.required_version is unset',
      'terraform: the S3 backend uses use_lockfile (Terraform >= 1.10) but required_version is ">= 1.5.0"',
    ]);
  });

  it('rds-engine-version-drift: a pinned engine version with auto-upgrading instances and no ignore_changes', () => {
    const json = {
      resource: {
        aws_rds_cluster: { db: { engine_version: '8.0.mysql_aurora.3.08.2' } },
        aws_rds_cluster_instance: { i: { cluster_identifier: '${aws_rds_cluster.db.id}', auto_minor_version_upgrade: true } },
      },
    };
    expect(messages('rds-engine-version-drift', { data: json })).toEqual([
      'aws_rds_cluster.db: engine_version is pinned to 8.0.mysql_aurora.3.08.2 while its instances auto-upgrade minor versions, and its drift is not ignored',
    ]);
  });

  it('rds-instance-monitoring: an instance without Performance Insights, Enhanced Monitoring or a zone', () => {
    const json = { resource: { aws_rds_cluster_instance: { i: { identifier: 'db-1', performance_insights_enabled: true, monitoring_interval: 0 } } } };
    expect(messages('rds-instance-monitoring', { data: json })).toEqual([
      'aws_rds_cluster_instance.i: instance db-1 encrypts Performance Insights with the AWS managed key',
      'aws_rds_cluster_instance.i: instance db-1 has no Enhanced Monitoring',
      'aws_rds_cluster_instance.i: instance db-1 names no availability zone',
    ]);
  });

  it('eks-upgrade-policy: a cluster without an upgrade policy', () => {
    expect(messages('eks-upgrade-policy', { cluster: { resource: { aws_eks_cluster: { c: { name: 'ec-dev' } } } } })).toEqual([
      'aws_eks_cluster.c: cluster ec-dev does not set upgrade_policy.support_type = STANDARD (extended support is billed by default)',
    ]);
  });

  it('eks-access-from-entries: a cluster only its creator administers, and one that still bootstraps its creator', () => {
    const association = { cluster_name: '${aws_eks_cluster.b.name}', policy_arn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy', access_scope: { type: 'cluster' } };
    const json = { resource: { aws_eks_cluster: { a: { name: 'a' }, b: { name: 'b', access_config: { bootstrap_cluster_creator_admin_permissions: true } } }, aws_eks_access_policy_association: { admin: association } } };
    expect(messages('eks-access-from-entries', { cluster: json })).toEqual([
      'aws_eks_cluster.a: cluster a has no access entry with AmazonEKSClusterAdminPolicy: only the identity that created it can administer it',
      'aws_eks_cluster.b: cluster b still makes its creator cluster-admin (bootstrap_cluster_creator_admin_permissions)',
    ]);
  });

  it('asg-attachment-with-node-group: an attachment reading the ASG from another stack, and one whose node group has a fixed name and no create-before-destroy', () => {
    const edge = { resource: { aws_autoscaling_attachment: { a: { autoscaling_group_name: '${data.terraform_remote_state.cluster.outputs.system_node_group_asg_name}', lb_target_group_arn: 'x' } } } };
    const cluster = {
      resource: {
        aws_eks_node_group: { system: { node_group_name: 'system' } },
        aws_autoscaling_attachment: { b: { autoscaling_group_name: '${aws_eks_node_group.system.resources[0].autoscaling_groups[0].name}', lb_target_group_arn: 'x', lifecycle: { create_before_destroy: true } } },
      },
    };
    expect(messages('asg-attachment-with-node-group', { edge, cluster })).toEqual([
      'aws_autoscaling_attachment.a: attaches Auto Scaling group "${data.terraform_remote_state.cluster.outputs.system_node_group_asg_name}", which is not a node group or Auto Scaling group of this stack: replacing the group leaves the target group without targets until this stack is applied again',
      'aws_autoscaling_attachment.a: is not create-before-destroy: the old attachment is removed before the new Auto Scaling group is registered',
      'aws_autoscaling_attachment.b: its node group aws_eks_node_group.system is not replaced create-before-destroy',
      'aws_autoscaling_attachment.b: its node group aws_eks_node_group.system has a fixed name (set node_group_name_prefix), so it cannot be created before the old one is destroyed',
    ]);
  });

  it('database-secret-rotation: a database secret that never rotates, one declared every 365 days, and a Secrets Manager rotation of 120 days', () => {
    const kind = { 'platform.ec/secret-kind': 'database' };
    const json = {
      resource: {
        aws_secretsmanager_secret: {
          a: { name: 'ec/dev/a/a/database', tags: kind },
          b: { name: 'ec/dev/b/b/database', tags: { ...kind, 'platform.ec/rotation-days': '365', 'platform.ec/rotated-by': 'database-infra/db-rotation' } },
          c: { name: 'ec/dev/c/c/database', tags: kind },
          d: { name: 'ec/dev/d/d/database', tags: { ...kind, 'platform.ec/rotation-days': '30', 'platform.ec/rotated-by': 'database-infra/db-rotation' } },
          app: { name: 'ec/dev/a/a/app', tags: { 'platform.ec/secret-kind': 'app' } },
        },
        aws_secretsmanager_secret_rotation: { c: { secret_id: '${aws_secretsmanager_secret.c.id}', rotation_rules: { automatically_after_days: 120 } } },
      },
    };
    expect(messages('database-secret-rotation', { data: json })).toEqual([
      'aws_secretsmanager_secret.a: database secret ec/dev/a/a/database never rotates: no aws_secretsmanager_secret_rotation and no in-cluster rotation declared (tags platform.ec/rotation-days, platform.ec/rotated-by)',
      'aws_secretsmanager_secret.b: database secret ec/dev/b/b/database declares rotation every 365 days; at most 90',
      'aws_secretsmanager_secret.c: secret ec/dev/c/c/database is rotated by Secrets Manager every 120 days; at most 90',
    ]);
  });

  it('database-secret-rotation: a secret the model exempts by name passes, an empty exemption does not', () => {
    const kind = { 'platform.ec/secret-kind': 'database' };
    const json = {
      resource: {
        aws_secretsmanager_secret: {
          named: { name: 'ec/prd/contract-infra/pact-broker/database', tags: { ...kind, 'platform.ec/rotation-exempt': 'PostgreSQL has no dual passwords' } },
          empty: { name: 'ec/prd/x/x/database', tags: { ...kind, 'platform.ec/rotation-exempt': ' ' } },
        },
      },
    };
    expect(messages('database-secret-rotation', { data: json })).toEqual([
      'aws_secretsmanager_secret.empty: database secret ec/prd/x/x/database never rotates: no aws_secretsmanager_secret_rotation and no in-cluster rotation declared (tags platform.ec/rotation-days, platform.ec/rotated-by)',
    ]);
  });
});
