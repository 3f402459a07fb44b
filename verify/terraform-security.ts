/**
 * The offline security rule set over the rendered Terraform JSON (verify/security/, one rule per
 * file, each naming the tfsec/checkov check it mirrors), registered with the bootstrap checks so
 * that `npm run verify` runs it too.
 */
import type { Check } from './registry';
import { checkStacks } from './security';
import { readEnvironmentStacks } from './security/terraform-json';

export const terraformSecurity: Check = {
  id: 'terraform-security',
  description: 'the rendered AWS layer passes the security rule set (verify/security/)',
  run: (sim) =>
    checkStacks(readEnvironmentStacks(sim.tree.dir)).map((f) => ({
      file: `terraform/${f.stack}/cdk.tf.json`,
      message: `${f.resource}: ${f.message} [${f.rule}, mirrors ${f.mirrors}]`,
    })),
};
