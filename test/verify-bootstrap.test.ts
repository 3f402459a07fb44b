import { argocdInstallation } from '../verify/bootstrap/argocd-installation';
import { chartValuesKeys, isChartKey, valuesPaths } from '../verify/bootstrap/chart-values-keys';
import { CHART_VALUES } from '../verify/upstream/charts';
import { crdAddonPrune } from '../verify/bootstrap/crd-addon-prune';
import { crdArrival } from '../verify/bootstrap/crd-arrival';
import { eksAddonTolerations } from '../verify/bootstrap/eks-addon-tolerations';
import { hookExternalSecret } from '../verify/bootstrap/hook-external-secret';
import { imageDigest } from '../verify/bootstrap/image-digest';
import { projectDestination } from '../verify/bootstrap/project-destination';
import { projectResources } from '../verify/bootstrap/project-resources';
import { projectSource } from '../verify/bootstrap/project-source';
import { referenceAvailability } from '../verify/bootstrap/reference-availability';
import { retryPolicy, retryWindowSeconds } from '../verify/bootstrap/retry-policy';
import { allocatableMillicores, systemNodeCapacity } from '../verify/bootstrap/system-node-capacity';
import { globMatch } from '../verify/upstream/app-project';
import { application, dirSource, messages, project, REPO, SERVER, verifyTiny } from './support/verify-tree';

const sreProject = (spec: Record<string, unknown> = {}) =>
  project('sre', { destinations: [{ server: SERVER, namespace: 'karpenter-infra' }], clusterResourceWhitelist: [{ group: '', kind: 'Namespace' }], ...spec });

const job = (name: string, annotations: Record<string, string>, pod: Record<string, unknown>) => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name, namespace: 'app', annotations },
  spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'job', image: 'r/x:1' }], ...pod } } },
});

describe('project-destination', () => {
  test('an Application with no destination namespace is refused by a project listing only concrete namespaces', () => {
    const f = verifyTiny(
      {
        'argocd/teams/appproject-sre.yaml': sreProject(),
        'argocd/teams/application-cluster.yaml': application('cluster', { project: 'sre', source: dirSource('cluster'), destination: { server: SERVER } }),
      },
      [projectDestination],
    );
    expect(messages(f)).toEqual(['argocd/teams/application-cluster.yaml: Application cluster: project sre does not admit destination https://kubernetes.default.svc with an empty namespace']);
  });

  test('a project pattern "*" admits the empty namespace, as argo-cd globMatch does', () => {
    expect(globMatch('*', '')).toBe(true);
    expect(globMatch('karpenter-*', '')).toBe(false);
    expect(globMatch('team-*', 'team-a')).toBe(true);
  });

  test('an Application naming a project that is not rendered is reported', () => {
    const f = verifyTiny({ 'argocd/teams/application-x.yaml': application('x', { project: 'nope', source: dirSource('x'), destination: { server: SERVER, namespace: 'x' } }) }, [projectDestination]);
    expect(messages(f)).toEqual(['argocd/teams/application-x.yaml: Application x: project "nope" is not rendered in this environment']);
  });
});

describe('project-source', () => {
  test('a chart repo missing from sourceRepos is refused', () => {
    const f = verifyTiny(
      {
        'argocd/teams/appproject-sre.yaml': sreProject(),
        'argocd/teams/application-a.yaml': application('a', { project: 'sre', source: { repoURL: 'https://charts.example', chart: 'c', targetRevision: '1.0.0' }, destination: { server: SERVER, namespace: 'karpenter-infra' } }),
      },
      [projectSource],
    );
    expect(messages(f)).toEqual(['argocd/teams/application-a.yaml: Application a: project sre does not admit source repo https://charts.example']);
  });
});

