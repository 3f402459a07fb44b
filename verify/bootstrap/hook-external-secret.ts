/**
 * An ExternalSecret that is a sync hook must not own its Secret. Argo CD deletes hook objects
 * (hook-delete-policy BeforeHookCreation before the next sync's hook, HookSucceeded after success;
 * argo-cd docs user-guide/resource_hooks.md, gitops-engine pkg/sync/hook), and with
 * `target.creationPolicy: Owner` (ESO's default) the Secret carries an ownerReference to the
 * ExternalSecret (external-secrets docs api/externalsecret.md "creationPolicy"), so the garbage
 * collector deletes the Secret with the hook: every Pod using it loses its credentials.
 */
import type { Check } from '../registry';

export const hookExternalSecret: Check = {
  id: 'hook-external-secret',
  description: 'no hook ExternalSecret garbage-collects its Secret (creationPolicy Owner)',
  run: (sim) =>
    sim.objects
      .filter((o) => o.kind === 'ExternalSecret' && o.annotations['argocd.argoproj.io/hook'] !== undefined)
      .filter((o) => (o.doc.spec?.target?.creationPolicy ?? 'Owner') === 'Owner')
      .map((o) => ({
        file: o.file,
        message: `ExternalSecret ${o.name} is a ${o.annotations['argocd.argoproj.io/hook']} hook with creationPolicy Owner: deleting the hook (${o.annotations['argocd.argoproj.io/hook-delete-policy'] ?? 'BeforeHookCreation'}) garbage-collects Secret ${o.doc.spec?.target?.name ?? o.name}`,
      })),
};
