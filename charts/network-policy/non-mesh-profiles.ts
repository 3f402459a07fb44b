/**
 * What each namespace outside the mesh needs on the network beyond the baseline every one of them
 * gets (DNS, HTTPS inside the VPC, its own namespace, Prometheus's scrapes): who calls it and what
 * it calls, per add-on, with the upstream fact each entry rests on. A non-mesh namespace of the
 * model without an entry gets the baseline only (secure by default).
 *
 * Left out of default-deny, by name (`NOT_DEFAULT_DENIED`): their Pods are created outside this
 * tree or cannot be restricted without breaking the cluster.
 */
import { AURORA_PORT, INGRESS_NGINX_NAMESPACE, ISTIO_SYSTEM_NAMESPACE, PLATFORM_IDENTITIES } from '../../platform/naming';
import { OTLP_HTTP_PORT } from '../addons/otel-collector';
import { MONITORING_NAMESPACE, SRE_DASHBOARDS, VICTORIA_METRICS_SERVICE } from '../addons/sre-tools';
import { OTEL_COLLECTOR } from '../mesh/telemetry';
import { CONTRACT_BROKER_DB_PORT, CONTRACT_BROKER_NAMESPACE, CONTRACT_BROKER_PORTS, LOAD_TEST_NAMESPACE } from '../../platform/gates';

/** A set of Pods of the namespace, by `app.kubernetes.io/name`; absent = every Pod. */
export interface PodSet {
  readonly pods?: readonly string[];
}

export interface ProfileRule extends PodSet {
  /** Policy name suffix: `allow-<name>`. */
  readonly name: string;
  /** Why the rule exists (upstream behaviour it encodes). */
  readonly reason: string;
}

export interface NamespaceNetworkProfile {
  /** Container ports of admission webhooks the API server calls (from the control-plane ENIs). @default none */
  readonly webhookPorts?: readonly number[];
  /** Other namespaces' Pods that may connect. @default none */
  readonly ingressFrom?: readonly (ProfileRule & { readonly namespaces: 'all' | readonly string[]; readonly peerPods?: readonly string[]; readonly ports: readonly number[] })[];
  /** Clients inside the VPC but outside the cluster's Pods (the internal ALB through a NodePort, SNATed to node addresses). @default none */
  readonly ingressFromVpc?: readonly (ProfileRule & { readonly ports: readonly number[] })[];
  /** Pods of other namespaces these Pods call. `ports` absent = any port. @default none */
  readonly egressTo?: readonly (ProfileRule & { readonly namespaces: 'all' | readonly string[]; readonly peerPods?: readonly string[]; readonly ports?: readonly number[] })[];
  /** Any port on the private subnets (nodes: kubelet, node-exporter). @default none */
  readonly egressNodes?: readonly ProfileRule[];
  /** A database on the database subnets from these Pods (`ports` @default [DATABASE_PORT], Aurora MySQL). @default none */
  readonly aurora?: ProfileRule & { readonly ports?: readonly number[] };
  /** HTTPS to public addresses (through NAT): a host with no VPC endpoint or a public one. @default none */
  readonly internetHttps?: readonly ProfileRule[];
}

/** istiod's ports (istio/istio manifests/charts/istio-control/istio-discovery: Service `istiod`). */
export const ISTIOD_PORTS = { xds: 15010, xdsTls: 15012, monitoring: 15014, webhook: 15017 } as const;
/** external-secrets chart `webhook.port` (its default). */
export const EXTERNAL_SECRETS_WEBHOOK_PORT = 10250;
/** ingress-nginx chart `controller.admissionWebhooks.port` and `controller.containerPort.http` (defaults). */
export const INGRESS_NGINX_PORTS = { admission: 8443, http: 80 } as const;
/** `app.kubernetes.io/name` of the ingress-nginx controller Pods (chart `ingress-nginx.name`). */
export const INGRESS_NGINX_POD = 'ingress-nginx';

