/**
 * Building blocks of the platform's NetworkPolicies: the peers and ports every policy shares, each
 * computed from the model's address plan (`platform/network.ts policyNetwork`, the same function
 * the network stack lays its subnets out with), never typed here.
 *
 * Semantics relied on (kubernetes.io/docs/concepts/services-networking/network-policies/): a Pod
 * selected by a policy of a type is isolated for that direction and accepts only the union of the
 * rules of every policy selecting it; replies of an allowed connection are always allowed. On EKS
 * the VPC CNI's network policy agent enforces them (aws/aws-network-policy-agent): it evaluates a
 * Pod's egress before kube-proxy's DNAT, so a Service reached by its ClusterIP must be allowed by
 * that address (a `podSelector` peer resolves to the Pods and their Services' ClusterIPs,
 * aws/amazon-network-policy-controller-k8s#222), and it always admits the Pod's own node
 * (aws/aws-network-policy-agent#56), so kubelet probes need no rule.
 */
import * as kplus from 'cdk8s-plus-28';
import type { PolicyNetwork } from '../../platform/network';

export type EgressRule = kplus.k8s.NetworkPolicyEgressRule;
export type IngressRule = kplus.k8s.NetworkPolicyIngressRule;
export type Peer = kplus.k8s.NetworkPolicyPeer;

/** CoreDNS of the EKS add-on: kube-system Pods labelled `k8s-app: kube-dns` (the add-on's Deployment and Service selector). */
export const KUBE_DNS = { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' }, port: 53 } as const;
/** Port of the Kubernetes API behind the `kubernetes` Service and on the EKS control-plane ENIs. */
export const KUBERNETES_API_PORT = 443;
/** HTTPS: interface VPC endpoints, the internal ALB, public AWS APIs and hosts. */
export const HTTPS_PORT = 443;

const tcp = (port: number): kplus.k8s.NetworkPolicyPort => ({ protocol: 'TCP', port: kplus.k8s.IntOrString.fromNumber(port) });
export const tcpPorts = (ports: readonly number[]): kplus.k8s.NetworkPolicyPort[] => [...new Set(ports)].sort((a, b) => a - b).map(tcp);

export const namespacePeer = (namespace: string, podNames?: readonly string[]): Peer => ({
  namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } },
  ...(podNames ? { podSelector: podNamesSelector(podNames) } : {}),
});
/** Every Pod of every namespace. */
export const ANY_NAMESPACE: Peer = { namespaceSelector: {} };
export const cidrPeers = (cidrs: readonly string[]): Peer[] => cidrs.map((cidr) => ({ ipBlock: { cidr } }));

/** Pods by `app.kubernetes.io/name` (the upstream charts' name label); empty list = every Pod. */
export function podNamesSelector(names: readonly string[] | undefined): kplus.k8s.LabelSelector {
  if (!names || names.length === 0) return {};
  return { matchExpressions: [{ key: 'app.kubernetes.io/name', operator: 'In', values: [...names].sort() }] };
}

/** DNS to CoreDNS, UDP and TCP (answers over 512 bytes retry over TCP). */
export const dnsEgress = (): EgressRule => ({
  to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': KUBE_DNS.namespace } }, podSelector: { matchLabels: { ...KUBE_DNS.labels } } }],
  ports: [
    { protocol: 'UDP', port: kplus.k8s.IntOrString.fromNumber(KUBE_DNS.port) },
    { protocol: 'TCP', port: kplus.k8s.IntOrString.fromNumber(KUBE_DNS.port) },
  ],
});

/**
 * HTTPS inside the VPC: the Kubernetes API (its `kubernetes` Service address, seen before DNAT,
 * and the EKS control-plane ENIs in the cluster's subnets, aws/aws-network-policy-agent#281), the
 * interface VPC endpoints (their ENIs are in the same private subnets) and the internal ALB (also
 * there). Pods share these subnets, so this also reaches Pods on 443: each of those is isolated by
 * its own ingress policy or STRICT mTLS.
 */
export const vpcHttpsEgress = (net: PolicyNetwork): EgressRule => ({
  to: cidrPeers([`${net.apiServiceAddress}/32`, ...net.privateSubnets]),
  ports: tcpPorts([HTTPS_PORT]),
});

/** MySQL to Aurora's subnets. */
export const auroraEgress = (net: PolicyNetwork, port: number): EgressRule => ({ to: cidrPeers(net.databaseSubnets), ports: tcpPorts([port]) });

/** HTTPS to public addresses only (through the NAT gateways): never inside the VPC, never the instance metadata service. */
export const internetHttpsEgress = (net: PolicyNetwork): EgressRule => ({
  to: [{ ipBlock: { cidr: net.internet.cidr, except: [...net.internet.except] } }],
  ports: tcpPorts([HTTPS_PORT]),
});

/** Admission webhooks the API server calls: from the control-plane ENIs in the cluster's (private) subnets. */
export const controlPlaneIngress = (net: PolicyNetwork, ports: readonly number[]): IngressRule => ({ from: cidrPeers(net.privateSubnets), ports: tcpPorts(ports) });
