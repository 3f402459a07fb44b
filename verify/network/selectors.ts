/**
 * Label selector and NetworkPolicy selection semantics the network rules share
 * (kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors: matchLabels
 * and matchExpressions ANDed, an empty selector selects everything; and
 * kubernetes.io/docs/concepts/services-networking/network-policies/: a policy isolates the Pods
 * its `podSelector` selects for the directions in `policyTypes`, defaulting to Ingress, plus
 * Egress when it has egress rules).
 */
import type { RenderedObject } from '../tree';

type Labels = Readonly<Record<string, string>>;
interface Expression { readonly key: string; readonly operator: string; readonly values?: readonly string[] }
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Selector = { readonly matchLabels?: Labels; readonly matchExpressions?: readonly Expression[] } | undefined | null | any;

export function selectorMatches(selector: Selector, labels: Labels): boolean {
  const ml: Labels = selector?.matchLabels ?? {};
  const exprs: readonly Expression[] = selector?.matchExpressions ?? [];
  if (!Object.entries(ml).every(([k, v]) => labels[k] === v)) return false;
  return exprs.every((e) => {
    const v = labels[e.key];
    if (e.operator === 'In') return v !== undefined && (e.values ?? []).includes(v);
    if (e.operator === 'NotIn') return v === undefined || !(e.values ?? []).includes(v);
    if (e.operator === 'Exists') return v !== undefined;
    if (e.operator === 'DoesNotExist') return v === undefined;
    return false;
  });
}

export const selectsEverything = (selector: Selector): boolean =>
  Object.keys(selector?.matchLabels ?? {}).length === 0 && (selector?.matchExpressions ?? []).length === 0;

/** The directions a NetworkPolicy's `spec` isolates. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function policyTypesOf(spec: any): string[] {
  if (Array.isArray(spec?.policyTypes) && spec.policyTypes.length > 0) return spec.policyTypes;
  return ['Ingress', ...(spec?.egress ? ['Egress'] : [])];
}

/** A rule with no peers and no ports admits every address on every port. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const opensEverything = (rule: any, peersKey: 'from' | 'to'): boolean => (rule?.[peersKey] ?? []).length === 0 && (rule?.ports ?? []).length === 0;

/** NetworkPolicies of every namespace, indexed once. */
export function policiesByNamespace(objects: readonly RenderedObject[]): Map<string, RenderedObject[]> {
  const out = new Map<string, RenderedObject[]>();
  for (const o of objects) {
    if (o.kind !== 'NetworkPolicy' || !o.namespace) continue;
    out.set(o.namespace, [...(out.get(o.namespace) ?? []), o]);
  }
  return out;
}

/** Whether Istio injects sidecars into the namespace (`istio-injection: enabled` or a revision label). */
export const namespaceInjected = (labels: Labels | undefined): boolean => labels?.['istio-injection'] === 'enabled' || labels?.['istio.io/rev'] !== undefined;
