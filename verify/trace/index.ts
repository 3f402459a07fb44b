/**
 * The request tracer (reads the rendered tree only). `traceRequest` for one request;
 * `traceCheck` is what `npm run verify` can register: it traces the given requests and returns
 * one message per request whose outcome differs from the expectation.
 */
import { loadDistTree } from './dist-tree';
import { fakeJwt as fakeJwtOf, policiesFor } from './request-authentication';
import { evaluateService } from './service';
import { formatTrace, traceRequest, type TraceOptions, type TraceResult } from './trace';

export { loadDistTree, type DistTree } from './dist-tree';
export { fakeJwt } from './request-authentication';
export { evaluateNetworkEgress, evaluateNetworkIngress } from './network-policy';
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

/**
 * Model-free check for `npm run verify`: every route the rendered ingress VirtualServices declare
 * (host + path prefix + User-Agent match), and behind a BFF every gRPC location of its Nginx, must
 * trace to a workload. Requests carry a token of the issuer (and audience) the destination's
 * RequestAuthentication names. Returns one message per route that does not get through.
 */
export function verifyDeclaredRoutes(env: string, distRoot = 'dist'): string[] {
  const tree = loadDistTree(env, distRoot);
  const problems: string[] = [];
  const issuers = [...(tree.byKind.get('RequestAuthentication')?.values() ?? [])].flatMap((ra) => (ra.spec?.jwtRules ?? []).map((r: { issuer: string }) => r.issuer));
  const anyToken = issuers[0] ? [`authorization: Bearer ${fakeJwtOf({ iss: issuers[0], sub: 'verify' })}`] : [];
  // The token the destination's own RequestAuthentication accepts (its issuer and audience), else one of any issuer.
  const tokenFor = (host: string | undefined, port: number | undefined): string[] => {
    const w = host && port ? evaluateService(tree, host, port).workload : undefined;
    const rule = w ? policiesFor(tree, 'RequestAuthentication', w).flatMap((ra) => ra.spec?.jwtRules ?? [])[0] : undefined;
    if (!rule) return anyToken;
    return [`authorization: Bearer ${fakeJwtOf({ iss: rule.issuer, sub: 'verify', ...(rule.audiences?.length ? { aud: rule.audiences[0] } : {}) })}`];
  };
  for (const vs of tree.byKind.get('VirtualService')?.values() ?? []) {
    const gateways: string[] = vs.spec?.gateways ?? [];
    if (gateways.length === 0 || gateways.includes('mesh')) continue;
    for (const host of vs.spec?.hosts ?? []) {
      for (const route of vs.spec?.http ?? []) {
        const m = route.match?.[0] ?? {};
        const prefix: string = m.uri?.prefix ?? '/';
        const ua = m.headers?.['user-agent']?.regex ? ['user-agent: Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) Mobile'] : [];
        const dest = route.route?.[0]?.destination?.host as string | undefined;
        const token = tokenFor(dest, route.route?.[0]?.destination?.port?.number);
        const fq = dest ? /^([^.]+)\.([^.]+)\./.exec(dest) : null;
        const nginx = fq ? tree.byKind.get('ConfigMap')?.get(`${fq[2]}/${fq[1]}-nginx`) : undefined;
        const grpcServices = nginx ? [...String(nginx.data?.['nginx.conf'] ?? '').matchAll(/location \/([A-Za-z_][\w]*(?:\.[A-Za-z_]\w*)+)\/ \{/g)].map((x) => x[1]) : [];
        const paths = grpcServices.length > 0 ? grpcServices.map((g) => `${prefix}${g}/Verify`) : [`${prefix}index.html`];
        for (const path of paths) {
          const r = traceRequest(tree, grpcServices.length > 0 ? 'POST' : 'GET', `https://${host}${path}`, [...ua, ...token]);
          if (!r.reached) problems.push(`${env}: ${vs.metadata.namespace}/${vs.metadata.name} route ${route.name ?? ''} (${host}${path}) does not get through\n${formatTrace(r)}`);
        }
      }
    }
  }
  return problems;
}
