/**
 * `VirtualService` per service for in-mesh callers (the `mesh` gateway): per-route timeout and
 * retries from `service.traffic` (source 002 表5: timeout, retry). One route per serving port, so a
 * multi-port service keeps each port on its own destination; the metrics port is scraped from
 * outside the mesh and gets no route.
 */
import { Construct } from 'constructs';
import { VirtualService, type VirtualServiceSpecHttp } from '../../imports/networking.istio.io';
import { serviceHost } from '../../platform/naming';
import type { Namespace, Service, ServicePort, Traffic } from '../../platform/types';
import { meshConfig } from './mesh-config';
import { refOf, seconds, servingPorts } from './topology';

/** Timeout and retries of every route to a service, from its model. */
export function resilience(traffic: Traffic): Pick<VirtualServiceSpecHttp, 'timeout' | 'retries'> {
  return {
    timeout: seconds(traffic.timeoutSeconds),
    retries: { attempts: traffic.retryAttempts, perTryTimeout: seconds(traffic.perTryTimeoutSeconds), retryOn: traffic.retryOn },
  };
}

export function meshRoutes(host: string, ports: readonly ServicePort[], traffic: Traffic): VirtualServiceSpecHttp[] {
  return ports.map((p) => ({
    name: p.name,
    match: [{ port: p.port }],
    route: [{ destination: { host, port: { number: p.port } } }],
    ...resilience(traffic),
  }));
}

export class ServiceVirtualService extends Construct {
  constructor(scope: Construct, id: string, props: { readonly namespace: Namespace; readonly service: Service }) {
    super(scope, id);
    const host = serviceHost(refOf(props.namespace, props.service));
    meshConfig(
      new VirtualService(this, 'resource', {
        metadata: { name: props.service.name },
        spec: { hosts: [host], gateways: ['mesh'], http: meshRoutes(host, servingPorts(props.service), props.service.traffic) },
      }),
    );
  }
}
