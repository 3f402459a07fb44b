/**
 * Platform add-ons: upstream Helm charts at pinned versions, installed by ArgoCD Applications whose
 * values cdk8s renders from the model. Their manifests are never written by hand.
 */
import type { SystemPod } from '../platform/system-nodes';

export interface AddonSpec {
  /** Short name; the Application is "addon-<name>". */
  readonly name: string;
  /** Namespace the chart installs into (owned by the sre team). */
  readonly namespace: string;
  /** Helm repository URL (or OCI registry, without the oci:// scheme, as Argo CD expects), or the Git repository of `directory`. */
  readonly repoURL: string;
  /** Helm chart name. Exactly one of `chart` and `directory`. @default none */
  readonly chart?: string;
  /**
   * Plain manifests the maintainers publish in Git instead of a chart (the Keycloak Operator):
   * folder of `repoURL` at the tag `version`, and a glob of the files to apply. @default none
   */
  readonly directory?: { readonly path: string; readonly include: string };
  /** Exact chart version or Git tag: never a range or a branch. */
  readonly version: string;
  /**
   * The team whose namespace the add-on installs into, when it is not sre's: a tool sre runs for
   * that team (Keycloak for identity, Temporal for saga). @default the sre team
   */
  readonly tenantTeam?: string;
  /** Helm values, rendered into the Application (reviewable in the diff). */
  readonly values: Readonly<Record<string, unknown>>;
  /** ArgoCD sync wave: CRDs and operators before the objects that need them. */
  readonly syncWave: number;
  /** Helm release name. @default the add-on name */
  readonly releaseName?: string;
  /** Server-side apply (large CRDs exceed the client-side annotation limit). @default false */
  readonly serverSideApply?: boolean;
  /**
   * Fields the chart's own controllers change after install (webhook CA bundles ...): ArgoCD ignores
   * them when diffing and syncing, so the add-on does not flap OutOfSync.
   * @default none
   */
  readonly ignoreDifferences?: readonly { readonly group: string; readonly kind: string; readonly jqPathExpressions: readonly string[] }[];
  /**
   * Namespaces the upstream chart writes to beyond its release namespace (read from its templates,
   * cited where the add-on is defined). Such an add-on gets its own AppProject admitting exactly its
   * namespaces, so no other add-on may write there.
   * @default none
   */
  readonly chartNamespaces?: readonly string[];
  /**
   * Namespaced kinds the add-on's project refuses (its own project, as for chartNamespaces). Argo CD
   * itself must never be able to sync Applications or AppProjects through its own chart.
   * @default none
   */
  readonly namespaceResourceBlacklist?: readonly { readonly group: string; readonly kind: string }[];
  /**
   * The chart installs CRDs. Its Application is then never pruned by its parent
   * (`Prune=false`) and carries no resources finalizer: deleting or renaming it must not delete the
   * CRDs, and with them every object of their kinds.
   * @default false
   */
  readonly ownsCrds?: boolean;
  /**
   * The Pods this add-on pins to the system node group (platform/system-nodes.ts): rendered as the
   * `platform.ec/system-node-requests` annotation the simulator sums against the group's capacity.
   * @default none (nothing on the system nodes)
   */
  readonly systemPods?: readonly SystemPod[];
}

/** Whether an add-on runs in its own AppProject rather than the shared add-ons project. */
export const hasOwnProject = (addon: Pick<AddonSpec, 'chartNamespaces' | 'namespaceResourceBlacklist'>): boolean =>
  (addon.chartNamespaces?.length ?? 0) > 0 || (addon.namespaceResourceBlacklist?.length ?? 0) > 0;

/** Application name of an add-on. */
export const addonApplicationName = (addon: Pick<AddonSpec, 'name'>): string => `addon-${addon.name}`;

/**
 * Cluster-scoped kinds upstream operator charts create (CRDs, RBAC, admission webhooks ...): the
 * add-ons project admits these and nothing broader.
 */
export const ADDON_CLUSTER_KINDS: readonly { group: string; kind: string }[] = [
  { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition' },
  { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' },
  { group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding' },
  { group: 'admissionregistration.k8s.io', kind: 'MutatingWebhookConfiguration' },
  { group: 'admissionregistration.k8s.io', kind: 'ValidatingWebhookConfiguration' },
  { group: 'admissionregistration.k8s.io', kind: 'ValidatingAdmissionPolicy' },
  { group: 'admissionregistration.k8s.io', kind: 'ValidatingAdmissionPolicyBinding' },
  { group: 'scheduling.k8s.io', kind: 'PriorityClass' },
  { group: 'networking.k8s.io', kind: 'IngressClass' },
  { group: 'apiregistration.k8s.io', kind: 'APIService' },
];
