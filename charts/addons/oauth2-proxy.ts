/**
 * OAuth2 Proxy (source 003 §16): SSO in front of the SRE dashboards that have none. ingress-nginx
 * asks it (`auth-url`) whether a request carries a valid session and sends browsers without one to
 * its sign-in (`auth-signin`), which runs the OIDC authorization code flow (PKCE) against the
 * staff realm in Keycloak (never the customers' realm) and admits only members of the model's staff
 * groups (`allowed_groups`, read from the `groups` claim the realm's client maps). One session
 * cookie, scoped to the internal domain, covers every dashboard host; it is Secure, HttpOnly and
 * SameSite=Lax.
 *
 * The OIDC client secret and the cookie secret come from AWS Secrets Manager through an
 * ExternalSecret (charts/platform-config); the client id is not secret and is templated in.
 */
import type { AddonSpec } from '../../apps-of-apps/addon';
import { STAFF_GROUPS_CLAIM, staffGroups } from '../../platform/identity';
import { staffIssuer } from '../../platform/naming';
import type { Environment, Platform } from '../../platform/types';
import { SYNC_WAVE } from '../sync-options';
import { restrictedContainer } from '../jobs/hardened-pod';
import { guaranteed, haReplicas, OAUTH2_PROXY_SERVICE, oauth2ProxyHost, SRE_K8S_SECRETS } from './sre-tools';

export const OAUTH2_PROXY_CHART_VERSION = '10.7.0';
export const OAUTH2_PROXY_CHART_REPO = 'https://oauth2-proxy.github.io/manifests';
export const OAUTH2_PROXY_COOKIE = '_sre_oauth2_proxy';
const RUN_AS = 2000;

/** The oauth2_proxy.cfg of one environment (TOML), keys sorted for review. */
export function oauth2ProxyConfig(platform: Platform, env: Environment): string {
  const domain = `.${env.domains.internal}`;
  const settings: Record<string, string | boolean | string[]> = {
    provider: 'keycloak-oidc',
    oidc_issuer_url: staffIssuer(platform, env),
    // Only staff: a member of one of the model's staff groups of the staff realm.
    oidc_groups_claim: STAFF_GROUPS_CLAIM,
    allowed_groups: [...staffGroups(platform)],
    redirect_url: `https://${oauth2ProxyHost(env)}/oauth2/callback`,
    code_challenge_method: 'S256',
    scope: 'openid email profile',
    // Any e-mail domain: admission is by group (allowed_groups), not by address.
    email_domains: ['*'],
    // Auth-request mode only: nginx proxies to the dashboards itself.
    upstreams: ['static://202'],
    reverse_proxy: true,
    skip_provider_button: true,
    set_xauthrequest: true,
    // X-Auth-Request-Access-Token: Grafana verifies it against the realm's keys (auth.jwt).
    pass_access_token: true,
    cookie_name: OAUTH2_PROXY_COOKIE,
    cookie_domains: [domain],
    whitelist_domains: [domain],
    cookie_secure: true,
    cookie_httponly: true,
    cookie_samesite: 'lax',
    cookie_expire: '12h',
    cookie_refresh: '1h',
  };
  const toml = (v: string | boolean | string[]): string => (Array.isArray(v) ? `[ ${v.map((x) => JSON.stringify(x)).join(', ')} ]` : typeof v === 'boolean' ? String(v) : JSON.stringify(v));
  return `${Object.keys(settings)
    .sort()
    .map((k) => `${k} = ${toml(settings[k])}`)
    .join('\n')}\n`;
}

export function oauth2ProxyAddons(platform: Platform, env: Environment): AddonSpec[] {
  return [
    {
      name: 'oauth2-proxy',
      namespace: OAUTH2_PROXY_SERVICE.namespace,
      repoURL: OAUTH2_PROXY_CHART_REPO,
      chart: 'oauth2-proxy',
      version: OAUTH2_PROXY_CHART_VERSION,
      // Release name = Service name the Ingresses' auth-url calls.
      releaseName: OAUTH2_PROXY_SERVICE.service,
      syncWave: SYNC_WAVE.platformConfig,
      values: {
        config: {
          existingSecret: SRE_K8S_SECRETS.oauth2Proxy,
          configFile: oauth2ProxyConfig(platform, env),
        },
        service: { type: 'ClusterIP', portNumber: OAUTH2_PROXY_SERVICE.port },
        ingress: { enabled: false },
        sessionStorage: { type: 'cookie' },
        redis: { enabled: false },
        replicaCount: Math.max(2, haReplicas(env)),
        podDisruptionBudget: { enabled: true, minAvailable: 1 },
        resources: guaranteed('100m', '128Mi'),
        securityContext: { enabled: true, ...restrictedContainer(RUN_AS) },
        podSecurityContext: { runAsNonRoot: true, runAsUser: RUN_AS, runAsGroup: RUN_AS, seccompProfile: { type: 'RuntimeDefault' } },
        // `serviceMonitor` (templates/servicemonitor.yaml reads .Values.metrics.serviceMonitor.enabled; the
        // lower-case `servicemonitor` of old chart lines is ignored: verify/upstream/charts.ts CHART_VALUES).
        metrics: { enabled: true, serviceMonitor: { enabled: true } },
      },
    },
  ];
}
