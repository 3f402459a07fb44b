/**
 * Every Job Pod without a sidecar is confined by an Egress NetworkPolicy: some policy of its
 * namespace selects the Pod template's labels with policy type Egress, and none of the policies
 * selecting it has an egress rule with neither peers nor ports.
 *
 * Why: a Pod without an istio-proxy (template annotation or label `sidecar.istio.io/inject:
 * "false"`, or a namespace without injection) has no Sidecar egress list or egress gateway in
 * its way; a Pod no Egress policy selects may open any connection
 * (kubernetes.io/docs/concepts/services-networking/network-policies/ "The two sorts of pod
 * isolation"), so a migration or gate Job would reach the internet and every Pod directly.
 */
import type { Check, Finding } from '../registry';
import { namespaceInjected, opensEverything, policiesByNamespace, policyTypesOf, selectorMatches } from './selectors';

export const hookJobEgress: Check = {
  id: 'hook-job-egress',
  description: 'every sidecar-less Job Pod template is selected by an Egress NetworkPolicy without an allow-everything rule',
  run: (sim) => {
    const out: Omit<Finding, 'rule'>[] = [];
    const injected = new Map(sim.objects.filter((o) => o.kind === 'Namespace').map((o) => [o.name, namespaceInjected(o.doc.metadata?.labels)]));
    const byNamespace = policiesByNamespace(sim.objects);
    for (const job of sim.objects) {
      if (job.kind !== 'Job' || !job.namespace) continue;
      const tpl = job.doc.spec?.template?.metadata ?? {};
      const labels: Record<string, string> = tpl.labels ?? {};
      const sidecarless = tpl.annotations?.['sidecar.istio.io/inject'] === 'false' || labels['sidecar.istio.io/inject'] === 'false' || injected.get(job.namespace) !== true;
      if (!sidecarless) continue;
      const selecting = (byNamespace.get(job.namespace) ?? []).filter((p) => policyTypesOf(p.doc.spec).includes('Egress') && selectorMatches(p.doc.spec?.podSelector, labels));
      if (selecting.length === 0) {
        out.push({ file: job.file, message: `Job ${job.namespace}/${job.name} runs without a sidecar and no Egress NetworkPolicy selects its Pod labels ${JSON.stringify(labels)}: it may connect anywhere` });
        continue;
      }
      for (const p of selecting) {
        for (const [i, rule] of ((p.doc.spec?.egress ?? []) as unknown[]).entries()) {
          if (opensEverything(rule, 'to')) out.push({ file: p.file, message: `NetworkPolicy ${job.namespace}/${p.name} selects the sidecar-less Job ${job.name} and its egress[${i}] has no peers and no ports: the Job may connect anywhere` });
        }
      }
    }
    return out;
  },
};
