/**
 * Pod templates that controllers create from rendered objects, so a Service hop can find the
 * workload behind a selector when the platform hands its Pods to a maintained installer:
 *
 * - a `Deployment` (kube-controller-manager: Pods carry `spec.template.metadata.labels`);
 * - a Keycloak Operator `Keycloak` (k8s.keycloak.org): the operator's StatefulSet named after the
 *   resource, whose Pods carry the operator's labels (`app: keycloak`, `app.kubernetes.io/instance:
 *   <name>`, `app.kubernetes.io/managed-by: keycloak-operator`) merged with
 *   `spec.unsupported.podTemplate.metadata.labels`, and run as its `spec.serviceAccountName`
 *   (keycloak/keycloak operator/src/main/java/org/keycloak/operator/controllers/
 *   KeycloakDeploymentDependentResource.java and Utils.allInstanceLabels);
 * - an Argo CD Application of the official `temporal` chart (temporalio/helm-charts
 *   charts/temporal/templates/server-deployment.yaml: one Deployment per server component, Pods
 *   labelled `app.kubernetes.io/name: temporal`, `app.kubernetes.io/instance: <release>`,
 *   `app.kubernetes.io/component: <component>` plus `server.podLabels`; web-deployment.yaml: the UI
 *   with component `web` plus `web.podLabels`), running as `serviceAccount.name`.
 */
import { type DistTree, objectsIn } from './dist-tree';

/**
 * The label every platform-rendered Pod carries with the name of the service it belongs to (our own
 * convention, set on Deployments, the Keycloak podTemplate and the Temporal chart's podLabels).
 */
export const WORKLOAD_LABEL = 'platform.ec/workload';

export interface PodTemplate {
  /** Workload name (Deployment / StatefulSet / chart component). */
  readonly name: string;
  /** The service the Pods belong to: their WORKLOAD_LABEL, else the workload name. */
  readonly service: string;
  /** Who creates it: "Deployment", "Keycloak (operator StatefulSet)", "temporal chart". */
  readonly createdBy: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly serviceAccountName: string;
}

const TEMPORAL_SERVER_COMPONENTS = ['frontend', 'history', 'matching', 'worker'] as const;

/** Every Pod template of a namespace, in a stable order. */
export function podTemplatesIn(tree: DistTree, namespace: string): PodTemplate[] {
  return collect(tree, namespace).map((t) => ({ ...t, service: t.labels[WORKLOAD_LABEL] ?? t.name }));
}

/**
 * The Pod template a caller or backend name means: the workload of that name, else the first
 * workload whose Pods belong to that service (an installer's components, e.g. Temporal's frontend).
 */
export function podTemplateNamed(tree: DistTree, namespace: string, name: string): PodTemplate | undefined {
  const all = podTemplatesIn(tree, namespace);
  return all.find((t) => t.name === name) ?? all.find((t) => t.service === name);
}

function collect(tree: DistTree, namespace: string): Omit<PodTemplate, 'service'>[] {
  const out: Omit<PodTemplate, 'service'>[] = [];
  for (const d of objectsIn(tree, 'Deployment', namespace)) {
    out.push({ name: d.metadata.name, createdBy: 'Deployment', labels: d.spec?.template?.metadata?.labels ?? {}, serviceAccountName: d.spec?.template?.spec?.serviceAccountName ?? 'default' });
  }
  for (const k of objectsIn(tree, 'Keycloak', namespace)) {
    const template = k.spec?.unsupported?.podTemplate ?? {};
    out.push({
      name: k.metadata.name,
      createdBy: 'Keycloak (operator StatefulSet)',
      labels: { app: 'keycloak', 'app.kubernetes.io/instance': k.metadata.name, 'app.kubernetes.io/managed-by': 'keycloak-operator', ...(template.metadata?.labels ?? {}) },
      serviceAccountName: template.spec?.serviceAccountName ?? 'default',
    });
  }
  for (const app of [...(tree.byKind.get('Application')?.values() ?? [])]) {
    const sources = [...(app.spec?.source ? [app.spec.source] : []), ...(app.spec?.sources ?? [])];
    const temporal = sources.find((s: { chart?: string }) => s.chart === 'temporal');
    if (!temporal || app.spec?.destination?.namespace !== namespace) continue;
    const values = temporal.helm?.valuesObject ?? {};
    const release = temporal.helm?.releaseName ?? app.metadata.name;
    const base = { 'app.kubernetes.io/name': 'temporal', 'app.kubernetes.io/instance': release };
    const sa = values.serviceAccount?.name ?? 'default';
    for (const component of TEMPORAL_SERVER_COMPONENTS) {
      if (values.server?.[component]?.enabled === false) continue;
      out.push({ name: `${release}-${component}`, createdBy: 'temporal chart', labels: { ...base, 'app.kubernetes.io/component': component, ...(values.server?.podLabels ?? {}), ...(values.server?.[component]?.podLabels ?? {}) }, serviceAccountName: sa });
    }
    if (values.web?.enabled !== false) {
      out.push({ name: `${release}-web`, createdBy: 'temporal chart', labels: { ...base, 'app.kubernetes.io/component': 'web', ...(values.web?.podLabels ?? {}) }, serviceAccountName: sa });
    }
  }
  return out;
}
