/**
 * A load balancer is internet-facing only when it serves the internet: an ALB with
 * `internal = false` must admit 0.0.0.0/0 (or ::/0) on its security group. An internet-facing ALB
 * with an allow list is an internal one exposed by mistake (public DNS, public subnets, and any
 * address that happens to be allow-listed, NAT gateways included, passes).
 *
 * Mirrors tfsec aws-elb-alb-not-public (which flags every public ALB), narrowed to ALBs whose
 * audience is restricted.
 */
import { blocksOf, parseReference, type StackJson } from './terraform-json';
import { finding, type SecurityRule } from './rule';

export const rule: SecurityRule = {
  id: 'alb-public-only-for-internet',
  mirrors: 'tfsec aws-elb-alb-not-public (narrowed to restricted audiences)',
  layer: 'Network',
  description: 'An ALB with an allow-listed audience is internal (private subnets), never internet-facing.',
  check(stacks: readonly StackJson[]) {
    return stacks.flatMap((stack) => {
      const open = new Set(
        blocksOf(stack, 'aws_vpc_security_group_ingress_rule')
          .filter(([, r]) => r.cidr_ipv4 === '0.0.0.0/0' || r.cidr_ipv6 === '::/0')
          .map(([, r]) => parseReference(r.security_group_id)?.name),
      );
      return blocksOf(stack, 'aws_lb')
        .filter(([, lb]) => lb.internal !== true)
        .filter(([, lb]) => !((lb.security_groups ?? []) as string[]).some((sg) => open.has(parseReference(sg)?.name)))
        .map(([name, lb]) => finding(stack, `aws_lb.${name}`, `ALB ${lb.name ?? name} is internet-facing but admits only allow-listed sources: make it internal`));
    });
  },
};
