/**
 * Mesh-wide telemetry (source 003 §18-2, §18-4): Envoy access logs on every proxy's stdout (Fluent
 * Bit ships them to CloudWatch Logs) and spans to the OpenTelemetry Collector (which exports to
 * X-Ray). One Telemetry resource in the Istio root namespace; istiod's meshConfig defines the
 * tracing provider it names (charts/addons/istio.ts).
 */
import { Construct } from 'constructs';
import { Telemetry } from '../../imports/telemetry.istio.io';
import { PLATFORM_IDENTITIES, serviceHost, type ServiceRef } from '../../platform/naming';
import { meshConfig } from './mesh-config';
import { scopedServiceHost } from './topology';

/** Istio's built-in access log provider (Envoy file access log to /dev/stdout, meshConfig.accessLogFile). */
export const ACCESS_LOG_PROVIDER = 'envoy';
/** Extension provider istiod's meshConfig defines and the Telemetry resource enables. */
export const TRACING_PROVIDER = 'otel-tracing';
/** Head sampling of requests without a sampling decision (no model field yet: one value for every environment). */
export const TRACE_SAMPLING_PERCENT = 10;

/**
 * The OpenTelemetry Collector's OTLP/gRPC endpoint. Its Service is created by the collector add-on
 * (tracing-infra, outside the mesh), which must keep this name.
 */
export const OTEL_COLLECTOR: ServiceRef & { readonly port: number } = { namespace: PLATFORM_IDENTITIES.otelCollector.namespace, service: 'otel-collector', port: 4317 };
export const otelCollectorHost = (): string => serviceHost(OTEL_COLLECTOR);
/**
 * Sidecar egress entry of the collector: Envoy exports spans through an outbound cluster, which a
 * Sidecar resource must import like any other destination (istio/istio#53701).
 */
export const otelCollectorEgressHost = (): string => scopedServiceHost(OTEL_COLLECTOR);

/** The mesh-wide Telemetry resource (rendered in the root namespace, istio-system). */
export class MeshTelemetry extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    meshConfig(
      new Telemetry(this, 'resource', {
        metadata: { name: 'mesh-default' },
        spec: {
          accessLogging: [{ providers: [{ name: ACCESS_LOG_PROVIDER }] }],
          tracing: [{ providers: [{ name: TRACING_PROVIDER }], randomSamplingPercentage: TRACE_SAMPLING_PERCENT }],
        },
      }),
    );
  }
}
