import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadDistTree } from '../verify/trace/dist-tree';
import { podTemplatesIn } from '../verify/trace/installer-workloads';
import { evaluateService } from '../verify/trace/service';

/** A tiny rendered environment in a temp folder: relative path -> object. */
function tinyTree(files: Record<string, object>) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'trace-installers-'));
  for (const [file, obj] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, 'dev', file)), { recursive: true });
    fs.writeFileSync(path.join(root, 'dev', file), JSON.stringify(obj));
  }
  return loadDistTree('dev', root);
}

const service = (name: string, selector: Record<string, string>) => ({
  apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'tools' },
  spec: { selector, ports: [{ name: 'grpc', port: 7233, targetPort: 7233, appProtocol: 'grpc' }] },
});
const keycloak = {
  apiVersion: 'k8s.keycloak.org/v2alpha1', kind: 'Keycloak', metadata: { name: 'keycloak', namespace: 'tools' },
  spec: { unsupported: { podTemplate: { metadata: { labels: { 'platform.ec/workload': 'keycloak' } }, spec: { serviceAccountName: 'keycloak' } } } },
};
const temporalApp = {
  apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'addon-temporal', namespace: 'argocd' },
  spec: {
    destination: { namespace: 'tools' },
    source: { chart: 'temporal', helm: { releaseName: 'temporal', valuesObject: { serviceAccount: { name: 'temporal' }, server: { podLabels: { 'platform.ec/workload': 'temporal' } }, web: { podLabels: { 'platform.ec/workload': 'temporal-ui' } } } } },
  },
};

describe('workloads created by installers (request tracer, Service hop)', () => {
  test('a headless peers Service may select every component: clustering addresses each Pod', () => {
    const headless = { ...service('temporal-peers', { 'platform.ec/workload': 'temporal' }), spec: { clusterIP: 'None', selector: { 'platform.ec/workload': 'temporal' }, ports: [{ name: 'tcp-6933', port: 6933 }] } };
    const tree = tinyTree({ 'argocd/children/sre/application-addon-temporal.yaml': temporalApp, 'namespaces/tools/service-temporal-peers.yaml': headless });
    expect(evaluateService(tree, 'temporal-peers.tools.svc.cluster.local', 6933).hop.refused).toBeUndefined();
  });

  test("a Keycloak resource yields the operator's Pods with its podTemplate labels and ServiceAccount", () => {
    const [t] = podTemplatesIn(tinyTree({ 'namespaces/tools/keycloak-keycloak.yaml': keycloak }), 'tools');
    expect(t).toEqual({ name: 'keycloak', service: 'keycloak', createdBy: 'Keycloak (operator StatefulSet)', serviceAccountName: 'keycloak', labels: expect.objectContaining({ app: 'keycloak', 'platform.ec/workload': 'keycloak' }) });
  });

  test('the temporal chart yields one Pod template per server component and the UI, labelled by component', () => {
    const names = podTemplatesIn(tinyTree({ 'argocd/children/sre/application-addon-temporal.yaml': temporalApp }), 'tools').map((t) => `${t.name}:${t.labels['app.kubernetes.io/component']}:${t.serviceAccountName}`);
    expect(names).toEqual(['temporal-frontend:frontend:temporal', 'temporal-history:history:temporal', 'temporal-matching:matching:temporal', 'temporal-worker:worker:temporal', 'temporal-web:web:temporal']);
  });

  test('a Service selecting only the frontend component reaches it, as the service its Pods are labelled with', () => {
    const tree = tinyTree({ 'argocd/children/sre/application-addon-temporal.yaml': temporalApp, 'namespaces/tools/service-temporal.yaml': service('temporal', { 'platform.ec/workload': 'temporal', 'app.kubernetes.io/component': 'frontend' }) });
    const r = evaluateService(tree, 'temporal.tools.svc.cluster.local', 7233);
    expect([r.hop.refused, r.workload?.name, r.workload?.principal]).toEqual([undefined, 'temporal', 'cluster.local/ns/tools/sa/temporal']);
    expect(r.hop.detail).toContain('temporal chart temporal-frontend');
  });

  test('a Service whose selector spans every server component is refused: history, matching and worker do not serve the frontend port', () => {
    const tree = tinyTree({ 'argocd/children/sre/application-addon-temporal.yaml': temporalApp, 'namespaces/tools/service-temporal.yaml': service('temporal', { 'platform.ec/workload': 'temporal' }) });
    const r = evaluateService(tree, 'temporal.tools.svc.cluster.local', 7233);
    expect(r.hop.refused).toBeDefined();
    expect(r.hop.detail).toMatch(/selector matches the Pods of several workloads \(temporal-frontend, temporal-history, temporal-matching, temporal-worker\)/);
  });
});
