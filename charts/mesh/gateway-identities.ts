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

/**
 * Fixed NodePort of the ingress gateway's status port (the ALB target group health check).
 *
 * The model fixes only the HTTP NodePort (`nodePorts.istioIngressHttp`); the health check needs
 * the status port, so it must be fixed too, or the ALB could not find it. Until the model carries
 * it (`nodePorts.istioIngressStatus`), it is derived here, deterministically: the first port above
 * the HTTP NodePort that no other model NodePort uses. The AWS layer must call this same function.
 */
export function istioIngressStatusNodePort(platform: Pick<Platform, 'nodePorts'>): number {
  const taken = new Set<number>(Object.values(platform.nodePorts));
  let port = platform.nodePorts.istioIngressHttp + 1;
  while (taken.has(port)) port += 1;
  if (port > 32767) throw new Error(`no free NodePort above ${platform.nodePorts.istioIngressHttp} for the ingress gateway status port`);
  return port;
}
