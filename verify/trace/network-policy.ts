/**
 * Hop: Kubernetes `NetworkPolicy` (enforced on EKS by the VPC CNI's network policy agent).
 *
 * Encodes kubernetes.io/docs/concepts/services-networking/network-policies/: a Pod is isolated
 * for ingress (egress) when a policy of its namespace selects it with that policy type; an
 * isolated Pod accepts only what some policy's rules allow (rules are additive, no order). A peer
 * matches `podSelector` (same namespace), `namespaceSelector` (by namespace labels, here
 * `kubernetes.io/metadata.name`) or both ANDed in one entry, or `ipBlock`; `ports` restrict the
 * destination port. An empty `from`/`to` list matches every peer.
 */
import { type DistTree, objectsIn, ref } from './dist-tree';
import { selects } from './gateway';
import { type Hop, refuse } from './hop';

export interface Endpoint {
  readonly namespace: string;
  /** Pod labels; undefined when the Pod is rendered by a Helm chart (only namespace-wide policies are known). */
  readonly labels?: Readonly<Record<string, string>>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const selectsPod = (sel: any, labels: Readonly<Record<string, string>> | undefined): boolean => {
  const ml = sel?.matchLabels ?? {};
  const exprs: { key: string; operator: string; values?: string[] }[] = sel?.matchExpressions ?? [];
  if (Object.keys(ml).length === 0 && exprs.length === 0) return true;
  if (labels === undefined || !selects(ml, labels)) return false;
  return exprs.every((e) => {
    const v = labels[e.key];
    if (e.operator === 'In') return v !== undefined && (e.values ?? []).includes(v);
    if (e.operator === 'NotIn') return v === undefined || !(e.values ?? []).includes(v);
    if (e.operator === 'Exists') return v !== undefined;
    if (e.operator === 'DoesNotExist') return v === undefined;
    return false;
  });
};
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function peerMatches(peer: any, ownNamespace: string, other: Endpoint): boolean {
  if (peer.ipBlock) return false;
  const nsOk = peer.namespaceSelector ? selectsPod(peer.namespaceSelector, { 'kubernetes.io/metadata.name': other.namespace }) : other.namespace === ownNamespace;
  const podOk = peer.podSelector ? selectsPod(peer.podSelector, other.labels) : true;
  return nsOk && podOk;
}

function evaluate(tree: DistTree, direction: 'Ingress' | 'Egress', self: Endpoint, other: Endpoint, port: number): Hop | undefined {
  const policies = objectsIn(tree, 'NetworkPolicy', self.namespace).filter((p) => {
    const types: string[] = p.spec?.policyTypes ?? (direction === 'Ingress' ? ['Ingress'] : p.spec?.egress ? ['Egress'] : []);
    return types.includes(direction) && selectsPod(p.spec?.podSelector, self.labels);
  });
  if (policies.length === 0) return undefined;
  const key = direction === 'Ingress' ? 'ingress' : 'egress';
  const peersKey = direction === 'Ingress' ? 'from' : 'to';
  for (const p of policies) {
    const rules = p.spec?.[key] ?? [];
    for (const [i, rule] of rules.entries()) {
      const peers = rule[peersKey];
      const peerOk = !peers || peers.length === 0 || peers.some((x: unknown) => peerMatches(x, self.namespace, other));
      const portOk = !rule.ports || rule.ports.some((x: { port?: number | string; endPort?: number }) => x.port === undefined || (Number(x.port) <= port && port <= Number(x.endPort ?? x.port)));
      if (peerOk && portOk) return { hop: `NetworkPolicy ${key}`, object: ref(p), detail: `${key}[${i}] allows ${direction === 'Ingress' ? `from ${other.namespace}` : `to ${other.namespace}`} port ${port}` };
    }
  }
  return refuse(`NetworkPolicy ${key}`, policies.map(ref).join(', '), `${self.namespace} is isolated for ${key} and no rule allows ${direction === 'Ingress' ? `${other.namespace} ->` : `-> ${other.namespace}`} port ${port}`, `${policies.map((p) => p.metadata.name).join(' + ')} (${key} rules)`, 'connection timeout');
}

export const evaluateNetworkEgress = (tree: DistTree, from: Endpoint, to: Endpoint, port: number): Hop | undefined => evaluate(tree, 'Egress', from, to, port);
export const evaluateNetworkIngress = (tree: DistTree, to: Endpoint, from: Endpoint, port: number): Hop | undefined => evaluate(tree, 'Ingress', to, from, port);
