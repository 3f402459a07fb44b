import { posix } from 'path';
import type { Construct } from 'constructs';
import { commonLabels } from '../charts/labels';
import { PlatformChart } from '../charts/platform-chart';
import { SYNC_WAVE } from '../charts/sync-options';
import { Application, AppProject, type ApplicationSpec } from '../imports/argoproj.io';
import { ADDON_CLUSTER_KINDS, addonApplicationName, hasOwnProject, type AddonSpec } from './addon';
import { environmentSyncPolicy, projectSyncWindows } from './sync-policy';
import {
  childApplicationName,
  childrenPath,
  CLUSTER_APPLICATION,
  CLUSTER_NODES_APPLICATION,
  clusterNodesPath,
  clusterPath,
  namespacePath,
  parentApplicationName,
  PLATFORM_PROJECT,
  ROOT_APPLICATION,
  rootPath,
  SOPS_PLUGIN,
  SOPS_ROOT,
  SRE_TEAM,
  teamProjectName,
  teamsPath,
} from '../platform/naming';
import { SYSTEM_NODE_REQUESTS_ANNOTATION, systemNodeRequestsValue } from '../platform/system-nodes';
import type { Environment, Platform, Team } from '../platform/types';

/**
 * Destination namespace of the Applications that sync cluster-scoped objects: the sre team's first
 * namespace (a destination its project admits; no object lands there).
 */
export function clusterApplicationNamespace(team: Team): string {
  const first = team.namespaces[0];
  if (!first) throw new Error(`team ${team.name} owns no namespace: the cluster Application needs one as its destination`);
  return first.name;
}

const usesSops = (team: Team): boolean => team.namespaces.some((ns) => ns.services.some((s) => s.secrets.some((x) => x.from === 'sops')));

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
  /** Upstream Helm charts the sre team runs (their own project: `ADDONS_PROJECT`). */
  readonly addons: readonly AddonSpec[];
}

/** AppProject of the platform add-ons: their Helm repos, sre namespaces, and the cluster kinds operators need. */
export const ADDONS_PROJECT = 'sre-addons';

/** AppProject of an add-on: its own when its chart writes beyond sre's namespaces, else the shared one. */
export const addonProjectName = (addon: AddonSpec): string => (hasOwnProject(addon) ? `${ADDONS_PROJECT}-${addon.name}` : ADDONS_PROJECT);

const FINALIZER = 'resources-finalizer.argocd.argoproj.io';
const WAVE = 'argocd.argoproj.io/sync-wave';
const SYNC_OPTIONS = 'argocd.argoproj.io/sync-options';

function automatedSync(extraOptions: string[] = []): ApplicationSpec['syncPolicy'] {
  return {
    automated: { prune: true, selfHeal: true },
    syncOptions: ['PrunePropagationPolicy=foreground', 'PruneLast=true', ...extraOptions],
    // Unlimited (limit < 0): a cold bootstrap fails for many minutes while nodes, CRDs and Secrets
    // come up elsewhere; a finite limit would stop until the next Git change
    // (verify/bootstrap/retry-policy.ts). The backoff caps each wait at 3 minutes.
    retry: { limit: -1, backoff: { duration: '10s', factor: 2, maxDuration: '3m' } },
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
          namespaceResourceWhitelist: [
            ...(props.namespacedKinds.get(team.name) ?? []),
            // The Secrets its SOPS files define, decrypted by Argo CD from the team's repo.
            ...(usesSops(team) && !(props.namespacedKinds.get(team.name) ?? []).some((k) => k.group === '' && k.kind === 'Secret') ? [{ group: '', kind: 'Secret' }] : []),
          ],
          orphanedResources: { warn: true },
          syncWindows: projectSyncWindows(env),
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

    if (props.addons.length > 0) {
      const sre = platform.teams.find((t) => t.name === SRE_TEAM)!;
      const shared = props.addons.filter((a) => !hasOwnProject(a));
      const project = (name: string, description: string, addons: readonly AddonSpec[], extra: { namespaces?: readonly string[]; blacklist?: AddonSpec['namespaceResourceBlacklist'] }) =>
        new AppProject(this, `project-${name}`, {
          metadata: { name, annotations: { [WAVE]: String(SYNC_WAVE.projects) } },
          spec: {
            description,
            sourceRepos: [...new Set(addons.map((a) => a.repoURL))].sort(),
            destinations: [...new Set([...addons.map((a) => a.namespace), ...(extra.namespaces ?? [])])].sort().map((namespace) => ({ server: IN_CLUSTER, namespace })),
            clusterResourceWhitelist: [...ADDON_CLUSTER_KINDS],
            // Operator charts bring many namespaced kinds; they stay inside the project's namespaces.
            namespaceResourceWhitelist: [{ group: '*', kind: '*' }],
            ...(extra.blacklist ? { namespaceResourceBlacklist: extra.blacklist.map((k) => ({ ...k })) } : {}),
            orphanedResources: { warn: true },
            roles: [
              {
                name: 'owners',
                description: 'Owners of the platform add-ons',
                groups: [...sre.owners],
                policies: [`p, proj:${name}:owners, applications, get, ${name}/*, allow`, `p, proj:${name}:owners, applications, sync, ${name}/*, allow`],
              },
            ],
          },
        });
      if (shared.length > 0) project(ADDONS_PROJECT, 'Upstream charts and manifests of the platform add-ons, pinned, into sre namespaces and the namespaces of the tools sre runs for a team.', shared, {});
      for (const addon of props.addons.filter(hasOwnProject)) {
        project(
          addonProjectName(addon),
          `Add-on ${addon.name} only: its chart also writes to ${addon.chartNamespaces?.length ? addon.chartNamespaces.join(', ') : 'nothing beyond its namespace'}.`,
          [addon],
          { namespaces: addon.chartNamespaces, blacklist: addon.namespaceResourceBlacklist },
        );
      }
      this.node.addValidation({
        validate: () =>
          props.addons
            // Argo CD itself installs into its own namespace, which no team owns.
            .filter((a) => a.namespace !== platform.argocdNamespace && !(platform.teams.find((t) => t.name === (a.tenantTeam ?? SRE_TEAM))?.namespaces ?? []).some((n) => n.name === a.namespace))
            .map((a) => `add-on ${a.name} installs into namespace ${a.namespace}, which the ${a.tenantTeam ?? SRE_TEAM} team does not own`)
            .concat(props.addons.filter((a) => (a.chart === undefined) === (a.directory === undefined)).map((a) => `add-on ${a.name} must name exactly one of a chart and a directory`)),
      });
    }
  }
}