describe('project-resources', () => {
  test('the karpenter chart writes Roles into kube-system and kube-node-lease, which a project of its release namespace refuses', () => {
    const f = verifyTiny(
      {
        'argocd/teams/appproject-sre.yaml': sreProject({ sourceRepos: ['public.ecr.aws/karpenter'], namespaceResourceWhitelist: [{ group: '*', kind: '*' }] }),
        'argocd/teams/application-karpenter.yaml': application('karpenter', {
          project: 'sre',
          source: { repoURL: 'public.ecr.aws/karpenter', chart: 'karpenter', targetRevision: '1.14.1' },
          destination: { server: SERVER, namespace: 'karpenter-infra' },
        }),
      },
      [projectResources],
    );
    expect(messages(f)).toEqual(expect.arrayContaining([expect.stringMatching(/^argocd\/teams\/application-karpenter.yaml: Application karpenter: project sre does not admit namespace "kube-node-lease" for rbac.authorization.k8s.io\/Role \(chart karpenter writes to kube-node-lease: aws\/karpenter-provider-aws charts\/karpenter\/templates\/role.yaml/)]));
    expect(f.filter((x) => /"kube-system"/.test(x.message))).toHaveLength(2);
  });

  test('a cluster-scoped kind outside clusterResourceWhitelist is refused', () => {
    const f = verifyTiny(
      {
        'argocd/teams/appproject-sre.yaml': sreProject(),
        'argocd/teams/application-c.yaml': application('c', { project: 'sre', source: dirSource('cluster'), destination: { server: SERVER, namespace: 'karpenter-infra' } }),
        'cluster/storageclass-gp3.yaml': { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'gp3' }, provisioner: 'ebs.csi.aws.com' },
      },
      [projectResources],
    );
    expect(messages(f)).toEqual(['argocd/teams/application-c.yaml: Application c: project sre does not admit cluster-scoped kind storage.k8s.io/StorageClass (cluster/storageclass-gp3.yaml)']);
  });
});

describe('crd-arrival', () => {
  const files = (cluster: Record<string, string>) => ({
    'argocd/teams/appproject-sre.yaml': sreProject({ sourceRepos: ['*'], destinations: [{ server: SERVER, namespace: '*' }], clusterResourceWhitelist: [{ group: '*', kind: '*' }] }),
    'argocd/teams/application-cluster.yaml': application('cluster', { project: 'sre', source: dirSource('cluster'), destination: { server: SERVER, namespace: 'karpenter-infra' } }, cluster),
    'argocd/teams/application-karpenter.yaml': application('karpenter', { project: 'sre', source: { repoURL: 'public.ecr.aws/karpenter', chart: 'karpenter', targetRevision: '1.14.1' }, destination: { server: SERVER, namespace: 'karpenter-infra' } }, { 'argocd.argoproj.io/sync-wave': '-10' }),
    'cluster/nodepool-shared.yaml': { apiVersion: 'karpenter.sh/v1', kind: 'NodePool', metadata: { name: 'shared' }, spec: {} },
  });

  test('a NodePool in an Application ordered before the Karpenter add-on waits for a CRD that never comes', () => {
    const f = verifyTiny(files({ 'argocd.argoproj.io/sync-wave': '-30' }), [crdArrival]);
    expect(messages(f)).toEqual(['cluster/nodepool-shared.yaml: NodePool shared (Application cluster, wave 0): its CRD (karpenter.sh) arrives later, with karpenter, which waits for cluster to be Healthy first']);
  });

  test('the same NodePool synced after the add-on is fine', () => {
    expect(verifyTiny(files({ 'argocd.argoproj.io/sync-wave': '-1' }), [crdArrival])).toEqual([]);
  });

  const keycloak = (operatorSource: Record<string, unknown>) => ({
    'argocd/teams/appproject-sre.yaml': sreProject({ sourceRepos: ['*'], destinations: [{ server: SERVER, namespace: '*' }], clusterResourceWhitelist: [{ group: '*', kind: '*' }] }),
    'argocd/teams/application-operator.yaml': application('operator', { project: 'sre', source: operatorSource, destination: { server: SERVER, namespace: 'auth' } }, { 'argocd.argoproj.io/sync-wave': '-10' }),
    'argocd/teams/application-auth.yaml': application('auth', { project: 'sre', source: dirSource('namespaces/auth'), destination: { server: SERVER, namespace: 'auth' } }),
    'namespaces/auth/keycloak-keycloak.yaml': { apiVersion: 'k8s.keycloak.org/v2alpha1', kind: 'Keycloak', metadata: { name: 'keycloak', namespace: 'auth' }, spec: {} },
  });

  test("a Keycloak CR is satisfied by an earlier Application of the operator's upstream manifest folder", () => {
    expect(verifyTiny(keycloak({ repoURL: 'https://github.com/keycloak/keycloak-k8s-resources', path: 'kubernetes', targetRevision: '26.4.2' }), [crdArrival])).toEqual([]);
  });

  test('an upstream manifest folder the facts table does not know installs no CRD', () => {
    const f = verifyTiny(keycloak({ repoURL: 'https://github.com/keycloak/keycloak-k8s-resources', path: 'other', targetRevision: '26.4.2' }), [crdArrival]);
    expect(messages(f)).toEqual(['namespaces/auth/keycloak-keycloak.yaml: Keycloak keycloak: no Application of this environment installs the CRDs of k8s.keycloak.org']);
  });
});

