import type { ApiObject } from 'cdk8s';

/**
 * ArgoCD sync waves: runtime ordering comes from these, never from file order. With Application
 * health on (charts/addons/argo-cd.ts), a parent waits for each wave of child Applications to be
 * Healthy before the next, so a custom resource must sync in a later wave than the add-on that
 * brings its CRD (verify/bootstrap/crd-arrival.ts):
 * AppProjects; Namespaces and Argo CD itself; Karpenter (on the system nodes); its NodePools and
 * node class (the `cluster-nodes` Application); the other CRDs and operators (on Karpenter's
 * nodes); the platform objects that need them; workloads. Objects whose CRD an add-on brings also skip the dry run (see CRD_PENDING).
 */
export const SYNC_WAVE = {
  projects: -40,
  namespaces: -30,
  nodeProvisioner: -25,
  nodePools: -24,
  crds: -20,
  operators: -10,
  platformConfig: -1,
  workloads: 0,
} as const;

/**
 * Waves inside one namespace's Application (Sync phase): identities and secrets first, then the
 * schema migration (a Sync hook, recreated every sync), then the workloads. A PreSync hook could
 * only use what existed before the sync started, so on a fresh environment it would wait forever
 * for Secrets the Sync phase creates (gitops-engine pkg/sync/sync_context.go: phases, then waves,
 * each wave Healthy before the next; verify/bootstrap/reference-availability.ts).
 */
export const NAMESPACE_WAVE = {
  /** ServiceAccounts and ExternalSecrets (Healthy once ESO has written the Secret). */
  prerequisites: -2,
  /** Schema migrations, with their credentials in place. */
  migrations: -1,
  workloads: 0,
} as const;

export function syncWave(obj: ApiObject, wave: number): void {
  obj.metadata.addAnnotation('argocd.argoproj.io/sync-wave', String(wave));
}

/** Stateful or destructive-to-delete objects are never pruned automatically. */
export function preventPrune(obj: ApiObject): void {
  obj.metadata.addAnnotation('argocd.argoproj.io/sync-options', 'Prune=false');
}
