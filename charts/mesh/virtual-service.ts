/**
 * `VirtualService` per service for in-mesh callers (the `mesh` gateway): per-route timeout and
 * retries (source 002 表5: timeout, retry). One route per serving port, so a multi-port service
 * keeps each port on its own destination; the metrics port is scraped from outside the mesh and
 * gets no route.
 *
 * Timeouts and retries come from the dependency edge (platform/traffic.ts edgeTraffic): a caller
 * whose edge differs from the target's defaults (a `longPoll` or `streaming` edge, or its own
 * timeouts) gets its own route first, matched on its namespace and Pod labels (`sourceNamespace`
 * + `sourceLabels`: the first matching route wins); everyone else takes the target's defaults.
 */
import { Construct } from 'constructs';
import { VirtualService, type VirtualServiceSpecHttp } from '../../imports/networking.istio.io';
import { parseServiceKey, selectorLabels, serviceHost } from '../../platform/naming';
import { edgeIsSpecial, edgeTraffic, type EdgeTraffic } from '../../platform/traffic';
import type { FaultInjection, Namespace, Platform, Service, ServicePort, Traffic } from '../../platform/types';
import { meshConfig } from './mesh-config';
import { callEdgesOf, refOf, seconds, servingPorts } from './topology';

/** Timeout and retries of a route from the edge's settings ("0s" = no timeout; no retries = attempts 0). */
export function edgeResilience(e: EdgeTraffic, retryOn: string): Pick<VirtualServiceSpecHttp, 'timeout' | 'retries'> {
  return {
    timeout: seconds(e.timeoutSeconds),
    retries: e.retryAttempts > 0 ? { attempts: e.retryAttempts, perTryTimeout: seconds(e.perTryTimeoutSeconds), retryOn } : { attempts: 0 },
  };
}

/** Timeout and retries of every route to a service, from its model. */
export function resilience(traffic: Traffic): Pick<VirtualServiceSpecHttp, 'timeout' | 'retries'> {
  return edgeResilience(traffic, traffic.retryOn);
}

export function meshRoutes(platform: Pick<Platform, 'teams'>, namespace: Pick<Namespace, 'name'>, service: Service, ports: readonly ServicePort[]): VirtualServiceSpecHttp[] {
  const host = serviceHost(refOf(namespace, service));
  const special = callEdgesOf(platform, refOf(namespace, service)).filter((e) => edgeIsSpecial(e.dependency, service));
  return ports.flatMap((p) => [
    ...special.map((e) => ({
      name: `${p.name}-from-${e.caller.namespace.name}-${e.caller.service.name}`,
      match: [{ port: p.port, sourceNamespace: e.caller.namespace.name, sourceLabels: selectorLabels(e.caller.service) }],
      route: [{ destination: { host, port: { number: p.port } } }],
      ...edgeResilience(edgeTraffic(e.dependency, service), service.traffic.retryOn),
    })),
    { name: p.name, match: [{ port: p.port }], route: [{ destination: { host, port: { number: p.port } } }], ...resilience(service.traffic) },
  ]);
}

/**
 * Fault injection (environment `faults`, platform/gates.ts): per faulted caller and port, a route
 * ahead of the ordinary ones matching only that caller's Pods (source namespace and labels), so no
 * other caller sees the fault. Istio applies no timeout or retries on a route with `fault`
 * (istio networking/v1alpha3/virtual_service.proto HTTPRoute.fault), so these routes carry none.
 */
export function faultRoutes(host: string, ports: readonly ServicePort[], faults: readonly FaultInjection[]): VirtualServiceSpecHttp[] {
  return faults.flatMap((f) => {
    const from = parseServiceKey(f.from);
    return ports.map((p) => ({
      name: `${p.name}-fault-${from.namespace}-${from.service}`,
      match: [{ port: p.port, sourceNamespace: from.namespace, sourceLabels: selectorLabels({ name: from.service }) }],
      fault: {
        ...(f.delay && { delay: { percentage: { value: f.delay.percent }, fixedDelay: seconds(f.delay.fixedDelaySeconds) } }),
        ...(f.abort && { abort: { percentage: { value: f.abort.percent }, httpStatus: f.abort.httpStatus } }),
      },
      route: [{ destination: { host, port: { number: p.port } } }],
    }));
  });
}

export interface ServiceVirtualServiceProps {
  readonly platform: Platform;
  readonly namespace: Namespace;
  readonly service: Service;
  /** Faults the environment injects into calls to this service. @default none */
  readonly faults?: readonly FaultInjection[];
}

export class ServiceVirtualService extends Construct {
  constructor(scope: Construct, id: string, props: ServiceVirtualServiceProps) {
    super(scope, id);
    const host = serviceHost(refOf(props.namespace, props.service));
    const ports = servingPorts(props.service);
    meshConfig(
      new VirtualService(this, 'resource', {
        metadata: { name: props.service.name },
        spec: { hosts: [host], gateways: ['mesh'], http: [...faultRoutes(host, ports, props.faults ?? []), ...meshRoutes(props.platform, props.namespace, props.service, ports)] },
      }),
    );
  }
}
