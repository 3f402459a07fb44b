/**
 * Kiali (source 003 §18-3): the mesh map, from Prometheus' Istio metrics, outside the mesh in
 * monitoring-infra. It has no SSO of its own, so it sits behind OAuth2 Proxy with the anonymous
 * strategy and in view-only mode: whoever passes the proxy sees the mesh, nobody changes it here.
 * Its configuration is the chart's `kiali` ConfigMap, rendered from these values.
 */
import { createHash } from 'crypto';
import type { AddonSpec } from '../../apps-of-apps/addon';
import { ISTIO_SYSTEM_NAMESPACE } from '../../platform/naming';
import type { Environment, Platform } from '../../platform/types';
import { SYNC_WAVE } from '../sync-options';
import { dashboardHost, GRAFANA_SERVICE, guaranteed, KIALI_SERVICE, PROMETHEUS_SERVICE, serviceUrl } from './sre-tools';

/** kiali-server chart: Kiali 2.26, the version Istio 1.30 ships as its addon. */
export const KIALI_CHART_VERSION = '2.26.0';
export const KIALI_CHART_REPO = 'https://kiali.org/helm-charts';

export function kialiAddons(platform: Platform, env: Environment): AddonSpec[] {
  return [
    {
      name: 'kiali',
      namespace: KIALI_SERVICE.namespace,
      repoURL: KIALI_CHART_REPO,
      chart: 'kiali-server',
      version: KIALI_CHART_VERSION,
      releaseName: KIALI_SERVICE.service,
      syncWave: SYNC_WAVE.platformConfig,
      values: {
        istio_namespace: ISTIO_SYSTEM_NAMESPACE,
        auth: { strategy: 'anonymous' },
        // The chart generates a random key when none is given, which would change the ConfigMap on
        // every render. The anonymous strategy signs no login tokens, so a fixed, derived one is harmless.
        login_token: { signing_key: createHash('sha256').update(`kiali/${platform.name}/${env.name}`).digest('hex').slice(0, 32) },
        deployment: {
          instance_name: KIALI_SERVICE.service,
          view_only_mode: true,
          replicas: 1,
          image_pull_policy: 'IfNotPresent',
          resources: guaranteed('200m', '512Mi'),
          ingress: { enabled: false },
          logger: { log_format: 'json' },
        },
        server: { port: KIALI_SERVICE.port, web_root: '/', web_fqdn: dashboardHost(env, 'kiali'), web_port: '443', web_schema: 'https' },
        external_services: {
          prometheus: { url: serviceUrl(PROMETHEUS_SERVICE) },
          grafana: { enabled: true, internal_url: serviceUrl(GRAFANA_SERVICE), external_url: `https://${dashboardHost(env, 'grafana')}` },
          // Spans go to X-Ray, which Kiali cannot read.
          tracing: { enabled: false },
          istio: { root_namespace: ISTIO_SYSTEM_NAMESPACE },
          custom_dashboards: { enabled: true },
        },
      },
    },
  ];
}
