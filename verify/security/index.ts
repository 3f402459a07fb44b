/**
 * The offline security check of the AWS layer: a small rule set over the rendered Terraform JSON
 * (`dist/<env>/terraform/<stack>/cdk.tf.json`), one rule per file, each naming the tfsec/checkov
 * check it mirrors. It reads files only (never the model). 0 findings is the bar.
 *
 * `checkSecurity(distRoot)` checks every environment folder under `distRoot`; the verify CLI
 * registers it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { securityPostureTable } from './posture';
import type { SecurityFinding, SecurityRule } from './rule';
import { readEnvironmentStacks, type StackJson } from './terraform-json';
import { rule as albAccessLogsEnabled } from './alb-access-logs-enabled';
import { rule as asgAttachmentWithNodeGroup } from './asg-attachment-with-node-group';
import { rule as albPublicOnlyForInternet } from './alb-public-only-for-internet';
import { rule as cloudfrontLoggingEnabled } from './cloudfront-logging-enabled';
import { rule as cloudfrontTlsMinimum } from './cloudfront-tls-minimum';
import { rule as cloudfrontWafEnabled } from './cloudfront-waf-enabled';
import { rule as databaseIngressFromSecurityGroups } from './database-ingress-from-security-groups';
import { rule as databaseSecretRotation } from './database-secret-rotation';
import { rule as eksAccessFromEntries } from './eks-access-from-entries';
import { rule as eksUpgradePolicy } from './eks-upgrade-policy';
import { rule as publicWebAclRateLimited } from './public-web-acl-rate-limited';
import { rule as rdsEngineVersionDrift } from './rds-engine-version-drift';
import { rule as rdsInstanceMonitoring } from './rds-instance-monitoring';
import { rule as rdsLogsEnabled } from './rds-logs-enabled';
import { rule as secretsReadScopedToNamespace } from './secrets-read-scoped-to-namespace';
import { rule as terraformRequiredVersion } from './terraform-required-version';
import { rule as vpcFlowLogsEnabled } from './vpc-flow-logs-enabled';
import { rule as wafLoggingEnabled } from './waf-logging-enabled';

export type { SecurityFinding, SecurityRule } from './rule';

/** Every rule, in the order they report. */
export const SECURITY_RULES: readonly SecurityRule[] = [
  secretsReadScopedToNamespace,
  rdsLogsEnabled,
  databaseIngressFromSecurityGroups,
  vpcFlowLogsEnabled,
  albAccessLogsEnabled,
  wafLoggingEnabled,
  cloudfrontTlsMinimum,
  cloudfrontWafEnabled,
  cloudfrontLoggingEnabled,
  publicWebAclRateLimited,
  albPublicOnlyForInternet,
  terraformRequiredVersion,
  rdsEngineVersionDrift,
  rdsInstanceMonitoring,
  eksUpgradePolicy,
  eksAccessFromEntries,
  asgAttachmentWithNodeGroup,
  databaseSecretRotation,
];

/** Findings of every rule over the stacks of one environment. */
export function checkStacks(stacks: readonly StackJson[], rules: readonly SecurityRule[] = SECURITY_RULES): SecurityFinding[] {
  return rules.flatMap((r) => r.check(stacks).map((f) => ({ rule: r.id, mirrors: r.mirrors, ...f })));
}

/** Findings over every `<env>/terraform/*\/cdk.tf.json` under a rendered tree (`dist/`). */
export function checkSecurity(distRoot: string, rules: readonly SecurityRule[] = SECURITY_RULES): SecurityFinding[] {
  if (!fs.existsSync(distRoot)) throw new Error(`no rendered tree at ${distRoot}`);
  const envs = fs
    .readdirSync(distRoot)
    .sort()
    .filter((e) => fs.existsSync(path.join(distRoot, e, 'terraform')));
  return envs.flatMap((env) => checkStacks(readEnvironmentStacks(path.join(distRoot, env)), rules));
}

/** One line per finding: `<env>/<stack> <resource>: <message> [<rule>, mirrors <id>]`. */
export function formatFindings(findings: readonly SecurityFinding[]): string[] {
  return findings.map((f) => `${f.env}/${f.stack} ${f.resource}: ${f.message} [${f.rule}, mirrors ${f.mirrors}]`);
}

/** The README's "Security posture" table for the rule set. */
export const securityPosture = (): string => securityPostureTable(SECURITY_RULES);
