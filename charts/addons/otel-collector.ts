/**
 * The OpenTelemetry Collector (source 003 §18-4): receives the spans of the applications and of
 * every istio-proxy over OTLP and exports them to AWS X-Ray through its own IRSA role. Deployment
 * mode behind the Service `otel-collector` in tracing-infra, the address istiod's tracing provider
 * names (charts/mesh/telemetry.ts OTEL_COLLECTOR).
 *
 * The pipeline itself is a plain ConfigMap rendered into tracing-infra (charts/platform-config),
 * not chart values: the chart merges values into its own default pipelines (Jaeger, Zipkin,
 * Prometheus receivers, debug exporters), so only an existing ConfigMap says exactly what runs.
 * A checksum of it on the Pods rolls them when it changes.
 */
import { stringify } from 'yaml';
import type { AddonSpec } from '../../apps-of-apps/addon';
import { iamRoleArn, platformRoleName } from '../../platform/naming';
import type { Environment, Platform } from '../../platform/types';
import { OTEL_COLLECTOR } from '../mesh/telemetry';
import { SYNC_WAVE } from '../sync-options';
import { restrictedContainer } from '../jobs/hardened-pod';
import { checksum, guaranteed, OTEL_COLLECTOR_CONFIGMAP, OTEL_COLLECTOR_IDENTITY } from './sre-tools';

/** opentelemetry-collector chart; the contrib image (which has the awsxray exporter) at the chart's appVersion. */
export const OTEL_COLLECTOR_CHART_VERSION = '0.156.2';
export const OTEL_COLLECTOR_CHART_REPO = 'https://open-telemetry.github.io/opentelemetry-helm-charts';
export const OTEL_COLLECTOR_IMAGE = 'otel/opentelemetry-collector-contrib';

/** OTLP/HTTP port beside the gRPC one istio-proxy uses (OTEL_COLLECTOR.port). */
export const OTLP_HTTP_PORT = 4318;
/** The health_check extension's port: the chart's probes call it. */
const HEALTH_PORT = 13133;

/** The collector's pipeline (the `relay` key of its ConfigMap). */
export function otelCollectorConfig(env: Environment) {
  const listen = (port: number) => `\${env:MY_POD_IP}:${port}`;
  return {
    receivers: { otlp: { protocols: { grpc: { endpoint: listen(OTEL_COLLECTOR.port) }, http: { endpoint: listen(OTLP_HTTP_PORT) } } } },
    processors: {
      // First in the pipeline: refuses data before the container hits its memory limit.
      memory_limiter: { check_interval: '1s', limit_percentage: 80, spike_limit_percentage: 25 },
      batch: { send_batch_size: 512, send_batch_max_size: 1024, timeout: '5s' },
    },
    exporters: { awsxray: { region: env.region } },
    extensions: { health_check: { endpoint: listen(HEALTH_PORT) } },
    service: {
      extensions: ['health_check'],
      pipelines: { traces: { receivers: ['otlp'], processors: ['memory_limiter', 'batch'], exporters: ['awsxray'] } },
    },
  };
}

/** The ConfigMap content, as the collector reads it. */
export const otelCollectorRelay = (env: Environment): string => stringify(otelCollectorConfig(env), { lineWidth: 0 });

export function otelCollectorAddons(platform: Platform, env: Environment): AddonSpec[] {
  const disabled = { enabled: false };
  return [
    {
      name: 'otel-collector',
      namespace: OTEL_COLLECTOR_IDENTITY.namespace,
      repoURL: OTEL_COLLECTOR_CHART_REPO,
      chart: 'opentelemetry-collector',
      version: OTEL_COLLECTOR_CHART_VERSION,
      syncWave: SYNC_WAVE.platformConfig,
      values: {
        mode: 'deployment',
        // The Service istiod's tracing provider points at.
        fullnameOverride: OTEL_COLLECTOR.service,
        image: { repository: OTEL_COLLECTOR_IMAGE, pullPolicy: 'IfNotPresent' },
        command: { name: 'otelcol-contrib' },
        configMap: { create: false, existingName: OTEL_COLLECTOR_CONFIGMAP },
        podAnnotations: { 'checksum/relay': checksum(otelCollectorRelay(env)) },
        serviceAccount: {
          create: true,
          name: OTEL_COLLECTOR_IDENTITY.serviceAccount,
          annotations: { 'eks.amazonaws.com/role-arn': iamRoleArn(env, platformRoleName(platform, env, 'otelCollector')) },
        },
        ports: {
          otlp: { enabled: true, containerPort: OTEL_COLLECTOR.port, servicePort: OTEL_COLLECTOR.port, protocol: 'TCP', appProtocol: 'grpc' },
          'otlp-http': { enabled: true, containerPort: OTLP_HTTP_PORT, servicePort: OTLP_HTTP_PORT, protocol: 'TCP' },
          'jaeger-compact': disabled,
          'jaeger-thrift': disabled,
          'jaeger-grpc': disabled,
          zipkin: disabled,
          metrics: disabled,
        },
        replicaCount: Math.max(2, env.sizing.replicaFloor),
        podDisruptionBudget: { enabled: true, minAvailable: 1 },
        resources: guaranteed('250m', '512Mi'),
        // GOMEMLIMIT at 80% of the memory limit (the chart's default, stated).
        useGOMEMLIMIT: true,
        podSecurityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } },
        securityContext: restrictedContainer(10001),
        topologySpreadConstraints: [
          {
            maxSkew: 1,
            topologyKey: 'topology.kubernetes.io/zone',
            whenUnsatisfiable: 'ScheduleAnyway',
            labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'opentelemetry-collector', 'app.kubernetes.io/instance': 'otel-collector' } },
          },
        ],
      },
    },
  ];
}
