/**
 * Every WAF web ACL has a logging configuration (requests it blocks and counts are otherwise
 * invisible).
 *
 * Mirrors checkov CKV2_AWS_31 ("WAF2 has a logging configuration").
 */
import { blocksOf, resolveResource, type StackJson } from './terraform-json';
import { finding, type SecurityRule } from './rule';

export const rule: SecurityRule = {
  id: 'waf-logging-enabled',
  mirrors: 'checkov CKV2_AWS_31',
  layer: 'WAF',
  description: 'Every web ACL logs its requests.',
  check(stacks: readonly StackJson[]) {
    const logged = new Set<string>();
    for (const stack of stacks) {
      for (const [, config] of blocksOf(stack, 'aws_wafv2_web_acl_logging_configuration')) {
        const acl = resolveResource(stacks, stack, config.resource_arn);
        if (acl?.type === 'aws_wafv2_web_acl' && (config.log_destination_configs ?? []).length > 0) logged.add(`${acl.stack.stack}/${acl.name}`);
      }
    }
    return stacks.flatMap((stack) =>
      blocksOf(stack, 'aws_wafv2_web_acl')
        .filter(([name]) => !logged.has(`${stack.stack}/${name}`))
        .map(([name, acl]) => finding(stack, `aws_wafv2_web_acl.${name}`, `web ACL ${acl.name ?? name} has no logging configuration`)),
    );
  },
};
