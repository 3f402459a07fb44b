/**
 * Pod-to-pod clustering of a service that declares `peerPorts` (Keycloak's Infinispan/JGroups,
 * Temporal's membership and history/matching ports): a headless Service `<name>-peers` listing
 * the Pods on those ports (publishNotReadyAddresses, so members find each other while starting).
 * Istio programs a listener per endpoint of a headless Service, so the REGISTRY_ONLY Sidecar lets
 * the replicas reach each other's Pod IPs once the namespace's Sidecar imports this host
 * (sidecar.ts), and the service's ALLOW policy admits its own identity on these ports
 * (authorization-policies.ts). Ports are `tcp-` (opaque TCP: the protocols are not HTTP).
 */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { selectorLabels } from '../../platform/naming';
import type { Service } from '../../platform/types';
import { peerServiceName } from './topology';

export class PeerService extends Construct {
  constructor(scope: Construct, id: string, props: { readonly service: Service }) {
    super(scope, id);
    const { service } = props;
    if (service.peerPorts.length === 0) return;
    new ApiObject(this, 'resource', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: peerServiceName(service) },
      spec: {
        clusterIP: 'None',
        publishNotReadyAddresses: true,
        selector: selectorLabels(service),
        ports: [...service.peerPorts].sort((a, b) => a - b).map((port) => ({ name: `tcp-peer-${port}`, port, targetPort: port, protocol: 'TCP', appProtocol: 'tcp' })),
      },
    });
  }
}
