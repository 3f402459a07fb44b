/**
 * An Aurora MySQL cluster that exports its audit or slow query log to CloudWatch must also write
 * it: exporting `audit` needs `server_audit_logging = 1` and a non-empty `server_audit_events` in
 * its cluster parameter group; exporting `slowquery` needs `slow_query_log = 1`, a
 * `long_query_time` and `log_output = FILE` (AWS, "Publishing Aurora MySQL logs to Amazon
 * CloudWatch Logs"). Otherwise the log groups exist and stay empty.
 *
 * Mirrors checkov CKV_AWS_325 ("RDS Cluster audit logging is enabled for MySQL engine"), extended
 * to the slow query log.
 */
import { blocksOf, referenced, type Json, type StackJson } from './terraform-json';
import { finding, type SecurityRule } from './rule';

export const rule: SecurityRule = {
  id: 'rds-logs-enabled',
  mirrors: 'checkov CKV_AWS_325',
  layer: 'Logging',
  description: 'Aurora MySQL writes the audit and slow query logs it exports.',
  check(stacks: readonly StackJson[]) {
    return stacks.flatMap((stack) =>
      blocksOf(stack, 'aws_rds_cluster')
        .filter(([, c]) => String(c.engine ?? '').startsWith('aurora-mysql'))
        .flatMap(([name, c]) => {
          const exports = (c.enabled_cloudwatch_logs_exports ?? []) as string[];
          const group = referenced(stack, c.db_cluster_parameter_group_name) as Json | undefined;
          const params = new Map(((group?.parameter ?? []) as { name: string; value: string }[]).map((p) => [p.name, String(p.value)]));
          const problems: string[] = [];
          if (exports.includes('audit')) {
            if (params.get('server_audit_logging') !== '1') problems.push('exports "audit" but server_audit_logging is not 1');
            if (!params.get('server_audit_events')) problems.push('exports "audit" but server_audit_events is unset');
          }
          if (exports.includes('slowquery')) {
            if (params.get('slow_query_log') !== '1') problems.push('exports "slowquery" but slow_query_log is not 1');
            if (!params.has('long_query_time')) problems.push('exports "slowquery" but long_query_time is unset');
            if (params.get('log_output') !== 'FILE') problems.push('exports "slowquery" but log_output is not FILE');
          }
          return problems.map((p) => finding(stack, `aws_rds_cluster.${name}`, `Aurora cluster ${c.cluster_identifier ?? name} ${p}`));
        }),
    );
  },
};
