import { stringify } from 'yaml';
import { compareTrees } from '../tools/diff/compare-trees';
import { faultInjectionFlags } from '../tools/diff/flags/fault-injection';

const path = 'dist/dev/namespaces/order-service/virtualservice-order-service.yaml';
const ordinary = { name: 'grpc', match: [{ port: 50051 }], route: [{ destination: { host: 'order-service.order-service.svc.cluster.local' } }], timeout: '5s' };
const faulted = (fault: object) => ({ name: 'grpc-fault-pc-bff-pc-bff', match: [{ port: 50051, sourceNamespace: 'pc-bff' }], fault, route: ordinary.route });
const vs = (http: object[]) => stringify({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'order-service', namespace: 'order-service', labels: { 'platform.ec/team': 'order' } }, spec: { http } });
const flagsOf = (before: string, after: string) =>
  compareTrees('dist', new Map([[path, before]]), new Map([[path, after]])).changes.flatMap(faultInjectionFlags).map((f) => `${f.id}: ${f.message} <- ${f.attribution}`);
const delay = { delay: { percentage: { value: 10 }, fixedDelay: '2s' } };

describe('fault injection in the rendered diff', () => {
  test('a fault that starts is flagged with the route and the environment faults it comes from', () => {
    expect(flagsOf(vs([ordinary]), vs([faulted(delay), ordinary]))).toEqual([
      'fault-injection: fault injected on route grpc-fault-pc-bff-pc-bff: {"delay":{"fixedDelay":"2s","percentage":{"value":10}}} <- environments[dev].faults',
    ]);
  });

  test('a fault that stops or changes is flagged', () => {
    expect(flagsOf(vs([faulted(delay), ordinary]), vs([ordinary]))).toEqual(['fault-injection: fault removed from route grpc-fault-pc-bff-pc-bff <- environments[dev].faults']);
    const abort = { abort: { percentage: { value: 5 }, httpStatus: 503 } };
    expect(flagsOf(vs([faulted(delay), ordinary]), vs([faulted(abort), ordinary]))).toHaveLength(1);
  });

  test('a VirtualService change without faults raises no fault flag', () => {
    expect(flagsOf(vs([ordinary]), vs([{ ...ordinary, timeout: '6s' }]))).toEqual([]);
  });
});
