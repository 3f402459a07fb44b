/**
 * What Prometheus scrapes besides the services' own ServiceMonitors (source 003 §18-3): every
 * Istio proxy's Envoy statistics (the istio_requests_total / istio_request_duration metrics the
 * alerts, the RED dashboard and Kiali use), istiod, CoreDNS and Karpenter. Rendered in
 * monitoring-infra and selecting across namespaces, so no other team's folder changes. All are
 * PodMonitors: they depend on the components' container port names only, not on Services other
 * charts (or EKS, in kube-system) own; ServiceMonitors stay one per model service.
 *
 * Envoy's Prometheus port (15090) and CoreDNS' metrics port are not intercepted by the mesh, so
 * they are scraped over plain HTTP; application ports are scraped over mTLS by the services'
 * ServiceMonitors.
 */
import { Construct } from 'constructs';
import { PodMonitor } from '../../imports/monitoring.coreos.com';
import { ISTIO_SYSTEM_NAMESPACE, PLATFORM_IDENTITIES } from '../../platform/naming';

/** Label the sidecar injector puts on every injected Pod (sidecars and gateways). */
export const ISTIO_PROXY_POD_LABEL = 'security.istio.io/tlsMode';
/** Envoy's Prometheus endpoint on every istio-proxy container. */
export const ENVOY_METRICS = { port: 'http-envoy-prom', path: '/stats/prometheus' } as const;
const INTERVAL = '30s';

export class PlatformMonitors extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);

    new PodMonitor(this, 'envoy', {
      metadata: { name: 'istio-proxies' },
      spec: {
        namespaceSelector: { any: true },
        selector: { matchExpressions: [{ key: ISTIO_PROXY_POD_LABEL, operator: 'Exists' }] },
        podMetricsEndpoints: [{ port: ENVOY_METRICS.port, path: ENVOY_METRICS.path, interval: INTERVAL }],
      },
    });

    new PodMonitor(this, 'istiod', {
      metadata: { name: 'istiod' },
      spec: {
        jobLabel: 'app',
        namespaceSelector: { matchNames: [ISTIO_SYSTEM_NAMESPACE] },
        selector: { matchLabels: { app: 'istiod' } },
        podMetricsEndpoints: [{ port: 'http-monitoring', path: '/metrics', interval: INTERVAL }],
      },
    });

    // The EKS CoreDNS add-on's Pods (its Service lives in kube-system, which the add-ons may not write).
    new PodMonitor(this, 'coredns', {
      metadata: { name: 'coredns' },
      spec: {
        jobLabel: 'k8s-app',
        namespaceSelector: { matchNames: ['kube-system'] },
        selector: { matchLabels: { 'k8s-app': 'kube-dns' } },
        podMetricsEndpoints: [{ port: 'metrics', path: '/metrics', interval: INTERVAL }],
      },
    });

    new PodMonitor(this, 'karpenter', {
      metadata: { name: 'karpenter' },
      spec: {
        jobLabel: 'app.kubernetes.io/name',
        namespaceSelector: { matchNames: [PLATFORM_IDENTITIES.karpenter.namespace] },
        selector: { matchLabels: { 'app.kubernetes.io/name': 'karpenter' } },
        podMetricsEndpoints: [{ port: 'http-metrics', path: '/metrics', interval: INTERVAL }],
      },
    });
  }
}
