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

/**
 * The values keys of a pinned chart version, read from its values.yaml (plus the keys its templates
 * read that values.yaml does not list), as dot paths; `*` is one path segment of the listed names.
 * Helm merges unknown keys silently, so a misspelt or moved key does nothing: these facts let the
 * verifier report it. Where a value is free-form (Kubernetes objects, maps the chart passes through),
 * the path stops there.
 */
export interface ChartValuesFacts {
  /** The chart version the keys were read at; an Application pinning another version is reported (re-read them). */
  readonly version: string;
  readonly source: string;
  readonly keys: readonly string[];
  /** `*` segments: the names they stand for. */
  readonly wildcards?: readonly string[];
  /** Last segments whose value is free-form. */
  readonly freeForm: readonly string[];
}

const TEMPORAL_SQL_KEYS = ['driver', 'sql.driver', 'sql.host', 'sql.port', 'sql.database', 'sql.user', 'sql.existingSecret', 'sql.maxConns', 'sql.maxIdleConns', 'sql.maxConnLifetime', 'sql.secretName'];

/** Keyed by chart name (Application `spec.source.chart`). */
export const CHART_VALUES: Readonly<Record<string, ChartValuesFacts>> = {
  temporal: {
    version: '0.73.1',
    source:
      'temporalio/helm-charts charts/temporal/values.yaml (stored version 009e03e4, chart line 0.73.x: server 1.29.1, UI 2.42.1, useEntrypointScript/configMapsToMount present); templates/_helpers.tpl temporal.persistence.sql.secretKey (sql.secretKey, default "password"); sql.tls passed into the server\'s SQL store config',
    wildcards: ['frontend', 'history', 'matching', 'worker', 'internalFrontend'],
    keys: [
      'fullnameOverride',
      'serviceAccount.create',
      'serviceAccount.name',
      'server.image.repository',
      'server.image.tag',
      'server.replicaCount',
      'server.resources',
      'server.podLabels',
      'server.podAnnotations',
      'server.securityContext',
      'server.additionalEnv',
      'server.metrics.annotations.enabled',
      'server.metrics.serviceMonitor.enabled',
      'server.config.logLevel',
      'server.config.numHistoryShards',
      'server.config.persistence.defaultStore',
      ...['default', 'visibility'].flatMap((store) => [...TEMPORAL_SQL_KEYS, 'sql.secretKey', 'sql.tls'].map((k) => `server.config.persistence.${store}.${k}`)),
      'server.*.service.appProtocol',
      'server.*.containerSecurityContext',
      'server.*.podDisruptionBudget',
      'server.*.podLabels',
      'server.*.resources',
      'server.*.metrics.annotations.enabled',
      // `serviceMonitor: {}` with a commented `enabled`: the per-service override of server.metrics.serviceMonitor.
      'server.*.metrics.serviceMonitor.enabled',
      'admintools.enabled',
      'schema.createDatabase.enabled',
      'schema.setup.enabled',
      'schema.update.enabled',
      'schema.podAnnotations',
      'schema.podLabels',
      'schema.resources',
      'schema.containerSecurityContext',
      'schema.securityContext',
      'elasticsearch.enabled',
      'cassandra.enabled',
      'mysql.enabled',
      'prometheus.enabled',
      'grafana.enabled',
      'web.enabled',
      'web.replicaCount',
      'web.image.repository',
      'web.image.tag',
      'web.podLabels',
      'web.podAnnotations',
      'web.resources',
      'web.containerSecurityContext',
      'web.securityContext',
      'web.podDisruptionBudget',
      'web.additionalEnv',
      'web.additionalEnvSecretName',
    ],
    freeForm: ['podLabels', 'podAnnotations', 'resources', 'securityContext', 'containerSecurityContext', 'podDisruptionBudget', 'additionalEnv', 'tls'],
  },
  'oauth2-proxy': {
    version: '10.7.0',
    source:
      'oauth2-proxy/manifests helm/oauth2-proxy/values.yaml (stored version 66050bf6; config.existingSecret is read by templates/deployment.yaml and listed commented) and templates/servicemonitor.yaml (stored d93aac5e: .Values.metrics.serviceMonitor.*); the stored Chart.yaml reads 7.1.0: the keys set here are assumed unchanged at 10.7.0',
    keys: [
      'config.existingSecret',
      'config.configFile',
      'service.type',
      'service.portNumber',
      'ingress.enabled',
      'sessionStorage.type',
      'redis.enabled',
      'replicaCount',
      'podDisruptionBudget.enabled',
      'podDisruptionBudget.minAvailable',
      'resources',
      'securityContext',
      'podSecurityContext',
      'metrics.enabled',
      'metrics.serviceMonitor.enabled',
    ],
    freeForm: ['resources', 'securityContext', 'podSecurityContext'],
  },
};
