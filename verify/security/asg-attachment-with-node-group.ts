/**
 * An Auto Scaling group attached to a load balancer target group is attached in the stack of the
 * node group that owns it, create-before-destroy, and that node group can be replaced without a
 * name clash.
 *
 * Why: an EKS managed node group that is replaced (a change of instance types or AMI type forces
 * it) is a new node group with a new Auto Scaling group (AWS EKS "Managed node groups"; provider
 * hashicorp/terraform-provider-aws internal/service/eks/node_group.go, `resources.autoscaling_groups`
 * computed). `aws_autoscaling_attachment` registers the instances of one named ASG
 * (internal/service/autoscaling/attachment.go); its `autoscaling_group_name` forces a new
 * attachment. In the node group's own plan, Terraform creates the new group, then the new
 * attachment (`create_before_destroy`, Terraform "The lifecycle Meta-Argument"), then destroys the
 * old ones: the target group always has registered nodes. An attachment in another stack reads the
 * ASG name from remote state and keeps naming the deleted ASG until that stack is applied, with no
 * target at all meanwhile. A replaced group with a fixed `node_group_name` cannot be created before
 * the old one is destroyed (the name is taken), so the group needs `node_group_name_prefix`.
 *
 * No tfsec/checkov equivalent; the platform's own day-2 rule.
 */
import { blocksOf, parseReference, referenced, type StackJson } from './terraform-json';
import { finding, type SecurityRule } from './rule';

export const rule: SecurityRule = {
  id: 'asg-attachment-with-node-group',
  mirrors: 'no tfsec/checkov equivalent',
  layer: 'Day-2',
  description: 'Every target-group attachment lives in the stack of its node group, which is replaced create-before-destroy under a name prefix.',
  check(stacks: readonly StackJson[]) {
    return stacks.flatMap((stack) =>
      blocksOf(stack, 'aws_autoscaling_attachment').flatMap(([name, attachment]) => {
        const at = `aws_autoscaling_attachment.${name}`;
        const problems: string[] = [];
        const ref = parseReference(attachment.autoscaling_group_name);
        const owner = ref && !ref.data ? referenced(stack, attachment.autoscaling_group_name) : undefined;
        if (!owner || (ref!.type !== 'aws_eks_node_group' && ref!.type !== 'aws_autoscaling_group')) {
          problems.push(`attaches Auto Scaling group ${JSON.stringify(attachment.autoscaling_group_name)}, which is not a node group or Auto Scaling group of this stack: replacing the group leaves the target group without targets until this stack is applied again`);
        } else if (ref!.type === 'aws_eks_node_group') {
          if (owner.lifecycle?.create_before_destroy !== true) problems.push(`its node group aws_eks_node_group.${ref!.name} is not replaced create-before-destroy`);
          if (owner.node_group_name !== undefined || owner.node_group_name_prefix === undefined) problems.push(`its node group aws_eks_node_group.${ref!.name} has a fixed name (set node_group_name_prefix), so it cannot be created before the old one is destroyed`);
        }
        if (attachment.lifecycle?.create_before_destroy !== true) problems.push('is not create-before-destroy: the old attachment is removed before the new Auto Scaling group is registered');
        return problems.map((p) => finding(stack, at, p));
      }),
    );
  },
};
