import { Construct } from 'constructs';
import { PrometheusRule, PrometheusRuleSpecGroupsRulesExpr, ServiceMonitor, ServiceMonitorSpecEndpointsScheme } from '../../imports/monitoring.coreos.com';
import { PROMETHEUS_ISTIO_CERTS, selectorLabels } from '../../platform/naming';
import type { Environment, Namespace, Service, Team } from '../../platform/types';

export interface ServiceMonitoringProps {
  readonly env: Environment;
  readonly team: Team;
  readonly namespace: Namespace;
  readonly service: Service;
  /**
   * Scrape interval.
   * @default "30s"
   */
  readonly interval?: string;
  /**
   * Error ratio (5xx / all) above which the availability alert fires.
   * @default 0.05
   */
  readonly errorRatio?: number;
}

/** The port Prometheus scrapes: the declared metrics port, else the first HTTP port. */
export function metricsPort(service: Service): Service['ports'][number] | undefined {
  return service.ports.find((p) => p.name === 'http-metrics') ?? service.ports.find((p) => p.protocol === 'http');
}

/**
 * Monitoring of one service (source 003 §18-19): a ServiceMonitor on its metrics port (over Istio
 * mutual TLS when the service is in the mesh) and a PrometheusRule with availability and latency
 * alerts computed from the mesh's own request metrics, labelled with the owning team for routing.
 */
export class ServiceMonitoring extends Construct {
  constructor(scope: Construct, id: string, props: ServiceMonitoringProps) {
    super(scope, id);
    const { env, team, namespace, service } = props;
    const port = metricsPort(service);
    if (!port) throw new Error(`${namespace.name}/${service.name}: no HTTP port to scrape metrics from`);

    new ServiceMonitor(this, 'monitor', {
      metadata: { name: service.name },
      spec: {
        selector: { matchLabels: selectorLabels(service) },
        endpoints: [
          {
            port: port.name,
            path: '/metrics',
            interval: props.interval ?? '30s',
            ...(namespace.mesh
              ? {
                  scheme: ServiceMonitorSpecEndpointsScheme.HTTPS,
                  tlsConfig: {
                    caFile: `${PROMETHEUS_ISTIO_CERTS}/root-cert.pem`,
                    certFile: `${PROMETHEUS_ISTIO_CERTS}/cert-chain.pem`,
                    keyFile: `${PROMETHEUS_ISTIO_CERTS}/key.pem`,
                    // Istio certificates carry SPIFFE URIs, not DNS names.
                    insecureSkipVerify: true,
                  },
                }
              : { scheme: ServiceMonitorSpecEndpointsScheme.HTTP }),
          },
        ],
      },
    });

    const workload = `destination_workload_namespace="${namespace.name}",destination_workload="${service.name}",reporter="destination"`;
    const latencyMs = Math.round(service.traffic.timeoutSeconds * 1000 * 0.8);
    const severity = env.requireImageDigest ? 'critical' : 'warning';
    const labels = { severity, team: team.name, namespace: namespace.name, service: service.name };
    const expr = (e: string) => PrometheusRuleSpecGroupsRulesExpr.fromString(e);
    new PrometheusRule(this, 'rules', {
      metadata: { name: service.name },
      spec: {
        groups: [
          {
            name: `${namespace.name}.${service.name}`,
            rules: [
              {
                alert: 'ServiceUnavailable',
                expr: expr(`sum(up{namespace="${namespace.name}",service="${service.name}"}) == 0 or absent(up{namespace="${namespace.name}",service="${service.name}"})`),
                for: '2m',
                labels,
                annotations: { summary: `${service.name} has no Pod answering scrapes`, description: `No ready target of ${namespace.name}/${service.name} for 2 minutes.` },
              },
              {
                alert: 'ServiceHighErrorRate',
                expr: expr(
                  `sum(rate(istio_requests_total{${workload},response_code=~"5.."}[5m])) / sum(rate(istio_requests_total{${workload}}[5m])) > ${props.errorRatio ?? 0.05}`,
                ),
                for: '5m',
                labels,
                annotations: { summary: `${service.name} answers more than ${(props.errorRatio ?? 0.05) * 100}% of requests with 5xx` },
              },
              {
                alert: 'ServiceHighLatency',
                expr: expr(`histogram_quantile(0.99, sum by (le) (rate(istio_request_duration_milliseconds_bucket{${workload}}[5m]))) > ${latencyMs}`),
                for: '10m',
                labels,
                annotations: { summary: `${service.name} p99 latency is above ${latencyMs} ms (80% of its ${service.traffic.timeoutSeconds}s timeout)` },
              },
            ],
          },
        ],
      },
    });
  }
}
