/**
 * Hop: `AuthorizationPolicy` at the destination workload's proxy.
 *
 * Encodes istio.io/latest/docs/reference/config/security/authorization-policy/ (and
 * istio.io/latest/docs/concepts/security/#implicit-enablement): policies of the root namespace and
 * the workload's namespace whose selector matches apply, evaluated CUSTOM first, then DENY (any
 * matching rule refuses), then ALLOW (when any ALLOW policy applies, a request must match one of
 * their rules; an ALLOW policy with no rules matches nothing). In a rule, `from` entries are ORed,
 * `to` entries ORed, `when` conditions ANDed, and the three ANDed; inside a source/operation all
 * fields are ANDed and the values of one field ORed; a value matches exactly, by prefix ("abc*"),
 * by suffix ("*abc") or by presence ("*"). `notX` fields negate. `when` on `request.auth.claims[...]`
 * reads the accepted token's claims (a list claim matches when any entry does).
 */
import { type DistTree, type K8sObject, ref } from './dist-tree';
import { type Hop, refuse, type TraceRequest, type Workload } from './hop';
import { policiesFor } from './request-authentication';

export interface AuthzContext {
  /** The caller's mTLS principal (undefined: plaintext or no proxy). */
  readonly principal?: string;
  readonly sourceNamespace?: string;
  readonly requestPrincipal?: string;
  /** Claims of the token the RequestAuthentication accepted (none without a valid token). */
  readonly requestClaims?: Readonly<Record<string, unknown>>;
  /** SNI of a TLS connection (egress gateway). */
  readonly sni?: string;
  /** Port the request arrives on at the workload. */
  readonly port: number;
  /** A TCP connection (no HTTP attributes). @default false */
  readonly tcp?: boolean;
}

