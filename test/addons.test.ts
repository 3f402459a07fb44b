/**
 * Rules every platform add-on (upstream Helm chart as an ArgoCD Application) meets: pinned exactly,
 * installed into the sre team's own namespaces, every container of the SRE tools sized, and the
 * Descheduler never trading availability for placement.
 */
import { SYNC_WAVE } from '../charts/sync-options';
import { SYSTEM_NODE_LABELS, SYSTEM_NODE_TAINT } from '../platform/naming';
import { examplePlatform, type Loose } from './support/example';
import { objectAt, objectsWhere } from './support/rendered';

const platform = () => examplePlatform();
const addonApps = (env?: string) =>
  objectsWhere((o, p) => p.includes('/argocd/children/sre/') && (env === undefined || p.startsWith(`${env}/`)) && o.kind === 'Application' && o.spec.source?.chart !== undefined);
const addon = (env: string, name: string): Loose => objectAt(`${env}/argocd/children/sre/application-addon-${name}.yaml`);
const values = (env: string, name: string): Loose => addon(env, name).spec.source.helm.valuesObject;
const wave = (app: Loose) => Number(app.metadata.annotations['argocd.argoproj.io/sync-wave']);
const at = (obj: Loose, path: string): Loose => path.split('.').reduce((o, k) => o?.[k], obj);

/** Where each SRE tool add-on sizes each of its containers (Helm value paths). */
const RESOURCE_PATHS: Readonly<Record<string, readonly string[]>> = {
  'kube-prometheus-stack': [
    'prometheusOperator.resources',
    'prometheusOperator.prometheusConfigReloader.resources',
    'prometheus.prometheusSpec.resources',
    'alertmanager.alertmanagerSpec.resources',
    'grafana.resources',
    'grafana.sidecar.resources',
    'kube-state-metrics.resources',
    'prometheus-node-exporter.resources',
  ],
  'victoria-metrics': ['server.resources'],
  kiali: ['deployment.resources'],
  'fluent-bit': ['resources'],
  'otel-collector': ['resources'],
  'ingress-nginx': ['controller.resources', 'controller.admissionWebhooks.createSecretJob.resources', 'controller.admissionWebhooks.patchWebhookJob.resources'],
  'oauth2-proxy': ['resources'],
  descheduler: ['resources'],
};

describe('platform add-ons', () => {
  test('every add-on Application pins an exact chart version: no range, no wildcard, no "latest"', () => {
    const apps = addonApps();
    expect(apps.length).toBeGreaterThan(0);
    for (const { path, obj } of apps) {
      expect({ path, version: obj.spec.source.targetRevision }).toEqual({ path, version: expect.stringMatching(/^v?\d+\.\d+\.\d+$/) });
    }
  });

  test('every add-on installs into a namespace the sre team owns (Argo CD: its own), or the namespace of the tool sre runs for a team, through the sre-addons project or its own sre-addons-<name> one', () => {
    const sre = [...platform().teams.find((t) => t.name === 'sre')!.namespaces.map((n) => n.name), platform().argocdNamespace];
    // Keycloak (operator) and Temporal (chart) run in the namespace of the model service they serve.
    const tools = platform().teams.flatMap((t) => t.namespaces.filter((n) => n.services.some((s) => s.runtime === 'keycloak-operator' || s.runtime === 'temporal-server')).map((n) => n.name));
    for (const { path, obj } of addonApps()) {
      expect({ path, project: obj.spec.project.replace(/^sre-addons-.+$/, 'sre-addons'), owned: [...sre, ...tools].includes(obj.spec.destination.namespace) }).toEqual({ path, project: 'sre-addons', owned: true });
    }
  });

  test('the same add-ons, at the same versions, run in every environment (the contract broker only in the one the model names)', () => {
    const versions = (env: string) =>
      Object.fromEntries(addonApps(env).filter(({ obj }) => obj.metadata.name !== 'addon-pact-broker').map(({ obj }) => [obj.metadata.name, `${obj.spec.source.chart}@${obj.spec.source.targetRevision}`]));
    for (const env of platform().environments) expect(versions(env.name)).toEqual(versions('dev'));
    expect(Object.keys(versions('dev'))).toEqual(expect.arrayContaining(Object.keys(RESOURCE_PATHS).map((n) => `addon-${n}`)));
  });

  test('every container of the SRE tool add-ons has CPU and memory limits equal to its requests', () => {
    for (const env of platform().environments) {
      for (const [name, paths] of Object.entries(RESOURCE_PATHS)) {
        for (const path of paths) {
          const r = at(values(env.name, name), path);
          expect({ addon: name, path, limits: r?.limits }).toEqual({ addon: name, path, limits: { cpu: expect.any(String), memory: expect.any(String) } });
          expect({ addon: name, path, requests: r.requests }).toEqual({ addon: name, path, requests: r.limits });
        }
      }
    }
  });

  test('add-ons whose charts create ServiceMonitors sync after kube-prometheus-stack, which brings their CRDs', () => {
    expect(wave(addon('dev', 'kube-prometheus-stack'))).toBe(SYNC_WAVE.operators);
    expect(addon('dev', 'kube-prometheus-stack').spec.syncPolicy.syncOptions).toContain('ServerSideApply=true');
    for (const name of ['fluent-bit', 'ingress-nginx', 'oauth2-proxy', 'victoria-metrics']) expect(wave(addon('dev', name))).toBeGreaterThan(SYNC_WAVE.operators);
  });
});

