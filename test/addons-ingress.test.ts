/**
 * The way in to the SRE tools outside the mesh (source 003 §16): internal ALB -> ingress-nginx's
 * fixed NodePort -> one Ingress per dashboard host, each behind OAuth2 Proxy signing in against
 * the platform's Keycloak realm.
 */
import { secretNamePrefix } from '../platform/aws-names';
import { internalHost, oidcIssuer, serviceHost, staffIssuer, SYSTEM_NODE_LABELS } from '../platform/naming';
import { examplePlatform, type Loose } from './support/example';
import { objectAt, objectsWhere } from './support/rendered';

const platform = () => examplePlatform();
const envs = () => platform().environments;
const addon = (env: string, name: string): Loose => objectAt(`${env}/argocd/children/sre/application-addon-${name}.yaml`);
const values = (env: string, name: string): Loose => addon(env, name).spec.source.helm.valuesObject;
const DASHBOARDS = ['grafana', 'prometheus', 'alertmanager', 'kiali'];
const ingress = (env: string, name: string): Loose => objectAt(`${env}/namespaces/monitoring-infra/ingress-${name}.yaml`);
/** The Service (namespace/name:port) an add-on creates for a dashboard, read from its Application. */
function dashboardBackend(env: string, dashboard: string): string {
  const kps = addon(env, 'kube-prometheus-stack');
  const ns = kps.spec.destination.namespace;
  const v = kps.spec.source.helm.valuesObject;
  switch (dashboard) {
    case 'grafana':
      return `${ns}/${v.grafana.fullnameOverride}:${v.grafana.service.port}`;
    case 'prometheus':
      return `${ns}/${v.fullnameOverride}-prometheus:9090`;
    case 'alertmanager':
      return `${ns}/${v.fullnameOverride}-alertmanager:9093`;
    default: {
      const kiali = addon(env, 'kiali');
      return `${kiali.spec.destination.namespace}/${kiali.spec.source.helm.releaseName}:${kiali.spec.source.helm.valuesObject.server.port}`;
    }
  }
}

describe('ingress-nginx', () => {
  test('its NodePort Service listens on the model’s ingress-nginx NodePort, plain HTTP only (TLS ends at the ALB)', () => {
    for (const env of envs()) {
      const service = values(env.name, 'ingress-nginx').controller.service;
      expect(service).toMatchObject({ type: 'NodePort', enableHttp: true, enableHttps: false, nodePorts: { http: platform().nodePorts.ingressNginxHttp } });
      expect(Object.keys(service.nodePorts)).toEqual(['http']);
    }
  });

  test('serves only the nginx-internal IngressClass (never the default class), from the managed node group', () => {
    const { controller } = values('prd', 'ingress-nginx');
    expect(controller.ingressClassResource).toMatchObject({ name: 'nginx-internal', enabled: true, default: false });
    expect(controller.watchIngressWithoutClass).toBe(false);
    expect(controller.allowSnippetAnnotations).toBe(false);
    expect(controller.nodeSelector).toEqual(SYSTEM_NODE_LABELS);
    expect(controller.replicaCount).toBeGreaterThanOrEqual(2);
    for (const { obj } of objectsWhere((o, p) => p.startsWith('prd/') && o.kind === 'Ingress')) expect(obj.spec.ingressClassName).toBe(controller.ingressClassResource.name);
  });

  test('trusts forwarded headers from the VPC only (the internal ALB)', () => {
    for (const env of envs()) expect(values(env.name, 'ingress-nginx').controller.config).toMatchObject({ 'use-forwarded-headers': 'true', 'proxy-real-ip-cidr': env.vpcCidr });
  });
});

describe('dashboard Ingresses', () => {
  test('every SRE dashboard has an Ingress on its internal host, backed by the Service its add-on creates', () => {
    for (const env of envs()) {
      for (const dashboard of DASHBOARDS) {
        const obj = ingress(env.name, dashboard);
        expect(obj.spec.rules).toHaveLength(1);
        const [rule] = obj.spec.rules;
        expect(rule.host).toBe(internalHost(env, dashboard));
        const { service } = rule.http.paths[0].backend;
        expect(`${obj.metadata.namespace}/${service.name}:${service.port.number}`).toBe(dashboardBackend(env.name, dashboard));
        expect(obj.spec.tls).toBeUndefined();
      }
    }
  });

  test('every dashboard Ingress points at OAuth2 Proxy: nginx asks it before proxying and sends browsers to its sign-in host', () => {
    for (const env of envs()) {
      const proxy = addon(env.name, 'oauth2-proxy');
      const authUrl = `http://${serviceHost({ namespace: proxy.spec.destination.namespace, service: proxy.spec.source.helm.releaseName })}:${proxy.spec.source.helm.valuesObject.service.portNumber}/oauth2/auth`;
      for (const dashboard of DASHBOARDS) {
        const a = ingress(env.name, dashboard).metadata.annotations;
        expect(a['nginx.ingress.kubernetes.io/auth-url']).toBe(authUrl);
        expect(a['nginx.ingress.kubernetes.io/auth-signin']).toBe(`https://${internalHost(env, 'oauth2')}/oauth2/start?rd=https://$host$escaped_request_uri`);
      }
      const signIn = objectAt(`${env.name}/namespaces/ingress-infra/ingress-oauth2-proxy.yaml`);
      expect(signIn.spec.rules[0].host).toBe(internalHost(env, 'oauth2'));
      expect(signIn.spec.rules[0].http.paths[0]).toMatchObject({ path: '/oauth2', backend: { service: { name: proxy.spec.source.helm.releaseName } } });
    }
  });

  test('no dashboard host is a model service’s internal route (those go to the Istio gateway)', () => {
    const routed = platform().teams.flatMap((t) => t.namespaces.flatMap((n) => n.services.flatMap((s) => s.exposure.internal.map((r) => r.subdomain))));
    for (const subdomain of [...DASHBOARDS, 'oauth2']) expect(routed).not.toContain(subdomain);
  });
});

