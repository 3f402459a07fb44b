/**
 * Rules shared by the public web ACLs (external ALB, CloudFront): AWS managed rule groups and a
 * per-client rate limit (seed 002, table 5 names rate limiting as a reliability pattern; the limit
 * is the platform's choice, `PUBLIC_RATE_LIMIT`).
 */
import type { Wafv2WebAclRule } from '@cdktf/provider-aws/lib/wafv2-web-acl';
import { API_MAX_REQUEST_BODY_BYTES, PUBLIC_RATE_LIMIT, WAF_BODY_SIZE_RESTRICTION_BYTES } from '../platform/aws-names';

/** AWS managed rule groups of the public web ACLs, in evaluation order. */
export const PUBLIC_MANAGED_RULE_GROUPS: readonly string[] = [
  'AWSManagedRulesAmazonIpReputationList',
  'AWSManagedRulesCommonRuleSet',
  'AWSManagedRulesKnownBadInputsRuleSet',
  'AWSManagedRulesSQLiRuleSet',
];

const visibility = (metric: string) => ({ cloudwatchMetricsEnabled: true, metricName: metric, sampledRequestsEnabled: true });

/**
 * The rules of a public web ACL: first the rate limit (blocks a client address above
 * PUBLIC_RATE_LIMIT requests per evaluation window), then the managed groups. The common rule set's
 * SizeRestrictions_BODY blocks bodies over 8 KB; it stays blocking only while the API's declared
 * body limit fits in it, otherwise it counts (the BFF's own limit enforces the larger size).
 */
export function publicWebAclRules(metricPrefix: string, rateLimit = PUBLIC_RATE_LIMIT, bodyLimit = API_MAX_REQUEST_BODY_BYTES): Wafv2WebAclRule[] {
  const bodyFits = bodyLimit <= WAF_BODY_SIZE_RESTRICTION_BYTES;
  return [
    {
      name: 'RateLimitPerClientIp',
      priority: 0,
      action: { block: {} },
      statement: { rate_based_statement: { limit: rateLimit.requests, evaluation_window_sec: rateLimit.windowSeconds, aggregate_key_type: 'IP' } },
      visibilityConfig: visibility(`${metricPrefix}-rate-limit`),
    },
    ...PUBLIC_MANAGED_RULE_GROUPS.map((group, i) => ({
      name: group,
      priority: i + 1,
      overrideAction: { none: {} },
      statement: {
        managed_rule_group_statement: {
          name: group,
          vendor_name: 'AWS',
          ...(group === 'AWSManagedRulesCommonRuleSet' && !bodyFits ? { rule_action_override: [{ name: 'SizeRestrictions_BODY', action_to_use: { count: {} } }] } : {}),
        },
      },
      visibilityConfig: visibility(`${metricPrefix}-${group}`),
    })),
  ];
}