describe('descheduler', () => {
  test('evicts only Pods a PodDisruptionBudget protects, never ones with volumes or system-critical ones, one per namespace per run', () => {
    const policy = values('prd', 'descheduler').deschedulerPolicy;
    const evictor = policy.profiles[0].pluginConfig.find((p: Loose) => p.name === 'DefaultEvictor').args;
    expect(evictor).toMatchObject({ ignorePodsWithoutPDB: true, ignorePvcPods: true, evictLocalStoragePods: false, evictSystemCriticalPods: false });
    expect(policy.maxNoOfPodsToEvictPerNamespace).toBe(1);
  });

  test('leaves node utilization to Karpenter’s consolidation (no utilization plugins)', () => {
    const { plugins } = values('dev', 'descheduler').deschedulerPolicy.profiles[0];
    const enabled = Object.values(plugins).flatMap((p: Loose) => p.enabled);
    expect(enabled).not.toEqual(expect.arrayContaining(['LowNodeUtilization']));
    expect(enabled).not.toEqual(expect.arrayContaining(['HighNodeUtilization']));
    expect(enabled).toEqual(expect.arrayContaining(['RemoveDuplicates', 'RemovePodsViolatingTopologySpreadConstraint', 'RemovePodsViolatingNodeTaints']));
  });

  test('runs in karpenter-infra (kube-system is no sre namespace) on the managed node group, passing Pod Security "restricted"', () => {
    const app = addon('stg', 'descheduler');
    expect(app.spec.destination.namespace).toBe('karpenter-infra');
    const v = app.spec.source.helm.valuesObject;
    expect(v.nodeSelector).toEqual(SYSTEM_NODE_LABELS);
    expect(v.tolerations).toEqual([{ key: SYSTEM_NODE_TAINT.key, operator: 'Equal', value: SYSTEM_NODE_TAINT.value, effect: SYSTEM_NODE_TAINT.effect }]);
    expect(v.securityContext).toMatchObject({ runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } });
  });

  test('its minor version follows every environment’s Kubernetes minor', () => {
    for (const env of platform().environments) {
      const [major, minor] = String(addon(env.name, 'descheduler').spec.source.targetRevision).split('.');
      expect(`1.${minor}`).toBe(env.kubernetesVersion);
      expect(major).toBe('0');
    }
  });
});

