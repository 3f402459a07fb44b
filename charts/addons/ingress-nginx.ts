/**
 * ingress-nginx for the SRE tools outside the mesh (source 003 §16): internal ALB (TLS ends there,
 * WAF source-IP allow list) -> the fixed NodePort of this controller on the managed node group ->
 * Host-header routing to Grafana, Prometheus, Alertmanager, Kiali, each behind OAuth2 Proxy.
 *
 * The upstream project was retired in March 2026; 4.15.1 (controller v1.15.1) is its final
 * release and supports Kubernetes up to 1.35. Replacing it (Gateway API) is a separate decision;
 * the source architecture names the Nginx Ingress Controller, so the final release is pinned.
 */
import type { AddonSpec } from '../../apps-of-apps/addon';
import { INGRESS_NGINX_NAMESPACE } from '../../platform/naming';
import { cpuQuantity, systemPods } from '../../platform/system-nodes';
import type { Environment, Platform } from '../../platform/types';
import { SYNC_WAVE } from '../sync-options';
import { guaranteed, INTERNAL_INGRESS_CLASS } from './sre-tools';
import { onSystemNodes } from './system-nodes';

export const INGRESS_NGINX_CHART_VERSION = '4.15.1';
export const INGRESS_NGINX_CHART_REPO = 'https://kubernetes.github.io/ingress-nginx';
/** Controller class of the internal controller (a public one, if ever added, gets its own). */
export const INTERNAL_INGRESS_CONTROLLER = 'k8s.io/ingress-nginx-internal';

export function ingressNginxAddons(platform: Platform, env: Environment): AddonSpec[] {
  const jobResources = guaranteed('50m', '64Mi');
  const pod = systemPods(env).ingressNginx;
  return [
    {
      name: 'ingress-nginx',
      namespace: INGRESS_NGINX_NAMESPACE,
      repoURL: INGRESS_NGINX_CHART_REPO,
      chart: 'ingress-nginx',
      version: INGRESS_NGINX_CHART_VERSION,
      syncWave: SYNC_WAVE.platformConfig,
      systemPods: [pod],
      values: {
        controller: {
          ingressClassResource: { name: INTERNAL_INGRESS_CLASS, enabled: true, default: false, controllerValue: INTERNAL_INGRESS_CONTROLLER },
          ingressClass: INTERNAL_INGRESS_CLASS,
          electionID: `${INTERNAL_INGRESS_CLASS}-leader`,
          watchIngressWithoutClass: false,
          allowSnippetAnnotations: false,
          // The internal ALB targets this NodePort on every managed node; TLS ended at the ALB.
          service: {
            type: 'NodePort',
            enableHttp: true,
            enableHttps: false,
            externalTrafficPolicy: 'Cluster',
            nodePorts: { http: platform.nodePorts.ingressNginxHttp },
          },
          config: {
            // The ALB is the only client: trust its X-Forwarded-* headers, and only from the VPC.
            'use-forwarded-headers': 'true',
            'compute-full-forwarded-for': 'true',
            'proxy-real-ip-cidr': env.vpcCidr,
            'server-tokens': 'false',
            // Keycloak tokens in OAuth2 Proxy's auth response headers exceed the 4k default.
            'proxy-buffer-size': '16k',
            'log-format-escape-json': 'true',
          },
          replicaCount: pod.replicas,
          minAvailable: 1,
          resources: guaranteed(cpuQuantity(pod), pod.memory),
          topologySpreadConstraints: [
            {
              maxSkew: 1,
              topologyKey: 'topology.kubernetes.io/zone',
              whenUnsatisfiable: 'ScheduleAnyway',
              labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' } },
            },
          ],
          ...onSystemNodes,
          metrics: { enabled: true, serviceMonitor: { enabled: true } },
          admissionWebhooks: {
            enabled: true,
            createSecretJob: { resources: jobResources },
            patchWebhookJob: { resources: jobResources },
            patch: { ...onSystemNodes },
          },
        },
        defaultBackend: { enabled: false },
      },
    },
  ];
}
