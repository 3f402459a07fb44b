/**
 * An Application whose destination its project does not admit is refused before anything syncs.
 * Encodes argo-cd `pkg/apis/application/v1alpha1/app_project_types.go` IsDestinationPermitted
 * (isDestinationMatched): the namespace is glob-matched, so an empty `destination.namespace` matches
 * no concrete project destination (argo-cd issue #11510).
 */
import type { Check } from '../registry';
import { isDestinationPermitted } from '../upstream/app-project';

export const projectDestination: Check = {
  id: 'project-destination',
  description: "every Application's project exists and admits its destination (server and namespace)",
  run: (sim) =>
    sim.apps.flatMap((a) => {
      const project = sim.projects.get(a.projectName);
      if (!project) return [{ file: a.app.file, message: `Application ${a.name}: project "${a.projectName}" is not rendered in this environment` }];
      if (isDestinationPermitted(project, a.destination)) return [];
      const ns = a.destination.namespace === '' ? 'an empty namespace' : `namespace "${a.destination.namespace}"`;
      return [{ file: a.app.file, message: `Application ${a.name}: project ${a.projectName} does not admit destination ${a.destination.server ?? a.destination.name} with ${ns}` }];
    }),
};
