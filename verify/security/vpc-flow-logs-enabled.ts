/**
 * Every VPC has a flow log of all traffic (accepted and rejected), in whichever stack of the
 * environment creates it (here the observability stack, through the network stack's output).
 *
 * Mirrors checkov CKV2_AWS_11 / tfsec aws-ec2-require-vpc-flow-logs-for-all-vpcs.
 */
import { blocksOf, resolveResource, type StackJson } from './terraform-json';
import { finding, type SecurityRule } from './rule';

export const rule: SecurityRule = {
  id: 'vpc-flow-logs-enabled',
  mirrors: 'checkov CKV2_AWS_11 / tfsec aws-ec2-require-vpc-flow-logs-for-all-vpcs',
  layer: 'Logging',
  description: 'Every VPC has a flow log of all its traffic.',
  check(stacks: readonly StackJson[]) {
    const logged = new Set<string>();
    for (const stack of stacks) {
      for (const [, flow] of blocksOf(stack, 'aws_flow_log')) {
        if (flow.traffic_type !== 'ALL') continue;
        const vpc = resolveResource(stacks, stack, flow.vpc_id);
        if (vpc?.type === 'aws_vpc') logged.add(`${vpc.stack.stack}/${vpc.name}`);
      }
    }
    return stacks.flatMap((stack) =>
      blocksOf(stack, 'aws_vpc')
        .filter(([name]) => !logged.has(`${stack.stack}/${name}`))
        .map(([name, vpc]) => finding(stack, `aws_vpc.${name}`, `VPC ${vpc.tags?.Name ?? name} has no flow log of all traffic`)),
    );
  },
};
