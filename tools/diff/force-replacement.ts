/**
 * Arguments of the Terraform resource types we render whose change makes Terraform destroy and
 * re-create the resource (`ForceNew: true` in the provider schema). Each entry names the
 * hashicorp/terraform-provider-aws source file that declares it (provider 6.x, the version pinned
 * in the rendered `required_providers`). Nested arguments are given by their top-level block.
 */
export interface ForceNewArgument {
  readonly type: string;
  readonly argument: string;
  /** File of hashicorp/terraform-provider-aws whose resource schema marks the argument ForceNew. */
  readonly source: string;
}

const entries = (type: string, source: string, args: readonly string[]): ForceNewArgument[] => args.map((argument) => ({ type, argument, source: `terraform-provider-aws ${source}` }));

export const FORCE_NEW_ARGUMENTS: readonly ForceNewArgument[] = [
  ...entries('aws_eks_cluster', 'internal/service/eks/cluster.go', ['name', 'encryption_config', 'kubernetes_network_config']),
  ...entries('aws_eks_node_group', 'internal/service/eks/node_group.go', ['ami_type', 'capacity_type', 'cluster_name', 'disk_size', 'instance_types', 'node_group_name', 'node_role_arn', 'remote_access', 'subnet_ids']),
  ...entries('aws_eks_addon', 'internal/service/eks/addon.go', ['addon_name', 'cluster_name']),
  ...entries('aws_eks_access_entry', 'internal/service/eks/access_entry.go', ['cluster_name', 'principal_arn', 'type']),
  ...entries('aws_iam_openid_connect_provider', 'internal/service/iam/openid_connect_provider.go', ['url']),
  ...entries('aws_rds_cluster', 'internal/service/rds/cluster.go', ['availability_zones', 'cluster_identifier', 'database_name', 'db_subnet_group_name', 'engine', 'engine_mode', 'kms_key_id', 'master_username', 'storage_encrypted']),
  ...entries('aws_rds_cluster_instance', 'internal/service/rds/cluster_instance.go', ['availability_zone', 'cluster_identifier', 'db_subnet_group_name', 'engine', 'identifier']),
  ...entries('aws_db_subnet_group', 'internal/service/rds/subnet_group.go', ['name']),
  ...entries('aws_rds_cluster_parameter_group', 'internal/service/rds/cluster_parameter_group.go', ['name', 'family', 'description']),
  ...entries('aws_vpc', 'internal/service/ec2/vpc_.go', ['cidr_block', 'instance_tenancy']),
  ...entries('aws_subnet', 'internal/service/ec2/vpc_subnet.go', ['availability_zone', 'cidr_block', 'vpc_id']),
  ...entries('aws_nat_gateway', 'internal/service/ec2/vpc_nat_gateway.go', ['allocation_id', 'connectivity_type', 'subnet_id']),
  ...entries('aws_vpc_endpoint', 'internal/service/ec2/vpc_endpoint.go', ['service_name', 'vpc_endpoint_type', 'vpc_id']),
  ...entries('aws_route_table', 'internal/service/ec2/vpc_route_table.go', ['vpc_id']),
  ...entries('aws_route', 'internal/service/ec2/vpc_route.go', ['destination_cidr_block', 'route_table_id']),
  ...entries('aws_security_group', 'internal/service/ec2/vpc_security_group.go', ['description', 'name', 'vpc_id']),
  ...entries('aws_kms_key', 'internal/service/kms/key.go', ['customer_master_key_spec', 'key_usage', 'multi_region']),
  ...entries('aws_kms_alias', 'internal/service/kms/alias.go', ['name']),
  ...entries('aws_iam_role', 'internal/service/iam/role.go', ['name', 'path']),
  ...entries('aws_iam_role_policy', 'internal/service/iam/role_policy.go', ['name', 'role']),
  ...entries('aws_iam_role_policy_attachment', 'internal/service/iam/role_policy_attachment.go', ['policy_arn', 'role']),
  ...entries('aws_s3_bucket', 'internal/service/s3/bucket.go', ['bucket', 'object_lock_enabled']),
  ...entries('aws_ecr_repository', 'internal/service/ecr/repository.go', ['name', 'encryption_configuration']),
  ...entries('aws_secretsmanager_secret', 'internal/service/secretsmanager/secret.go', ['name']),
  ...entries('aws_ssm_parameter', 'internal/service/ssm/parameter.go', ['name']),
  ...entries('aws_cloudwatch_log_group', 'internal/service/logs/group.go', ['name']),
  ...entries('aws_sqs_queue', 'internal/service/sqs/queue.go', ['fifo_queue', 'name']),
  ...entries('aws_sns_topic', 'internal/service/sns/topic.go', ['fifo_topic', 'name']),
  ...entries('aws_lb', 'internal/service/elbv2/load_balancer.go', ['internal', 'load_balancer_type', 'name']),
  ...entries('aws_lb_target_group', 'internal/service/elbv2/target_group.go', ['name', 'port', 'protocol', 'target_type', 'vpc_id']),
  ...entries('aws_acm_certificate', 'internal/service/acm/certificate.go', ['domain_name', 'key_algorithm', 'subject_alternative_names']),
  ...entries('aws_route53_record', 'internal/service/route53/record.go', ['name', 'zone_id']),
  ...entries('aws_wafv2_web_acl', 'internal/service/wafv2/web_acl.go', ['name', 'scope']),
  ...entries('aws_wafv2_ip_set', 'internal/service/wafv2/ip_set.go', ['ip_address_version', 'name', 'scope']),
  ...entries('aws_launch_template', 'internal/service/ec2/ec2_launch_template.go', ['name']),
];

const BY_TYPE = new Map<string, ForceNewArgument[]>();
for (const e of FORCE_NEW_ARGUMENTS) BY_TYPE.set(e.type, [...(BY_TYPE.get(e.type) ?? []), e]);

export const forceNewArguments = (type: string): readonly ForceNewArgument[] => BY_TYPE.get(type) ?? [];
