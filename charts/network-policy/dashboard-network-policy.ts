/**
 * The SRE dashboards (Grafana, Prometheus, Alertmanager, Kiali) run outside the mesh, so no
 * AuthorizationPolicy guards them: without a NetworkPolicy any Pod could reach them around OAuth2
 * Proxy. This NetworkPolicy (enforced on EKS by the VPC CNI's network policy agent, which always
 * admits the node's own address, so kubelet probes keep working: aws/aws-network-policy-agent#56)
 * isolates the dashboard Pods for ingress and admits only their own namespace (Grafana/Kiali ->
 * Prometheus, Prometheus -> Alertmanager) and the ingress controller's namespace (ingress-nginx
 * behind OAuth2 Proxy).
 *
 * Assumed from the upstream charts (not checkable offline): their Pods carry
 * `app.kubernetes.io/name` = grafana / prometheus / alertmanager / kiali (grafana chart,
 * prometheus-operator, kiali-server chart).
 */
import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-28';

export interface DashboardNetworkPolicyProps {
  /** `app.kubernetes.io/name` of the dashboard Pods. */
  readonly dashboards: readonly string[];
  /** Namespace of the ingress controller that fronts them. */
  readonly ingressNamespace: string;
}

export const DASHBOARD_POLICY_NAME = 'dashboards-ingress';

export class DashboardNetworkPolicy extends Construct {
  constructor(scope: Construct, id: string, props: DashboardNetworkPolicyProps) {
    super(scope, id);
    if (props.dashboards.length === 0) throw new Error('DashboardNetworkPolicy needs at least one dashboard');
    new kplus.k8s.KubeNetworkPolicy(this, 'resource', {
      metadata: { name: DASHBOARD_POLICY_NAME },
      spec: {
        podSelector: { matchExpressions: [{ key: 'app.kubernetes.io/name', operator: 'In', values: [...props.dashboards].sort() }] },
        policyTypes: ['Ingress'],
        ingress: [
          { from: [{ podSelector: {} }] },
          { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': props.ingressNamespace } } }] },
        ],
      },
    });
  }
}
