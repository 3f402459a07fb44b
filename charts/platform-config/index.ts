/**
 * The plain configuration objects of the SRE tools, rendered into the sre team's namespaces
 * beside the add-ons (upstream charts) that read them:
 *
 * - monitoring-infra: generated Grafana dashboards, the Ingresses of Grafana, Prometheus,
 *   Alertmanager and Kiali (behind OAuth2 Proxy), the incident webhook and Grafana admin
 *   ExternalSecrets, and the monitors of the mesh and platform components;
 * - ingress-infra: OAuth2 Proxy's credentials (ExternalSecret) and its sign-in host;
 * - tracing-infra: the OpenTelemetry Collector's pipeline.
 *
 * Every other namespace gets nothing from here.
 */
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { INGRESS_NGINX_NAMESPACE, SRE_TEAM } from '../../platform/naming';
import type { Environment, Namespace, Platform } from '../../platform/types';
import { otelCollectorRelay } from '../addons/otel-collector';
import { MONITORING_NAMESPACE, OTEL_COLLECTOR_CONFIGMAP, OTEL_COLLECTOR_IDENTITY, SRE_DASHBOARDS } from '../addons/sre-tools';
import { DashboardNetworkPolicy } from '../network-policy/dashboard-network-policy';
import { GrafanaDashboards } from './dashboards';
import { DashboardIngresses, OAuth2ProxyIngress } from './ingresses';
import { PlatformMonitors } from './platform-monitors';
import { SreSecrets } from './sre-secrets';

export interface PlatformNamespaceConfigProps {
  readonly platform: Platform;
  readonly env: Environment;
  readonly namespace: Namespace;
}

export class PlatformNamespaceConfig extends Construct {
  constructor(scope: Construct, id: string, props: PlatformNamespaceConfigProps) {
    super(scope, id);
    const { platform, env, namespace } = props;
    const sre = platform.teams.find((t) => t.name === SRE_TEAM);
    if (!sre?.namespaces.some((n) => n.name === namespace.name)) return;

    switch (namespace.name) {
      case MONITORING_NAMESPACE:
        new GrafanaDashboards(this, 'dashboards', { platform });
        new DashboardIngresses(this, 'ingresses', { env });
        // Only their own namespace and the ingress controller reach the dashboards (no mesh policy guards them).
        new DashboardNetworkPolicy(this, 'dashboards-ingress', { dashboards: SRE_DASHBOARDS.map((d) => d.subdomain), ingressNamespace: INGRESS_NGINX_NAMESPACE });
        new PlatformMonitors(this, 'monitors');
        new SreSecrets(this, 'secrets', { platform, env, namespace: namespace.name });
        break;
      case INGRESS_NGINX_NAMESPACE:
        new OAuth2ProxyIngress(this, 'oauth2-proxy', { env });
        new SreSecrets(this, 'secrets', { platform, env, namespace: namespace.name });
        break;
      case OTEL_COLLECTOR_IDENTITY.namespace:
        new kplus.k8s.KubeConfigMap(this, 'otel-collector', { metadata: { name: OTEL_COLLECTOR_CONFIGMAP }, data: { relay: otelCollectorRelay(env) } });
        break;
    }
  }
}
