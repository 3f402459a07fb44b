/**
 * Every object an Application syncs must be admitted by its project: its group/kind (namespaced or
 * cluster-scoped whitelist) and, for namespaced objects, its namespace (an object without one lands
 * in the Application's destination namespace). For Helm sources, the namespaces the chart writes to
 * beyond its release namespace come from verify/upstream/charts.ts.
 * Encodes argo-cd `pkg/apis/application/v1alpha1/app_project_types.go` IsResourcePermitted /
 * IsGroupKindPermitted / IsDestinationPermitted; a refused resource fails the whole sync.
 */
import type { Check, Finding } from '../registry';
import { groupOf } from '../tree';
import { isClusterScoped, isDestinationPermitted, isGroupKindPermitted } from '../upstream/app-project';
import { chartFacts } from '../upstream/charts';

export const projectResources: Check = {
  id: 'project-resources',
  description: 'every object (and every namespace a chart writes to) is admitted by the Application\'s project',
  run: (sim) => {
    const out: Omit<Finding, 'rule'>[] = [];
    for (const a of sim.apps) {
      const project = sim.projects.get(a.projectName);
      if (!project) continue;
      const admit = (group: string, kind: string, namespace: string | undefined, what: string): void => {
        const namespaced = !isClusterScoped(group, kind);
        const gk = `${group || 'core'}/${kind}`;
        if (!isGroupKindPermitted(project, group, kind, namespaced)) {
          out.push({ file: a.app.file, message: `Application ${a.name}: project ${a.projectName} does not admit ${namespaced ? 'namespaced' : 'cluster-scoped'} kind ${gk} (${what})` });
        } else if (namespaced && !isDestinationPermitted(project, { ...a.destination, namespace: namespace ?? '' })) {
          out.push({ file: a.app.file, message: `Application ${a.name}: project ${a.projectName} does not admit namespace "${namespace ?? ''}" for ${gk} (${what})` });
        }
      };
      for (const o of a.objects) admit(groupOf(o.apiVersion), o.kind, o.namespace ?? a.destination.namespace, `${o.file}`);
      for (const c of a.charts) {
        for (const w of chartFacts(c.chart).namespaces) {
          if (w.when && !w.when(c.values)) continue;
          for (const k of w.kinds) admit(k.group, k.kind, w.namespace, `chart ${c.chart} writes to ${w.namespace}: ${w.source}`);
        }
      }
    }
    // One finding per distinct message (a chart entry may list the same kind twice).
    return [...new Map(out.map((f) => [`${f.file}\n${f.message}`, f])).values()];
  },
};
