/**
 * An Application that installs CRDs must never be deleted with a cascade. When a parent prunes a
 * child Application (it left Git, or was renamed), Argo CD deletes it; with the
 * `resources-finalizer.argocd.argoproj.io` finalizer the deletion cascades to every resource of the
 * app, CRDs included, and the API server then deletes every custom resource of those kinds
 * (argo-cd docs user-guide/app_deletion.md "About The Deletion Finalizer"; Kubernetes docs
 * "CustomResourceDefinition deletion"). So the Application must carry
 * `argocd.argoproj.io/sync-options: Prune=false` (the parent never prunes it: argo-cd docs
 * user-guide/sync-options.md "No Prune Resources") and no resources finalizer (a manual delete
 * leaves the chart's objects in place).
 */
import type { Check } from '../registry';
import { syncOptionsOf } from '../simulation';
import { chartFacts } from '../upstream/charts';

const FINALIZER = /^(post-delete-finalizer\.argocd\.argoproj\.io|resources-finalizer\.argocd\.argoproj\.io)(\/.*)?$/;

export const crdAddonPrune: Check = {
  id: 'crd-addon-prune',
  description: 'Applications that install CRDs are never pruned and never cascade-deleted',
  run: (sim) =>
    sim.apps.flatMap((a) => {
      const groups = [...new Set(a.charts.flatMap((c) => chartFacts(c.chart).crdGroups))];
      const crdFiles = a.objects.filter((o) => o.kind === 'CustomResourceDefinition');
      if (groups.length === 0 && crdFiles.length === 0) return [];
      const what = groups.length > 0 ? `the CRDs of ${groups.join(', ')}` : `${crdFiles.length} CRDs`;
      const out = [];
      if (!syncOptionsOf(a.app).has('Prune=false')) out.push({ file: a.app.file, message: `Application ${a.name} installs ${what} but lacks argocd.argoproj.io/sync-options: Prune=false: pruning it from its parent deletes them and every object of their kinds` });
      const fin = (a.app.doc.metadata?.finalizers ?? []).filter((f: string) => FINALIZER.test(f) && f.startsWith('resources-finalizer'));
      if (fin.length > 0) out.push({ file: a.app.file, message: `Application ${a.name} installs ${what} and carries ${fin.join(', ')}: deleting it cascades to its CRDs` });
      return out;
    }),
};
