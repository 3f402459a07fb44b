/**
 * `DestinationRule` per service (source 002 §10.2, 表5): how callers' sidecars reach it. Load
 * balancing, a bounded connection pool (bulkhead), outlier detection (circuit breaker) and Istio
 * mutual TLS, all from `service.traffic`.
 */
import { Construct } from 'constructs';
import { DestinationRule, DestinationRuleSpecTrafficPolicyLoadBalancerSimple, DestinationRuleSpecTrafficPolicyTlsMode, type DestinationRuleSpecTrafficPolicy } from '../../imports/networking.istio.io';
import { serviceHost } from '../../platform/naming';
import type { Namespace, Service, Traffic } from '../../platform/types';
import { meshConfig } from './mesh-config';
import { refOf, seconds } from './topology';

/** How often the outlier detector sweeps the pool (the model fixes thresholds, not the sweep). */
export const OUTLIER_DETECTION_INTERVAL_SECONDS = 10;

const LOAD_BALANCER: Record<Traffic['loadBalancer'], DestinationRuleSpecTrafficPolicyLoadBalancerSimple> = {
  ROUND_ROBIN: DestinationRuleSpecTrafficPolicyLoadBalancerSimple.ROUND_UNDERSCORE_ROBIN,
  LEAST_REQUEST: DestinationRuleSpecTrafficPolicyLoadBalancerSimple.LEAST_UNDERSCORE_REQUEST,
};

export function trafficPolicy(traffic: Traffic): DestinationRuleSpecTrafficPolicy {
  return {
    loadBalancer: { simple: LOAD_BALANCER[traffic.loadBalancer] },
    connectionPool: { tcp: { maxConnections: traffic.maxConnections }, http: { http1MaxPendingRequests: traffic.maxPendingRequests } },
    outlierDetection: {
      consecutive5XxErrors: traffic.consecutive5xxErrors,
      interval: seconds(OUTLIER_DETECTION_INTERVAL_SECONDS),
      baseEjectionTime: seconds(traffic.baseEjectionSeconds),
      maxEjectionPercent: traffic.maxEjectionPercent,
    },
    tls: { mode: DestinationRuleSpecTrafficPolicyTlsMode.ISTIO_UNDERSCORE_MUTUAL },
  };
}

export class ServiceDestinationRule extends Construct {
  constructor(scope: Construct, id: string, props: { readonly namespace: Namespace; readonly service: Service }) {
    super(scope, id);
    meshConfig(
      new DestinationRule(this, 'resource', {
        metadata: { name: props.service.name },
        spec: { host: serviceHost(refOf(props.namespace, props.service)), trafficPolicy: trafficPolicy(props.service.traffic) },
      }),
    );
  }
}
