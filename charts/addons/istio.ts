/**
 * Istio (sidecar mode, sources 002 §9.2, 003 §15-17) as upstream Helm charts at one pinned
 * version: CRDs (`base`), the CNI node agent (`cni`: meshed Pods need no NET_ADMIN init
 * container, so they pass the "restricted" Pod Security level), the control plane (`istiod`) and
 * the ingress and egress gateways (`gateway`). The mesh's own configuration objects are rendered
 * per namespace by charts/mesh/.
 */
import type { AddonSpec } from '../../apps-of-apps/addon';
import { ISTIO_SYSTEM_NAMESPACE } from '../../platform/naming';
import { cpuQuantity, systemPods, type SystemPod } from '../../platform/system-nodes';
import type { Environment, Platform } from '../../platform/types';
import { EGRESS_GATEWAY, type GatewayIdentity, INGRESS_GATEWAY, INGRESS_HTTP_PORT, ISTIO_STATUS_PORT, istioIngressStatusNodePort } from '../mesh/gateway-identities';
import { OTEL_COLLECTOR, otelCollectorHost, TRACING_PROVIDER } from '../mesh/telemetry';
import { egressPorts } from '../mesh/topology';
import { SYNC_WAVE } from '../sync-options';
import { onSystemNodes } from './system-nodes';

/** Istio release; the Istio CRDs in imports/ are generated from the same version. */
export const ISTIO_VERSION = '1.30.3';
export const ISTIO_CHART_REPO = 'https://istio-release.storage.googleapis.com/charts';

/** Trust domain of the mesh: the prefix of every principal naming.ts servicePrincipal() writes. */
export const ISTIO_TRUST_DOMAIN = 'cluster.local';

/**
 * Resources of every injected istio-proxy: requests = limits, so a Pod whose app container is
 * Guaranteed stays Guaranteed with its sidecar.
 */
export const SIDECAR_RESOURCES = { requests: { cpu: '200m', memory: '256Mi' }, limits: { cpu: '200m', memory: '256Mi' } } as const;

const istioChart = (name: string, chart: string, namespace: string, syncWave: number, values: Record<string, unknown>, releaseName?: string): AddonSpec => ({
  name,
  namespace,
  repoURL: ISTIO_CHART_REPO,
  chart,
  version: ISTIO_VERSION,
  syncWave,
  values,
  ...(releaseName ? { releaseName } : {}),
  serverSideApply: true,
});

const podResources = (p: SystemPod) => ({ requests: { cpu: cpuQuantity(p), memory: p.memory }, limits: { cpu: cpuQuantity(p), memory: p.memory } });

/**
 * Helm values of one istio/gateway release: on the managed node group, spread over zones, two or
 * more replicas with a PodDisruptionBudget, and a Pod security context that passes "restricted"
 * (the chart's default omits seccomp).
 */
function gatewayValues(env: Environment, gw: GatewayIdentity, pod: SystemPod, service: Record<string, unknown>, podAnnotations: Record<string, string> = {}): Record<string, unknown> {
  const min = pod.replicas;
  return {
    labels: { ...gw.selector },
    ...(Object.keys(podAnnotations).length > 0 ? { podAnnotations } : {}),
    service,
    autoscaling: { enabled: true, minReplicas: min, maxReplicas: Math.max(min, env.sizing.systemNodes.max), targetCPUUtilizationPercentage: 80 },
    podDisruptionBudget: { minAvailable: 1 },
    resources: podResources(pod),
    // Binding ports below 1024 without privileges: the sysctl is in the "safe" set Pod Security allows.
    securityContext: { seccompProfile: { type: 'RuntimeDefault' }, sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }] },
    topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { ...gw.selector } } }],
    ...onSystemNodes,
  };
}

/**
 * Proxies in front of the ingress gateway: exactly the ALB. With `numTrustedProxies: 1` Envoy's
 * xff_num_trusted_hops is 1, so it keeps the ALB's X-Forwarded-Proto (https) and takes the client
 * address from X-Forwarded-For; with 0 Envoy overwrites X-Forwarded-Proto with the scheme of its
 * own plain-HTTP listener (Envoy docs, http_conn_man/headers#x-forwarded-proto).
 */
export const INGRESS_TRUSTED_PROXIES = 1;

/** Webhook fields istiod manages itself once running (Argo CD must not fight it). */
const ISTIOD_MANAGED_WEBHOOK_FIELDS: AddonSpec['ignoreDifferences'] = [
  { group: 'admissionregistration.k8s.io', kind: 'ValidatingWebhookConfiguration', jqPathExpressions: ['.webhooks[]?.failurePolicy', '.webhooks[]?.clientConfig.caBundle'] },
  { group: 'admissionregistration.k8s.io', kind: 'MutatingWebhookConfiguration', jqPathExpressions: ['.webhooks[]?.clientConfig.caBundle'] },
];

