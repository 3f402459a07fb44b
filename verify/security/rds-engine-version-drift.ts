/**
 * An Aurora cluster whose instances take automatic minor version upgrades must not pin
 * `engine_version` without ignoring its drift: after AWS upgrades the cluster, the next plan tries
 * to set the old patch again, and RDS refuses the downgrade (the apply fails). Either
 * `auto_minor_version_upgrade = false` on every instance, or `lifecycle.ignore_changes` containing
 * `engine_version` on the cluster.
 *
 * No tfsec/checkov equivalent (checkov CKV_AWS_226 only requires auto minor upgrades); the
 * platform's own day-2 rule.
 */
import { blocksOf, parseReference, type StackJson } from './terraform-json';
import { finding, type SecurityRule } from './rule';

export const rule: SecurityRule = {
  id: 'rds-engine-version-drift',
  mirrors: 'no tfsec/checkov equivalent (complements checkov CKV_AWS_226)',
  layer: 'Day-2',
  description: 'A pinned Aurora engine_version with auto minor upgrades ignores engine-version drift.',
  check(stacks: readonly StackJson[]) {
    return stacks.flatMap((stack) => {
      const autoUpgraded = new Set(
        blocksOf(stack, 'aws_rds_cluster_instance')
          .filter(([, i]) => i.auto_minor_version_upgrade !== false)
          .map(([, i]) => parseReference(i.cluster_identifier)?.name),
      );
      return blocksOf(stack, 'aws_rds_cluster')
        .filter(([name, c]) => c.engine_version && autoUpgraded.has(name))
        .filter(([, c]) => !((c.lifecycle?.ignore_changes ?? []) as string[]).includes('engine_version'))
        .map(([name, c]) => finding(stack, `aws_rds_cluster.${name}`, `engine_version is pinned to ${c.engine_version} while its instances auto-upgrade minor versions, and its drift is not ignored`));
    });
  },
};
