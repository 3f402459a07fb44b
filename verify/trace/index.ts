/**
 * The request tracer (reads the rendered tree only). `traceRequest` for one request;
 * `traceCheck` is what `npm run verify` can register: it traces the given requests and returns
 * one message per request whose outcome differs from the expectation.
 */
import { loadDistTree } from './dist-tree';
import { formatTrace, traceRequest, type TraceOptions, type TraceResult } from './trace';

export { loadDistTree, type DistTree } from './dist-tree';
export { fakeJwt } from './request-authentication';
export { formatTrace, traceRequest, type TraceOptions, type TraceResult } from './trace';

export interface ExpectedTrace {
  readonly method: string;
  readonly url: string;
  readonly headers?: readonly string[];
  readonly from?: string;
  /** "reach <ns>/<deployment|host>" or "refuse <hop>". */
  readonly expect: { readonly reach: string } | { readonly refuseAt: string };
}

export function traceCheck(env: string, expectations: readonly ExpectedTrace[], distRoot = 'dist'): string[] {
  const tree = loadDistTree(env, distRoot);
  const problems: string[] = [];
  for (const e of expectations) {
    const r: TraceResult = traceRequest(tree, e.method, e.url, e.headers ?? [], { from: e.from } satisfies TraceOptions);
    const ok = 'reach' in e.expect ? r.reached && r.backend === e.expect.reach : !r.reached && r.refusedAt?.hop === e.expect.refuseAt;
    if (!ok) problems.push(`${env}: ${e.from ?? 'internet'} ${e.method} ${e.url}: expected ${JSON.stringify(e.expect)}\n${formatTrace(r)}`);
  }
  return problems;
}