describe('OAuth2 Proxy', () => {
  test('signs in against the staff realm’s issuer with PKCE and a Secure cookie scoped to the internal domain, admitting only the staff groups', () => {
    for (const env of envs()) {
      const cfg = values(env.name, 'oauth2-proxy').config.configFile as string;
      const setting = (key: string) => new RegExp(`^${key} = (.*)$`, 'm').exec(cfg)?.[1];
      expect(setting('oidc_issuer_url')).toBe(JSON.stringify(staffIssuer(platform(), env)));
      expect(setting('oidc_issuer_url')).not.toBe(JSON.stringify(oidcIssuer(platform(), env)));
      expect(setting('allowed_groups')).toBe(`[ ${platform().identity.staffGroups.map((g) => JSON.stringify(g)).join(', ')} ]`);
      expect(setting('oidc_groups_claim')).toBe('"groups"');
      expect(setting('redirect_url')).toBe(JSON.stringify(`https://${internalHost(env, 'oauth2')}/oauth2/callback`));
      expect(setting('cookie_secure')).toBe('true');
      expect(setting('cookie_httponly')).toBe('true');
      expect(setting('cookie_domains')).toBe(`[ ".${env.domains.internal}" ]`);
      expect(setting('whitelist_domains')).toBe(`[ ".${env.domains.internal}" ]`);
      expect(setting('code_challenge_method')).toBe('"S256"');
    }
  });

  test('its client and cookie secrets come from an ExternalSecret with every key the chart reads, under the environment’s secret prefix', () => {
    for (const env of envs()) {
      const secret = values(env.name, 'oauth2-proxy').config.existingSecret;
      const es = objectAt(`${env.name}/namespaces/ingress-infra/externalsecret-${secret}.yaml`);
      const keys = [...es.spec.data.map((d: Loose) => d.secretKey), ...Object.keys(es.spec.target.template?.data ?? {})];
      expect(keys.sort()).toEqual(['client-id', 'client-secret', 'cookie-secret']);
      for (const d of es.spec.data) expect(d.remoteRef.key).toBe(`${secretNamePrefix(platform(), env)}sre/oauth2-proxy`);
    }
  });
});

describe('SRE secrets', () => {
  test('every SRE ExternalSecret reads through its namespace’s store a secret under the environment’s SRE prefix (what that namespace’s reader role may read)', () => {
    const sre = platform().teams.find((t) => t.name === 'sre')!.namespaces.map((n) => n.name);
    for (const env of envs()) {
      const found = objectsWhere((o, p) => p.startsWith(`${env.name}/`) && o.kind === 'ExternalSecret' && sre.includes(o.metadata.namespace));
      // The contract broker's, where it runs (test/gates-broker.test.ts): its users under the SRE prefix, its database under its namespace's.
      const broker = env.name === platform().contractBroker?.environment ? ['contract-infra/contract-broker-client', 'contract-infra/contract-broker-reader', 'contract-infra/pact-broker-database'] : [];
      expect(found.map(({ obj }) => `${obj.metadata.namespace}/${obj.metadata.name}`).sort()).toEqual([...broker, 'ingress-infra/oauth2-proxy-credentials', 'monitoring-infra/grafana-admin', 'monitoring-infra/incident-webhook']);
      for (const { obj } of found) {
        expect(obj.spec.secretStoreRef).toEqual({ kind: 'SecretStore', name: 'aws-secrets-manager' });
        const prefix = obj.metadata.name === 'pact-broker-database' ? `${secretNamePrefix(platform(), env)}contract-infra/` : `${secretNamePrefix(platform(), env)}sre/`;
        for (const d of obj.spec.data) expect(d.remoteRef.key.startsWith(prefix)).toBe(true);
      }
    }
  });
});
