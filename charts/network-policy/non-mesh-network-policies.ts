/**
 * Default-deny for a namespace outside the mesh (no sidecars, so no AuthorizationPolicy or
 * REGISTRY_ONLY Sidecar guards its Pods): one `default-deny` policy isolating every Pod for
 * ingress and egress, then allow policies, each for one reason:
 * - `allow-dns`: CoreDNS;
 * - `allow-vpc-https`: the Kubernetes API, the interface VPC endpoints and the internal ALB
 *   (network-rules.ts `vpcHttpsEgress`);
 * - `allow-same-namespace`: the add-on's own components (an upstream chart's Pods call each other);
 * - `allow-prometheus-scrape`: Prometheus's scrapes (ServiceMonitors of every add-on);
 * - the namespace's profile (non-mesh-profiles.ts): webhooks the control plane calls, declared
 *   callers and callees, Aurora, public HTTPS where no VPC endpoint exists.
 * Policies are additive, so each allow only widens what `default-deny` closed.
 */
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { PolicyNetwork } from '../../platform/network';
import { PROMETHEUS_IDENTITY } from '../../platform/naming';
import { auroraEgress, cidrPeers, controlPlaneIngress, dnsEgress, type EgressRule, type IngressRule, internetHttpsEgress, namespacePeer, ANY_NAMESPACE, podNamesSelector, tcpPorts, vpcHttpsEgress } from './network-rules';
import { DATABASE_PORT, type NamespaceNetworkProfile } from './non-mesh-profiles';

export interface NonMeshNetworkPoliciesProps {
  readonly namespace: string;
  readonly network: PolicyNetwork;
  /** What the namespace needs beyond the baseline. @default the baseline only */
  readonly profile?: NamespaceNetworkProfile;
}

export const DEFAULT_DENY_POLICY = 'default-deny';

interface PolicySpec {
  readonly name: string;
  readonly pods?: readonly string[];
  readonly ingress?: readonly IngressRule[];
  readonly egress?: readonly EgressRule[];
}

export class NonMeshNetworkPolicies extends Construct {
  constructor(scope: Construct, id: string, props: NonMeshNetworkPoliciesProps) {
    super(scope, id);
    const { network: net, profile = {} } = props;
    const own: kplus.k8s.NetworkPolicyPeer = { podSelector: {} };
    const policies: PolicySpec[] = [
      { name: DEFAULT_DENY_POLICY, ingress: [], egress: [] },
      { name: 'allow-dns', egress: [dnsEgress()] },
      { name: 'allow-vpc-https', egress: [vpcHttpsEgress(net)] },
      { name: 'allow-same-namespace', ingress: [{ from: [own] }], egress: [{ to: [own] }] },
    ];
    if (props.namespace !== PROMETHEUS_IDENTITY.namespace) {
      policies.push({ name: 'allow-prometheus-scrape', ingress: [{ from: [namespacePeer(PROMETHEUS_IDENTITY.namespace, ['prometheus'])] }] });
    }
    if (profile.webhookPorts?.length) policies.push({ name: 'allow-webhooks-from-control-plane', ingress: [controlPlaneIngress(net, profile.webhookPorts)] });
    for (const r of profile.ingressFrom ?? []) {
      policies.push({ name: `allow-${r.name}`, pods: r.pods, ingress: [{ from: r.namespaces === 'all' ? [ANY_NAMESPACE] : r.namespaces.map((n) => namespacePeer(n, r.peerPods)), ports: tcpPorts(r.ports) }] });
    }
    for (const r of profile.ingressFromVpc ?? []) policies.push({ name: `allow-${r.name}`, pods: r.pods, ingress: [{ from: cidrPeers(net.privateSubnets), ports: tcpPorts(r.ports) }] });
    for (const r of profile.egressTo ?? []) {
      const to = r.namespaces === 'all' ? [ANY_NAMESPACE] : r.namespaces.map((n) => namespacePeer(n, r.peerPods));
      policies.push({ name: `allow-${r.name}`, pods: r.pods, egress: [{ to, ...(r.ports ? { ports: tcpPorts(r.ports) } : {}) }] });
    }
    for (const r of profile.egressNodes ?? []) policies.push({ name: `allow-${r.name}`, pods: r.pods, egress: [{ to: cidrPeers(net.privateSubnets) }] });
    if (profile.aurora) policies.push({ name: `allow-${profile.aurora.name}`, pods: profile.aurora.pods, egress: (profile.aurora.ports ?? [DATABASE_PORT]).map((port) => auroraEgress(net, port)) });
    for (const r of profile.internetHttps ?? []) policies.push({ name: `allow-internet-${r.name}`, pods: r.pods, egress: [internetHttpsEgress(net)] });

    const names = new Set<string>();
    for (const p of policies) {
      if (names.has(p.name)) throw new Error(`NonMeshNetworkPolicies ${props.namespace}: two policies named ${p.name}`);
      names.add(p.name);
      const policyTypes = [...(p.ingress ? ['Ingress'] : []), ...(p.egress ? ['Egress'] : [])];
      new kplus.k8s.KubeNetworkPolicy(this, p.name, {
        metadata: { name: p.name },
        spec: {
          podSelector: podNamesSelector(p.pods),
          policyTypes,
          ...(p.ingress ? { ingress: [...p.ingress] } : {}),
          ...(p.egress ? { egress: [...p.egress] } : {}),
        },
      });
    }
  }
}
