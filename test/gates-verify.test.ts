import { faultCallerSidecar } from '../verify/bootstrap/fault-caller-sidecar';
import { messages, verifyTiny } from './support/verify-tree';

const namespace = (name: string, labels: Record<string, string>) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
const virtualService = (route: Record<string, unknown>) => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name: 'order', namespace: 'order' },
  spec: { hosts: ['order.order.svc.cluster.local'], http: [{ name: 'http-fault-bff-bff', match: [{ port: 8080, sourceNamespace: 'bff' }], fault: { abort: { percentage: { value: 5 }, httpStatus: 503 } }, route: [{ destination: { host: 'order.order.svc.cluster.local' } }], ...route }] },
});

describe('fault-caller-sidecar', () => {
  test('a fault on calls from a namespace without sidecar injection is reported, since it never applies', () => {
    const f = verifyTiny({ 'cluster/namespace-bff.yaml': namespace('bff', {}), 'namespaces/order/virtualservice-order.yaml': virtualService({}) }, [faultCallerSidecar]);
    expect(messages(f)).toEqual(['namespaces/order/virtualservice-order.yaml: VirtualService order route http-fault-bff-bff injects a fault into calls from namespace bff, which has no sidecar injection: the fault never applies']);
  });

  test('a faulted route that also sets retries is reported; a meshed caller without them passes', () => {
    const meshed = { 'cluster/namespace-bff.yaml': namespace('bff', { 'istio-injection': 'enabled' }) };
    expect(messages(verifyTiny({ ...meshed, 'namespaces/order/virtualservice-order.yaml': virtualService({ retries: { attempts: 2 } }) }, [faultCallerSidecar]))).toEqual([
      'namespaces/order/virtualservice-order.yaml: VirtualService order route http-fault-bff-bff sets retries beside a fault: Istio enables neither on a faulted route',
    ]);
    expect(verifyTiny({ ...meshed, 'namespaces/order/virtualservice-order.yaml': virtualService({}) }, [faultCallerSidecar])).toEqual([]);
  });
});
