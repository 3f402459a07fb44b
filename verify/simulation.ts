/**
 * Walks one environment as Argo CD does on a fresh cluster: the root Application(s) applied by hand
 * (`argocd/root/`), then every Application each synced source holds, depth first. Each synced
 * Application gets its objects (directory sources), its Helm charts and its plugin sources, and an
 * ordering key: the sync waves along its path from the root (argo-cd sorts an app's resources by
 * phase, then wave; with the Application health check on, a parent waits for a child app's wave to
 * be Healthy before the next wave: gitops-engine pkg/sync/sync_context.go, argo-cd docs
 * operator-manual/upgrading/1.7-1.8.md "Health assessment of argoproj.io/Application CRD").
 */
import * as path from 'path';
import type { EnvTree, RenderedObject } from './tree';
import { UPSTREAM_MANIFESTS, upstreamKey } from './upstream/charts';

export type SyncPhase = 'PreSync' | 'Sync' | 'PostSync' | 'SyncFail' | 'PostDelete' | 'Skip';
export const PHASE_ORDER: Readonly<Record<string, number>> = { PreSync: 0, Sync: 1, PostSync: 2, SyncFail: 3, PostDelete: 4, Skip: 5 };

/**
 * A source rendered from upstream, not from this tree: a Helm chart (`chart` = its name), or a
 * directory of an upstream repository's manifests (`chart` = `<repository name>/<path>`, e.g.
 * `keycloak-k8s-resources/kubernetes`), whose facts live in upstream/charts.ts alike.
 */
export interface HelmSource {
  readonly repoURL: string;
  readonly chart: string;
  readonly targetRevision: string;
  readonly releaseName?: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly values: any;
}

export interface SyncedApp {
  /** The Application object (and its file). */
  readonly app: RenderedObject;
  readonly name: string;
  readonly projectName: string;
  readonly destination: { readonly server?: string; readonly name?: string; readonly namespace: string };
  /** Sync waves from the root down to this app (the root itself is `[]`). */
  readonly orderKey: readonly number[];
  /** Objects of the app's directory sources in this tree. */
  readonly objects: readonly RenderedObject[];
  readonly charts: readonly HelmSource[];
  /** Sources rendered by a config management plugin (not in this tree). */
  readonly plugins: readonly { readonly repoURL: string; readonly path: string; readonly plugin: string }[];
  /** Every source's repoURL. */
  readonly repoURLs: readonly string[];
}

export interface Simulation {
  readonly tree: EnvTree;
  readonly apps: readonly SyncedApp[];
  /** AppProjects of the tree by name. */
  readonly projects: ReadonlyMap<string, RenderedObject>;
  /** Every object of the tree. */
  readonly objects: readonly RenderedObject[];
  /** Folder paths a source points at that do not exist in the tree. */
  readonly missingPaths: readonly { readonly app: RenderedObject; readonly path: string }[];
}

/** The hook phase of an object (argocd.argoproj.io/hook; Helm hooks are not used here): Sync when none. */
export function phaseOf(obj: RenderedObject): SyncPhase {
  const hook = obj.annotations['argocd.argoproj.io/hook'];
  return (hook?.split(',')[0]?.trim() as SyncPhase) || 'Sync';
}

export const waveOf = (obj: RenderedObject): number => Number.parseInt(obj.annotations['argocd.argoproj.io/sync-wave'] ?? '0', 10) || 0;

/** The sync-options annotation as a set ("Prune=false,SkipDryRunOnMissingResource=true"). */
export const syncOptionsOf = (obj: RenderedObject): Set<string> =>
  new Set((obj.annotations['argocd.argoproj.io/sync-options'] ?? '').split(',').map((s) => s.trim()).filter(Boolean));

/** Compares two ordering keys: negative when `a` is synced (and, with app health, Healthy) before `b`. */
export function compareOrder(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

/** Maps a source path of the platform repo (`dist/<env>/x/y`) to the tree's folder (`x/y`). */
export function treeFolder(tree: EnvTree, sourcePath: string): string | undefined {
  const parts = sourcePath.split('/').filter(Boolean);
  const i = parts.lastIndexOf(tree.name);
  return i < 0 ? undefined : parts.slice(i + 1).join('/');
}

export function simulate(tree: EnvTree): Simulation {
  const objects = [...tree.byFolder.values()].flat();
  const projects = new Map(objects.filter((o) => o.kind === 'AppProject').map((o) => [o.name, o] as const));
  const apps: SyncedApp[] = [];
  const missingPaths: { app: RenderedObject; path: string }[] = [];
  const seen = new Set<string>();

  const visit = (app: RenderedObject, orderKey: number[]): void => {
    if (seen.has(app.name)) return;
    seen.add(app.name);
    const spec = app.doc.spec ?? {};
    const sources = [...(spec.source ? [spec.source] : []), ...(spec.sources ?? [])];
    const synced: RenderedObject[] = [];
    const charts: HelmSource[] = [];
    const plugins: { repoURL: string; path: string; plugin: string }[] = [];
    for (const s of sources) {
      if (s.chart) {
        charts.push({ repoURL: s.repoURL, chart: s.chart, targetRevision: String(s.targetRevision ?? ''), releaseName: s.helm?.releaseName, values: s.helm?.valuesObject ?? {} });
      } else if (s.plugin) {
        plugins.push({ repoURL: s.repoURL, path: s.path, plugin: s.plugin.name ?? '' });
      } else if (s.path !== undefined && treeFolder(tree, s.path) === undefined && UPSTREAM_MANIFESTS.has(upstreamKey(s.repoURL, s.path))) {
        charts.push({ repoURL: s.repoURL, chart: upstreamKey(s.repoURL, s.path), targetRevision: String(s.targetRevision ?? ''), values: {} });
      } else if (s.path !== undefined) {
        const folder = treeFolder(tree, s.path);
        const recurse = s.directory?.recurse === true;
        const folders = folder === undefined ? [] : [...tree.byFolder.keys()].filter((k) => k === folder || (recurse && k.startsWith(`${folder}/`)));
        if (folders.length === 0) missingPaths.push({ app, path: s.path });
        for (const f of folders.sort()) synced.push(...(tree.byFolder.get(f) ?? []));
      }
    }
    apps.push({
      app,
      name: app.name,
      projectName: String(spec.project ?? ''),
      destination: { server: spec.destination?.server, name: spec.destination?.name, namespace: String(spec.destination?.namespace ?? '') },
      orderKey,
      objects: synced,
      charts,
      plugins,
      repoURLs: sources.map((s) => String(s.repoURL ?? '')),
    });
    for (const child of synced.filter((o) => o.kind === 'Application' && o.apiVersion.startsWith('argoproj.io/'))) visit(child, [...orderKey, waveOf(child)]);
  };

  for (const root of tree.byFolder.get(path.posix.join('argocd', 'root')) ?? []) if (root.kind === 'Application') visit(root, []);
  return { tree, apps, projects, objects, missingPaths };
}
