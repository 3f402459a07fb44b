/**
 * The platform IdP (Keycloak, source 002 §7.6) as every layer sees it: its public URLs, derived from
 * the model by pure functions. Keycloak's own `hostname`, the services' RequestAuthentication, OAuth2
 * Proxy, Grafana and the Temporal UI all read the issuer from here, so a token's `iss` is always the
 * one its verifiers expect.
 *
 * Keycloak serves under `/auth` on the site's host (browsers reach it through the Istio ingress
 * gateway) and its admin console on an internal host; `hostname` is fixed (never taken from request
 * headers), so the issuer is the same whichever way a request arrives.
 */
import type { Environment, Namespace, Platform, Service } from './types';

/** Keycloak's `http-relative-path`: every public Keycloak URL starts with it. */
export const KEYCLOAK_HTTP_PATH = '/auth';
/** Keycloak's management interface (health and metrics, never routed): port and path. */
export const KEYCLOAK_MANAGEMENT_PORT = 9000;
export const KEYCLOAK_MANAGEMENT_PATH = '/';
/** Internal sub-domain of the admin console (a model internal route of the Keycloak service). */
export const KEYCLOAK_ADMIN_SUBDOMAIN = 'keycloak';

/** Keycloak's public base URL: its fixed `hostname` (Hostname v2 accepts a full URL with path). */
export const keycloakBaseUrl = (env: Pick<Environment, 'domains'>): string => `https://${env.domains.web}${KEYCLOAK_HTTP_PATH}`;
/** Base URL of the admin console (`hostname-admin`), on the internal domain. */
export const keycloakAdminUrl = (env: Pick<Environment, 'domains'>): string => `https://${KEYCLOAK_ADMIN_SUBDOMAIN}.${env.domains.internal}${KEYCLOAK_HTTP_PATH}`;

/** OIDC issuer of one realm: the `iss` of its tokens. */
export const keycloakIssuer = (env: Pick<Environment, 'domains'>, realm: string): string => `${keycloakBaseUrl(env)}/realms/${realm}`;
/** The realm's signing keys (JWKS). */
export const keycloakJwksUri = (env: Pick<Environment, 'domains'>, realm: string): string => `${keycloakIssuer(env, realm)}/protocol/openid-connect/certs`;

/**
 * Claim the staff realm's tokens list their user's group names in (the realm's group-membership
 * mapper writes it; OAuth2 Proxy's `oidc_groups_claim` and the Temporal UI's AuthorizationPolicy
 * read it).
 */
export const STAFF_GROUPS_CLAIM = 'groups';

/** The staff realm's groups: created by its realm import, admitted by OAuth2 Proxy (`allowed_groups`). */
export const staffGroups = (platform: Pick<Platform, 'identity'>): readonly string[] => [...platform.identity.staffGroups];

/** The staff group allowed to write through the Temporal UI (one of `staffGroups`, checked by validate.ts). */
export const temporalOperatorGroup = (platform: Pick<Platform, 'identity'>): string => platform.identity.temporalOperators;

/** One OIDC client of a realm, as the model derives it. */
export interface RealmClient {
  readonly clientId: string;
  /** Public clients (SPAs) use the authorization code flow with PKCE and hold no secret. */
  readonly kind: 'public-spa' | 'resource';
  /** Exact redirect URI patterns. */
  readonly redirectUris: readonly string[];
  readonly webOrigins: readonly string[];
  /** Clients whose tokens must carry this client as audience (the BFF a SPA calls). */
  readonly audiences: readonly string[];
}

const hostOf = (env: Pick<Environment, 'domains'>, host: 'web' | 'api'): string => env.domains[host];

/**
 * The customers' realm: one public PKCE client per frontend (redirect URIs: its public routes) whose
 * tokens carry the BFFs of the same team as audience, and one resource client per BFF (no flow of
 * its own: it only verifies tokens). Sorted by client id.
 */
export function customerRealmClients(platform: Pick<Platform, 'teams'>, env: Pick<Environment, 'domains'>): RealmClient[] {
  const clients: RealmClient[] = [];
  for (const team of platform.teams) {
    const services = team.namespaces.flatMap((ns: Namespace) => ns.services);
    const bffs = services.filter((s) => s.kind === 'bff');
    for (const s of services) {
      if (s.kind === 'frontend') {
        const urls = [...new Set(s.exposure.public.map((r) => `https://${hostOf(env, r.host)}${r.pathPrefix}`))].sort();
        clients.push({
          clientId: realmClientId(s),
          kind: 'public-spa',
          redirectUris: urls.map((u) => `${u}*`),
          webOrigins: [...new Set(s.exposure.public.map((r) => `https://${hostOf(env, r.host)}`))].sort(),
          audiences: bffs.map(realmClientId).sort(),
        });
      } else if (s.kind === 'bff') {
        clients.push({ clientId: realmClientId(s), kind: 'resource', redirectUris: [], webOrigins: [], audiences: [] });
      }
    }
  }
  return clients.sort((a, b) => a.clientId.localeCompare(b.clientId));
}

/** Client id of a staff tool (a Temporal UI) in the staff realm: the service name; its tokens carry it in `aud`. */
export const staffClientId = (service: Pick<Service, 'name'>): string => service.name;

/** Client id of a frontend or BFF in the customers' realm: the service name. */
export const realmClientId = (service: Pick<Service, 'name'>): string => service.name;
