/**
 * End-user tokens (source 002 §7.6: Keycloak + Istio, OIDC authorization code flow; seed 000:
 * each microservice verifies the access token with the IdP). Every token-consuming workload (the
 * services with `endUserAuth`, and the services those call, which receive the forwarded token)
 * validates the Keycloak access token in its own sidecar: a request with an invalid token, or one
 * of another issuer, is refused with 401 here; that a token is *required* is the
 * AuthorizationPolicy's job (`requestPrincipals` of the issuer).
 *
 * The issuer is `keycloakIssuer` (platform/naming.ts), the URL Keycloak's hostname is fixed to.
 * The JWKS is fetched in-cluster from the Keycloak Service by the workload's own sidecar (istiod
 * runs with PILOT_JWT_ENABLE_REMOTE_JWKS=envoy, charts/addons/istio.ts), over mesh mTLS: no
 * hairpin through the public ALB and WAF.
 */
import { Construct } from 'constructs';
import { RequestAuthentication } from '../../imports/security.istio.io';
import { keycloakRealmPath, oidcInClusterJwksUri, oidcIssuer, parseServiceKey, selectorLabels, serviceHost } from '../../platform/naming';
import type { Environment, Platform, Service } from '../../platform/types';
import { meshConfig } from './mesh-config';
import { firstHttpPort, meshServices } from './topology';

export const requestAuthenticationName = (service: Pick<Service, 'name'>): string => `${service.name}-jwt`;

/** The platform IdP's port in-cluster callers use (its Service's first HTTP port). */
export function identityPort(platform: Pick<Platform, 'identity' | 'teams'>): number {
  const ref = parseServiceKey(platform.identity.service);
  const idp = meshServices(platform).find((m) => m.ref.namespace === ref.namespace && m.ref.service === ref.service);
  if (!idp) throw new Error(`identity.service ${platform.identity.service} is not a declared service`);
  return firstHttpPort(idp.service).port;
}

/** The in-cluster JWKS URL of one realm of the platform IdP (its Service, first HTTP port). @default realm the customers' realm */
export function identityJwksUri(platform: Pick<Platform, 'identity' | 'teams'>, realm: string = platform.identity.realm): string {
  return oidcInClusterJwksUri(platform, identityPort(platform), realm);
}

/** The in-cluster base URL of one realm (OIDC discovery and the back channel of a tool inside the mesh). */
export function identityRealmUrl(platform: Pick<Platform, 'identity' | 'teams'>, realm: string): string {
  return `http://${serviceHost(parseServiceKey(platform.identity.service))}:${identityPort(platform)}${keycloakRealmPath(realm)}`;
}

export class EndUserRequestAuthentication extends Construct {
  constructor(scope: Construct, id: string, props: { readonly platform: Platform; readonly env: Environment; readonly service: Service }) {
    super(scope, id);
    const { platform, env, service } = props;
    meshConfig(
      new RequestAuthentication(this, 'resource', {
        metadata: { name: requestAuthenticationName(service) },
        spec: {
          selector: { matchLabels: selectorLabels(service) },
          // Kept in the request: a BFF passes it on to its upstreams, which verify it again.
          jwtRules: [{ issuer: oidcIssuer(platform, env), jwksUri: identityJwksUri(platform), forwardOriginalToken: true }],
        },
      }),
    );
  }
}