/** The Istio add-ons of one environment, in install order. */
export function istioAddons(platform: Platform, env: Environment): AddonSpec[] {
  return [
    {
      ...istioChart('istio-base', 'base', ISTIO_SYSTEM_NAMESPACE, SYNC_WAVE.crds, { global: { istioNamespace: ISTIO_SYSTEM_NAMESPACE } }),
      ignoreDifferences: ISTIOD_MANAGED_WEBHOOK_FIELDS,
      // manifests/charts/base/files/crd-all.gen.yaml: every Istio CRD.
      ownsCrds: true,
    },

    // Node agent: installs the Istio CNI plugin (chained after the VPC CNI; EKS needs no global.platform).
    istioChart('istio-cni', 'cni', ISTIO_SYSTEM_NAMESPACE, SYNC_WAVE.operators, {
      global: { istioNamespace: ISTIO_SYSTEM_NAMESPACE },
      cni: { logLevel: 'info', excludeNamespaces: ['kube-system'], resources: { requests: { cpu: '100m', memory: '100Mi' }, limits: { cpu: '100m', memory: '100Mi' } } },
    }),

    {
      ...istioChart('istiod', 'istiod', ISTIO_SYSTEM_NAMESPACE, SYNC_WAVE.operators, {
        global: {
          istioNamespace: ISTIO_SYSTEM_NAMESPACE,
          proxy: { resources: SIDECAR_RESOURCES },
          logAsJson: true,
        },
        pilot: {
          autoscaleMin: systemPods(env).istiod.replicas,
          autoscaleMax: Math.max(systemPods(env).istiod.replicas, 5),
          resources: podResources(systemPods(env).istiod),
          seccompProfile: { type: 'RuntimeDefault' },
          // Each verifying sidecar fetches the JWKS itself through its own mesh cluster (mTLS to the
          // in-cluster Keycloak Service), instead of istiod fetching it from outside the mesh.
          env: { PILOT_JWT_ENABLE_REMOTE_JWKS: 'envoy' },
          // Pods are redirected by the CNI plugin, not by a privileged istio-init container.
          cni: { enabled: true },
          topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { app: 'istiod' } } }],
          ...onSystemNodes,
        },
        meshConfig: {
          trustDomain: ISTIO_TRUST_DOMAIN,
          // Envoy access logs on stdout (the built-in `envoy` provider the mesh-wide Telemetry enables).
          accessLogFile: '/dev/stdout',
          accessLogEncoding: 'JSON',
          // Nothing leaves the mesh unless a ServiceEntry declares it (the Sidecars say the same per namespace).
          outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' },
          defaultConfig: { holdApplicationUntilProxyStarts: true },
          extensionProviders: [{ name: TRACING_PROVIDER, opentelemetry: { service: otelCollectorHost(), port: OTEL_COLLECTOR.port } }],
        },
      }),
      ignoreDifferences: ISTIOD_MANAGED_WEBHOOK_FIELDS,
      systemPods: [systemPods(env).istiod],
    },

    // North-south entry: the ALB terminates TLS and targets fixed NodePorts on the managed node group.
    {
      ...istioChart(
      INGRESS_GATEWAY.name,
      'gateway',
      INGRESS_GATEWAY.namespace,
      SYNC_WAVE.platformConfig,
      gatewayValues(env, INGRESS_GATEWAY, systemPods(env).istioIngressGateway, {
        type: 'NodePort',
        ports: [
          { name: 'status-port', port: ISTIO_STATUS_PORT, targetPort: ISTIO_STATUS_PORT, protocol: 'TCP', nodePort: istioIngressStatusNodePort(platform) },
          { name: 'http2', port: INGRESS_HTTP_PORT, targetPort: INGRESS_HTTP_PORT, protocol: 'TCP', nodePort: platform.nodePorts.istioIngressHttp },
        ],
      }, { 'proxy.istio.io/config': JSON.stringify({ gatewayTopology: { numTrustedProxies: INGRESS_TRUSTED_PROXIES } }) }),
      INGRESS_GATEWAY.name,
    ),
      systemPods: [systemPods(env).istioIngressGateway],
    },

    // Egress exit: reachable only inside the cluster; one TLS port per declared external port.
    {
      ...istioChart(
      EGRESS_GATEWAY.name,
      'gateway',
      EGRESS_GATEWAY.namespace,
      SYNC_WAVE.platformConfig,
      gatewayValues(env, EGRESS_GATEWAY, systemPods(env).istioEgressGateway, {
        type: 'ClusterIP',
        ports: [
          { name: 'status-port', port: ISTIO_STATUS_PORT, targetPort: ISTIO_STATUS_PORT, protocol: 'TCP' },
          ...egressPorts(platform, env).map((port) => ({ name: `tls-${port}`, port, targetPort: port, protocol: 'TCP' })),
        ],
      }),
      EGRESS_GATEWAY.name,
    ),
      systemPods: [systemPods(env).istioEgressGateway],
    },
  ];
}
