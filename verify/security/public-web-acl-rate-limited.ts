/**
 * Every web ACL that allows by default (a public one: the external ALB's, CloudFront's) has a
 * blocking rate-based rule, so one client cannot flood the gateways (seed 002, table 5: rate
 * limiting). ACLs that block by default (allow lists) need none.
 *
 * No tfsec/checkov check covers rate limiting (checkov CKV_AWS_192 only requires a managed rule
 * group); this rule is the platform's own.
 */
import { blocksOf, type Json, type StackJson } from './terraform-json';
import { finding, type SecurityRule } from './rule';

export const rule: SecurityRule = {
  id: 'public-web-acl-rate-limited',
  mirrors: 'no tfsec/checkov equivalent (nearest: checkov CKV_AWS_192, managed rules only)',
  layer: 'WAF',
  description: 'Every allow-by-default web ACL has a blocking rate-based rule.',
  check(stacks: readonly StackJson[]) {
    return stacks.flatMap((stack) =>
      blocksOf(stack, 'aws_wafv2_web_acl')
        .filter(([, acl]) => acl.default_action?.allow !== undefined)
        .filter(([, acl]) => !((acl.rule ?? []) as Json[]).some((r) => r.statement?.rate_based_statement && r.action?.block !== undefined))
        .map(([name, acl]) => finding(stack, `aws_wafv2_web_acl.${name}`, `web ACL ${acl.name ?? name} allows by default and has no blocking rate-based rule`)),
    );
  },
};