const DASHBOARD_PODS = SRE_DASHBOARDS.map((d) => d.subdomain);
/** `app.kubernetes.io/name` of the broker Pods (pact-broker-chart `_helpers.tpl` `pact-broker.name`, the chart name). */
export const CONTRACT_BROKER_POD = 'pact-broker';
/** `app.kubernetes.io/name` of the VictoriaMetrics Pod (victoria-metrics-single chart: its chart name). */
export const VICTORIA_METRICS_POD = 'victoria-metrics-single';

export const NON_MESH_PROFILES: Readonly<Record<string, NamespaceNetworkProfile>> = {
  // istiod only: the istio-cni node agent runs on the host network, where no NetworkPolicy applies.
  [ISTIO_SYSTEM_NAMESPACE]: {
    webhookPorts: [ISTIOD_PORTS.webhook],
    ingressFrom: [
      { name: 'xds-from-proxies', namespaces: 'all', ports: [ISTIOD_PORTS.xds, ISTIOD_PORTS.xdsTls], reason: 'every sidecar and gateway fetches its configuration and certificate from istiod' },
      { name: 'monitoring-from-kiali', namespaces: [MONITORING_NAMESPACE], peerPods: ['kiali'], ports: [ISTIOD_PORTS.monitoring], reason: "Kiali reads istiod's proxy status and metrics on its monitoring port" },
    ],
  },
  [PLATFORM_IDENTITIES.externalSecrets.namespace]: {
    webhookPorts: [EXTERNAL_SECRETS_WEBHOOK_PORT],
  },
  // No webhook: Karpenter 1.14's CRDs (../shared/crds/karpenter-1.14.1.yaml) carry no conversion
  // webhook and CEL replaced its validation webhooks; the descheduler only calls the API.
  [PLATFORM_IDENTITIES.karpenter.namespace]: {
    internetHttps: [{ name: 'aws-apis', pods: ['karpenter'], reason: 'Karpenter calls EC2, SQS, IAM, EKS and the Pricing API, which have no interface endpoint in the VPC' }],
  },
  [PLATFORM_IDENTITIES.otelCollector.namespace]: {
    ingressFrom: [{ name: 'otlp-from-proxies', namespaces: 'all', ports: [OTEL_COLLECTOR.port, OTLP_HTTP_PORT], reason: 'every istio-proxy sends its spans over OTLP' }],
    internetHttps: [{ name: 'xray', reason: 'the awsxray exporter calls AWS X-Ray, which has no interface endpoint in the VPC' }],
  },
  [PLATFORM_IDENTITIES.dbBootstrap.namespace]: {
    aurora: {
      name: 'aurora',
      ports: [AURORA_PORT, CONTRACT_BROKER_DB_PORT],
      reason: "the bootstrap Job creates every schema and user on Aurora MySQL, and the contract broker's role and database on its Aurora PostgreSQL cluster (where the environment runs the broker)",
    },
  },
  // The contract broker (charts/addons/pact-broker.ts): its Pods are the chart's `app.kubernetes.io/name: pact-broker`.
  [CONTRACT_BROKER_NAMESPACE]: {
    ingressFrom: [
      { name: 'broker-from-ingress', pods: [CONTRACT_BROKER_POD], namespaces: [INGRESS_NGINX_NAMESPACE], peerPods: [INGRESS_NGINX_POD], ports: [CONTRACT_BROKER_PORTS.container], reason: 'ingress-nginx proxies the internal broker host (team CI, SRE) to the broker' },
      { name: 'broker-from-gate-jobs', pods: [CONTRACT_BROKER_POD], namespaces: 'all', ports: [CONTRACT_BROKER_PORTS.container], reason: "the contract gate's can-i-deploy / record-deployment Jobs of every gated namespace call the broker's Service; each Job's own egress policy names the broker, every other Pod's egress is denied at its side (sidecar or NetworkPolicy), and the broker requires basic auth" },
    ],
    aurora: { name: 'broker-database', pods: [CONTRACT_BROKER_POD], ports: [CONTRACT_BROKER_DB_PORT], reason: 'the broker stores pacts on its Aurora PostgreSQL cluster in the database subnets' },
  },
  // The staging load test (charts/gates/load-test.ts): k6 calls the public hosts and remote-writes to VictoriaMetrics.
  [LOAD_TEST_NAMESPACE]: {
    egressTo: [{ name: 'remote-write', namespaces: [VICTORIA_METRICS_SERVICE.namespace], peerPods: [VICTORIA_METRICS_POD], ports: [VICTORIA_METRICS_SERVICE.port], reason: "k6 remote-writes its results to VictoriaMetrics' /api/v1/write" }],
    internetHttps: [{ name: 'public-hosts', reason: "k6 calls the environment's public hosts through CloudFront and the public ALB, as customers do" }],
  },
  // No webhook: kube-prometheus-stack runs without its admission webhook (charts/addons/kube-prometheus-stack.ts).
  [MONITORING_NAMESPACE]: {
    ingressFrom: [{ name: 'remote-write-from-load-test', pods: [VICTORIA_METRICS_POD], namespaces: [LOAD_TEST_NAMESPACE], ports: [VICTORIA_METRICS_SERVICE.port], reason: 'the staging load test remote-writes its k6 results to VictoriaMetrics' }],
    egressTo: [
      { name: 'scrape-every-namespace', pods: ['prometheus'], namespaces: 'all', reason: 'Prometheus scrapes the ServiceMonitors and PodMonitors of every namespace; its sidecar fetches certificates from istiod' },
      { name: 'kiali-to-istiod', pods: ['kiali'], namespaces: [ISTIO_SYSTEM_NAMESPACE], reason: 'Kiali reads the mesh configuration from istiod' },
    ],
    egressNodes: [{ name: 'scrape-nodes', pods: ['prometheus'], reason: 'Prometheus scrapes the kubelets and node-exporter (host network) on every node' }],
    internetHttps: [
      { name: 'incident-webhook', pods: ['alertmanager'], reason: 'Alertmanager posts to the incident channel webhook on the internet' },
      { name: 'staff-jwks', pods: ['grafana'], reason: "Grafana verifies staff tokens with the staff realm's JWKS, served on the public web host" },
    ],
  },
  [INGRESS_NGINX_NAMESPACE]: {
    webhookPorts: [INGRESS_NGINX_PORTS.admission],
    ingressFromVpc: [{ name: 'internal-alb', pods: [INGRESS_NGINX_POD], ports: [INGRESS_NGINX_PORTS.http], reason: 'the internal ALB reaches the controller through its NodePort (externalTrafficPolicy Cluster: from node addresses)' }],
    egressTo: [{ name: 'to-dashboards', pods: [INGRESS_NGINX_POD], namespaces: [MONITORING_NAMESPACE], peerPods: DASHBOARD_PODS, reason: 'ingress-nginx proxies the dashboard hosts to their Services' }],
    internetHttps: [{ name: 'staff-issuer', pods: ['oauth2-proxy'], reason: "OAuth2 Proxy discovers, redeems and verifies against the staff realm's issuer on the public web host" }],
  },
};

/** Aurora's port, as the data stack opens it. */
export const DATABASE_PORT = AURORA_PORT;

/** Namespaces the platform runs in but never default-denies, and why. */
export const NOT_DEFAULT_DENIED: Readonly<Record<string, string>> = {
  'kube-system':
    'EKS add-ons (CoreDNS, aws-node, kube-proxy, the EBS CSI driver, metrics-server) are installed and reconciled by EKS, not this tree; CoreDNS must answer every Pod and forward to the VPC resolver, and aws-node/kube-proxy run on the host network where NetworkPolicies do not apply',
  argocd:
    "Argo CD's repo-server and its KSOPS sidecar fetch Git repositories and every add-on's Helm chart from hosts on the internet and decrypt with KMS; the namespace is created by the bootstrap, not rendered here, so a default-deny would land before its allow rules",
};
