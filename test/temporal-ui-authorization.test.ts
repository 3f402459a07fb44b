/**
 * The Temporal UI (issue 9): every staff member reads, only the model's operator group writes. The
 * requests go through the tracer over the committed dist/ (never the model's objects); the group
 * names the staff realm creates, OAuth2 Proxy admits and the UI's policy reads come from one
 * place (platform/identity.ts) and agree in the rendered tree.
 */
import { parse } from 'yaml';
import { loadPlatform } from '../platform/load';
import { internalHost, keycloakIssuer } from '../platform/naming';
import { fakeJwt, loadDistTree, traceRequest, type DistTree } from '../verify/trace';
import { claimValues } from '../verify/trace/authorization-policy';
import { objectNamed } from '../verify/trace/dist-tree';
import { mutated, problemsOf } from './support/example';

const platform = loadPlatform();
const trees = new Map<string, DistTree>();
const tree = (env: string): DistTree => trees.get(env) ?? trees.set(env, loadDistTree(env)).get(env)!;
const operators = platform.identity.temporalOperators;
const reader = platform.identity.staffGroups.find((g) => g !== operators)!;
const UI = 'saga-service/temporal-ui';
const TERMINATE = '/api/v1/namespaces/orders/workflows/order-42/terminate';

describe.each(platform.environments.map((e) => [e.name, e] as const))('%s', (envName, env) => {
  const ui = `https://${internalHost(env, 'temporal')}`;
  const staffToken = (claims: Record<string, unknown>) => `authorization: Bearer ${fakeJwt({ iss: keycloakIssuer(env, platform.identity.staffRealm), sub: 'staff-1', aud: 'temporal-ui', ...claims })}`;
  const trace = (method: string, path: string, headers: string[] = []) => traceRequest(tree(envName), method, `${ui}${path}`, headers);

  test('a staff member outside the operator group is refused a write at the UI’s AuthorizationPolicy (403)', () => {
    const r = trace('POST', TERMINATE, [staffToken({ groups: [reader] })]);
    expect(r.reached).toBe(false);
    expect(r.refusedAt).toMatchObject({ hop: 'AuthorizationPolicy', refused: { status: '403' } });
    expect(r.refusedAt!.object).toContain('AuthorizationPolicy saga-service/temporal-ui-allow');
    // The token itself was valid: the refusal is by group, after the RequestAuthentication accepted it.
    expect(r.hops.find((h) => h.hop === 'RequestAuthentication')?.detail).toMatch(/^token of .*\/realms\/staff accepted/);
    expect(r.refusedAt!.detail).toContain(`claims[groups]=${JSON.stringify([reader])}`);
  });

  test.each(['POST', 'PUT', 'PATCH', 'DELETE'])('a member of the operator group may %s through the UI’s API', (method) => {
    const r = trace(method, TERMINATE, [staffToken({ groups: [operators] })]);
    expect({ backend: r.backend, refusedAt: r.refusedAt?.hop }).toEqual({ backend: UI, refusedAt: undefined });
    expect(r.hops.find((h) => h.hop === 'AuthorizationPolicy')?.detail).toMatch(/^ALLOW rule 2 /);
  });

  test('any staff group reads the API (GET), and the pages and sign-in load before there is a token', () => {
    expect(trace('GET', '/api/v1/namespaces/orders/workflows', [staffToken({ groups: [reader] })]).backend).toBe(UI);
    expect(trace('HEAD', '/api/v1/namespaces/orders/workflows', [staffToken({ groups: [operators] })]).backend).toBe(UI);
    for (const path of ['/', '/namespaces/orders/workflows', '/auth/sso', '/auth/sso/callback?code=c&state=s', '/api/v1/settings']) expect({ path, backend: trace('GET', path).backend }).toEqual({ path, backend: UI });
  });

  test('the API refuses a request without a staff token, a staff member in no staff group, and a write outside the API', () => {
    expect(trace('GET', '/api/v1/namespaces/orders/workflows').refusedAt?.hop).toBe('AuthorizationPolicy');
    expect(trace('GET', '/api/v1/namespaces/orders/workflows', [staffToken({ groups: [] })]).refusedAt?.hop).toBe('AuthorizationPolicy');
    expect(trace('POST', TERMINATE).refusedAt?.hop).toBe('AuthorizationPolicy');
    expect(trace('POST', '/auth/sso', [staffToken({ groups: [operators] })]).refusedAt?.hop).toBe('AuthorizationPolicy');
  });

  test('a shopper’s token (customers’ realm) and a staff token issued for another client are refused with 401', () => {
    const shopper = `authorization: Bearer ${fakeJwt({ iss: keycloakIssuer(env, platform.identity.realm), sub: 'c-1', groups: [operators] })}`;
    expect(trace('POST', TERMINATE, [shopper]).refusedAt).toMatchObject({ hop: 'RequestAuthentication', refused: { status: '401' } });
    expect(trace('GET', '/api/v1/namespaces', [staffToken({ aud: 'oauth2-proxy', groups: [operators] })]).refusedAt).toMatchObject({ hop: 'RequestAuthentication', refused: { status: '401' } });
  });

  test('the UI’s sidecar fetches the staff realm’s keys in-cluster, and Keycloak admits exactly that', () => {
    const ra = objectNamed(tree(envName), 'RequestAuthentication', 'saga-service', 'temporal-ui-staff-jwt')!;
    const jwks = ra.spec.jwtRules[0].jwks_uri;
    expect(jwks).toBe(`http://keycloak.auth-service.svc.cluster.local:8080/auth/realms/${platform.identity.staffRealm}/protocol/openid-connect/certs`);
    expect(ra.spec.jwtRules[0]).toMatchObject({ issuer: keycloakIssuer(env, platform.identity.staffRealm), audiences: ['temporal-ui'], forwardOriginalToken: true });
    const fetch = traceRequest(tree(envName), 'GET', jwks, [], { from: UI });
    expect({ backend: fetch.backend, refusedAt: fetch.refusedAt?.hop }).toEqual({ backend: 'auth-service/keycloak', refusedAt: undefined });
  });

  test('the UI server’s OIDC back channel (discovery, code exchange, keys) reaches Keycloak in-cluster; the public issuer host would be blackholed', () => {
    const t = tree(envName);
    const app = objectNamed(t, 'Application', platform.argocdNamespace, 'addon-temporal')!;
    const envOf = (name: string) => app.spec.source.helm.valuesObject.web.additionalEnv.find((e: { name: string }) => e.name === name)?.value;
    const provider = envOf('TEMPORAL_AUTH_PROVIDER_URL');
    expect(envOf('TEMPORAL_AUTH_ISSUER_URL')).toBe(keycloakIssuer(env, platform.identity.staffRealm));
    // Keycloak names its back-channel endpoints on the host they are asked on (hostname-backchannel-dynamic).
    expect(objectNamed(t, 'Keycloak', 'auth-service', 'keycloak')!.spec.hostname).toMatchObject({ strict: true, backchannelDynamic: true });
    for (const [method, path] of [['GET', '/.well-known/openid-configuration'], ['POST', '/protocol/openid-connect/token'], ['GET', '/protocol/openid-connect/certs']]) {
      const r = traceRequest(t, method, `${provider}${path}`, [], { from: UI });
      expect({ path, backend: r.backend, refusedAt: r.refusedAt?.hop }).toEqual({ path, backend: 'auth-service/keycloak', refusedAt: undefined });
    }
    expect(traceRequest(t, 'GET', `${keycloakIssuer(env, platform.identity.staffRealm)}/.well-known/openid-configuration`, [], { from: UI }).refusedAt?.hop).toBe('Sidecar egress');
    // Only the UI's identity has the staff realm's back channel; another workload of the namespace does not.
    expect(traceRequest(t, 'POST', `${provider}/protocol/openid-connect/token`, [], { from: 'saga-service/saga-orchestrator' }).refusedAt?.hop).toBe('AuthorizationPolicy');
  });

  test('the realm requires PKCE only of the clients that send it: OAuth2 Proxy always, the Temporal UI where its server has PKCE on', () => {
    const t = tree(envName);
    const clients = objectNamed(t, 'KeycloakRealmImport', 'auth-service', `keycloak-${platform.identity.staffRealm}`)!.spec.realm.clients;
    const client = (id: string) => clients.find((c: { clientId: string }) => c.clientId === id);
    const proxyCfg = String(objectNamed(t, 'Application', platform.argocdNamespace, 'addon-oauth2-proxy')!.spec.source.helm.valuesObject.config.configFile);
    expect(client('oauth2-proxy').attributes).toEqual({ 'pkce.code.challenge.method': 'S256' });
    expect(proxyCfg).toContain('code_challenge_method = "S256"');
    expect(client('temporal-ui').attributes['pkce.code.challenge.method']).toBeUndefined();
    const web = objectNamed(t, 'Application', platform.argocdNamespace, 'addon-temporal')!.spec.source.helm.valuesObject.web;
    expect(web.additionalEnv).toContainEqual({ name: 'TEMPORAL_AUTH_PKCE_ENABLED', value: 'true' });
  });

  test('one list of group names: the realm import creates them, OAuth2 Proxy admits them, the UI policy reads them from the same claim', () => {
    const t = tree(envName);
    const realm = objectNamed(t, 'KeycloakRealmImport', 'auth-service', `keycloak-${platform.identity.staffRealm}`)!.spec.realm;
    const created = realm.groups.map((g: { name: string }) => g.name);
    const uiClient = realm.clients.find((c: { clientId: string }) => c.clientId === 'temporal-ui');
    const mapper = uiClient.protocolMappers.find((m: { protocolMapper: string }) => m.protocolMapper === 'oidc-group-membership-mapper');
    const proxy = objectNamed(t, 'Application', platform.argocdNamespace, 'addon-oauth2-proxy')!;
    const cfg = String(proxy.spec.source.helm.valuesObject.config.configFile);
    const setting = (k: string) => parse(cfg.split('\n').find((l) => l.startsWith(`${k} = `))!.slice(k.length + 3));
    const rules = objectNamed(t, 'AuthorizationPolicy', 'saga-service', 'temporal-ui-allow')!.spec.rules;
    const [reads, writes] = [rules[1].when[0], rules[2].when[0]];

    expect(created).toEqual([...platform.identity.staffGroups]);
    expect(setting('allowed_groups')).toEqual(created);
    expect(reads.values).toEqual(created);
    expect(writes.values).toEqual([operators]);
    expect(created).toContain(operators);
    // The claim: what the mapper writes (access token, plain names) is what OAuth2 Proxy and the policy read.
    expect(mapper.config).toMatchObject({ 'claim.name': 'groups', 'access.token.claim': 'true', 'full.path': 'false' });
    expect(setting('oidc_groups_claim')).toBe(mapper.config['claim.name']);
    expect([reads.key, writes.key]).toEqual([`request.auth.claims[${mapper.config['claim.name']}]`, `request.auth.claims[${mapper.config['claim.name']}]`]);
  });
});

test('the operator group must be one of the staff groups the realm creates', () => {
  expect(problemsOf(mutated((i) => (i.identity.temporalOperators = 'ops')))).toEqual([expect.stringMatching(/^identity\.temporalOperators: "ops" is not one of identity\.staffGroups \(sre, swe\)/)]);
  expect(problemsOf(mutated((i) => (i.identity.temporalOperators = 'swe')))).toEqual([]);
});

test('a claim condition reads a string claim, each entry of a list claim, and nested claims; nothing else', () => {
  expect(claimValues('request.auth.claims[groups]', { groups: ['sre', 'swe'] })).toEqual(['sre', 'swe']);
  expect(claimValues('request.auth.claims[groups]', { groups: 'sre' })).toEqual(['sre']);
  expect(claimValues('request.auth.claims[realm_access][roles]', { realm_access: { roles: ['admin'] } })).toEqual(['admin']);
  expect(claimValues('request.auth.claims[groups]', { groups: [1, 2] })).toEqual([]);
  expect(claimValues('request.auth.claims[groups]', undefined)).toEqual([]);
});
