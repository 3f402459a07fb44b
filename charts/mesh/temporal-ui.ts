/**
 * The Temporal UI's mesh policy: every staff member reads, only the model's operator group writes
 * (issue 9, "write actions limited to the staff group").
 *
 * How the UI carries the user (temporalio/ui, server/server/auth/auth.go `SetUser`,
 * server/server/api/handler.go `TemporalAPIHandler`, server/server/route/api.go `SetAPIRoutes`):
 * after its own OIDC sign-in against the staff realm the UI server hands the browser the access
 * token in its `user*` cookies, and the browser sends it as `Authorization: Bearer` on every call
 * to `/api/v1/*` (the UI server refuses one without it, `ValidateAuthHeaderExists`, and forwards it
 * to the frontend). Every API method is routed as GET/POST/PUT/PATCH/DELETE; the sign-in routes
 * (`/auth/sso`, `/auth/sso/callback`, `/auth/refresh`) and the SPA are GET; `/api/v1/settings` is
 * read before sign-in, without a token.
 *
 * So the UI Pod's sidecar (the UI is in the mesh) can decide per user:
 * - `RequestAuthentication <ui>-staff-jwt`: tokens of the staff realm only, for the UI's own client
 *   (`audiences`: its client id, which the realm's audience mapper puts in `aud`), keys fetched
 *   in-cluster; a token of any other issuer (a shopper's) is refused with 401; the token is kept
 *   for the UI server (`forwardOriginalToken`);
 * - in `<ui>-allow` (from the ingress gateway only, on the UI's hosts and port):
 *   rule "pages": GET/HEAD outside `/api/`, and `GET /api/v1/settings`, without a token (the UI
 *   redirects to the sign-in itself);
 *   rule "reads": GET/HEAD on `/api/*` with a staff token whose `groups` claim names a staff group;
 *   rule "writes": POST/PUT/PATCH/DELETE on `/api/v1/*` with a staff token whose `groups` claim
 *   names the operator group (`identity.temporalOperators`). Anything else (another method or path)
 *   matches no rule: 403.
 * grpc-gateway's `X-HTTP-Method-Override` turns only a POST into another method
 * (temporalio/ui server/server/api/handler_method_override_test.go), and every POST is an
 * operator's already, so the method the sidecar sees is the one that decides.
 *
 * Costs, said plainly: reads the UI sends as POST (a workflow query) are operators' too; the UI
 * still shows its write buttons to everyone (TEMPORAL_DISABLE_WRITE_ACTIONS is one switch for all
 * users, route.go `DisableWriteMiddleware`), a non-operator's click gets 403 from the sidecar; the
 * rule guards the UI only, not the frontend on 7233 (see README: the server authorizer alternative).
 */
import { Construct } from 'constructs';
import { RequestAuthentication, type AuthorizationPolicySpecRules } from '../../imports/security.istio.io';
import { STAFF_GROUPS_CLAIM, staffClientId, staffGroups, temporalOperatorGroup } from '../../platform/identity';
import { internalHost, keycloakRealmPath, publicHost, selectorLabels, staffIssuer } from '../../platform/naming';
import type { Environment, Platform, Service } from '../../platform/types';
import { gatewayPrincipal, INGRESS_GATEWAY } from './gateway-identities';
import { meshConfig } from './mesh-config';
import { identityJwksUri } from './request-authentication';
import { isExposed, meshServices, principalOf, routedPort } from './topology';

/** Methods that only read (every Temporal UI page and API read). */
export const TEMPORAL_UI_READ_METHODS = ['GET', 'HEAD'] as const;
/** Methods the UI server routes to the Temporal API besides GET (route/api.go): writes. */
export const TEMPORAL_UI_WRITE_METHODS = ['DELETE', 'PATCH', 'POST', 'PUT'] as const;
/** The UI server's API prefix (route/api.go `e.Group("/api/v1")`) and the one API read before sign-in. */
export const TEMPORAL_UI_API_PREFIX = '/api/';
export const TEMPORAL_UI_WRITE_PATHS = ['/api/v1/*'] as const;
export const TEMPORAL_UI_SETTINGS_PATH = '/api/v1/settings';

/** The Istio condition key of the staff token's groups claim. */
export const groupsClaimKey = (): string => `request.auth.claims[${STAFF_GROUPS_CLAIM}]`;

/** Whether a service is a Temporal UI the ingress gateway routes to: its sidecar verifies staff tokens. */
export const verifiesStaffTokens = (service: Pick<Service, 'runtime' | 'exposure'>): boolean => service.runtime === 'temporal-web' && isExposed(service);

