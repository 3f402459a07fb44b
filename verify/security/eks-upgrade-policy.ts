/**
 * Every EKS cluster states its upgrade policy: `upgrade_policy.support_type` set, STANDARD unless a
 * cluster deliberately pays for extended support (AWS bills extended support per cluster hour, and
 * it is the default when nothing is said).
 *
 * No tfsec/checkov equivalent (checkov CKV_AWS_339 only checks the Kubernetes version is
 * supported); the platform's own day-2 rule.
 */
import { blocksOf, type StackJson } from './terraform-json';
import { finding, type SecurityRule } from './rule';

export const rule: SecurityRule = {
  id: 'eks-upgrade-policy',
  mirrors: 'no tfsec/checkov equivalent (complements checkov CKV_AWS_339)',
  layer: 'Day-2',
  description: 'Every EKS cluster sets its upgrade policy (standard support).',
  check(stacks: readonly StackJson[]) {
    return stacks.flatMap((stack) =>
      blocksOf(stack, 'aws_eks_cluster')
        .filter(([, c]) => c.upgrade_policy?.support_type !== 'STANDARD')
        .map(([name, c]) => finding(stack, `aws_eks_cluster.${name}`, `cluster ${c.name ?? name} does not set upgrade_policy.support_type = STANDARD (extended support is billed by default)`)),
    );
  },
};
