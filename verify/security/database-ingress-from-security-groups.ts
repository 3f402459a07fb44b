/**
 * Database ports (MySQL 3306, PostgreSQL 5432) admit security groups, never CIDR ranges: a range
 * admits everything that lands in those subnets (every Pod, every future instance), a security
 * group only what carries it.
 *
 * Mirrors tfsec aws-ec2-no-public-ingress-sgr / checkov CKV_AWS_260, narrowed: for database ports
 * no CIDR at all, private or public.
 */
import { blocksOf, type StackJson } from './terraform-json';
import { finding, type SecurityRule } from './rule';

const DATABASE_PORTS = [3306, 5432];
const coversDatabasePort = (from: number, to: number) => DATABASE_PORTS.some((p) => from <= p && p <= to);

export const rule: SecurityRule = {
  id: 'database-ingress-from-security-groups',
  mirrors: 'tfsec aws-ec2-no-public-ingress-sgr / checkov CKV_AWS_260 (narrowed to database ports, any CIDR)',
  layer: 'Network',
  description: 'Database ports admit security groups only, no CIDR ranges.',
  check(stacks: readonly StackJson[]) {
    return stacks.flatMap((stack) => [
      ...blocksOf(stack, 'aws_vpc_security_group_ingress_rule')
        .filter(([, r]) => coversDatabasePort(Number(r.from_port ?? 0), Number(r.to_port ?? 65535)) && (r.cidr_ipv4 || r.cidr_ipv6))
        .map(([name, r]) => finding(stack, `aws_vpc_security_group_ingress_rule.${name}`, `port ${r.from_port} is open to ${r.cidr_ipv4 ?? r.cidr_ipv6} instead of a security group`)),
      ...blocksOf(stack, 'aws_security_group_rule')
        .filter(([, r]) => r.type === 'ingress' && coversDatabasePort(Number(r.from_port ?? 0), Number(r.to_port ?? 65535)) && ((r.cidr_blocks ?? []).length > 0 || (r.ipv6_cidr_blocks ?? []).length > 0))
        .map(([name, r]) => finding(stack, `aws_security_group_rule.${name}`, `port ${r.from_port} is open to ${[...(r.cidr_blocks ?? []), ...(r.ipv6_cidr_blocks ?? [])].join(', ')} instead of a security group`)),
      ...blocksOf(stack, 'aws_security_group').flatMap(([name, g]) =>
        ((g.ingress ?? []) as { from_port: number; to_port: number; cidr_blocks?: string[] }[])
          .filter((i) => coversDatabasePort(i.from_port, i.to_port) && (i.cidr_blocks ?? []).length > 0)
          .map((i) => finding(stack, `aws_security_group.${name}`, `port ${i.from_port} is open to ${(i.cidr_blocks ?? []).join(', ')} instead of a security group`)),
      ),
    ]);
  },
};
