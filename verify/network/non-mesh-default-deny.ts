/**
 * Every namespace outside the mesh is default-deny: some NetworkPolicy selects all of its Pods
 * (`podSelector: {}`) for both Ingress and Egress with no rules, and no policy of the namespace
 * has a rule with neither peers nor ports (which would admit everything again).
 *
 * Why: without a sidecar no AuthorizationPolicy or Sidecar confines those Pods, and Kubernetes
 * leaves a Pod that no policy selects for a direction non-isolated (allow-all) in that direction;
 * once selected, it accepts only the union of the rules of the policies selecting it
 * (kubernetes.io/docs/concepts/services-networking/network-policies/ "The two sorts of pod
 * isolation"). On EKS the VPC CNI network policy agent enforces exactly this model
 * (aws/aws-network-policy-agent README; enabled by the vpc-cni add-on's `enableNetworkPolicy`).
 */
import type { Check, Finding } from '../registry';
import { namespaceInjected, opensEverything, policiesByNamespace, policyTypesOf, selectsEverything } from './selectors';

export const nonMeshDefaultDeny: Check = {
  id: 'non-mesh-default-deny',
  description: 'every namespace without sidecar injection has a default-deny NetworkPolicy for ingress and egress, and no allow-everything rule',
  run: (sim) => {
    const out: Omit<Finding, 'rule'>[] = [];
    const byNamespace = policiesByNamespace(sim.objects);
    for (const ns of sim.objects) {
      if (ns.kind !== 'Namespace' || namespaceInjected(ns.doc.metadata?.labels)) continue;
      const policies = byNamespace.get(ns.name) ?? [];
      const denyAll = policies.some((p) => {
        const types = policyTypesOf(p.doc.spec);
        return selectsEverything(p.doc.spec?.podSelector) && types.includes('Ingress') && types.includes('Egress') && (p.doc.spec?.ingress ?? []).length === 0 && (p.doc.spec?.egress ?? []).length === 0;
      });
      if (!denyAll) {
        out.push({ file: ns.file, message: `namespace ${ns.name} is outside the mesh and no NetworkPolicy of it selects every Pod for Ingress and Egress without rules: its Pods accept and open any connection` });
      }
      for (const p of policies) {
        const types = policyTypesOf(p.doc.spec);
        for (const [dir, key, peers] of [['Ingress', 'ingress', 'from'], ['Egress', 'egress', 'to']] as const) {
          if (!types.includes(dir)) continue;
          for (const [i, rule] of ((p.doc.spec?.[key] ?? []) as unknown[]).entries()) {
            if (opensEverything(rule, peers)) out.push({ file: p.file, message: `NetworkPolicy ${ns.name}/${p.name} ${key}[${i}] has no ${peers} and no ports: it admits every ${dir === 'Ingress' ? 'source' : 'destination'} on every port` });
          }
        }
      }
    }
    return out;
  },
};