describe('reference-availability', () => {
  const app = { 'argocd/teams/application-app.yaml': application('app', { project: 'p', source: dirSource('namespaces/app'), destination: { server: SERVER, namespace: 'app' } }) };
  const externalSecret = (annotations: Record<string, string>) => ({
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: { name: 'svc-app', namespace: 'app', annotations },
    spec: { secretStoreRef: { kind: 'ClusterSecretStore', name: 'aws' }, target: { name: 'svc-app' } },
  });
  const store = { 'cluster/clustersecretstore-aws.yaml': { apiVersion: 'external-secrets.io/v1', kind: 'ClusterSecretStore', metadata: { name: 'aws' }, spec: {} } };

  test('a PreSync Job reading a Secret that only appears in the Sync phase never starts', () => {
    const f = verifyTiny(
      {
        ...app,
        'argocd/teams/application-cluster.yaml': application('cluster', { project: 'p', source: dirSource('cluster') }, { 'argocd.argoproj.io/sync-wave': '-30' }),
        ...store,
        'namespaces/app/externalsecret-svc-app.yaml': externalSecret({}),
        'namespaces/app/job-migrate.yaml': job('migrate', { 'argocd.argoproj.io/hook': 'PreSync' }, { containers: [{ name: 'job', image: 'r/x:1', envFrom: [{ secretRef: { name: 'svc-app' } }] }] }),
      },
      [referenceAvailability],
    );
    expect(messages(f)).toEqual([
      'namespaces/app/job-migrate.yaml: Job migrate (PreSync, wave 0) references Secret svc-app in containers[job].envFrom, which only exists from Sync wave 0 via ExternalSecret svc-app (namespaces/app/externalsecret-svc-app.yaml)',
    ]);
  });

  test('a Sync hook Job in a later wave than the ExternalSecret finds its Secret, and the store comes from an earlier Application', () => {
    const f = verifyTiny(
      {
        ...app,
        'argocd/teams/application-cluster.yaml': application('cluster', { project: 'p', source: dirSource('cluster') }, { 'argocd.argoproj.io/sync-wave': '-30' }),
        ...store,
        'namespaces/app/externalsecret-svc-app.yaml': externalSecret({ 'argocd.argoproj.io/sync-wave': '-2' }),
        'namespaces/app/job-migrate.yaml': job('migrate', { 'argocd.argoproj.io/hook': 'Sync', 'argocd.argoproj.io/sync-wave': '-1' }, { containers: [{ name: 'job', image: 'r/x:1', envFrom: [{ secretRef: { name: 'svc-app' } }] }] }),
      },
      [referenceAvailability],
    );
    expect(f).toEqual([]);
  });

  test('a ServiceAccount no Application creates is reported', () => {
    const f = verifyTiny({ ...app, 'namespaces/app/job-x.yaml': job('x', {}, { serviceAccountName: 'ghost' }) }, [referenceAvailability]);
    expect(messages(f)).toEqual(['namespaces/app/job-x.yaml: Job x (Sync, wave 0) references ServiceAccount ghost in serviceAccountName, which no Application of this environment creates']);
  });
});

