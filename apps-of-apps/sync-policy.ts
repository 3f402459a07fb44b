/**
 * The environment's sync policy applied to what Argo CD syncs into the namespaces: without
 * `automated`, an Application only syncs when a person syncs it (argo-cd docs/user-guide/auto_sync.md);
 * sync windows on the project gate every sync of its Applications in time
 * (argo-cd docs/user-guide/sync_windows.md).
 */
import type { AppProjectSpecSyncWindows, ApplicationSpec } from '../imports/argoproj.io';
import type { Environment } from '../platform/types';

/** `policy` as the environment wants it: manual environments drop `automated` (and so auto-prune and self-heal). */
export function environmentSyncPolicy(env: Pick<Environment, 'sync'>, policy: ApplicationSpec['syncPolicy']): ApplicationSpec['syncPolicy'] {
  if (env.sync.automated || !policy) return policy;
  const { automated: _automated, ...manual } = policy;
  return manual;
}

/** The environment's sync windows, for every Application of a project. @returns undefined when there are none */
export function projectSyncWindows(env: Pick<Environment, 'sync'>): AppProjectSpecSyncWindows[] | undefined {
  if (env.sync.windows.length === 0) return undefined;
  return env.sync.windows.map((w) => ({ kind: w.kind, schedule: w.schedule, duration: w.duration, timeZone: w.timeZone, manualSync: w.manualSync, applications: ['*'] }));
}
