/**
 * Cluster access does not depend on whoever ran Terraform: every EKS cluster has an access entry
 * associated with AmazonEKSClusterAdminPolicy, and (with one) does not also bootstrap the
 * creator as cluster-admin (`access_config.bootstrap_cluster_creator_admin_permissions = false`).
 *
 * No tfsec/checkov equivalent (checkov CKV_AWS_37/38/39 cover logging and the endpoint only); the
 * platform's own rule.
 */
import { blocksOf, parseReference, type StackJson } from './terraform-json';
import { finding, type SecurityRule } from './rule';

export const rule: SecurityRule = {
  id: 'eks-access-from-entries',
  mirrors: 'no tfsec/checkov equivalent (beside checkov CKV_AWS_37/38/39)',
  layer: 'IAM',
  description: 'Every EKS cluster has an admin access entry and no bootstrap admin for its creator.',
  check(stacks: readonly StackJson[]) {
    return stacks.flatMap((stack) => {
      const administered = new Set(
        blocksOf(stack, 'aws_eks_access_policy_association')
          .filter(([, a]) => String(a.policy_arn).endsWith('/AmazonEKSClusterAdminPolicy') && a.access_scope?.type === 'cluster')
          .map(([, a]) => parseReference(a.cluster_name)?.name),
      );
      return blocksOf(stack, 'aws_eks_cluster').flatMap(([name, c]) => {
        if (!administered.has(name)) return [finding(stack, `aws_eks_cluster.${name}`, `cluster ${c.name ?? name} has no access entry with AmazonEKSClusterAdminPolicy: only the identity that created it can administer it`)];
        if (c.access_config?.bootstrap_cluster_creator_admin_permissions !== false) return [finding(stack, `aws_eks_cluster.${name}`, `cluster ${c.name ?? name} still makes its creator cluster-admin (bootstrap_cluster_creator_admin_permissions)`)];
        return [];
      });
    });
  },
};
