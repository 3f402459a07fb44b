/**
 * A custom resource must not be synced before its CRD exists. Within one Application,
 * gitops-engine applies CRDs before the resources of their group (pkg/sync/sync_context.go: dry-run
 * is skipped for kinds whose CRD is part of the same sync). Across Applications the CRD's app must be
 * ordered strictly earlier on the app-of-apps path; when it is ordered later, the parent waits for
 * this app to be Healthy before it ever syncs the CRD's app (a deadlock once Application health is
 * on); when both sync in the same wave, the resource needs
 * `argocd.argoproj.io/sync-options: SkipDryRunOnMissingResource=true` (argo-cd docs
 * user-guide/sync-options.md "Skip Dry Run for new custom resources types") and the retries.
 * Argo CD's own CRDs (argoproj.io) exist before the root is applied.
 */
import type { Check, Finding } from '../registry';
import { compareOrder, syncOptionsOf, waveOf, type SyncedApp } from '../simulation';
import { groupOf } from '../tree';
import { chartFacts } from '../upstream/charts';

const PRESENT_GROUPS = new Set(['argoproj.io']);
/** Built-in API groups: no dot, or a Kubernetes-owned *.k8s.io group. */
const isBuiltin = (group: string): boolean => !group.includes('.') || (group.endsWith('.k8s.io') && !group.startsWith('gateway.'));

export const crdArrival: Check = {
  id: 'crd-arrival',
  description: 'no custom resource syncs before the Application that installs its CRD',
  run: (sim) => {
    const providers = new Map<string, SyncedApp[]>();
    for (const a of sim.apps) {
      const groups = new Set([...a.charts.flatMap((c) => chartFacts(c.chart).crdGroups), ...a.objects.filter((o) => o.kind === 'CustomResourceDefinition').map((o) => String(o.doc.spec?.group))]);
      for (const g of groups) providers.set(g, [...(providers.get(g) ?? []), a]);
    }
    const out: Omit<Finding, 'rule'>[] = [];
    for (const a of sim.apps) {
      for (const o of a.objects) {
        const group = groupOf(o.apiVersion);
        if (isBuiltin(group) || PRESENT_GROUPS.has(group)) continue;
        const ps = providers.get(group) ?? [];
        if (ps.includes(a)) continue;
        if (ps.length === 0) {
          out.push({ file: o.file, message: `${o.kind} ${o.name}: no Application of this environment installs the CRDs of ${group}` });
          continue;
        }
        if (ps.some((p) => compareOrder(p.orderKey, a.orderKey) < 0)) continue;
        const later = ps.filter((p) => compareOrder(p.orderKey, a.orderKey) > 0);
        if (later.length > 0) {
          out.push({ file: o.file, message: `${o.kind} ${o.name} (Application ${a.name}, wave ${waveOf(o)}): its CRD (${group}) arrives later, with ${later.map((p) => p.name).join(', ')}, which waits for ${a.name} to be Healthy first` });
        } else if (!syncOptionsOf(o).has('SkipDryRunOnMissingResource=true')) {
          out.push({ file: o.file, message: `${o.kind} ${o.name}: its CRD (${group}) arrives with ${ps.map((p) => p.name).join(', ')} in the same wave, and it lacks SkipDryRunOnMissingResource=true` });
        }
      }
    }
    return out;
  },
};
