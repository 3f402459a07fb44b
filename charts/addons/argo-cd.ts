/**
 * Argo CD itself, as a platform add-on of the upstream `argo-cd` chart (argoproj/argo-helm), so
 * after the one-time install from dist/ (README "Bootstrapping a new environment") it manages its
 * own configuration:
 * - on the system nodes (the only nodes before Karpenter runs): `global` nodeSelector/tolerations;
 * - Application health (`resource.customizations.health.argoproj.io_Application`, argo-cd docs
 *   operator-manual/health.md "Argo CD App"): without it app-of-apps waves only order creation;
 * - the KSOPS config management plugin as a repo-server sidecar (argo-cd docs
 *   operator-manual/config-management-plugins.md: the sidecar runs argocd-cmp-server from the shared
 *   var-files volume, with its ConfigManagementPlugin mounted as plugin.yaml), decrypting with the
 *   repo-server's IRSA role (kms:Decrypt on the SOPS key only).
 * Its project refuses Application and AppProject objects: Argo CD's chart never syncs those.
 */
import type { AddonSpec } from '../../apps-of-apps/addon';
import { toolImageReference } from '../../platform/images';
import { iamRoleArn, PLATFORM_IDENTITIES, platformRoleName, SOPS_PLUGIN } from '../../platform/naming';
import { cpuQuantity, systemPods, type SystemPod } from '../../platform/system-nodes';
import type { Environment, Platform } from '../../platform/types';
import { restrictedContainer } from '../jobs/hardened-pod';
import { SYNC_WAVE } from '../sync-options';
import { onSystemNodes } from './system-nodes';

/** argo-helm chart version (Argo CD 3.x). */
export const ARGO_CD_CHART_VERSION = '9.1.0';
/** Helm release name: with the chart's default nameOverride "argocd", objects are argocd-server, argocd-repo-server ... */
export const ARGO_CD_RELEASE = 'argocd';
export const ARGO_CD_CHART_REPO = 'https://argoproj.github.io/argo-helm';

/**
 * Health of an Application is the health Argo CD computed for it (argo-cd docs
 * operator-manual/upgrading/1.7-1.8.md gives this check; 1.8 removed it from the defaults).
 */
export const APPLICATION_HEALTH_LUA = [
  'hs = {}',
  'hs.status = "Progressing"',
  'hs.message = ""',
  'if obj.status ~= nil and obj.status.health ~= nil then',
  '  hs.status = obj.status.health.status',
  '  if obj.status.health.message ~= nil then hs.message = obj.status.health.message end',
  'end',
  'return hs',
  '',
].join('\n');

const podResources = (p: SystemPod) => ({ requests: { cpu: cpuQuantity(p), memory: p.memory }, limits: { cpu: cpuQuantity(p), memory: p.memory } });

export function argoCdAddons(platform: Platform, env: Environment): AddonSpec[] {
  const repoServer = PLATFORM_IDENTITIES.argocdRepoServer;
  const pods = systemPods(env);
  return [
    {
      name: 'argo-cd',
      namespace: platform.argocdNamespace,
      repoURL: ARGO_CD_CHART_REPO,
      chart: 'argo-cd',
      version: ARGO_CD_CHART_VERSION,
      releaseName: ARGO_CD_RELEASE,
      syncWave: SYNC_WAVE.namespaces,
      serverSideApply: true,
      ownsCrds: true,
      namespaceResourceBlacklist: [{ group: 'argoproj.io', kind: '*' }],
      systemPods: [pods.argoCdController, pods.argoCdServer, pods.argoCdRedis, pods.argoCdApplicationSet, pods.argoCdNotifications, pods.argoCdRepoServer, pods.argoCdKsops],
      values: {
        crds: { install: true, keep: true },
        global: { ...onSystemNodes },
        dex: { enabled: false },
        configs: {
          cm: { 'resource.customizations.health.argoproj.io_Application': APPLICATION_HEALTH_LUA },
          cmp: {
            create: true,
            plugins: {
              [SOPS_PLUGIN]: {
                // Each SOPS folder of a team repo holds a kustomization.yaml with the ksops generator.
                generate: { command: ['kustomize', 'build', '--enable-alpha-plugins', '--enable-exec', '.'] },
              },
            },
          },
        },
        controller: { replicas: pods.argoCdController.replicas, resources: podResources(pods.argoCdController) },
        server: { replicas: pods.argoCdServer.replicas, resources: podResources(pods.argoCdServer) },
        redis: { resources: podResources(pods.argoCdRedis) },
        applicationSet: { replicas: pods.argoCdApplicationSet.replicas, resources: podResources(pods.argoCdApplicationSet) },
        notifications: { resources: podResources(pods.argoCdNotifications) },
        repoServer: {
          replicas: pods.argoCdRepoServer.replicas,
          resources: podResources(pods.argoCdRepoServer),
          serviceAccount: { name: repoServer.serviceAccount, annotations: { 'eks.amazonaws.com/role-arn': iamRoleArn(env, platformRoleName(platform, env, 'argocdRepoServer')) } },
          extraContainers: [
            {
              name: SOPS_PLUGIN,
              image: toolImageReference(platform, env, 'ksops'),
              command: ['/var/run/argocd/argocd-cmp-server'],
              resources: podResources(pods.argoCdKsops),
              // 999: the argocd user of the upstream images, which owns the shared plugin socket folder.
              securityContext: restrictedContainer(999),
              env: [{ name: 'XDG_CONFIG_HOME', value: '/tmp' }],
              volumeMounts: [
                { name: 'var-files', mountPath: '/var/run/argocd' },
                { name: 'plugins', mountPath: '/home/argocd/cmp-server/plugins' },
                { name: 'argocd-cmp-cm', mountPath: '/home/argocd/cmp-server/config/plugin.yaml', subPath: `${SOPS_PLUGIN}.yaml` },
                { name: 'cmp-tmp', mountPath: '/tmp' },
              ],
            },
          ],
          volumes: [
            { name: 'argocd-cmp-cm', configMap: { name: 'argocd-cmp-cm' } },
            { name: 'cmp-tmp', emptyDir: {} },
          ],
        },
      },
    },
  ];
}