const valueMatches = (pattern: string, value: string | undefined): boolean => {
  if (value === undefined) return false;
  if (pattern === '*') return true;
  if (pattern.endsWith('*')) return value.startsWith(pattern.slice(0, -1));
  if (pattern.startsWith('*')) return value.endsWith(pattern.slice(1));
  return pattern === value;
};
const field = (values: string[] | undefined, not: string[] | undefined, value: string | undefined, ci = false): boolean => {
  const v = ci ? value?.toLowerCase() : value;
  const norm = (xs: string[]) => (ci ? xs.map((x) => x.toLowerCase()) : xs);
  if (values && !norm(values).some((p) => valueMatches(p, v))) return false;
  if (not && norm(not).some((p) => valueMatches(p, v))) return false;
  return true;
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function sourceMatches(s: any, c: AuthzContext): boolean {
  return (
    field(s.principals, s.notPrincipals, c.principal) &&
    field(s.namespaces, s.notNamespaces, c.sourceNamespace) &&
    field(s.requestPrincipals, s.notRequestPrincipals, c.requestPrincipal)
  );
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function operationMatches(o: any, req: TraceRequest, c: AuthzContext): boolean {
  // HTTP-only fields never match a TCP connection (the rule is ignored for TCP traffic).
  if (c.tcp && (o.hosts || o.notHosts || o.methods || o.notMethods || o.paths || o.notPaths)) return false;
  return (
    field(o.hosts, o.notHosts, req.host, true) &&
    field(o.ports, o.notPorts, String(c.port)) &&
    field(o.methods, o.notMethods, req.method) &&
    field(o.paths, o.notPaths, req.path.split('?')[0])
  );
}
/**
 * Values of `request.auth.claims[a][b]...` in the accepted token: a string claim is one value, a
 * list of strings each of its entries (the condition matches when any does: istio.io
 * docs/tasks/security/authorization/authz-jwt, "list-of-string typed JWT claims"); no token, a
 * missing claim or another type gives none, so only `notValues` can match.
 */
export function claimValues(key: string, claims: Readonly<Record<string, unknown>> | undefined): string[] {
  const names = [...key.slice('request.auth.claims'.length).matchAll(/\[([^\]]+)\]/g)].map((m) => m[1]);
  let v: unknown = claims;
  for (const n of names) v = v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>)[n] : undefined;
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  return [];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function conditionMatches(w: any, req: TraceRequest, c: AuthzContext): boolean {
  const key: string = w.key;
  if (key.startsWith('request.auth.claims[')) {
    const have = claimValues(key, c.requestClaims);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    if (w.values && !have.some((v) => w.values.some((p: string) => valueMatches(p, v)))) return false;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    if (w.notValues && have.some((v) => w.notValues.some((p: string) => valueMatches(p, v)))) return false;
    return true;
  }
  let value: string | undefined;
  if (key === 'connection.sni') value = c.sni;
  else if (key === 'source.principal') value = c.principal;
  else if (key === 'source.namespace') value = c.sourceNamespace;
  else if (key === 'request.auth.principal') value = c.requestPrincipal;
  else if (key === 'destination.port') value = String(c.port);
  else if (key.startsWith('request.headers[')) value = req.headers[key.slice(16, -1).toLowerCase()];
  else return false;
  return field(w.values, w.notValues, value);
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function ruleMatches(rule: any, req: TraceRequest, c: AuthzContext): boolean {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const from = !rule.from || rule.from.some((f: any) => sourceMatches(f.source ?? {}, c));
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const to = !rule.to || rule.to.some((t: any) => operationMatches(t.operation ?? {}, req, c));
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const when = !rule.when || rule.when.every((w: any) => conditionMatches(w, req, c));
  return from && to && when;
}

const action = (p: K8sObject): string => p.spec?.action ?? 'ALLOW';

export function evaluateAuthorization(tree: DistTree, w: Workload, req: TraceRequest, c: AuthzContext): Hop {
  const policies = policiesFor(tree, 'AuthorizationPolicy', w);
  // The token's claims the policies' conditions read, named in the detail (e.g. groups ["swe"]).
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const claimKeys = [...new Set(policies.flatMap((p) => (p.spec?.rules ?? []).flatMap((r: any) => (r.when ?? []).map((w: any) => String(w.key)))).filter((k: string) => k.startsWith('request.auth.claims[')))].sort();
  const claimed = c.requestPrincipal ? claimKeys.map((k) => ` ${k.slice('request.auth.'.length)}=${JSON.stringify(claimValues(k, c.requestClaims))}`).join('') : '';
  const who = `${c.principal ?? 'no mTLS identity'}${c.requestPrincipal ? ` + token ${c.requestPrincipal}${claimed}` : ''}${c.sni ? ` (SNI ${c.sni})` : ''}`;
  for (const p of policies.filter((x) => action(x) === 'CUSTOM')) {
    // The external authorizer's decision cannot be computed offline: report it.
    if ((p.spec?.rules ?? []).some((r: unknown) => ruleMatches(r, req, c))) return { hop: 'AuthorizationPolicy', object: ref(p), detail: `CUSTOM provider ${p.spec?.provider?.name} decides (not evaluated offline)` };
  }
  for (const p of policies.filter((x) => action(x) === 'DENY')) {
    const i = (p.spec?.rules ?? []).findIndex((r: unknown) => ruleMatches(r, req, c));
    if (i >= 0) return refuse('AuthorizationPolicy', ref(p), `DENY rule ${i} matches ${who}`, `${ref(p)} rules[${i}]`, '403');
  }
  const allows = policies.filter((x) => action(x) === 'ALLOW');
  if (allows.length === 0) return { hop: 'AuthorizationPolicy', object: '(none)', detail: 'no policy applies: allowed' };
  for (const p of allows) {
    const i = (p.spec?.rules ?? []).findIndex((r: unknown) => ruleMatches(r, req, c));
    if (i >= 0) return { hop: 'AuthorizationPolicy', object: ref(p), detail: `ALLOW rule ${i} admits ${who} ${req.method} ${req.path} on port ${c.port}` };
  }
  return refuse('AuthorizationPolicy', allows.map(ref).join(', '), `no ALLOW rule admits ${who} ${req.method} ${req.host}${req.path} on port ${c.port}`, `${allows.map((p) => p.metadata.name).join(' + ')} (ALLOW policies apply, none matches)`, '403');
}
