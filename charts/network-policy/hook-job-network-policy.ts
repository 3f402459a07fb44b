/**
 * The NetworkPolicy of one sidecar-less hook Job (migrations, contract gate, E2E tests, CDN purge,
 * database bootstrap). Without a sidecar the mesh neither authorizes nor confines the Job's Pod,
 * so this policy does: it selects only that Job's Pods (by the `HOOK_JOB_LABEL` every HookJob Pod
 * template carries), denies all ingress and allows egress only to DNS and to what the Job declares:
 * - `aurora`: MySQL to Aurora's subnets;
 * - `vpc-https`: the interface VPC endpoints (AWS APIs with one), the Kubernetes API and the
 *   internal ALB (internal hosts such as the contract broker);
 * - `contract-broker`: the contract broker's Pods in their namespace (the in-cluster Service the
 *   gate Jobs call in the environment that runs the broker, platform/gates.ts contractBrokerUrl);
 * - `broker-vpc-https`: HTTPS to the private subnets of the environment that runs the contract
 *   broker (its internal ALB, reached over private routing between the VPCs: an assumption the
 *   README states), from the gate Jobs of every other environment;
 * - `internet-https`: public HTTPS through the NAT gateways (AWS APIs with no VPC endpoint such as
 *   CloudFront, the public hosts an E2E test calls). A Pod without a sidecar has no mesh identity,
 *   so the egress gateway, which admits per caller principal, is no path for it.
 *
 * Rendered in the namespace's prerequisites wave, before the Sync-phase hooks and PostSync hooks
 * that it confines (a PreSync hook would run before it exists: none is rendered).
 */
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { PolicyNetwork } from '../../platform/network';
import type { Environment } from '../../platform/types';
import { NAMESPACE_WAVE, syncWave } from '../sync-options';
import { CONTRACT_BROKER_NAMESPACE, CONTRACT_BROKER_PORTS } from '../../platform/gates';
import { auroraEgress, cidrPeers, dnsEgress, type EgressRule, HTTPS_PORT, internetHttpsEgress, namespacePeer, tcpPorts, vpcHttpsEgress } from './network-rules';
import { CONTRACT_BROKER_POD, DATABASE_PORT } from './non-mesh-profiles';

/** Pod label naming the hook Job; its NetworkPolicy selects it. */
export const HOOK_JOB_LABEL = 'platform.ec/hook-job';

export type HookJobEgress = 'aurora' | 'vpc-https' | 'internet-https' | 'contract-broker' | 'broker-vpc-https';

export interface HookJobNetwork {
  readonly network: PolicyNetwork;
  /** What the Job may reach beyond DNS. */
  readonly egress: readonly HookJobEgress[];
  /** The network of the environment that runs the contract broker, for `broker-vpc-https`. @default none */
  readonly brokerNetwork?: PolicyNetwork;
}

export interface HookJobNetworkPolicyProps extends HookJobNetwork {
  /** The Job's name (the value of its Pods' `HOOK_JOB_LABEL`). */
  readonly jobName: string;
}

export const hookJobPolicyName = (jobName: string): string => `${jobName}-egress`;

export class HookJobNetworkPolicy extends Construct {
  constructor(scope: Construct, id: string, props: HookJobNetworkPolicyProps) {
    super(scope, id);
    const net = props.network;
    const kinds = [...new Set(props.egress)].sort();
    const egress = [
      dnsEgress(),
      ...kinds.map((k) => egressRule(net, k, props.brokerNetwork, props.jobName)),
    ];
    const policy = new kplus.k8s.KubeNetworkPolicy(this, 'resource', {
      metadata: { name: hookJobPolicyName(props.jobName) },
      spec: {
        podSelector: { matchLabels: { [HOOK_JOB_LABEL]: props.jobName } },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [],
        egress,
      },
    });
    syncWave(policy, NAMESPACE_WAVE.prerequisites);
  }
}

function egressRule(net: PolicyNetwork, kind: HookJobEgress, brokerNetwork: PolicyNetwork | undefined, jobName: string): EgressRule {
  switch (kind) {
    case 'broker-vpc-https':
      if (!brokerNetwork) throw new Error(`HookJobNetworkPolicy ${jobName}: egress broker-vpc-https needs brokerNetwork`);
      return { to: cidrPeers(brokerNetwork.privateSubnets), ports: tcpPorts([HTTPS_PORT]) };
    case 'aurora':
      return auroraEgress(net, DATABASE_PORT);
    case 'vpc-https':
      return vpcHttpsEgress(net);
    case 'internet-https':
      return internetHttpsEgress(net);
    case 'contract-broker':
      // After kube-proxy's DNAT the connection goes to a broker Pod on its container port.
      return { to: [namespacePeer(CONTRACT_BROKER_NAMESPACE, [CONTRACT_BROKER_POD])], ports: tcpPorts([CONTRACT_BROKER_PORTS.container]) };
  }
}

/**
 * How a Job reaches the host of `url`: a host of the internal domain resolves to the internal ALB
 * in the private subnets (infra/edge-stack.ts), anything else is a public host. An in-cluster host
 * has no path by its name alone: its Job names the Pods it calls (e.g. `contract-broker`).
 */
export function urlEgress(env: Pick<Environment, 'domains'>, url: string): HookJobEgress {
  const host = new URL(url).hostname;
  if (host.endsWith('.svc.cluster.local')) throw new Error(`urlEgress: no egress rule for the in-cluster host ${host}`);
  const internal = env.domains.internal;
  return host === internal || host.endsWith(`.${internal}`) ? 'vpc-https' : 'internet-https';
}
