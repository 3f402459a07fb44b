/**
 * Renders every Kubernetes object of every environment (workloads, cluster objects and the ArgoCD
 * app-of-apps) into files, one object per file, in memory. Nothing is written here.
 */
import { App, type Chart } from 'cdk8s';
import { ChildrenChart, RootChart, TeamsChart, type GroupKind } from '../apps-of-apps/app-of-apps';
import { platformAddons } from '../charts/addons';
import { ClusterChart, ClusterNodesChart } from '../charts/cluster-chart';
import { NamespaceChart } from '../charts/namespace-chart';
import type { PlatformChart } from '../charts/platform-chart';
import { apiGroup, CLUSTER_SCOPED_KINDS } from '../charts/scope';
import { objectFileName } from '../platform/naming';
import type { Environment, Platform } from '../platform/types';
import { checkPolicies, kindsRead, type PlacedObject, type Policy, POLICIES } from './policies';
import { RenderError, type RenderedFile, toDistRelative, toYaml } from './rendered-file';
import { contractParticipants } from '../platform/gates';

export interface KubernetesObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly [key: string]: unknown };
  readonly [key: string]: unknown;
}

/** What a chart rendered; the chart itself is dropped, so its construct tree can be freed at once. */
interface ChartOutput {
  readonly outputDir: string;
  readonly objects: KubernetesObject[];
}

/**
 * Builds and synthesizes charts one at a time (so only one construct tree is alive), collecting
 * every validation error instead of stopping at the first.
 */
function synthCharts(makers: readonly (() => PlatformChart)[], errors: string[]): ChartOutput[] {
  const out: ChartOutput[] = [];
  for (const make of makers) {
    const chart = make();
    try {
      out.push({ outputDir: chart.outputDir, objects: (chart as Chart).toJson() as KubernetesObject[] });
    } catch (err) {
      errors.push(`${chart.node.path}: ${(err as Error).message}`);
    }
  }
  return out;
}

function kindsOf(outputs: readonly ChartOutput[]): GroupKind[] {
  const seen = new Map<string, GroupKind>();
  for (const { objects } of outputs) {
    for (const o of objects) seen.set(`${apiGroup(o.apiVersion)}/${o.kind}`, { group: apiGroup(o.apiVersion), kind: o.kind });
  }
  return [...seen.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, gk]) => gk);
}

/**
 * Renders one environment's Kubernetes objects and returns their files; or, given `onFiles`,
 * hands each group of charts' files to it as soon as they are made (so they can be written while
 * the rest renders) and keeps none (an environment's text is not held twice). Throws RenderError
 * listing every problem; files handed over before a problem was found must then be dropped.
 */
export function renderEnvironmentKubernetes(
  platform: Platform,
  env: Environment,
  policies: readonly Policy[] = POLICIES,
  onFiles?: (files: readonly RenderedFile[]) => void,
): RenderedFile[] {
  // One App per chart: cdk8s resolves dependencies across the whole App on every chart.toJson(),
  // so a shared App makes rendering quadratic in the number of namespaces. Apps are never
  // synthesized to disk.
  const app = () => new App({ outdir: '/nonexistent' });
  const errors: string[] = [];
  const files: RenderedFile[] = [];
  // Only the objects the policies read are kept for them until the end.
  const policyKinds = kindsRead(policies);
  const placed: PlacedObject[] = [];
  const byPath = new Map<string, string>();
  /** Turns a group of charts into files at once and hands them over, so they are written while the rest renders. */
  const emit = (outputs: readonly ChartOutput[], scope: 'cluster' | 'namespaced') => {
    const made: RenderedFile[] = [];
    for (const { outputDir, objects } of outputs) {
      for (const obj of objects) {
        const id = `${obj.kind}/${obj.metadata.namespace ? `${obj.metadata.namespace}/` : ''}${obj.metadata.name}`;
        const clusterScoped = CLUSTER_SCOPED_KINDS.has(obj.kind);
        if (scope === 'cluster' && (!clusterScoped || obj.metadata.namespace !== undefined)) errors.push(`${outputDir}: ${id} is namespaced; cluster/ holds cluster-scoped objects only`);
        if (scope === 'namespaced' && (clusterScoped || obj.metadata.namespace === undefined)) errors.push(`${outputDir}: ${id} is cluster-scoped; it belongs under cluster/`);
        const path = toDistRelative(`${outputDir}/${objectFileName(obj.kind, obj.metadata.name)}`);
        const previous = byPath.get(path);
        if (previous) errors.push(`${path}: ${id} and ${previous} would be written to the same file`);
        byPath.set(path, id);
        if (policyKinds?.has(obj.kind) ?? true) placed.push({ path, obj });
        made.push({ path, content: toYaml(obj) });
      }
    }
    if (!onFiles) files.push(...made);
    else if (errors.length === 0) onFiles(made);
    return kindsOf(outputs);
  };

  const clusterKinds = emit(synthCharts([ClusterChart, ClusterNodesChart].map((C, i) => () => new C(app(), `${env.name}-cluster${['', '-nodes'][i]}`, { platform, env })), errors), 'cluster');
  const namespacedKinds = new Map<string, GroupKind[]>();
  const participants = contractParticipants(platform);
  for (const team of platform.teams) {
    const charts = team.namespaces.map((namespace) => () => new NamespaceChart(app(), `${env.name}-ns-${namespace.name}`, { platform, env, team, namespace, participants }));
    namespacedKinds.set(team.name, emit(synthCharts(charts, errors), 'namespaced'));
  }
  const addons = platformAddons(platform, env);
  emit(
    synthCharts(
      [
        () => new RootChart(app(), `${env.name}-root`, { platform, env }),
        () => new TeamsChart(app(), `${env.name}-teams`, { platform, env, namespacedKinds, clusterKinds, addons }),
        ...platform.teams.map((team) => () => new ChildrenChart(app(), `${env.name}-children-${team.name}`, { platform, env, team, addons })),
      ],
      errors,
    ),
    'namespaced',
  );

  errors.push(...checkPolicies(env, placed, policies));
  if (errors.length > 0) throw new RenderError(`Rendering ${env.name} failed`, errors);
  return files;
}