export const staffRequestAuthenticationName = (service: Pick<Service, 'name'>): string => `${service.name}-staff-jwt`;

/** The gateway's rules of a Temporal UI (in place of the generic ingress rule): pages, reads by staff, writes by operators. */
export function temporalUiIngressRules(platform: Pick<Platform, 'identity'>, env: Pick<Environment, 'domains'>, service: Service): AuthorizationPolicySpecRules[] {
  const hosts = [...service.exposure.public.map((r) => publicHost(env, r.host)), ...service.exposure.internal.map((r) => internalHost(env, r.subdomain))];
  const ports = [String(routedPort(service).port)];
  const gateway = [gatewayPrincipal(INGRESS_GATEWAY)];
  const staff = { principals: gateway, requestPrincipals: [`${staffIssuer(platform, env)}/*`] };
  const read = [...TEMPORAL_UI_READ_METHODS];
  return [
    {
      from: [{ source: { principals: gateway } }],
      to: [{ operation: { hosts, ports, methods: read, notPaths: [`${TEMPORAL_UI_API_PREFIX}*`] } }, { operation: { hosts, ports, methods: read, paths: [TEMPORAL_UI_SETTINGS_PATH] } }],
    },
    {
      from: [{ source: staff }],
      to: [{ operation: { hosts, ports, methods: read, paths: [`${TEMPORAL_UI_API_PREFIX}*`] } }],
      when: [{ key: groupsClaimKey(), values: [...staffGroups(platform)] }],
    },
    {
      from: [{ source: staff }],
      to: [{ operation: { hosts, ports, methods: [...TEMPORAL_UI_WRITE_METHODS], paths: [...TEMPORAL_UI_WRITE_PATHS] } }],
      when: [{ key: groupsClaimKey(), values: [temporalOperatorGroup(platform)] }],
    },
  ];
}

/** Keycloak paths of a realm a confidential client's server side calls: discovery, keys, user info (GET) and the token endpoint (POST). */
export const backChannelPaths = (realm: string): { readonly get: readonly string[]; readonly post: readonly string[] } => ({
  get: [`${keycloakRealmPath(realm)}/.well-known/openid-configuration`, `${keycloakRealmPath(realm)}/protocol/openid-connect/certs`, `${keycloakRealmPath(realm)}/protocol/openid-connect/userinfo`],
  post: [`${keycloakRealmPath(realm)}/protocol/openid-connect/token`],
});

/**
 * On the IdP: the Temporal UIs' server side talks to the staff realm in-cluster (discovery at start,
 * the code exchange and refresh, the keys its sidecar and the UI server verify with). Keycloak's
 * `hostname-backchannel-dynamic` makes the discovery document name these endpoints on the host they
 * were asked on (the Keycloak Service), while the issuer and the browser's authorization endpoint
 * stay the public, fixed ones. None when the model has no Temporal UI.
 */
export function staffBackChannelRules(platform: Pick<Platform, 'identity' | 'teams'>, idpPort: number): AuthorizationPolicySpecRules[] {
  const tools = [...new Set(meshServices(platform).filter((m) => m.namespace.mesh && verifiesStaffTokens(m.service)).map(principalOf))].sort();
  if (tools.length === 0) return [];
  const paths = backChannelPaths(platform.identity.staffRealm);
  const ports = [String(idpPort)];
  return [
    {
      from: [{ source: { principals: tools } }],
      to: [{ operation: { ports, methods: ['GET'], paths: [...paths.get] } }, { operation: { ports, methods: ['POST'], paths: [...paths.post] } }],
    },
  ];
}

/** `<ui>-staff-jwt`: the UI's sidecar accepts tokens of the staff realm issued for the UI's client. */
export class StaffRequestAuthentication extends Construct {
  constructor(scope: Construct, id: string, props: { readonly platform: Platform; readonly env: Environment; readonly service: Service }) {
    super(scope, id);
    const { platform, env, service } = props;
    meshConfig(
      new RequestAuthentication(this, 'resource', {
        metadata: { name: staffRequestAuthenticationName(service) },
        spec: {
          selector: { matchLabels: selectorLabels(service) },
          // The UI server reads the token again and forwards it to the Temporal frontend.
          jwtRules: [{ issuer: staffIssuer(platform, env), jwksUri: identityJwksUri(platform, platform.identity.staffRealm), audiences: [staffClientId(service)], forwardOriginalToken: true }],
        },
      }),
    );
  }
}
