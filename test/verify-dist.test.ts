/**
 * The bootstrap simulator over the committed dist/: each rule encodes one way a fresh environment
 * failed to come up (issue 7); every environment must report none.
 */
import * as path from 'path';
import { verifyDist, type Finding } from '../verify';

const results = verifyDist(path.join(__dirname, '..', 'dist'));
const findings = (rule: string): string[] => [...results].flatMap(([env, fs]: [string, Finding[]]) => fs.filter((f) => f.rule === rule).map((f) => `${env}/${f.file}: ${f.message}`));

test('dist holds the dev, stg and prd environments', () => {
  expect([...results.keys()]).toEqual(['dev', 'prd', 'stg']);
});

test('every Application, the cluster-scoped one included, has a destination its project admits', () => {
  expect(findings('project-destination')).toEqual([]);
});

test('every object and every namespace an add-on chart writes to (Karpenter: kube-system, kube-node-lease) is admitted by its project', () => {
  expect(findings('project-resources')).toEqual([]);
  expect(findings('project-source')).toEqual([]);
});

test('add-ons that install CRDs are never pruned by their parent nor cascade-deleted', () => {
  expect(findings('crd-addon-prune')).toEqual([]);
});

test('every Secret, ServiceAccount and store a migration Job or workload uses exists at its phase and wave on the first sync', () => {
  expect(findings('reference-availability')).toEqual([]);
});

test('no hook ExternalSecret garbage-collects its Secret', () => {
  expect(findings('hook-external-secret')).toEqual([]);
});

test('every EKS add-on with a Deployment tolerates the tainted system nodes (metrics-server included)', () => {
  expect(findings('eks-addon-tolerations')).toEqual([]);
});

test('no rendered image names a placeholder digest (tool images included)', () => {
  expect(findings('image-digest')).toEqual([]);
});

test('Argo CD is an add-on with Application health, the KSOPS sidecar, its repo-server IAM role and system-node tolerations', () => {
  expect(findings('argocd-installation')).toEqual([]);
});

test('every automated Application keeps retrying through a cold bootstrap', () => {
  expect(findings('retry-policy')).toEqual([]);
});

test('every values key of a pinned chart is a key of that chart version (Temporal, OAuth2 Proxy: metrics.serviceMonitor, not the old servicemonitor)', () => {
  expect(findings('chart-values-keys')).toEqual([]);
});

test('no custom resource syncs before the add-on that installs its CRD (NodePools after Karpenter, the secret store after External Secrets)', () => {
  expect(findings('crd-arrival')).toEqual([]);
});

test('the system node group holds every CPU request pinned to it', () => {
  expect(findings('system-node-capacity')).toEqual([]);
});

test('the simulator reports nothing at all for dev, stg and prd', () => {
  expect([...results].map(([env, fs]) => [env, fs.length])).toEqual([
    ['dev', 0],
    ['prd', 0],
    ['stg', 0],
  ]);
});
