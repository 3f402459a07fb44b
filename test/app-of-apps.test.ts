import { examplePlatform } from './support/example';
import { exampleFiles, objectAt, objectsWhere, renderedPath } from './support/rendered';

const applications = () => objectsWhere((o) => o.kind === 'Application');
const projects = () => objectsWhere((o) => o.kind === 'AppProject');
const inDir = (dir: string) => [...exampleFiles().keys()].filter((p) => p.startsWith(`${dir}/`) && !p.slice(dir.length + 1).includes('/'));

describe('the ArgoCD app-of-apps', () => {
  test('each environment has one root Application pointing at the team projects and parents', () => {
    for (const env of examplePlatform().environments) {
      const root = objectAt(`${env.name}/argocd/root/application-root.yaml`);
      expect(root.spec.source).toMatchObject({ repoURL: examplePlatform().repo, path: `dist/${env.name}/argocd/teams`, targetRevision: 'main' });
      expect(root.spec.project).toBe('platform');
    }
  });

  test('the root syncs exactly one AppProject and one parent Application per team', () => {
    const teams = examplePlatform().teams.map((t) => t.name).sort();
    const files = inDir('dev/argocd/teams');
    // Plus the sre team's add-ons projects (upstream Helm charts; charts writing beyond sre's namespaces get their own).
    expect(files.filter((f) => f.includes('/appproject-')).map((f) => objectAt(f).metadata.name).sort()).toEqual([...teams, 'sre-addons', 'sre-addons-argo-cd', 'sre-addons-karpenter'].sort());
    expect(files.filter((f) => f.includes('/application-')).map((f) => objectAt(f).metadata.name).sort()).toEqual(teams.map((t) => `team-${t}`));
  });

  test('each parent points at its team’s children, one child Application per owned namespace', () => {
    for (const team of examplePlatform().teams) {
      const parent = objectAt(`prd/argocd/teams/application-team-${team.name}.yaml`);
      expect(parent.spec.source.path).toBe(`dist/prd/argocd/children/${team.name}`);
      const children = inDir(`prd/argocd/children/${team.name}`).map((f) => objectAt(f)).filter((a) => a.metadata.name.startsWith('ns-'));
      expect(children.map((c) => c.spec.destination.namespace).sort()).toEqual(team.namespaces.map((n) => n.name).sort());
      for (const c of children) expect(c.spec.project).toBe(team.name);
    }
  });

  test('every Application source path exists in the rendered tree and is not empty', () => {
    for (const { obj } of applications().filter(({ obj: o }) => renderedPath(o, examplePlatform().repo) !== undefined)) {
      const dir = renderedPath(obj, examplePlatform().repo)!.replace(/^dist\//, '');
      expect([...exampleFiles().keys()].filter((p) => p.startsWith(`${dir}/`)).length).toBeGreaterThan(0);
    }
  });

  test('parents and the root live in the platform project, which admits only Argo CD objects in the Argo CD namespace', () => {
    const platform = objectAt('dev/argocd/root/appproject-platform.yaml');
    expect(platform.spec.sourceRepos).toEqual([examplePlatform().repo]);
    expect(platform.spec.destinations).toEqual([{ server: 'https://kubernetes.default.svc', namespace: 'argocd' }]);
    expect(platform.spec.clusterResourceWhitelist).toEqual([]);
    expect(platform.spec.namespaceResourceWhitelist).toEqual([
      { group: 'argoproj.io', kind: 'Application' },
      { group: 'argoproj.io', kind: 'AppProject' },
    ]);
    for (const { obj } of applications().filter(({ path }) => path.includes('/argocd/teams/') || path.includes('/argocd/root/'))) expect(obj.spec.project).toBe('platform');
  });

  test('a team project admits only its own repos and namespaces, no cluster-scoped kinds, and no Argo CD kinds', () => {
    for (const team of examplePlatform().teams.filter((t) => t.name !== 'sre')) {
      const project = objectAt(`stg/argocd/teams/appproject-${team.name}.yaml`);
      expect(project.spec.sourceRepos).toEqual([examplePlatform().repo, team.repo]);
      expect(project.spec.destinations.map((d: { namespace: string }) => d.namespace)).toEqual(team.namespaces.map((n) => n.name));
      expect(project.spec.clusterResourceWhitelist).toEqual([]);
      expect(project.spec.namespaceResourceWhitelist).not.toContainEqual(expect.objectContaining({ group: 'argoproj.io' }));
      expect(project.spec.namespaceResourceWhitelist).not.toContainEqual(expect.objectContaining({ kind: '*' }));
    }
  });

  test('a team project admits exactly the kinds rendered in its namespaces', () => {
    const project = objectAt('dev/argocd/teams/appproject-order.yaml');
    const rendered = objectsWhere((_o, path) => path.startsWith('dev/namespaces/order-service/')).map(({ obj }) => ({ group: obj.apiVersion.includes('/') ? obj.apiVersion.split('/')[0] : '', kind: obj.kind }));
    const unique = [...new Map(rendered.map((gk) => [`${gk.group}/${gk.kind}`, gk])).values()];
    expect([...project.spec.namespaceResourceWhitelist].sort((a, b) => a.kind.localeCompare(b.kind))).toEqual(unique.sort((a, b) => a.kind.localeCompare(b.kind)));
  });

  test('only the sre project admits cluster-scoped kinds, and only those rendered under cluster/ and cluster-nodes/', () => {
    const sre = objectAt('dev/argocd/teams/appproject-sre.yaml');
    const clusterKinds = objectsWhere((_o, p) => /^dev\/cluster(-nodes|-config)?\//.test(p)).map(({ obj }) => `${obj.apiVersion.includes('/') ? obj.apiVersion.split('/')[0] : ''}/${obj.kind}`);
    expect(sre.spec.clusterResourceWhitelist.map((gk: { group: string; kind: string }) => `${gk.group}/${gk.kind}`).sort()).toEqual([...new Set(clusterKinds)].sort());
    const cluster = objectAt('dev/argocd/children/sre/application-cluster.yaml');
    expect(cluster.spec).toMatchObject({ project: 'sre', source: { path: 'dist/dev/cluster' } });
    expect(cluster.metadata.finalizers).toBeUndefined();
  });

  test('the cluster/ folder holds only cluster-scoped objects and namespaces/ only namespaced ones', () => {
    for (const { path, obj } of objectsWhere(() => true)) {
      if (/\/cluster(-nodes|-config)?\//.test(path)) expect(obj.metadata.namespace).toBeUndefined();
      else expect(obj.metadata.namespace).toBeDefined();
      if (path.includes('/namespaces/')) expect(obj.metadata.namespace).toBe(path.split('/')[2]);
    }
  });

  test('namespaces are never pruned automatically and sync before the workloads', () => {
    const ns = objectAt('prd/cluster/namespace-payment-service.yaml');
    expect(ns.metadata.annotations['argocd.argoproj.io/sync-options']).toBe('Prune=false');
    const child = objectAt('prd/argocd/children/payment/application-ns-payment-service.yaml');
    expect(Number(ns.metadata.annotations['argocd.argoproj.io/sync-wave'])).toBeLessThan(Number(child.metadata.annotations['argocd.argoproj.io/sync-wave']));
  });

  test('namespaces carry their mesh membership and Pod Security level', () => {
    expect(objectAt('dev/cluster/namespace-order-service.yaml').metadata.labels).toMatchObject({ 'istio-injection': 'enabled', 'pod-security.kubernetes.io/enforce': 'restricted' });
    expect(objectAt('dev/cluster/namespace-istio-system.yaml').metadata.labels['istio-injection']).toBeUndefined();
    expect(objectAt('dev/cluster/namespace-logging-infra.yaml').metadata.labels['istio-injection']).toBeUndefined();
    expect(objectAt('dev/cluster/namespace-logging-infra.yaml').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
  });

  test('a namespace whose services keep SOPS-encrypted secrets also syncs them, untouched, from its team repo through the KSOPS plugin', () => {
    const child = objectAt('stg/argocd/children/payment/application-ns-payment-service.yaml');
    expect(child.spec.source).toBeUndefined();
    expect(child.spec.sources).toEqual([
      { repoURL: examplePlatform().repo, targetRevision: 'main', path: 'dist/stg/namespaces/payment-service', directory: { recurse: false } },
      { repoURL: 'https://github.com/example-shop/payment.git', targetRevision: 'main', path: 'secrets/stg/payment-service', plugin: { name: 'ksops' } },
    ]);
    expect(objectAt('stg/argocd/teams/appproject-payment.yaml').spec.namespaceResourceWhitelist).toContainEqual({ group: '', kind: 'Secret' });
    expect(objectAt('stg/argocd/teams/appproject-order.yaml').spec.namespaceResourceWhitelist).not.toContainEqual({ group: '', kind: 'Secret' });
    const app = objectAt('stg/namespaces/payment-service/deployment-payment-service.yaml').spec.template.spec.containers[0];
    expect(app.envFrom).toContainEqual({ secretRef: { name: 'payment-service-sops' } });
  });

  test('every rendered Application and AppProject is in the Argo CD namespace', () => {
    for (const { obj } of [...applications(), ...projects()]) expect(obj.metadata.namespace).toBe('argocd');
  });
});
