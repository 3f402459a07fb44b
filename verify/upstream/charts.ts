/**
 * What the pinned upstream charts do beyond their own release namespace, read from their templates
 * (the verifier never renders a chart, so these facts are written down once, each with its source).
 */

/** A namespace a chart writes objects to besides `.Release.Namespace`. */
export interface ChartNamespaceWrite {
  readonly namespace: string;
  readonly kinds: readonly { readonly group: string; readonly kind: string }[];
  /** Where in the chart this comes from. */
  readonly source: string;
  /** Whether the given values enable it. @default always */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly when?: (values: any) => boolean;
}

export interface ChartFacts {
  /** Namespaces written beyond the release namespace. */
  readonly namespaces: readonly ChartNamespaceWrite[];
  /** API groups whose CRDs the chart installs (so it owns every object of those kinds). */
  readonly crdGroups: readonly string[];
  /** Where the CRDs come from in the chart. */
  readonly crdSource?: string;
}

const RBAC_ROLE = [
  { group: 'rbac.authorization.k8s.io', kind: 'Role' },
  { group: 'rbac.authorization.k8s.io', kind: 'RoleBinding' },
];
const SERVICE = [{ group: '', kind: 'Service' }];

/** Keyed by chart name (Application `spec.source.chart`). */
export const CHART_FACTS: Readonly<Record<string, ChartFacts>> = {
  karpenter: {
    namespaces: [
      { namespace: 'kube-system', kinds: RBAC_ROLE, source: 'aws/karpenter-provider-aws charts/karpenter/templates/role.yaml, rolebinding.yaml (Role/RoleBinding "<fullname>-dns": read the kube-dns Service)' },
      { namespace: 'kube-node-lease', kinds: RBAC_ROLE, source: 'aws/karpenter-provider-aws charts/karpenter/templates/role.yaml, rolebinding.yaml (Role/RoleBinding "<fullname>-lease": delete node leases)' },
    ],
    crdGroups: ['karpenter.sh', 'karpenter.k8s.aws'],
    crdSource: 'aws/karpenter-provider-aws charts/karpenter/crds/',
  },
  'kube-prometheus-stack': {
    namespaces: (['kubeControllerManager', 'kubeScheduler', 'kubeEtcd', 'kubeProxy', 'coreDns'] as const).map((key) => ({
      namespace: 'kube-system',
      kinds: SERVICE,
      source: `prometheus-community/helm-charts charts/kube-prometheus-stack/templates/exporters/*/service.yaml (${key}.service, namespace kube-system)`,
      when: (values) => values?.[key]?.enabled !== false,
    })),
    crdGroups: ['monitoring.coreos.com'],
    crdSource: 'prometheus-community/helm-charts charts/kube-prometheus-stack/charts/crds/',
  },
  'external-secrets': {
    namespaces: [],
    crdGroups: ['external-secrets.io', 'generators.external-secrets.io'],
    crdSource: 'external-secrets/external-secrets deploy/charts/external-secrets/templates/crds/ (installCRDs: true)',
  },
  base: {
    namespaces: [],
    crdGroups: ['networking.istio.io', 'security.istio.io', 'telemetry.istio.io', 'extensions.istio.io'],
    crdSource: 'istio/istio manifests/charts/base/files/crd-all.gen.yaml',
  },
  // pact-foundation/pact-broker-chart charts/pact-broker/templates/ (deployment, service, ingress,
  // serviceaccount, poddisruptionbudget, cronjob): everything in the release namespace, no CRDs.
  'pact-broker': { namespaces: [], crdGroups: [] },
  'argo-cd': {
    namespaces: [],
    crdGroups: ['argoproj.io'],
    crdSource: 'argoproj/argo-helm charts/argo-cd/templates/crds/ (crds.install: true)',
  },
};

/** The key of an upstream manifest directory source: `<repository name>/<path>`. */
export const upstreamKey = (repoURL: string, sourcePath: string): string =>
  `${String(repoURL).replace(/\.git$/, '').split('/').pop()}/${String(sourcePath).replace(/^\/+|\/+$/g, '')}`;

/** Upstream repositories' manifest folders an Application may sync directly (keyed by upstreamKey). */
export const UPSTREAM_MANIFEST_FACTS: Readonly<Record<string, ChartFacts>> = {
  'keycloak-k8s-resources/kubernetes': {
    namespaces: [],
    crdGroups: ['k8s.keycloak.org'],
    crdSource: 'keycloak/keycloak-k8s-resources kubernetes/keycloaks.k8s.keycloak.org-v1.yml, keycloakrealmimports.k8s.keycloak.org-v1.yml (the operator Deployment and its RBAC in kubernetes.yml carry no namespace: they land in the destination namespace)',
  },
};

export const UPSTREAM_MANIFESTS: ReadonlySet<string> = new Set(Object.keys(UPSTREAM_MANIFEST_FACTS));

export const chartFacts = (chart: string): ChartFacts => CHART_FACTS[chart] ?? UPSTREAM_MANIFEST_FACTS[chart] ?? { namespaces: [], crdGroups: [] };
