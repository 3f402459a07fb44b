/**
 * The one place that names the Istio gateways: the Helm release (which the istio/gateway chart
 * uses for the Deployment, Service and ServiceAccount), the Pod selector label, and from those the
 * SPIFFE principal and the Service FQDN. The add-ons, the Gateway resources, the routes and the
 * AuthorizationPolicies all read these.
 */
import { ISTIO_EGRESS_NAMESPACE, ISTIO_INGRESS_NAMESPACE, serviceHost, servicePrincipal } from '../../platform/naming';
import type { Platform } from '../../platform/types';

export interface GatewayIdentity {
  /** Namespace the gateway runs in. */
  readonly namespace: string;
  /** Helm release name = Deployment, Service and ServiceAccount name. */
  readonly name: string;
  /** Pod label the istio/gateway chart sets (`istio: <name without "istio-">`) and Gateway resources select. */
  readonly selector: Readonly<Record<string, string>>;
}

export const INGRESS_GATEWAY: GatewayIdentity = { namespace: ISTIO_INGRESS_NAMESPACE, name: 'istio-ingressgateway', selector: { istio: 'ingressgateway' } };
export const EGRESS_GATEWAY: GatewayIdentity = { namespace: ISTIO_EGRESS_NAMESPACE, name: 'istio-egressgateway', selector: { istio: 'egressgateway' } };

/** SPIFFE principal of a gateway's ServiceAccount. */
export const gatewayPrincipal = (gw: GatewayIdentity): string => servicePrincipal({ namespace: gw.namespace, service: gw.name });

/** FQDN of a gateway's Service. */
export const gatewayHost = (gw: GatewayIdentity): string => serviceHost({ namespace: gw.namespace, service: gw.name });

/** Port (Service port = container port) the ingress gateway serves plain HTTP on; the ALB terminates TLS in front of it. */
export const INGRESS_HTTP_PORT = 80;
/** Envoy's readiness endpoint on every Istio proxy (`/healthz/ready`), what the ALB health check targets. */
export const ISTIO_STATUS_PORT = 15021;
export const ISTIO_READINESS_PATH = '/healthz/ready';

/** Fixed NodePort of the ingress gateway's status port: the ALB target group health-checks it. */
export const istioIngressStatusNodePort = (platform: Pick<Platform, 'nodePorts'>): number => platform.nodePorts.istioIngressStatus;