describe('add-on projects and deletion (issue 7)', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { readTree } = require('./support/tree') as typeof import('./support/tree');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { parse } = require('yaml') as typeof import('yaml');
  const dist = readTree(require('path').join(__dirname, '..', 'dist'));
  const obj = (p: string) => parse(dist.get(p)!);

  test('karpenter runs in its own project admitting kube-system and kube-node-lease, which the shared add-ons project does not', () => {
    const own = obj('dev/argocd/teams/appproject-sre-addons-karpenter.yaml');
    expect(own.spec.destinations.map((d: { namespace: string }) => d.namespace)).toEqual(['karpenter-infra', 'kube-node-lease', 'kube-system']);
    expect(obj('dev/argocd/children/sre/application-addon-karpenter.yaml').spec.project).toBe('sre-addons-karpenter');
    expect(obj('dev/argocd/teams/appproject-sre-addons.yaml').spec.destinations.map((d: { namespace: string }) => d.namespace)).not.toContain('kube-system');
  });

  test('CRD-owning add-ons carry Prune=false and no resources finalizer; others keep the finalizer', () => {
    for (const name of ['istio-base', 'external-secrets', 'kube-prometheus-stack', 'karpenter']) {
      const app = obj(`prd/argocd/children/sre/application-addon-${name}.yaml`);
      expect(app.metadata.annotations['argocd.argoproj.io/sync-options']).toBe('Prune=false');
      expect(app.metadata.finalizers).toBeUndefined();
    }
    expect(obj('prd/argocd/children/sre/application-addon-kiali.yaml').metadata.finalizers).toEqual(['resources-finalizer.argocd.argoproj.io']);
  });
});

describe('Argo CD as an add-on (issue 7)', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { parse } = require('yaml') as typeof import('yaml');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const fs = require('fs') as typeof import('fs');
  const at = (p: string) => parse(fs.readFileSync(`${__dirname}/../dist/${p}`, 'utf8'));

  test('the argo-cd chart is pinned, runs on the system nodes, checks Application health and runs the ksops sidecar with the ksops tool image', () => {
    const app = at('stg/argocd/children/sre/application-addon-argo-cd.yaml');
    expect(app.spec.source).toMatchObject({ repoURL: 'https://argoproj.github.io/argo-helm', chart: 'argo-cd', targetRevision: expect.stringMatching(/^\d+\.\d+\.\d+$/) });
    const values = app.spec.source.helm.valuesObject;
    expect(values.global.tolerations).toContainEqual({ key: 'CriticalAddonsOnly', operator: 'Equal', value: 'true', effect: 'NoSchedule' });
    expect(values.configs.cm['resource.customizations.health.argoproj.io_Application']).toContain('obj.status.health.status');
    const sidecar = values.repoServer.extraContainers.find((c: { name: string }) => c.name === 'ksops');
    expect(sidecar.image).toMatch(/^docker\.io\/viaductoss\/ksops:v[\d.]+@sha256:[a-f0-9]{64}$/);
    expect(values.repoServer.serviceAccount.annotations['eks.amazonaws.com/role-arn']).toBe('arn:aws:iam::222222222222:role/ec-stg-argocd-repo-server');
  });

  test('its project refuses Applications and AppProjects, and the Application is never pruned nor cascade-deleted', () => {
    const project = at('stg/argocd/teams/appproject-sre-addons-argo-cd.yaml');
    expect(project.spec.namespaceResourceBlacklist).toEqual([{ group: 'argoproj.io', kind: '*' }]);
    expect(project.spec.destinations).toEqual([{ server: 'https://kubernetes.default.svc', namespace: 'argocd' }]);
    const app = at('stg/argocd/children/sre/application-addon-argo-cd.yaml');
    expect(app.metadata.annotations['argocd.argoproj.io/sync-options']).toBe('Prune=false');
    expect(app.metadata.finalizers).toBeUndefined();
  });
});
