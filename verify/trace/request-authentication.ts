/**
 * Hop: `RequestAuthentication` of the destination workload (the sidecar's jwt_authn filter).
 *
 * Encodes istio.io/latest/docs/reference/config/security/request_authentication/: the policies of
 * the workload's namespace and of the root namespace whose selector matches apply; a request
 * without a token passes with no request principal; a request whose token is invalid, or whose
 * `iss` no jwtRule names ("Jwt issuer is not configured"), is refused with 401. A valid token's
 * request principal is "<iss>/<sub>". Signatures are not checked here (the tracer has no keys):
 * the token's claims are taken as given. Also reports where the proxy fetches the JWKS from: a
 * public host means a hairpin through the ALB and WAF. A valid token's claims are handed to the
 * AuthorizationPolicy hop (`request.auth.claims[...]` conditions).
 */
import { type DistTree, type K8sObject, objectsIn, ref } from './dist-tree';
import { selects } from './gateway';
import { type Hop, refuse, type TraceRequest, type Workload } from './hop';

export const ROOT_NAMESPACE = 'istio-system';

/** Claims of "Authorization: Bearer <jwt>", undefined without one, null when it is not a JWT. */
export function bearerClaims(req: TraceRequest): Record<string, unknown> | undefined | null {
  const auth = req.headers.authorization;
  if (!auth) return undefined;
  const m = /^Bearer\s+([^.]+)\.([^.]+)\.([^.]*)$/i.exec(auth.trim());
  if (!m) return null;
  try {
    return JSON.parse(Buffer.from(m[2], 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
}

/** An unsigned JWT carrying the given claims (for traces and tests: the tracer never checks signatures). */
export const fakeJwt = (claims: Record<string, unknown>): string =>
  [Buffer.from('{"alg":"RS256","typ":"JWT"}').toString('base64url'), Buffer.from(JSON.stringify(claims)).toString('base64url'), 'unsigned'].join('.');

export const policiesFor = (tree: DistTree, kind: string, w: Workload): K8sObject[] =>
  [...objectsIn(tree, kind, ROOT_NAMESPACE), ...(w.namespace === ROOT_NAMESPACE ? [] : objectsIn(tree, kind, w.namespace))].filter((p) => selects(p.spec?.selector?.matchLabels, w.labels));

export function evaluateRequestAuthentication(tree: DistTree, w: Workload, req: TraceRequest): { hop?: Hop; requestPrincipal?: string; claims?: Readonly<Record<string, unknown>> } {
  const policies = policiesFor(tree, 'RequestAuthentication', w);
  const claims = bearerClaims(req);
  if (policies.length === 0) return { hop: claims ? { hop: 'RequestAuthentication', object: '(none)', detail: 'no RequestAuthentication: the token is not validated and gives no request principal' } : undefined };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const rules: any[] = policies.flatMap((p) => p.spec?.jwtRules ?? []);
  const names = policies.map(ref).join(', ');
  const jwks = rules.map((r) => r.jwksUri ?? r.jwks_uri).join(', ');
  if (claims === undefined) return { hop: { hop: 'RequestAuthentication', object: names, detail: `no token: passes without a request principal (JWKS ${jwks})` } };
  if (claims === null) return { hop: refuse('RequestAuthentication', names, 'the Authorization header is not a JWT', `${names} jwtRules`, '401') };
  const rule = rules.find((r) => r.issuer === claims.iss);
  if (!rule) return { hop: refuse('RequestAuthentication', names, `token issuer ${String(claims.iss)} is not configured (expects ${rules.map((r) => r.issuer).join(', ')})`, `${names} jwtRules[].issuer`, '401') };
  if (Array.isArray(rule.audiences) && rule.audiences.length > 0) {
    const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!aud.some((a) => rule.audiences.includes(a))) return { hop: refuse('RequestAuthentication', names, `token audience ${JSON.stringify(claims.aud)} not in ${rule.audiences.join(',')}`, `${names} jwtRules[].audiences`, '401') };
  }
  const principal = `${String(claims.iss)}/${String(claims.sub ?? '')}`;
  return { hop: { hop: 'RequestAuthentication', object: names, detail: `token of ${rule.issuer} accepted (JWKS ${(rule.jwksUri ?? rule.jwks_uri)}${rule.forwardOriginalToken ? ', token forwarded' : ''}): request principal ${principal}` }, requestPrincipal: principal, claims };
}
