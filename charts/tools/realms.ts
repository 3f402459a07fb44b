/**
 * The two realms Keycloak imports, rendered from the model (never configured by hand):
 * - the customers' realm (`identity.realm`): one public PKCE client per frontend, redirect URIs from
 *   its public routes, its tokens carrying the BFFs of its team as audience; one resource client per
 *   BFF (platform/identity.ts customerRealmClients);
 * - the staff realm (`identity.staffRealm`): the staff groups and one confidential client per staff
 *   tool (OAuth2 Proxy in front of the dashboards, each Temporal UI), every token carrying a `groups`
 *   claim the tools admit by. Client secrets are `${PLACEHOLDER}`s the import Job fills from a Secret
 *   synced from AWS Secrets Manager: the same entry the tool itself reads.
 */
import { internalHost, serviceKey, serviceSecretName, SRE_SECRETS, sreSecretName } from '../../platform/naming';
import { customerRealmClients, type RealmClient, STAFF_GROUPS_CLAIM, staffClientId, staffGroups } from '../../platform/identity';
import type { Environment, Platform } from '../../platform/types';
import { OAUTH2_PROXY_CLIENT_ID, oauth2ProxyHost } from '../addons/sre-tools';

/** Path of the Temporal UI's OIDC callback (temporalio/ui server `auth/sso/callback`). */
export const TEMPORAL_UI_CALLBACK_PATH = '/auth/sso/callback';
/** The Temporal UI's client-secret environment variable (the UI server reads TEMPORAL_AUTH_CLIENT_SECRET). */
export const TEMPORAL_UI_CLIENT_SECRET_ENV = 'TEMPORAL_AUTH_CLIENT_SECRET';

/** A confidential client of the staff realm and where its secret lives in AWS Secrets Manager. */
export interface StaffClient {
  readonly clientId: string;
  readonly redirectUris: readonly string[];
  readonly secret: { readonly awsName: string; readonly property: string };
  /** `${...}` placeholder of the secret in the realm import. */
  readonly placeholder: string;
  /**
   * Whether the realm requires PKCE (S256) of this client. OAuth2 Proxy sends it
   * (`code_challenge_method`); the Temporal UI only where its server has PKCE on (temporalio/ui
   * AUTHENTICATION.md: `pkceEnabled`, default false, a recent addition), so the realm accepts its
   * challenge when sent and does not require it (it is a confidential client: secret, state, nonce).
   */
  readonly requirePkce: boolean;
}

const placeholderOf = (clientId: string): string => `${clientId.toUpperCase().replace(/-/g, '_')}_CLIENT_SECRET`;

/** OAuth2 Proxy and every Temporal UI of the model, sorted by client id. Throws when a UI declares no client secret. */
export function staffClients(platform: Platform, env: Environment): StaffClient[] {
  const clients: StaffClient[] = [
    {
      clientId: OAUTH2_PROXY_CLIENT_ID,
      redirectUris: [`https://${oauth2ProxyHost(env)}/oauth2/callback`],
      secret: { awsName: sreSecretName(platform, env, 'oauth2Proxy'), property: SRE_SECRETS.oauth2Proxy.properties[0] },
      placeholder: placeholderOf(OAUTH2_PROXY_CLIENT_ID),
      requirePkce: true,
    },
  ];
  for (const team of platform.teams) {
    for (const ns of team.namespaces) {
      for (const s of ns.services.filter((x) => x.runtime === 'temporal-web')) {
        const ref = { namespace: ns.name, service: s.name };
        const secret = s.secrets.find((x) => x.name === TEMPORAL_UI_CLIENT_SECRET_ENV);
        if (!secret || secret.from !== 'secrets-manager') {
          throw new Error(`${serviceKey(ref)}: a Temporal UI needs the secret ${TEMPORAL_UI_CLIENT_SECRET_ENV} from secrets-manager (its OIDC client secret in the staff realm)`);
        }
        clients.push({
          clientId: staffClientId(s),
          redirectUris: s.exposure.internal.map((r) => `https://${internalHost(env, r.subdomain)}${TEMPORAL_UI_CALLBACK_PATH}`),
          secret: { awsName: serviceSecretName(platform, env, ref), property: secret.key },
          placeholder: placeholderOf(s.name),
          requirePkce: false,
        });
      }
    }
  }
  return clients.sort((a, b) => a.clientId.localeCompare(b.clientId));
}

const audienceMapper = (audience: string) => ({
  name: `audience-${audience}`,
  protocol: 'openid-connect',
  protocolMapper: 'oidc-audience-mapper',
  config: { 'included.client.audience': audience, 'access.token.claim': 'true', 'id.token.claim': 'false' },
});

function customerClient(c: RealmClient): Record<string, unknown> {
  if (c.kind === 'resource') {
    // Only the audience of the SPA's tokens: no flow, no secret.
    return { clientId: c.clientId, enabled: true, protocol: 'openid-connect', bearerOnly: true, publicClient: false, standardFlowEnabled: false, directAccessGrantsEnabled: false, implicitFlowEnabled: false };
  }
  return {
    clientId: c.clientId,
    enabled: true,
    protocol: 'openid-connect',
    publicClient: true,
    standardFlowEnabled: true,
    implicitFlowEnabled: false,
    directAccessGrantsEnabled: false,
    redirectUris: [...c.redirectUris],
    webOrigins: [...c.webOrigins],
    attributes: { 'pkce.code.challenge.method': 'S256', 'post.logout.redirect.uris': c.redirectUris.join('##') },
    protocolMappers: c.audiences.map(audienceMapper),
  };
}

/** RealmRepresentation of the customers' realm. */
export function customerRealm(platform: Platform, env: Environment): Record<string, unknown> {
  return {
    realm: platform.identity.realm,
    enabled: true,
    sslRequired: 'external',
    registrationAllowed: true,
    loginWithEmailAllowed: true,
    bruteForceProtected: true,
    clients: customerRealmClients(platform, env).map(customerClient),
  };
}

/** RealmRepresentation of the staff realm: its groups and the tools' clients (secrets as placeholders). */
export function staffRealm(platform: Platform, env: Environment): Record<string, unknown> {
  return {
    realm: platform.identity.staffRealm,
    enabled: true,
    sslRequired: 'external',
    registrationAllowed: false,
    bruteForceProtected: true,
    groups: staffGroups(platform).map((name) => ({ name, path: `/${name}` })),
    clients: staffClients(platform, env).map((c) => ({
      clientId: c.clientId,
      enabled: true,
      protocol: 'openid-connect',
      publicClient: false,
      clientAuthenticatorType: 'client-secret',
      secret: `\${${c.placeholder}}`,
      standardFlowEnabled: true,
      implicitFlowEnabled: false,
      directAccessGrantsEnabled: false,
      redirectUris: [...c.redirectUris],
      attributes: c.requirePkce ? { 'pkce.code.challenge.method': 'S256' } : {},
      protocolMappers: [
        audienceMapper(c.clientId),
        {
          name: STAFF_GROUPS_CLAIM,
          protocol: 'openid-connect',
          protocolMapper: 'oidc-group-membership-mapper',
          config: { 'claim.name': STAFF_GROUPS_CLAIM, 'full.path': 'false', 'id.token.claim': 'true', 'access.token.claim': 'true', 'userinfo.token.claim': 'true' },
        },
      ],
    })),
  };
}
