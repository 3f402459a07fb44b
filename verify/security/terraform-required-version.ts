/**
 * Every stack pins the Terraform versions it needs: `terraform.required_version` set, and, when the
 * S3 backend uses `use_lockfile` (S3-native locking, Terraform 1.10+), a constraint that excludes
 * everything before 1.10 (older versions reject the backend key).
 *
 * Mirrors tflint terraform_required_version (plus the use_lockfile floor).
 */
import { type StackJson } from './terraform-json';
import { finding, type SecurityRule } from './rule';

/** The smallest version a ">= x.y[.z]" constraint admits, if it has one. */
function lowerBound(constraint: string): [number, number] | undefined {
  const m = />=\s*(\d+)\.(\d+)/.exec(constraint);
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

export const rule: SecurityRule = {
  id: 'terraform-required-version',
  mirrors: 'tflint terraform_required_version',
  layer: 'Day-2',
  description: 'Every stack sets terraform.required_version, at least 1.10 where S3 lock files are used.',
  check(stacks: readonly StackJson[]) {
    return stacks.flatMap((stack) => {
      const terraform = stack.json.terraform ?? {};
      const required = terraform.required_version as string | undefined;
      if (!required) return [finding(stack, 'terraform', 'terraform.required_version is unset')];
      if (terraform.backend?.s3?.use_lockfile === true) {
        const low = lowerBound(required);
        if (!low || low[0] < 1 || (low[0] === 1 && low[1] < 10)) return [finding(stack, 'terraform', `the S3 backend uses use_lockfile (Terraform >= 1.10) but required_version is "${required}"`)];
      }
      return [];
    });
  },
};
