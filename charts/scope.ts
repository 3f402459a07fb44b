/**
 * Kinds that are cluster-scoped. They may only be rendered under `dist/<env>/cluster/`, which the
 * sre project alone syncs; everything else must carry the namespace of the folder it is in.
 */
export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  'Namespace',
  'CustomResourceDefinition',
  'ClusterRole',
  'ClusterRoleBinding',
  'PriorityClass',
  'StorageClass',
  'IngressClass',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
  'NodePool',
  'EC2NodeClass',
  'ClusterSecretStore',
]);

/** "apps/v1" -> "apps", "v1" -> "" (how AppProjects name groups). */
export const apiGroup = (apiVersion: string): string => (apiVersion.includes('/') ? apiVersion.split('/')[0] : '');
