/**
 * Names the SRE tool add-ons (their Helm values) and their plain configuration objects
 * (charts/platform-config/) share: Services the charts create (fixed through fullnameOverride /
 * release names), the internal hosts of the dashboards, the IngressClass of ingress-nginx, and the
 * AWS Secrets Manager entries the ExternalSecrets read. Defined once here; candidates for
 * platform/naming.ts where the AWS layer needs them too (the secret names).
 */
import { createHash } from 'crypto';
import { INGRESS_NGINX_NAMESPACE, internalHost, PLATFORM_IDENTITIES, PROMETHEUS_IDENTITY, serviceHost, type ServiceRef, type SreSecret } from '../../platform/naming';
import type { Environment } from '../../platform/types';

/** A Service an add-on chart creates, with the port clients use. */
export type AddonService = ServiceRef & { readonly port: number };

/** Namespace of Prometheus, Alertmanager, Grafana, VictoriaMetrics and Kiali. */
export const MONITORING_NAMESPACE = PROMETHEUS_IDENTITY.namespace;

/** kube-prometheus-stack `fullnameOverride`: prefix of the Prometheus and Alertmanager objects. */
export const KPS_FULLNAME = 'monitoring';
export const PROMETHEUS_SERVICE: AddonService = { namespace: MONITORING_NAMESPACE, service: `${KPS_FULLNAME}-prometheus`, port: 9090 };
export const ALERTMANAGER_SERVICE: AddonService = { namespace: MONITORING_NAMESPACE, service: `${KPS_FULLNAME}-alertmanager`, port: 9093 };
/** The Grafana sub-chart's `fullnameOverride`. */
export const GRAFANA_SERVICE: AddonService = { namespace: MONITORING_NAMESPACE, service: 'grafana', port: 80 };
/** victoria-metrics-single `server.fullnameOverride`. */
export const VICTORIA_METRICS_SERVICE: AddonService = { namespace: MONITORING_NAMESPACE, service: 'victoria-metrics', port: 8428 };
/** kiali-server names everything after `deployment.instance_name` ("kiali"). */
export const KIALI_SERVICE: AddonService = { namespace: MONITORING_NAMESPACE, service: 'kiali', port: 20001 };
/** The oauth2-proxy chart names its Service after the release. */
export const OAUTH2_PROXY_SERVICE: AddonService = { namespace: INGRESS_NGINX_NAMESPACE, service: 'oauth2-proxy', port: 80 };

export const serviceUrl = (s: AddonService, scheme = 'http'): string => `${scheme}://${serviceHost(s)}:${s.port}`;

/** IngressClass of the ingress-nginx controller behind the internal ALB (SRE tools outside the mesh). */
export const INTERNAL_INGRESS_CLASS = 'nginx-internal';

/** Grafana's dashboard sidecar loads every ConfigMap of its namespace carrying this label. */
export const GRAFANA_DASHBOARD_LABEL = { key: 'grafana_dashboard', value: '1' } as const;

/**
 * The SRE dashboards outside the mesh, each behind ingress-nginx at `<subdomain>.<internal domain>`
 * and behind OAuth2 Proxy (source 003 §16). Their subdomains must not be model internal routes.
 */
export const SRE_DASHBOARDS: readonly { readonly subdomain: string; readonly service: AddonService }[] = [
  { subdomain: 'grafana', service: GRAFANA_SERVICE },
  { subdomain: 'prometheus', service: PROMETHEUS_SERVICE },
  { subdomain: 'alertmanager', service: ALERTMANAGER_SERVICE },
  { subdomain: 'kiali', service: KIALI_SERVICE },
];
export const dashboardHost = (env: Pick<Environment, 'domains'>, subdomain: string): string => internalHost(env, subdomain);

/** Host of OAuth2 Proxy's own endpoints (sign-in, callback): one cookie for every dashboard host. */
export const OAUTH2_PROXY_SUBDOMAIN = 'oauth2';
export const oauth2ProxyHost = (env: Pick<Environment, 'domains'>): string => internalHost(env, OAUTH2_PROXY_SUBDOMAIN);
/** OIDC client of OAuth2 Proxy in the platform realm (redirect URI: https://<oauth2 host>/oauth2/callback). */
export const OAUTH2_PROXY_CLIENT_ID = 'oauth2-proxy';

/** Kubernetes Secrets the SRE ExternalSecrets materialize (what the Helm values mount). */
export const SRE_K8S_SECRETS = {
  oauth2Proxy: 'oauth2-proxy-credentials',
  incidentWebhook: 'incident-webhook',
  grafanaAdmin: 'grafana-admin',
} as const satisfies Record<SreSecret, string>;

/** Where Alertmanager mounts `alertmanagerSpec.secrets` (the operator's convention). */
export const alertmanagerSecretPath = (secret: string, key: string): string => `/etc/alertmanager/secrets/${secret}/${key}`;

/** Namespace and ServiceAccount of Fluent Bit and the OpenTelemetry Collector (IRSA). */
export const FLUENT_BIT = PLATFORM_IDENTITIES.fluentBit;
export const OTEL_COLLECTOR_IDENTITY = PLATFORM_IDENTITIES.otelCollector;
/** ConfigMap holding the collector's pipeline (key "relay", as the chart expects of an existing ConfigMap). */
export const OTEL_COLLECTOR_CONFIGMAP = 'otel-collector-config';



/** Guaranteed QoS resources (requests = limits) of one container. */
export function guaranteed(cpu: string, memory: string) {
  return { requests: { cpu, memory }, limits: { cpu, memory } };
}

/** At least two replicas where the environment's floor asks for HA, one in a single-replica environment. */
export const haReplicas = (env: Pick<Environment, 'sizing'>, max = 3): number => Math.min(Math.max(1, env.sizing.replicaFloor), max);


/** SHA-256 of a rendered configuration (pod annotation that rolls the Pods when it changes). */
export const checksum = (content: string): string => createHash('sha256').update(content).digest('hex');
