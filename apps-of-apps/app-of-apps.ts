import type { Construct } from 'constructs';
import { commonLabels } from '../charts/labels';
import { PlatformChart } from '../charts/platform-chart';
import { SYNC_WAVE } from '../charts/sync-options';
import { Application, AppProject, type ApplicationSpec } from '../imports/argoproj.io';
import {
  childApplicationName,
  childrenPath,
  CLUSTER_APPLICATION,
  clusterPath,
  namespacePath,
  parentApplicationName,
  PLATFORM_PROJECT,
  ROOT_APPLICATION,
  rootPath,
  SRE_TEAM,
  teamProjectName,
  teamsPath,
} from '../platform/naming';
import type { Environment, Platform, Team } from '../platform/types';

/** The in-cluster API server: each environment is its own cluster with its own Argo CD. */
export const IN_CLUSTER = 'https://kubernetes.default.svc';

/** A group/kind pair as AppProjects list them ("" is the core group). */
export interface GroupKind {
  readonly group: string;
  readonly kind: string;
}

export interface AppOfAppsProps {
  readonly platform: Platform;
  readonly env: Environment;
  /** Kinds each team's namespaces hold in the rendered tree (its project admits exactly these). */
  readonly namespacedKinds: ReadonlyMap<string, readonly GroupKind[]>;
  /** Cluster-scoped kinds of the rendered tree (only the sre project admits them). */
  readonly clusterKinds: readonly GroupKind[];
}

const FINALIZER = 'resources-finalizer.argocd.argoproj.io';
const WAVE = 'argocd.argoproj.io/sync-wave';

function automatedSync(extraOptions: string[] = []): ApplicationSpec['syncPolicy'] {
  return {
    automated: { prune: true, selfHeal: true },
    syncOptions: ['PrunePropagationPolicy=foreground', 'PruneLast=true', ...extraOptions],
    retry: { limit: 5, backoff: { duration: '10s', factor: 2, maxDuration: '3m' } },
  };
}

/**
 * The root Application of one environment (the only object applied by hand) and the `platform`
 * AppProject it lives in. The root syncs the team projects and parent Applications.
 */
export class RootChart extends PlatformChart {
  constructor(scope: Construct, id: string, props: Pick<AppOfAppsProps, 'platform' | 'env'>) {
    const { platform, env } = props;
    super(scope, id, { outputDir: rootPath(env), namespace: platform.argocdNamespace, labels: commonLabels(platform, env) });

    new AppProject(this, 'project', {
      metadata: { name: PLATFORM_PROJECT },
      spec: {
        description: 'Root and parent Applications: the platform repository only, Argo CD objects only.',
        sourceRepos: [platform.repo],
        destinations: [{ server: IN_CLUSTER, namespace: platform.argocdNamespace }],
        clusterResourceWhitelist: [],
        namespaceResourceWhitelist: [
          { group: 'argoproj.io', kind: 'Application' },
          { group: 'argoproj.io', kind: 'AppProject' },
        ],
        orphanedResources: { warn: true },
      },
    });

    new Application(this, 'root', {
      metadata: { name: ROOT_APPLICATION },
      spec: {
        project: PLATFORM_PROJECT,
        source: { repoUrl: platform.repo, targetRevision: env.targetRevision, path: teamsPath(env), directory: { recurse: false } },
        destination: { server: IN_CLUSTER, namespace: platform.argocdNamespace },
        syncPolicy: automatedSync(),
      },
    });
  }
}

/** One AppProject and one parent Application per team (what the root syncs). */
export class TeamsChart extends PlatformChart {
  constructor(scope: Construct, id: string, props: AppOfAppsProps) {
    const { platform, env } = props;
    super(scope, id, { outputDir: teamsPath(env), namespace: platform.argocdNamespace, labels: commonLabels(platform, env) });

    for (const team of platform.teams) {
      const isSre = team.name === SRE_TEAM;
      new AppProject(this, `project-${team.name}`, {
        metadata: { name: teamProjectName(team), annotations: { [WAVE]: String(SYNC_WAVE.projects) } },
        spec: {
          description: `Team ${team.name} (owners: ${team.owners.join(', ')}): its own namespaces only.`,
          // The rendered tree lives in the platform repo; the team repo holds its SOPS-encrypted secrets.
          sourceRepos: [platform.repo, team.repo],
          destinations: team.namespaces.map((ns) => ({ server: IN_CLUSTER, namespace: ns.name })),
          clusterResourceWhitelist: isSre ? [...props.clusterKinds] : [],
          namespaceResourceWhitelist: [...(props.namespacedKinds.get(team.name) ?? [])],
          orphanedResources: { warn: true },
          roles: [
            {
              name: 'owners',
              description: `Owners of team ${team.name}`,
              groups: [...team.owners],
              policies: [
                `p, proj:${team.name}:owners, applications, get, ${team.name}/*, allow`,
                `p, proj:${team.name}:owners, applications, sync, ${team.name}/*, allow`,
              ],
            },
          ],
        },
      });

      new Application(this, `parent-${team.name}`, {
        metadata: { name: parentApplicationName(team), annotations: { [WAVE]: String(isSre ? SYNC_WAVE.namespaces : SYNC_WAVE.workloads) } },
        spec: {
          // Parents live in the platform project: a team project must never create Applications,
          // or a team could name another team's project in one.
          project: PLATFORM_PROJECT,
          source: { repoUrl: platform.repo, targetRevision: env.targetRevision, path: childrenPath(env, team), directory: { recurse: false } },
          destination: { server: IN_CLUSTER, namespace: platform.argocdNamespace },
          syncPolicy: automatedSync(),
        },
      });
    }
  }
}

/** One child Application per namespace of a team (plus, for sre, the cluster-scoped objects). */
export class ChildrenChart extends PlatformChart {
  constructor(scope: Construct, id: string, props: Pick<AppOfAppsProps, 'platform' | 'env'> & { readonly team: Team }) {
    const { platform, env, team } = props;
    super(scope, id, { outputDir: childrenPath(env, team), namespace: platform.argocdNamespace, labels: commonLabels(platform, env, team) });

    if (team.name === SRE_TEAM) {
      new Application(this, 'cluster', {
        metadata: { name: CLUSTER_APPLICATION, annotations: { [WAVE]: String(SYNC_WAVE.namespaces) } },
        spec: {
          project: teamProjectName(team),
          source: { repoUrl: platform.repo, targetRevision: env.targetRevision, path: clusterPath(env), directory: { recurse: false } },
          destination: { server: IN_CLUSTER },
          // No finalizer: deleting this Application must never delete Namespaces.
          syncPolicy: automatedSync(['ServerSideApply=true']),
        },
      });
    }

    for (const ns of team.namespaces) {
      new Application(this, `child-${ns.name}`, {
        metadata: { name: childApplicationName(ns), finalizers: [FINALIZER], annotations: { [WAVE]: String(SYNC_WAVE.workloads) } },
        spec: {
          project: teamProjectName(team),
          source: { repoUrl: platform.repo, targetRevision: env.targetRevision, path: namespacePath(env, ns), directory: { recurse: false } },
          destination: { server: IN_CLUSTER, namespace: ns.name },
          syncPolicy: automatedSync(),
        },
      });
    }
  }
}