describe('hook-external-secret', () => {
  test('a PreSync ExternalSecret with the default creationPolicy garbage-collects its Secret', () => {
    const f = verifyTiny(
      {
        'namespaces/app/externalsecret-db.yaml': {
          apiVersion: 'external-secrets.io/v1',
          kind: 'ExternalSecret',
          metadata: { name: 'db', namespace: 'app', annotations: { 'argocd.argoproj.io/hook': 'PreSync', 'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation' } },
          spec: { target: { name: 'db' } },
        },
      },
      [hookExternalSecret],
    );
    expect(messages(f)).toEqual(['namespaces/app/externalsecret-db.yaml: ExternalSecret db is a PreSync hook with creationPolicy Owner: deleting the hook (BeforeHookCreation) garbage-collects Secret db']);
  });
});

describe('image-digest', () => {
  test('a repeated-byte digest is a placeholder no registry serves; a real-looking one passes', () => {
    const f = verifyTiny(
      {
        'namespaces/app/job-a.yaml': job('a', {}, { containers: [{ name: 'job', image: `r/x@sha256:${'d6'.repeat(32)}` }] }),
        'namespaces/app/job-b.yaml': job('b', {}, { containers: [{ name: 'job', image: 'r/x@sha256:0d1c2b3a495867768594a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2' }] }),
      },
      [imageDigest],
    );
    expect(messages(f)).toEqual(['namespaces/app/job-a.yaml: Job a: spec.template.spec.containers[0].image names placeholder digest sha256:d6d6d6d6… (one byte repeated or not 64 hex characters): no registry serves it']);
  });
});

describe('crd-addon-prune', () => {
  test('an add-on installing CRDs with a resources finalizer and no Prune=false is cascade-deleted with its CRDs', () => {
    const f = verifyTiny(
      {
        'argocd/teams/application-eso.yaml': application(
          'eso',
          { project: 'p', source: { repoURL: 'https://charts.external-secrets.io', chart: 'external-secrets', targetRevision: '0.20.4' } },
          {},
          { finalizers: ['resources-finalizer.argocd.argoproj.io'] },
        ),
      },
      [crdAddonPrune],
    );
    expect(messages(f)).toEqual([
      'argocd/teams/application-eso.yaml: Application eso installs the CRDs of external-secrets.io, generators.external-secrets.io and carries resources-finalizer.argocd.argoproj.io: deleting it cascades to its CRDs',
      'argocd/teams/application-eso.yaml: Application eso installs the CRDs of external-secrets.io, generators.external-secrets.io but lacks argocd.argoproj.io/sync-options: Prune=false: pruning it from its parent deletes them and every object of their kinds',
    ]);
  });
});

