import { hookJobEgress } from '../verify/network/hook-job-egress';
import { nonMeshDefaultDeny } from '../verify/network/non-mesh-default-deny';
import { messages, verifyTiny } from './support/verify-tree';

const namespace = (name: string, labels: Record<string, string> = {}) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
const policy = (namespace: string, name: string, spec: Record<string, unknown>) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec });
const DENY = { podSelector: {}, policyTypes: ['Ingress', 'Egress'], ingress: [], egress: [] };
const job = (namespace: string, labels: Record<string, string>, annotations: Record<string, string> = { 'sidecar.istio.io/inject': 'false' }) => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: 'order-migrate', namespace },
  spec: { template: { metadata: { labels, annotations }, spec: { containers: [{ name: 'job', image: 'x' }] } } },
});
const DNS_ONLY = { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }], ports: [{ protocol: 'UDP', port: 53 }] };

describe('non-mesh-default-deny', () => {
  test('a namespace without sidecar injection and without a default-deny NetworkPolicy is reported', () => {
    const f = verifyTiny({
      'cluster/namespace-monitoring.yaml': namespace('monitoring'),
      'namespaces/monitoring/networkpolicy-dashboards.yaml': policy('monitoring', 'dashboards', { podSelector: { matchLabels: { app: 'grafana' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: {} }] }] }),
    }, [nonMeshDefaultDeny]);
    expect(messages(f)).toEqual([
      'cluster/namespace-monitoring.yaml: namespace monitoring is outside the mesh and no NetworkPolicy of it selects every Pod for Ingress and Egress without rules: its Pods accept and open any connection',
    ]);
  });

  test('an ingress-only default deny is not enough: egress stays open', () => {
    const f = verifyTiny({ 'cluster/namespace-logging.yaml': namespace('logging'), 'namespaces/logging/networkpolicy-deny.yaml': policy('logging', 'deny', { podSelector: {}, policyTypes: ['Ingress'] }) }, [nonMeshDefaultDeny]);
    expect(messages(f)).toHaveLength(1);
  });

  test('an allow rule with neither peers nor ports is reported, since it re-opens every destination', () => {
    const f = verifyTiny({
      'cluster/namespace-logging.yaml': namespace('logging'),
      'namespaces/logging/networkpolicy-default-deny.yaml': policy('logging', 'default-deny', DENY),
      'namespaces/logging/networkpolicy-allow-all.yaml': policy('logging', 'allow-all', { podSelector: {}, policyTypes: ['Egress'], egress: [{}] }),
    }, [nonMeshDefaultDeny]);
    expect(messages(f)).toEqual(['namespaces/logging/networkpolicy-allow-all.yaml: NetworkPolicy logging/allow-all egress[0] has no to and no ports: it admits every destination on every port']);
  });

  test('a default-denied non-mesh namespace and an in-mesh namespace without policies pass', () => {
    const f = verifyTiny({
      'cluster/namespace-logging.yaml': namespace('logging'),
      'namespaces/logging/networkpolicy-default-deny.yaml': policy('logging', 'default-deny', DENY),
      'cluster/namespace-order.yaml': namespace('order', { 'istio-injection': 'enabled' }),
    }, [nonMeshDefaultDeny]);
    expect(f).toEqual([]);
  });
});

describe('hook-job-egress', () => {
  const meshed = { 'cluster/namespace-order.yaml': namespace('order', { 'istio-injection': 'enabled' }) };

  test('a sidecar-less Job whose Pod labels no Egress policy selects is reported', () => {
    const f = verifyTiny({
      ...meshed,
      'namespaces/order/job-order-migrate.yaml': job('order', { 'platform.ec/hook-job': 'order-migrate' }),
      'namespaces/order/networkpolicy-other-egress.yaml': policy('order', 'other-egress', { podSelector: { matchLabels: { 'platform.ec/hook-job': 'order-e2e' } }, policyTypes: ['Ingress', 'Egress'], egress: [DNS_ONLY] }),
      'namespaces/order/networkpolicy-ingress-only.yaml': policy('order', 'ingress-only', { podSelector: {}, policyTypes: ['Ingress'] }),
    }, [hookJobEgress]);
    expect(messages(f)).toEqual([
      'namespaces/order/job-order-migrate.yaml: Job order/order-migrate runs without a sidecar and no Egress NetworkPolicy selects its Pod labels {"platform.ec/hook-job":"order-migrate"}: it may connect anywhere',
    ]);
  });

  test('an Egress policy selecting the Job with an allow-everything rule is reported', () => {
    const f = verifyTiny({
      ...meshed,
      'namespaces/order/job-order-migrate.yaml': job('order', { 'platform.ec/hook-job': 'order-migrate' }),
      'namespaces/order/networkpolicy-order-migrate-egress.yaml': policy('order', 'order-migrate-egress', { podSelector: { matchLabels: { 'platform.ec/hook-job': 'order-migrate' } }, policyTypes: ['Egress'], egress: [DNS_ONLY, {}] }),
    }, [hookJobEgress]);
    expect(messages(f)).toEqual(['namespaces/order/networkpolicy-order-migrate-egress.yaml: NetworkPolicy order/order-migrate-egress selects the sidecar-less Job order-migrate and its egress[1] has no peers and no ports: the Job may connect anywhere']);
  });

  test('a Job with a sidecar in a meshed namespace needs no policy; a confined sidecar-less Job passes', () => {
    expect(verifyTiny({ ...meshed, 'namespaces/order/job-order-migrate.yaml': job('order', { app: 'm' }, {}) }, [hookJobEgress])).toEqual([]);
    expect(verifyTiny({
      ...meshed,
      'namespaces/order/job-order-migrate.yaml': job('order', { 'platform.ec/hook-job': 'order-migrate' }),
      'namespaces/order/networkpolicy-order-migrate-egress.yaml': policy('order', 'order-migrate-egress', { podSelector: { matchExpressions: [{ key: 'platform.ec/hook-job', operator: 'In', values: ['order-migrate'] }] }, policyTypes: ['Egress'], egress: [DNS_ONLY] }),
    }, [hookJobEgress])).toEqual([]);
  });
});
