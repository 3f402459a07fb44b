/**
 * The NetworkPolicy of one sidecar-less hook Job (migrations, contract gate, E2E tests, CDN purge,
 * database bootstrap). Without a sidecar the mesh neither authorizes nor confines the Job's Pod,
 * so this policy does: it selects only that Job's Pods (by the `HOOK_JOB_LABEL` every HookJob Pod
 * template carries), denies all ingress and allows egress only to DNS and to what the Job declares:
 * - `aurora`: MySQL to Aurora's subnets;
 * - `vpc-https`: the interface VPC endpoints (AWS APIs with one), the Kubernetes API and the
 *   internal ALB (internal hosts such as the contract broker);
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
import { auroraEgress, dnsEgress, internetHttpsEgress, vpcHttpsEgress } from './network-rules';
import { DATABASE_PORT } from './non-mesh-profiles';

/** Pod label naming the hook Job; its NetworkPolicy selects it. */
export const HOOK_JOB_LABEL = 'platform.ec/hook-job';

export type HookJobEgress = 'aurora' | 'vpc-https' | 'internet-https';

export interface HookJobNetwork {
  readonly network: PolicyNetwork;
  /** What the Job may reach beyond DNS. */
  readonly egress: readonly HookJobEgress[];
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
      ...kinds.map((k) => (k === 'aurora' ? auroraEgress(net, DATABASE_PORT) : k === 'vpc-https' ? vpcHttpsEgress(net) : internetHttpsEgress(net))),
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

/**
 * How a Job reaches the host of `url`: a host of the internal domain resolves to the internal ALB
 * in the private subnets (infra/edge-stack.ts), anything else is a public host.
 */
export function urlEgress(env: Pick<Environment, 'domains'>, url: string): HookJobEgress {
  const host = new URL(url).hostname;
  const internal = env.domains.internal;
  return host === internal || host.endsWith(`.${internal}`) ? 'vpc-https' : 'internet-https';
}
