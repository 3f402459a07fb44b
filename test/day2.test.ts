/**
 * Day-2 behaviour of the rendered Terraform (issue 10, items 9-11, 13, 14): what the next apply,
 * an AWS-side upgrade or a node-group replacement does to it, read from the rendered JSON.
 */
import { contractEntries } from '../platform/contract';
import { blocksOf, type StackJson } from '../verify/security/terraform-json';
import { envNamed, platform, rendered } from './support/cdktf-jest';

const stackOf = (env: string, stack: string): StackJson => {
  const found = rendered(env).find((s) => s.stack === stack)!;
  return { env, stack, json: JSON.parse(found.json) };
};
const bodies = (s: StackJson, type: string) => blocksOf(s, type).map(([, b]) => b);

describe('day-2 operations', () => {
  it('every stack requires Terraform 1.10 or later (its S3 backend uses lock files)', () => {
    for (const { stack } of rendered('dev')) {
      const json = stackOf('dev', stack).json;
      expect(json.terraform.backend.s3.use_lockfile).toBe(true);
      expect(json.terraform.required_version).toBe('>= 1.10.0, < 2.0.0');
    }
  });

  it('an AWS-side minor upgrade of Aurora does not make the next apply try a downgrade', () => {
    const data = stackOf('prd', 'data');
    const [cluster] = bodies(data, 'aws_rds_cluster');
    expect(cluster.lifecycle).toEqual({ ignore_changes: ['engine_version'] });
    for (const instance of bodies(data, 'aws_rds_cluster_instance')) {
      expect(instance).toMatchObject({ auto_minor_version_upgrade: true, lifecycle: { ignore_changes: ['engine_version'] } });
    }
  });

  it('the Istio status NodePort the ALB health checks probe is a contract entry, produced by the target group and consumed by the gateway', () => {
    const env = envNamed('dev');
    const entry = contractEntries(platform, env).find((e) => e.name === 'node-port/istio-ingressgateway-status');
    expect(entry).toMatchObject({ value: String(platform.nodePorts.istioIngressStatus), producer: { stack: 'cluster' }, consumers: [{ kind: 'addon-istio-ingressgateway' }] });
    const group = bodies(stackOf('dev', 'cluster'), 'aws_lb_target_group').find((g) => g.name === 'ec-dev-istio')!;
    expect(group.health_check.port).toBe(String(platform.nodePorts.istioIngressStatus));
  });

  it('application errors and mesh 5xx become metrics from their log groups, each with an alarm to the alerts topic', () => {
    const obs = stackOf('prd', 'observability');
    const filters = bodies(obs, 'aws_cloudwatch_log_metric_filter');
    expect(filters.map((f) => [f.log_group_name, f.pattern, f.metric_transformation.name])).toEqual([
      ['${aws_cloudwatch_log_group.application-logs.name}', '{ ($.level = "error") || ($.level = "ERROR") || ($.severity = "ERROR") }', 'ApplicationErrors'],
      ['${aws_cloudwatch_log_group.mesh-access-logs.name}', '{ $.response_code >= 500 }', 'Mesh5xx'],
    ]);
    const alarms = bodies(obs, 'aws_cloudwatch_metric_alarm');
    for (const metric of ['ApplicationErrors', 'Mesh5xx']) {
      const alarm = alarms.find((a) => a.metric_name === metric)!;
      expect(alarm).toMatchObject({ namespace: 'ec/prd', alarm_actions: ['${aws_sns_topic.alerts.arn}'] });
    }
  });

  it('every gateway target group alarms when it has no healthy target (missing data counts), and the system node group is replaced create-before-destroy', () => {
    const alarms = bodies(stackOf('prd', 'observability'), 'aws_cloudwatch_metric_alarm').filter((a) => a.metric_name === 'HealthyHostCount');
    expect(alarms.map((a) => a.alarm_name).sort()).toEqual(['ec-prd-external-istio-no-healthy-targets', 'ec-prd-internal-istio-no-healthy-targets', 'ec-prd-internal-nginx-no-healthy-targets']);
    for (const a of alarms) expect(a).toMatchObject({ comparison_operator: 'LessThanThreshold', threshold: 1, statistic: 'Minimum', treat_missing_data: 'breaching' });
    const [group] = bodies(stackOf('prd', 'cluster'), 'aws_eks_node_group');
    expect(group).toMatchObject({ node_group_name_prefix: 'system-', lifecycle: { create_before_destroy: true } });
    expect(group.node_group_name).toBeUndefined();
  });

  it('every target group of the cluster stack has its own HealthyHostCount alarm, on the output that names it', () => {
    const cluster = stackOf('prd', 'cluster');
    const groups = Object.keys(cluster.json.resource.aws_lb_target_group);
    expect(groups).toHaveLength(3);
    // Output name -> target group resource, the way Terraform resolves "${aws_lb_target_group.X.arn_suffix}".
    const suffixOutputs = new Map(
      Object.entries(cluster.json.output as Record<string, { value: string }>).flatMap(([name, o]) => {
        const m = /^\$\{aws_lb_target_group\.([^.]+)\.arn_suffix\}$/.exec(o.value);
        return m ? [[name, m[1]] as const] : [];
      }),
    );
    const alarmed = bodies(stackOf('prd', 'observability'), 'aws_cloudwatch_metric_alarm')
      .filter((a) => a.metric_name === 'HealthyHostCount')
      .map((a) => suffixOutputs.get(/outputs\.([a-z_]+)\}$/.exec(a.dimensions.TargetGroup)![1]));
    expect(alarmed.sort()).toEqual(groups.sort());
  });

  it('replacing the system node group re-attaches the ALB target groups in the same stack, create-before-destroy', () => {
    const cluster = stackOf('prd', 'cluster');
    const [nodeGroup] = Object.keys(cluster.json.resource.aws_eks_node_group);
    const attachments = bodies(cluster, 'aws_autoscaling_attachment');
    expect(attachments.map((a) => a.lb_target_group_arn).sort()).toEqual(Object.keys(cluster.json.resource.aws_lb_target_group).map((g) => `\${aws_lb_target_group.${g}.arn}`).sort());
    for (const a of attachments) expect(a).toMatchObject({ autoscaling_group_name: `\${aws_eks_node_group.${nodeGroup}.resources[0].autoscaling_groups[0].name}`, lifecycle: { create_before_destroy: true } });
    for (const stack of ['edge', 'observability', 'data', 'network']) expect({ stack, attachments: stackOf('prd', stack).json.resource?.aws_autoscaling_attachment }).toEqual({ stack, attachments: undefined });
  });

  it('Karpenter\'s interruption queue alarms when events wait longer than a spot notice allows', () => {
    const alarm = bodies(stackOf('prd', 'observability'), 'aws_cloudwatch_metric_alarm').find((a) => a.metric_name === 'ApproximateAgeOfOldestMessage')!;
    expect(alarm).toMatchObject({ namespace: 'AWS/SQS', dimensions: { QueueName: 'ec-prd-karpenter' }, threshold: 60, alarm_actions: ['${aws_sns_topic.alerts.arn}'] });
  });

  it('each Aurora instance sits in its own zone of the environment, with Performance Insights and Enhanced Monitoring', () => {
    const env = envNamed('prd');
    const all = bodies(stackOf('prd', 'data'), 'aws_rds_cluster_instance');
    // The shared cluster's instances (the contract broker's one-instance PostgreSQL cluster is test/gates-broker.test.ts's).
    const instances = all.filter((i) => i.cluster_identifier === '${aws_rds_cluster.aurora.id}');
    expect(instances.map((i) => i.availability_zone)).toEqual(env.availabilityZones.slice(0, instances.length));
    for (const i of all) expect(i).toMatchObject({ performance_insights_enabled: true, performance_insights_kms_key_id: '${aws_kms_key.aurora-key_key.arn}', monitoring_interval: 60 });
    expect(bodies(stackOf('prd', 'cluster'), 'aws_eks_cluster')[0].upgrade_policy).toEqual({ support_type: 'STANDARD' });
  });

  it('cluster access comes from the model\'s access entries: SRE admins on the cluster, team viewers on their namespaces, no creator admin', () => {
    const env = envNamed('prd');
    const cluster = stackOf('prd', 'cluster');
    const [eks] = bodies(cluster, 'aws_eks_cluster');
    expect(eks.access_config).toMatchObject({ authentication_mode: 'API', bootstrap_cluster_creator_admin_permissions: false });
    const associations = bodies(cluster, 'aws_eks_access_policy_association');
    expect(associations).toContainEqual(expect.objectContaining({ principal_arn: expect.stringContaining('access_entry'), policy_arn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy', access_scope: { type: 'cluster' } }));
    const order = platform.teams.find((t) => t.name === 'order')!;
    expect(associations).toContainEqual(expect.objectContaining({ policy_arn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy', access_scope: { type: 'namespace', namespaces: order.namespaces.map((n) => n.name) } }));
    const principals = bodies(cluster, 'aws_eks_access_entry').map((e) => e.principal_arn);
    expect(principals).toEqual(expect.arrayContaining([...env.clusterAccess.admins, ...env.clusterAccess.teamViewers.order]));
  });
});
