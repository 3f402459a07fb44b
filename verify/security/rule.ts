/** What every security rule is: a check over the rendered stacks of one environment. */
import type { StackJson } from './terraform-json';

export interface SecurityFinding {
  /** Id of the rule that found it (its file name). */
  readonly rule: string;
  /** The tfsec/checkov check the rule mirrors. */
  readonly mirrors: string;
  readonly env: string;
  readonly stack: string;
  /** `<type>.<name>` of the offending resource. */
  readonly resource: string;
  readonly message: string;
}

export interface SecurityRule {
  /** Kebab-case id, the rule's file name. */
  readonly id: string;
  /** The tfsec/checkov id(s) it mirrors (or the nearest one, and how it differs). */
  readonly mirrors: string;
  /** Where the control is enforced (for the README's security posture table). */
  readonly layer: 'IAM' | 'KMS' | 'WAF' | 'Network' | 'Logging' | 'TLS' | 'Day-2';
  /** One sentence: what must hold. */
  readonly description: string;
  /** Findings in the stacks of one environment (all of its stacks are passed). */
  check(stacks: readonly StackJson[]): Omit<SecurityFinding, 'rule' | 'mirrors'>[];
}

/** A finding at one resource of one stack. */
export const finding = (stack: Pick<StackJson, 'env' | 'stack'>, resource: string, message: string): Omit<SecurityFinding, 'rule' | 'mirrors'> => ({
  env: stack.env,
  stack: stack.stack,
  resource,
  message,
});
