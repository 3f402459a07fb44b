/**
 * An EKS add-on whose Deployment must schedule on the managed node groups must tolerate their
 * taints: they are the only nodes when Terraform creates the add-on, and `terraform apply` waits for
 * the add-on to become ACTIVE (hashicorp/terraform-provider-aws internal/service/eks/addon.go
 * waitAddonCreated), so an unschedulable add-on times the apply out. Default tolerations of each
 * add-on, used when `configuration_values` sets none:
 * - coredns: `CriticalAddonsOnly: Exists` (EKS's CoreDNS manifest; aws/eks-charts / add-on schema).
 * - metrics-server: none (kubernetes-sigs/metrics-server charts/metrics-server/values.yaml
 *   `tolerations: []`, the EKS add-on passes `tolerations` through its configuration schema).
 * - aws-ebs-csi-driver: controller `CriticalAddonsOnly: Exists` and `NoExecute: Exists`
 *   (kubernetes-sigs/aws-ebs-csi-driver charts/aws-ebs-csi-driver/values.yaml controller.tolerations).
 * vpc-cni and kube-proxy are DaemonSets tolerating every taint.
 */
import type { Check, Finding } from '../registry';
import { nodeGroupTaints, toleratesAll, type Toleration } from '../upstream/tolerations';

interface AddonScheduling {
  /** Where the add-on's configuration values hold the Deployment's tolerations. */
  readonly path: readonly string[];
  readonly defaults: readonly Toleration[];
}

export const EKS_ADDON_SCHEDULING: Readonly<Record<string, AddonScheduling>> = {
  coredns: { path: ['tolerations'], defaults: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }] },
  'metrics-server': { path: ['tolerations'], defaults: [] },
  'aws-ebs-csi-driver': { path: ['controller', 'tolerations'], defaults: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }, { effect: 'NoExecute', operator: 'Exists' }] },
};

export const eksAddonTolerations: Check = {
  id: 'eks-addon-tolerations',
  description: 'EKS add-ons with a Deployment tolerate the taints of the managed node groups',
  run: (sim) => {
    const out: Omit<Finding, 'rule'>[] = [];
    for (const [stackName, stack] of sim.tree.terraform) {
      const groups = nodeGroupTaints(stack);
      if (groups.length === 0) continue;
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      for (const [id, addon] of Object.entries<any>(stack.resource?.aws_eks_addon ?? {})) {
        const sched = EKS_ADDON_SCHEDULING[addon.addon_name];
        if (!sched) continue;
        const config = addon.configuration_values ? JSON.parse(addon.configuration_values) : {};
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        const configured = sched.path.reduce<any>((v, k) => v?.[k], config);
        const tolerations: Toleration[] = configured ?? sched.defaults;
        if (groups.some((g) => toleratesAll(tolerations, g.taints))) continue;
        const taints = groups.flatMap((g) => g.taints.map((t) => `${t.key}=${t.value ?? ''}:${t.effect}`)).join(', ');
        out.push({ file: `terraform/${stackName}/cdk.tf.json`, message: `aws_eks_addon.${id} (${addon.addon_name}) tolerates none of the managed node groups' taints (${taints}): its Pods never schedule and the apply times out` });
      }
    }
    return out;
  },
};