/** One child Application per namespace of a team (plus, for sre, the cluster-scoped objects). */
export class ChildrenChart extends PlatformChart {
  constructor(scope: Construct, id: string, props: Pick<AppOfAppsProps, 'platform' | 'env' | 'addons'> & { readonly team: Team }) {
    const { platform, env, team } = props;
    super(scope, id, { outputDir: childrenPath(env, team), namespace: platform.argocdNamespace, labels: commonLabels(platform, env, team) });

    const clusterApps = [
      { id: 'cluster', name: CLUSTER_APPLICATION, path: clusterPath(env), wave: SYNC_WAVE.namespaces },
      // After Karpenter (its CRDs), before the add-ons whose Pods need Karpenter's nodes.
      { id: 'cluster-nodes', name: CLUSTER_NODES_APPLICATION, path: clusterNodesPath(env), wave: SYNC_WAVE.nodePools },
    ];
    for (const c of team.name === SRE_TEAM ? clusterApps : []) {
      new Application(this, c.id, {
        metadata: { name: c.name, annotations: { [WAVE]: String(c.wave) } },
        spec: {
          project: teamProjectName(team),
          source: { repoUrl: platform.repo, targetRevision: env.targetRevision, path: c.path, directory: { recurse: false } },
          // Argo CD matches an empty destination namespace against no concrete project destination
          // (argo-cd app_project_types.go IsDestinationPermitted, issue #11510), so the app names one
          // of sre's own namespaces; everything it syncs is cluster-scoped, so nothing lands there.
          destination: { server: IN_CLUSTER, namespace: clusterApplicationNamespace(team) },
          // No finalizer: deleting this Application must never delete Namespaces.
          syncPolicy: automatedSync(['ServerSideApply=true']),
        },
      });
    }

    if (team.name === SRE_TEAM) {
      for (const addon of props.addons) {
        new Application(this, `addon-${addon.name}`, {
          metadata: {
            name: addonApplicationName(addon),
            // CRD owners: never pruned by the parent, never cascade-deleted (their CRDs, and every
            // object of those kinds, would go with them).
            ...(addon.ownsCrds ? {} : { finalizers: [FINALIZER] }),
            annotations: {
              [WAVE]: String(addon.syncWave),
              ...(addon.ownsCrds ? { [SYNC_OPTIONS]: 'Prune=false' } : {}),
              ...(addon.systemPods ? { [SYSTEM_NODE_REQUESTS_ANNOTATION]: systemNodeRequestsValue(addon.systemPods) } : {}),
            },
          },
          spec: {
            project: addonProjectName(addon),
            source: addon.directory
              ? { repoUrl: addon.repoURL, targetRevision: addon.version, path: addon.directory.path, directory: { recurse: false, include: addon.directory.include } }
              : {
                  repoUrl: addon.repoURL,
                  chart: addon.chart,
                  targetRevision: addon.version,
                  helm: { releaseName: addon.releaseName ?? addon.name, valuesObject: addon.values },
                },
            destination: { server: IN_CLUSTER, namespace: addon.namespace },
            ignoreDifferences: addon.ignoreDifferences?.map((d) => ({ group: d.group, kind: d.kind, jqPathExpressions: [...d.jqPathExpressions] })),
            syncPolicy: automatedSync([...(addon.serverSideApply ? ['ServerSideApply=true'] : []), ...(addon.ignoreDifferences ? ['RespectIgnoreDifferences=true'] : [])]),
          },
        });
      }
    }

    for (const ns of team.namespaces) {
      const rendered = { repoUrl: platform.repo, targetRevision: env.targetRevision, path: namespacePath(env, ns), directory: { recurse: false } };
      // SOPS-encrypted Secret files stay in the team's repo, untouched; Argo CD decrypts them at sync.
      const sopsDirs = [...new Set(ns.services.flatMap((s) => s.secrets.flatMap((x) => (x.from === 'sops' ? [posix.dirname(x.file)] : []))))].sort();
      new Application(this, `child-${ns.name}`, {
        metadata: { name: childApplicationName(ns), finalizers: [FINALIZER], annotations: { [WAVE]: String(SYNC_WAVE.workloads) } },
        spec: {
          project: teamProjectName(team),
          ...(sopsDirs.length === 0
            ? { source: rendered }
            : { sources: [rendered, ...sopsDirs.map((dir) => ({ repoUrl: team.repo, targetRevision: env.targetRevision, path: posix.join(SOPS_ROOT, env.name, dir), plugin: { name: SOPS_PLUGIN } }))] }),
          destination: { server: IN_CLUSTER, namespace: ns.name },
          syncPolicy: environmentSyncPolicy(env, automatedSync()),
        },
      });
    }
  }
}
