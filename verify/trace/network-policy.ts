/**
 * Hop: Kubernetes `NetworkPolicy` (enforced on EKS by the VPC CNI's network policy agent, turned on
 * by the vpc-cni add-on's `enableNetworkPolicy`).
 *
 * Encodes kubernetes.io/docs/concepts/services-networking/network-policies/: a Pod is isolated
 * for ingress (egress) when a policy of its namespace selects it with that policy type; an
 * isolated Pod accepts only what some policy's rules allow (rules are additive, no order). A peer
 * matches `podSelector` (same namespace), `namespaceSelector` (by namespace labels, here
 * `kubernetes.io/metadata.name`) or both ANDed in one entry, or `ipBlock`; `ports` restrict the
 * destination port. An empty `from`/`to` list matches every peer.
 *
 * `ipBlock` and addresses, as the VPC CNI agent sees them (aws/aws-network-policy-agent: eBPF
 * probes on the Pod's host-side interface, so egress is evaluated before kube-proxy's DNAT):
 * - a Service called by name is its ClusterIP, which no ipBlock of the Pod subnets holds, so only
 *   selector peers (which the controller resolves to the Pods and their ClusterIPs) admit it;
 * - a Pod as a source has a VPC address (VPC CNI) in the private subnets (the network stack's
 *   `tier = private` subnets): an ipBlock holding one of them admits it;
 * - a host outside the cluster has an address the tracer cannot know offline: only a block of
 *   every public address (`0.0.0.0/0`, its `except` naming private ranges only) is taken to hold it.
 */
import { type DistTree, objectsIn, ref } from './dist-tree';
import { policyTypesOf, selectorMatches, selectsEverything } from '../network/selectors';
import { type Hop, refuse } from './hop';

export interface Endpoint {
  readonly namespace: string;
  /** Pod labels; undefined when the Pod is rendered by a Helm chart (only namespace-wide policies are known). */
  readonly labels?: Readonly<Record<string, string>>;
  /** A host outside the cluster (reached through the NAT gateways). @default false */
  readonly external?: boolean;
}

/** An empty selector selects every Pod, even one whose labels a Helm chart sets (unknown here). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const selectsPod = (sel: any, labels: Readonly<Record<string, string>> | undefined): boolean =>
  selectsEverything(sel) || (labels !== undefined && selectorMatches(sel, labels));

const cidr = (block: string): { net: number; prefix: number } => {
  const [a, p] = block.split('/');
  const o = a.split('.').map(Number);
  return { net: ((o[0] << 24) | (o[1] << 16) | (o[2] << 8) | o[3]) >>> 0, prefix: Number(p) };
};
/** Whether block `outer` holds block `inner`. */
const holds = (outer: string, inner: string): boolean => {
  const o = cidr(outer);
  const i = cidr(inner);
  const mask = o.prefix === 0 ? 0 : (0xffffffff << (32 - o.prefix)) >>> 0;
  return i.prefix >= o.prefix && ((i.net & mask) >>> 0) === o.net;
};

/** What an ipBlock peer admits of `other`, or undefined when it does not. */
function ipBlockMatch(block: { cidr: string; except?: string[] }, other: Endpoint, direction: 'Ingress' | 'Egress', podSubnets: readonly string[]): string | undefined {
  const except = block.except ?? [];
  if (other.external) return cidr(block.cidr).prefix === 0 && except.every((e) => cidr(e).prefix > 0) ? `ipBlock ${block.cidr} holds every public address` : undefined;
  if (direction === 'Egress') return undefined; // a Service's ClusterIP, before DNAT
  const subnet = podSubnets.find((s) => holds(block.cidr, s) && !except.some((e) => holds(e, s)));
  return subnet ? `ipBlock ${block.cidr} holds the Pod subnet ${subnet} (VPC CNI Pod addresses)` : undefined;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function peerMatches(peer: any, ownNamespace: string, other: Endpoint, direction: 'Ingress' | 'Egress', podSubnets: readonly string[]): string | undefined {
  if (peer.ipBlock) return ipBlockMatch(peer.ipBlock, other, direction, podSubnets);
  if (other.external) return undefined;
  const nsOk = peer.namespaceSelector ? selectsPod(peer.namespaceSelector, { 'kubernetes.io/metadata.name': other.namespace }) : other.namespace === ownNamespace;
  const podOk = peer.podSelector ? selectsPod(peer.podSelector, other.labels) : true;
  return nsOk && podOk ? (peer.namespaceSelector ? 'namespaceSelector' : 'podSelector') : undefined;
}

const describe = (o: Endpoint): string => (o.external ? 'a host outside the cluster' : o.namespace);

function evaluate(tree: DistTree, direction: 'Ingress' | 'Egress', self: Endpoint, other: Endpoint, port: number): Hop | undefined {
  const policies = objectsIn(tree, 'NetworkPolicy', self.namespace).filter((p) => {
    return policyTypesOf(p.spec).includes(direction) && selectsPod(p.spec?.podSelector, self.labels);
  });
  if (policies.length === 0) return undefined;
  const key = direction === 'Ingress' ? 'ingress' : 'egress';
  const peersKey = direction === 'Ingress' ? 'from' : 'to';
  const podSubnets = tree.podSubnets ?? [];
  for (const p of policies) {
    const rules = p.spec?.[key] ?? [];
    for (const [i, rule] of rules.entries()) {
      const peers = rule[peersKey];
      const how = !peers || peers.length === 0 ? 'any peer' : peers.map((x: unknown) => peerMatches(x, self.namespace, other, direction, podSubnets)).find((m: string | undefined) => m !== undefined);
      const portOk = !rule.ports || rule.ports.some((x: { port?: number | string; endPort?: number }) => x.port === undefined || (Number(x.port) <= port && port <= Number(x.endPort ?? x.port)));
      if (how && portOk) return { hop: `NetworkPolicy ${key}`, object: ref(p), detail: `${key}[${i}] allows ${direction === 'Ingress' ? `from ${describe(other)}` : `to ${describe(other)}`} port ${port} (${how})` };
    }
  }
  return refuse(`NetworkPolicy ${key}`, policies.map(ref).join(', '), `${self.namespace} is isolated for ${key} and no rule allows ${direction === 'Ingress' ? `${describe(other)} ->` : `-> ${describe(other)}`} port ${port}`, `${policies.map((p) => p.metadata.name).join(' + ')} (${key} rules)`, 'connection timeout');
}

export const evaluateNetworkEgress = (tree: DistTree, from: Endpoint, to: Endpoint, port: number): Hop | undefined => evaluate(tree, 'Egress', from, to, port);
export const evaluateNetworkIngress = (tree: DistTree, to: Endpoint, from: Endpoint, port: number): Hop | undefined => evaluate(tree, 'Ingress', to, from, port);
