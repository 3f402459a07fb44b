/**
 * Argo CD's AppProject admission, as argo-cd implements it in
 * `pkg/apis/application/v1alpha1/app_project_types.go`:
 * - IsDestinationPermitted (isDestinationMatched in older releases): server (or name) and namespace
 *   are glob-matched against each destination; an empty Application namespace matches only a
 *   pattern that matches "" (`*`), never a concrete namespace (argo-cd issue #11510).
 * - IsSourcePermitted: the normalized repo URL is glob-matched ('/' is a separator) against sourceRepos.
 * - IsGroupKindPermitted: a nil namespace whitelist admits every namespaced kind, an empty one none;
 *   cluster-scoped kinds need a non-empty clusterResourceWhitelist entry; group and kind are globs.
 * - IsResourcePermitted: a namespaced object must also be in a permitted destination namespace.
 */
import type { RenderedObject } from '../tree';

/** gobwas/glob as argo-cd calls it: `*` is any run (not crossing a separator), `?` one character. */
export function globMatch(pattern: string | undefined, value: string, separators = ''): boolean {
  const p = pattern ?? '';
  if (p === '*') return true;
  const sep = separators ? `[^${separators.replace(/[\]\\^-]/g, '\\$&')}]` : '.';
  const re = p.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, `${sep}*`).replace(/\?/g, sep);
  return new RegExp(`^${re}$`).test(value);
}

/** util/git NormalizeGitURL, reduced to what changes a comparison: case, trailing ".git" and "/". */
export const normalizeRepoURL = (url: string): string => url.trim().toLowerCase().replace(/\/+$/, '').replace(/\.git$/, '');

export interface Destination {
  readonly server?: string;
  readonly name?: string;
  readonly namespace: string;
}

export function isDestinationPermitted(project: RenderedObject, dst: Destination): boolean {
  for (const item of project.doc.spec?.destinations ?? []) {
    const nameMatched = !!dst.name && globMatch(item.name, dst.name);
    const serverMatched = !!dst.server && globMatch(item.server, dst.server);
    if ((nameMatched || serverMatched) && globMatch(item.namespace, dst.namespace)) return true;
  }
  return false;
}

export function isSourcePermitted(project: RenderedObject, repoURL: string): boolean {
  const src = normalizeRepoURL(repoURL);
  return (project.doc.spec?.sourceRepos ?? []).some((r: string) => globMatch(normalizeRepoURL(r), src, '/'));
}

const inList = (group: string, kind: string, list: readonly { group?: string; kind?: string }[]): boolean =>
  list.some((e) => globMatch(e.group ?? '', group) && globMatch(e.kind ?? '', kind));

export function isGroupKindPermitted(project: RenderedObject, group: string, kind: string, namespaced: boolean): boolean {
  const spec = project.doc.spec ?? {};
  if (namespaced) {
    const white = spec.namespaceResourceWhitelist;
    const black = spec.namespaceResourceBlacklist ?? [];
    const whiteListed = white === undefined || white === null || (white.length !== 0 && inList(group, kind, white));
    return whiteListed && !(black.length !== 0 && inList(group, kind, black));
  }
  const white = spec.clusterResourceWhitelist ?? [];
  const black = spec.clusterResourceBlacklist ?? [];
  return white.length !== 0 && inList(group, kind, white) && !(black.length !== 0 && inList(group, kind, black));
}

/**
 * Cluster-scoped kinds the rendered trees and the pinned charts hold (Kubernetes API reference and
 * the pinned CRDs' `spec.scope: Cluster`); every other kind is namespaced.
 */
export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  '/Namespace',
  '/PersistentVolume',
  '/Node',
  'rbac.authorization.k8s.io/ClusterRole',
  'rbac.authorization.k8s.io/ClusterRoleBinding',
  'apiextensions.k8s.io/CustomResourceDefinition',
  'storage.k8s.io/StorageClass',
  'storage.k8s.io/CSIDriver',
  'scheduling.k8s.io/PriorityClass',
  'networking.k8s.io/IngressClass',
  'admissionregistration.k8s.io/MutatingWebhookConfiguration',
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicy',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding',
  'apiregistration.k8s.io/APIService',
  'external-secrets.io/ClusterSecretStore',
  'external-secrets.io/ClusterExternalSecret',
  'karpenter.sh/NodePool',
  'karpenter.k8s.aws/EC2NodeClass',
]);

export const isClusterScoped = (group: string, kind: string): boolean => CLUSTER_SCOPED_KINDS.has(`${group}/${kind}`);
