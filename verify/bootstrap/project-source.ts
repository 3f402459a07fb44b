/**
 * An Application with a source repo its project does not list is refused.
 * Encodes argo-cd `pkg/apis/application/v1alpha1/app_project_types.go` IsSourcePermitted.
 */
import type { Check } from '../registry';
import { isSourcePermitted } from '../upstream/app-project';

export const projectSource: Check = {
  id: 'project-source',
  description: "every source repo of an Application is in its project's sourceRepos",
  run: (sim) =>
    sim.apps.flatMap((a) => {
      const project = sim.projects.get(a.projectName);
      if (!project) return [];
      return a.repoURLs.filter((r) => !isSourcePermitted(project, r)).map((r) => ({ file: a.app.file, message: `Application ${a.name}: project ${a.projectName} does not admit source repo ${r}` }));
    }),
};
