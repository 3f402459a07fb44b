/**
 * A fault route only works where the caller has a sidecar: Istio programs `fault` into the
 * client-side Envoy of the VirtualService's callers (istio networking/v1alpha3/virtual_service.proto
 * HTTPRoute.fault: "fault injection policy to apply on HTTP traffic at the client side"), and a
 * route matching `sourceNamespace` selects callers in that namespace. A caller namespace without
 * sidecar injection (Namespace label `istio-injection: enabled` or `istio.io/rev`) never sees the
 * fault: the resilience test silently tests nothing. Also, Istio enables no timeout or retries on a
 * route with `fault` (same field's documentation), so a faulted route that sets them is misleading.
 */
import type { Check, Finding } from '../registry';

const injected = (labels: Record<string, string> | undefined): boolean => labels?.['istio-injection'] === 'enabled' || labels?.['istio.io/rev'] !== undefined;

export const faultCallerSidecar: Check = {
  id: 'fault-caller-sidecar',
  description: 'every VirtualService fault route selects callers that have a sidecar, and sets no timeout or retries',
  run: (sim) => {
    const namespaces = new Map(sim.objects.filter((o) => o.kind === 'Namespace').map((o) => [o.name, o.doc.metadata?.labels as Record<string, string> | undefined]));
    const out: Omit<Finding, 'rule'>[] = [];
    for (const o of sim.objects) {
      if (o.kind !== 'VirtualService') continue;
      for (const [i, route] of ((o.doc.spec?.http ?? []) as Record<string, unknown>[]).entries()) {
        if (route.fault === undefined) continue;
        const name = (route.name as string | undefined) ?? `#${i}`;
        for (const m of (route.match ?? []) as { sourceNamespace?: string }[]) {
          if (m.sourceNamespace !== undefined && !injected(namespaces.get(m.sourceNamespace))) {
            out.push({ file: o.file, message: `VirtualService ${o.name} route ${name} injects a fault into calls from namespace ${m.sourceNamespace}, which has no sidecar injection: the fault never applies` });
          }
        }
        const ignored = ['timeout', 'retries'].filter((k) => route[k] !== undefined);
        if (ignored.length > 0) out.push({ file: o.file, message: `VirtualService ${o.name} route ${name} sets ${ignored.join(' and ')} beside a fault: Istio enables neither on a faulted route` });
      }
    }
    return out;
  },
};
