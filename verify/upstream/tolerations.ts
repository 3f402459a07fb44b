/** Kubernetes toleration matching (k8s.io/api core/v1 toleration.go ToleratesTaint). */
export interface Taint {
  readonly key: string;
  readonly value?: string;
  readonly effect: string;
}
export interface Toleration {
  readonly key?: string;
  readonly operator?: string;
  readonly value?: string;
  readonly effect?: string;
}

export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  if (!t.key && t.operator !== 'Exists') return false;
  if (t.operator === 'Exists') return true;
  return (t.value ?? '') === (taint.value ?? '');
}

export const toleratesAll = (tolerations: readonly Toleration[] | undefined, taints: readonly Taint[]): boolean =>
  taints.filter((x) => x.effect !== 'PreferNoSchedule').every((taint) => (tolerations ?? []).some((t) => tolerates(t, taint)));

/** EKS node group taint effects (NO_SCHEDULE ...) as Kubernetes spells them. */
export const k8sEffect = (e: string): string => ({ NO_SCHEDULE: 'NoSchedule', NO_EXECUTE: 'NoExecute', PREFER_NO_SCHEDULE: 'PreferNoSchedule' })[e] ?? e;

/** Taints of every managed node group of a Terraform stack, per group. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function nodeGroupTaints(stack: any): { readonly id: string; readonly taints: Taint[] }[] {
  return Object.entries(stack?.resource?.aws_eks_node_group ?? {}).map(([id, g]) => ({
    id,
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    taints: ((g as any).taint ?? []).map((t: any) => ({ key: t.key, value: t.value, effect: k8sEffect(t.effect) })),
  }));
}