describe('argocd-installation', () => {
  const taintedNodes = {
    'terraform/cluster/cdk.tf.json': { resource: { aws_eks_node_group: { system: { taint: [{ key: 'CriticalAddonsOnly', value: 'true', effect: 'NO_SCHEDULE' }], instance_types: ['m7i.large'], scaling_config: { min_size: 2 } } } } },
  };

  test('a tree with no argo-cd Application leaves Argo CD hand-installed', () => {
    expect(messages(verifyTiny({}, [argocdInstallation]))).toEqual([
      'argocd/root/application-root.yaml: no Application installs Argo CD (chart argo-cd): it stays hand-installed, without the Application health check, plugins or tolerations the tree needs',
    ]);
  });

  test('an argo-cd add-on without health check, plugin sidecar, repo-server role or tolerations is reported for each', () => {
    const f = verifyTiny(
      {
        ...taintedNodes,
        'argocd/teams/application-argocd.yaml': application('argocd', { project: 'p', source: { repoURL: 'https://argoproj.github.io/argo-helm', chart: 'argo-cd', targetRevision: '9.1.0', helm: { valuesObject: {} } } }),
        'argocd/teams/application-team.yaml': application('team', { project: 'p', sources: [dirSource('x'), { repoURL: REPO, path: 'secrets', plugin: { name: 'ksops' } }] }),
      },
      [argocdInstallation],
    );
    expect(f.map((x) => x.message)).toEqual([
      'Application argocd: configs.cm lacks resource.customizations.health.argoproj.io_Application: app-of-apps sync waves do not wait for child Applications to be Healthy',
      'Application argocd: configs.cmp.plugins has no "ksops", which Applications name as their plugin',
      'Application argocd: global.tolerations tolerate none of the managed node groups\' taints: Argo CD never schedules on a fresh cluster',
      'Application argocd: repoServer.extraContainers has no argocd-cmp-server sidecar mounting ksops.yaml: plugin "ksops" is never found',
      'Application argocd: the repo-server runs plugins (ksops) but its ServiceAccount names no IAM role Terraform renders (no eks.amazonaws.com/role-arn)',
    ]);
  });
});

describe('retry-policy', () => {
  test('retry.limit 5 with a 10s doubling backoff gives up after about five minutes of a cold bootstrap', () => {
    expect(retryWindowSeconds({ limit: 5, backoff: { duration: '10s', factor: 2, maxDuration: '3m' } })).toBe(310);
    expect(retryWindowSeconds({ limit: -1 })).toBe(Infinity);
    const f = verifyTiny({ 'argocd/teams/application-a.yaml': { ...application('a', { project: 'p', source: dirSource('x') }), spec: { project: 'p', source: dirSource('x'), destination: { server: SERVER, namespace: 'argocd' }, syncPolicy: { automated: {}, retry: { limit: 5, backoff: { duration: '10s', factor: 2, maxDuration: '3m' } } } } } }, [retryPolicy]);
    expect(messages(f)).toEqual(['argocd/teams/application-a.yaml: Application a: retry.limit 5 gives up after ~5 minutes, less than the 30 minutes of a cold bootstrap']);
  });
});

describe('eks-addon-tolerations', () => {
  test('metrics-server without tolerations never schedules on tainted system nodes; coredns tolerates them by default', () => {
    const f = verifyTiny(
      {
        'terraform/cluster/cdk.tf.json': {
          resource: {
            aws_eks_node_group: { system: { taint: [{ key: 'CriticalAddonsOnly', value: 'true', effect: 'NO_SCHEDULE' }] } },
            aws_eks_addon: { ms: { addon_name: 'metrics-server' }, dns: { addon_name: 'coredns' } },
          },
        },
      },
      [eksAddonTolerations],
    );
    expect(messages(f)).toEqual([
      "terraform/cluster/cdk.tf.json: aws_eks_addon.ms (metrics-server) tolerates none of the managed node groups' taints (CriticalAddonsOnly=true:NoSchedule): its Pods never schedule and the apply times out",
    ]);
  });
});

