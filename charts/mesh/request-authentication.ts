/**
 * End-user tokens (source 002 §7.6: Keycloak + Istio, OIDC authorization code flow). A service with
 * `endUserAuth` validates the Keycloak access token in its sidecar: a request with an invalid
 * token is refused with 401 here; that a token is *required* on requests through the ingress
 * gateway is the AuthorizationPolicy's job (ServiceAllowPolicy, `requestPrincipals: ["*"]`).
 */
import { Construct } from 'constructs';
import { RequestAuthentication } from '../../imports/security.istio.io';
import { oidcIssuer, oidcJwksUri, selectorLabels } from '../../platform/naming';
import type { Environment, Platform, Service } from '../../platform/types';
import { meshConfig } from './mesh-config';

export const requestAuthenticationName = (service: Pick<Service, 'name'>): string => `${service.name}-jwt`;

export class EndUserRequestAuthentication extends Construct {
  constructor(scope: Construct, id: string, props: { readonly platform: Platform; readonly env: Environment; readonly service: Service }) {
    super(scope, id);
    const { platform, env, service } = props;
    meshConfig(
      new RequestAuthentication(this, 'resource', {
        metadata: { name: requestAuthenticationName(service) },
        spec: {
          selector: { matchLabels: selectorLabels(service) },
          // The BFF passes the token on to its upstreams, so the sidecar keeps it in the request.
          jwtRules: [{ issuer: oidcIssuer(platform, env), jwksUri: oidcJwksUri(platform, env), forwardOriginalToken: true }],
        },
      }),
    );
  }
}
