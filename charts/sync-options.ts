import type { ApiObject } from 'cdk8s';

/**
 * ArgoCD sync waves: runtime ordering comes from these, never from file order.
 * CRDs and operators first, then namespaces, then the platform objects that need them, then workloads.
 */
export const SYNC_WAVE = {
  crds: -20,
  operators: -10,
  projects: -6,
  namespaces: -5,
  platformConfig: -1,
  workloads: 0,
} as const;

export function syncWave(obj: ApiObject, wave: number): void {
  obj.metadata.addAnnotation('argocd.argoproj.io/sync-wave', String(wave));
}

/** Stateful or destructive-to-delete objects are never pruned automatically. */
export function preventPrune(obj: ApiObject): void {
  obj.metadata.addAnnotation('argocd.argoproj.io/sync-options', 'Prune=false');
}
