/**
 * Ingresses of the SRE tools behind ingress-nginx (source 003 §16): one per dashboard host, each
 * gated by OAuth2 Proxy (nginx `auth_request`), and OAuth2 Proxy's own host for sign-in and the
 * OIDC callback. No TLS section: TLS ends at the internal ALB, which forwards plain HTTP to the
 * controller's NodePort.
 */
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { serviceHost } from '../../platform/naming';
import type { Environment } from '../../platform/types';
import { type AddonService, dashboardHost, INTERNAL_INGRESS_CLASS, OAUTH2_PROXY_SERVICE, oauth2ProxyHost, SRE_DASHBOARDS } from '../addons/sre-tools';

/** nginx annotations that put OAuth2 Proxy in front of a host. */
export function oauth2ProxyAnnotations(env: Pick<Environment, 'domains'>): Record<string, string> {
  return {
    // nginx asks OAuth2 Proxy in-cluster (202 = signed in, 401 = not).
    'nginx.ingress.kubernetes.io/auth-url': `http://${serviceHost(OAUTH2_PROXY_SERVICE)}:${OAUTH2_PROXY_SERVICE.port}/oauth2/auth`,
    // Browsers without a session sign in on the proxy's host and come back to where they were.
    'nginx.ingress.kubernetes.io/auth-signin': `https://${oauth2ProxyHost(env)}/oauth2/start?rd=https://$host$escaped_request_uri`,
    // Who signed in, for the tools that use it (Grafana verifies the access token itself).
    'nginx.ingress.kubernetes.io/auth-response-headers': 'X-Auth-Request-User,X-Auth-Request-Email,X-Auth-Request-Access-Token',
  };
}

function ingress(scope: Construct, name: string, host: string, backend: AddonService, path: string, annotations?: Record<string, string>): void {
  new kplus.k8s.KubeIngress(scope, name, {
    metadata: { name, annotations },
    spec: {
      ingressClassName: INTERNAL_INGRESS_CLASS,
      rules: [{ host, http: { paths: [{ path, pathType: 'Prefix', backend: { service: { name: backend.service, port: { number: backend.port } } } }] } }],
    },
  });
}

/** One Ingress per SRE dashboard (their namespace: monitoring-infra), each behind OAuth2 Proxy. */
export class DashboardIngresses extends Construct {
  constructor(scope: Construct, id: string, props: { readonly env: Environment }) {
    super(scope, id);
    for (const dashboard of SRE_DASHBOARDS) {
      ingress(this, dashboard.subdomain, dashboardHost(props.env, dashboard.subdomain), dashboard.service, '/', oauth2ProxyAnnotations(props.env));
    }
  }
}

/** OAuth2 Proxy's own host: sign-in, callback and sign-out (its namespace: ingress-infra). */
export class OAuth2ProxyIngress extends Construct {
  constructor(scope: Construct, id: string, props: { readonly env: Environment }) {
    super(scope, id);
    ingress(this, OAUTH2_PROXY_SERVICE.service, oauth2ProxyHost(props.env), OAUTH2_PROXY_SERVICE, '/oauth2');
  }
}
