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

/** The port Prometheus scrapes: the one the service declares it serves metrics on, else none (no scrape). */
export function metricsPort(service: Service): Service['ports'][number] | undefined {
  return service.metrics ? service.ports.find((p) => p.name === service.metrics?.port) : undefined;
}

/** The metrics path the service declares. */
export const metricsPath = (service: Service): string | undefined => service.metrics?.path;

/**
 * Monitoring of one service (source 003 §18-19): a ServiceMonitor on the metrics endpoint the
 * service declares (`metrics`, over Istio mutual TLS when the service is in the mesh) and a
 * PrometheusRule labelled with the owning team for routing. Availability: from the scrape (`up`)
 * when the service serves metrics; otherwise from Istio's request metrics as its callers' proxies
 * report them (requests to it failing because no healthy endpoint answered: response flags UH, UF,
 * URX), so a service without a metrics endpoint never pages for a target that does not exist.
 * Error rate and latency always come from Istio's request metrics.
 */
export class ServiceMonitoring extends Construct {
  constructor(scope: Construct, id: string, props: ServiceMonitoringProps) {
    super(scope, id);
    const { env, team, namespace, service } = props;
    const port = metricsPort(service);
    if (service.metrics && !port) throw new Error(`${namespace.name}/${service.name}: metrics.port "${service.metrics.port}" is not one of its ports`);

    if (port && service.metrics) new ServiceMonitor(this, 'monitor', {
      metadata: { name: service.name },
      spec: {
        selector: { matchLabels: selectorLabels(service) },
        endpoints: [
          {
            port: port.name,
            path: service.metrics.path,
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
                expr: expr(
                  port
                    ? `sum(up{namespace="${namespace.name}",service="${service.name}"}) == 0 or absent(up{namespace="${namespace.name}",service="${service.name}"})`
                    : `sum(rate(istio_requests_total{reporter="source",destination_service="${service.name}.${namespace.name}.svc.cluster.local",response_flags=~"UH|UF|URX"}[5m])) > 0`,
                ),
                for: '2m',
                labels,
                annotations: port
                  ? { summary: `${service.name} has no Pod answering scrapes`, description: `No ready target of ${namespace.name}/${service.name} for 2 minutes.` }
                  : { summary: `${service.name} has no healthy endpoint`, description: `Callers of ${namespace.name}/${service.name} find no healthy upstream (Istio response flags UH/UF/URX) for 2 minutes.` },
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