describe('system-node-capacity', () => {
  const nodes = (min: number) => ({
    'terraform/cluster/cdk.tf.json': { resource: { aws_eks_node_group: { system: { labels: { pool: 'system' }, instance_types: ['m7i.large'], scaling_config: { min_size: min } } } } },
  });
  const pinned = (cpu: string) =>
    application('k', { project: 'p', source: { repoURL: 'r', chart: 'karpenter', targetRevision: '1', helm: { valuesObject: { nodeSelector: { pool: 'system' } } } } }, { 'platform.ec/system-node-requests': `cpu=${cpu}` });

  test('two m7i.large nodes (2 x 1930m allocatable) cannot hold 4700m of pinned requests', () => {
    expect(allocatableMillicores(2)).toBe(1930);
    const f = verifyTiny({ ...nodes(2), 'argocd/teams/application-k.yaml': pinned('4700m') }, [systemNodeCapacity]);
    expect(messages(f)).toEqual(['terraform/cluster/cdk.tf.json: aws_eks_node_group.system: 2 x m7i.large allocate 3860m CPU, less than the 4700m pinned to it (k 4700m)']);
    expect(verifyTiny({ ...nodes(3), 'argocd/teams/application-k.yaml': pinned('4700m') }, [systemNodeCapacity])).toEqual([]);
  });

  test('an Application pinning Pods to the group without declaring their requests is reported', () => {
    const app = pinned('1');
    delete app.metadata.annotations['platform.ec/system-node-requests'];
    const f = verifyTiny({ ...nodes(2), 'argocd/teams/application-k.yaml': app }, [systemNodeCapacity]);
    expect(messages(f)).toEqual(['argocd/teams/application-k.yaml: Application k pins Pods to a managed node group (nodeSelector {"pool":"system"}) but declares no platform.ec/system-node-requests: the group\'s size cannot be checked against them']);
  });
});

describe('chart-values-keys', () => {
  const temporalApp = (targetRevision: string, valuesObject: Record<string, unknown>) => ({
    'argocd/teams/appproject-sre.yaml': sreProject({ sourceRepos: ['https://go.temporal.io/helm-charts'], destinations: [{ server: SERVER, namespace: 'saga-service' }] }),
    'argocd/teams/application-addon-temporal.yaml': application('addon-temporal', {
      project: 'sre',
      source: { repoURL: 'https://go.temporal.io/helm-charts', chart: 'temporal', targetRevision, helm: { valuesObject } },
      destination: { server: SERVER, namespace: 'saga-service' },
    }),
  });

  test('a values key the pinned chart does not have is reported with its path; per-service keys and free-form values pass', () => {
    const f = verifyTiny(
      temporalApp(CHART_VALUES.temporal.version, {
        server: { replicaCount: 2, frontend: { service: { appProtocol: 'grpc' }, podDisruptionBudget: { maxUnavailable: 1 } }, config: { persistence: { default: { sql: { tls: { enabled: true } } } } } },
        web: { additionalEnvSecretName: 'ui', extraEnvSecret: 'typo' },
        schema: { setup: { enable: true } },
      }),
      [chartValuesKeys],
    );
    expect(messages(f)).toEqual([
      expect.stringMatching(/^argocd\/teams\/application-addon-temporal\.yaml: Application addon-temporal: values key schema\.setup\.enable is not a key of chart temporal 0\.73\.1 \(temporalio\/helm-charts charts\/temporal\/values\.yaml/),
      expect.stringMatching(/values key web\.extraEnvSecret is not a key of chart temporal 0\.73\.1/),
    ]);
  });

  test('an Application pinning another chart version than the facts were read at is reported', () => {
    const f = verifyTiny(temporalApp('0.74.0', { web: { enabled: true } }), [chartValuesKeys]);
    expect(messages(f)).toEqual([expect.stringMatching(/Application addon-temporal: chart temporal 0\.74\.0, but its values keys were read at 0\.73\.1 .*re-read them$/)]);
  });

  test('paths stop at free-form values and a wildcard stands only for the listed services', () => {
    expect(valuesPaths({ a: { resources: { limits: { cpu: 1 } } }, b: [1] }, ['resources'])).toEqual(['a.resources', 'b']);
    expect(isChartKey(CHART_VALUES.temporal, 'server.history.podDisruptionBudget')).toBe(true);
    expect(isChartKey(CHART_VALUES.temporal, 'server.gateway.podDisruptionBudget')).toBe(false);
  });
});
