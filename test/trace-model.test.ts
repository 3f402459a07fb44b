/**
 * The model fields the request paths need (issue 8): their validation, and the pure functions both
 * layers read (edge timeouts for the mesh and the BFF's Nginx; the Keycloak issuer for the mesh and
 * the IdP's clients).
 */
import { keycloakIssuer, oidcIssuer } from '../platform/naming';
import { edgeTraffic, LONG_POLL_TIMEOUT_SECONDS } from '../platform/traffic';
import { parsePlatform } from '../platform/validate';
import { examplePlatform, mutated, serviceOf } from './support/example';
import { objectAt } from './support/rendered';

describe('request path model', () => {
  test('a BFF upstream that declares no gRPC service is rejected, naming the BFF dependency', () => {
    expect(() => parsePlatform(mutated((i) => (serviceOf(i, 'order-service/order-service').ports[0].grpcServices = [])))).toThrow(
      /teams\[pc\]\.namespaces\[pc-bff\]\.services\[pc-bff\]\.dependencies\[0\]: BFF upstream "order-service\/order-service" declares no grpcServices on its port "grpc"/,
    );
  });

  test('gRPC services on an HTTP port, an unknown metrics port and a peer port in the Istio sidecar range are rejected', () => {
    expect(() =>
      parsePlatform(
        mutated((i) => {
          const kc = serviceOf(i, 'auth-service/keycloak');
          kc.ports[0].grpcServices = ['shop.auth.v1.AuthService'];
          kc.metrics = { port: 'nope' };
          kc.peerPorts = [15001];
        }),
      ),
    ).toThrow(/ports\[0\]\.grpcServices: port "http" is http; only gRPC ports serve gRPC services[\s\S]*metrics\.port: port "nope" is not one of the service's ports[\s\S]*peerPorts\[0\]: peer port 15001 clashes with the Istio sidecar's reserved range/);
  });

  test('edge resilience: unary takes the target defaults or its overrides, long poll a long timeout without retries, streaming no timeout', () => {
    const target = { traffic: { timeoutSeconds: 5, retryAttempts: 2, perTryTimeoutSeconds: 2 } } as never;
    expect(edgeTraffic({ call: 'unary' }, target)).toEqual({ timeoutSeconds: 5, retryAttempts: 2, perTryTimeoutSeconds: 2 });
    expect(edgeTraffic({ call: 'unary', timeoutSeconds: 9 }, target)).toEqual({ timeoutSeconds: 9, retryAttempts: 2, perTryTimeoutSeconds: 2 });
    expect(edgeTraffic({ call: 'longPoll' }, target)).toEqual({ timeoutSeconds: LONG_POLL_TIMEOUT_SECONDS, retryAttempts: 0, perTryTimeoutSeconds: LONG_POLL_TIMEOUT_SECONDS });
    expect(edgeTraffic({ call: 'streaming' }, target)).toEqual({ timeoutSeconds: 0, retryAttempts: 0, perTryTimeoutSeconds: 0 });
  });

  test('the BFF Nginx reads the same edge timeout as the mesh route', () => {
    const conf = objectAt('dev/namespaces/pc-bff/configmap-pc-bff-nginx.yaml').data['nginx.conf'];
    expect(conf).toMatch(/location \/shop\.order\.v1\.OrderService\/ \{\n\s+grpc_pass grpc:\/\/order-service;\n\s+grpc_read_timeout 5s;/);
    // The default route of the port (dev may put a fault route of a caller first).
    expect(objectAt('dev/namespaces/order-service/virtualservice-order-service.yaml').spec.http.find((r: { name: string }) => r.name === 'grpc').timeout).toBe('5s');
  });

  test('the mesh, OAuth2 Proxy and Keycloak clients read one issuer function', () => {
    const platform = examplePlatform();
    for (const env of platform.environments) {
      expect(oidcIssuer(platform, env)).toBe(keycloakIssuer(env, platform.identity.realm));
      expect(objectAt(`${env.name}/namespaces/order-service/requestauthentication-order-service-jwt.yaml`).spec.jwtRules[0].issuer).toBe(keycloakIssuer(env, platform.identity.realm));
    }
  });
});
