/**
 * Faults in traces: the tracer prints a route's VirtualService `fault` at the VirtualService hop
 * (on the committed dev tree, from the model's faults) and only on the faulted caller's route.
 */
import { loadPlatform } from '../platform/load';
import { describeFault, evaluateVirtualService } from '../verify/trace/virtual-service';
import { formatTrace, loadDistTree, traceRequest, type DistTree } from '../verify/trace';
import type { K8sObject } from '../verify/trace/dist-tree';
import { declaredEdgeCases } from './support/trace-expectations';

const platform = loadPlatform();
const dev = platform.environments.find((e) => e.name === 'dev')!;
let tree: DistTree;
beforeAll(() => {
  tree = loadDistTree('dev');
});

const vsHop = (from: string, to: string) => {
  const c = declaredEdgeCases(platform, dev).find((x) => x.from === from && x.reach === to)!;
  const r = traceRequest(tree, c.method, c.url, c.headers, { from: c.from });
  return { r, hop: r.hops.find((h) => h.hop === 'VirtualService')! };
};

describe('faults in the request tracer (dev tree)', () => {
  test.each(dev.faults.map((f) => [`${f.from} -> ${f.to}`, f] as const))('the faulted edge %s shows its fault at the VirtualService hop and still reaches its backend', (_n, f) => {
    const { r, hop } = vsHop(f.from, f.to);
    const expected = [
      ...(f.delay ? [`delay ${f.delay.percent}% x ${f.delay.fixedDelaySeconds}s`] : []),
      ...(f.abort ? [`abort ${f.abort.percent}% with HTTP ${f.abort.httpStatus}`] : []),
    ].join(', ');
    expect(hop.detail).toContain(`fault: ${expected}`);
    expect(formatTrace(r)).toContain(`fault: ${expected}`);
    expect(r.reached).toBe(true);
  });

  test('another caller of a faulted service takes the ordinary route, without a fault', () => {
    const faulted = dev.faults[0];
    const other = declaredEdgeCases(platform, dev).find((c) => c.reach === faulted.to && c.from !== faulted.from)!;
    const { hop } = vsHop(other.from!, faulted.to);
    expect(hop.detail).not.toContain('fault:');
  });
});

describe('fault display (small tree)', () => {
  const vs: K8sObject = {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: { name: 'b', namespace: 'b' },
    spec: {
      hosts: ['b.b.svc.cluster.local'],
      http: [
        { name: 'faulted', match: [{ sourceNamespace: 'a' }], fault: { abort: { percent: 50, grpcStatus: 'UNAVAILABLE' }, delay: { percentage: { value: 0.5 }, fixedDelay: '100ms' } }, route: [{ destination: { host: 'b.b.svc.cluster.local', port: { number: 8080 } } }] },
        { name: 'default', route: [{ destination: { host: 'b.b.svc.cluster.local', port: { number: 8080 } } }] },
      ],
    },
  } as K8sObject;
  const small: DistTree = { env: 'x', root: 'x', byKind: new Map([['VirtualService', new Map([['b/b', vs]])]]), byNamespace: new Map([['VirtualService', new Map([['b', [vs]]])]]) };
  const req = { method: 'GET', scheme: 'http' as const, host: 'b.b.svc.cluster.local', port: 8080, path: '/', headers: {} };

  test('a delay and a gRPC abort print with their shares (the deprecated integer percent too)', () => {
    const r = evaluateVirtualService(small, req, { from: { namespace: 'a', labels: {}, inMesh: true } });
    expect(r.fault).toBe('delay 0.5% x 100ms, abort 50% with gRPC UNAVAILABLE');
    expect(r.hop.detail).toMatch(/route\[0\] faulted -> .*, fault: delay 0\.5% x 100ms, abort 50% with gRPC UNAVAILABLE$/);
  });

  test('a route without fault prints none', () => {
    const r = evaluateVirtualService(small, req, { from: { namespace: 'c', labels: {}, inMesh: true } });
    expect(r.fault).toBeUndefined();
    expect(r.hop.detail).not.toContain('fault:');
    expect(describeFault({})).toBeUndefined();
  });
});
