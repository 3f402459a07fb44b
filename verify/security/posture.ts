/**
 * The README's "Security posture" table: what is enforced where. The AWS rows come from the rule
 * set itself (one row per rule), the other layers from POSTURE_CONTROLS; a test keeps the README's
 * copy equal to `securityPostureTable()`, so the table cannot drift from the checks.
 */
import type { SecurityRule } from './rule';

export interface PostureControl {
  readonly layer: string;
  readonly control: string;
  /** Where it is rendered/enforced. */
  readonly enforcedIn: string;
  /** What checks it offline. */
  readonly checkedBy: string;
}

/** Controls not (only) checked by a Terraform rule. */
export const POSTURE_CONTROLS: readonly PostureControl[] = [
  {
    layer: 'IAM',
    control: 'Each namespace reads only its own Secrets Manager secrets: a namespaced SecretStore authenticating as the namespace\'s own IRSA role; no ClusterSecretStore',
    enforcedIn: '`infra/secrets-reader-roles.ts`, `charts/secrets/cluster-secret-store.ts`',
    checkedBy: '`test/secrets-isolation.test.ts` (rendered policies evaluated with @cloud-copilot/iam-simulate)',
  },
  { layer: 'IAM', control: 'Every IRSA role trusts exactly one namespace/ServiceAccount; grants are named and least-privilege', enforcedIn: '`infra/service-account-role.ts`, `infra/aws-grants.ts`', checkedBy: 'contract check (`render/contract.ts`), `test/infra-stacks.test.ts`' },
  { layer: 'KMS', control: 'Customer-managed keys with yearly rotation for EKS Secrets, logs, EBS, Secrets Manager, SOPS, Aurora, alerts, CloudFront WAF logs', enforcedIn: '`infra/kms-key.ts`', checkedBy: '`test/infra-stacks.test.ts`' },
  { layer: 'Mesh', control: 'STRICT mTLS and a default-deny AuthorizationPolicy in every in-mesh namespace; ALLOW only for declared callers', enforcedIn: '`charts/mesh/`', checkedBy: 'synth policies (`render/policies.ts`)' },
  {
    layer: 'NetworkPolicy',
    control: 'Default-deny (ingress and egress) in every namespace outside the mesh, allows from the add-ons\' declared needs; an egress policy per sidecar-less hook Job (DNS plus what it declares); enforced by the vpc-cni network policy agent (`enableNetworkPolicy`)',
    enforcedIn: '`charts/network-policy/`, `infra/cluster-stack.ts`',
    checkedBy: '`verify/network/non-mesh-default-deny.ts`, `verify/network/hook-job-egress.ts`, the tracer\'s NetworkPolicy hop, `test/network-policy.test.ts`',
  },
  { layer: 'Pods', control: 'Non-root, read-only root filesystem, no privilege, limits on every container', enforcedIn: '`charts/`', checkedBy: 'synth policies (`render/policies.ts`)' },
];

const cell = (text: string) => text.replace(/\|/g, '\\|');

/** The markdown table (header, then POSTURE_CONTROLS, then one row per rule, sorted by layer). */
export function securityPostureTable(rules: readonly SecurityRule[]): string {
  const rows: PostureControl[] = [
    ...POSTURE_CONTROLS,
    ...rules.map((r) => ({ layer: r.layer, control: r.description, enforcedIn: 'Terraform (`infra/`)', checkedBy: `\`verify/security/${r.id}.ts\` (mirrors ${r.mirrors})` })),
  ];
  const order = ['IAM', 'KMS', 'WAF', 'TLS', 'Network', 'Mesh', 'NetworkPolicy', 'Pods', 'Logging', 'Day-2'];
  const sorted = rows.map((row, i) => ({ row, i })).sort((a, b) => order.indexOf(a.row.layer) - order.indexOf(b.row.layer) || a.i - b.i).map((x) => x.row);
  return [
    '| Layer | Control | Enforced in | Checked by |',
    '|---|---|---|---|',
    ...sorted.map((r) => `| ${cell(r.layer)} | ${cell(r.control)} | ${cell(r.enforcedIn)} | ${cell(r.checkedBy)} |`),
  ].join('\n');
}
