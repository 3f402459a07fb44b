/**
 * One object of a rendered tree, as the diff sees it: a Kubernetes object (one per YAML file) or
 * one Terraform resource / data source of a stack's `cdk.tf.json`. Only the files' content is
 * read; the model is never consulted.
 */
import { parse as parseYaml } from 'yaml';

export type Layer = 'kubernetes' | 'argocd' | 'terraform';

export interface RenderedObject {
  /** Stable identity across revisions: the file path, plus `#<type>.<name>` for Terraform. */
  readonly key: string;
  readonly file: string;
  readonly env: string;
  readonly layer: Layer;
  /** Team label of the object (Kubernetes) or "sre" for cluster-scoped and Terraform objects. */
  readonly team: string;
  /** Namespace folder, "cluster", "argocd" or "terraform/<stack>". */
  readonly namespace: string;
  /** Kubernetes kind, or the Terraform type (`aws_rds_cluster`, `data.aws_iam_policy_document`). */
  readonly kind: string;
  readonly name: string;
  readonly body: Record<string, unknown>;
}

/** Files of the tree that hold no deployable object (summaries, contract, SOPS config, pictures). */
export const isObjectFile = (file: string): boolean => /\/(namespaces|cluster|argocd)\/.*\.ya?ml$/.test(file) || /\/terraform\/[^/]+\/cdk\.tf\.json$/.test(file);

const TEAM_LABEL = /\/team$/;
/** Objects outside team namespaces belong to the platform team. */
export const PLATFORM_TEAM = 'sre';

function teamOf(body: Record<string, unknown>): string | undefined {
  const labels = ((body.metadata as Record<string, unknown> | undefined)?.labels ?? {}) as Record<string, string>;
  const key = Object.keys(labels).find((k) => TEAM_LABEL.test(k));
  return key ? labels[key] : undefined;
}

/** The objects of one file (`root` is the tree folder, e.g. "dist"). */
export function parseObjects(root: string, file: string, content: string): RenderedObject[] {
  const rel = file.startsWith(`${root}/`) ? file.slice(root.length + 1) : file;
  const parts = rel.split('/');
  const env = parts[0];
  if (parts[1] === 'terraform') {
    const stack = parts[2];
    const json = JSON.parse(content) as Record<string, Record<string, Record<string, Record<string, unknown>>> | undefined>;
    const out: RenderedObject[] = [];
    for (const [section, prefix] of [['resource', ''], ['data', 'data.']] as const) {
      for (const [type, byName] of Object.entries(json[section] ?? {})) {
        for (const [name, body] of Object.entries(byName)) {
          out.push({ key: `${file}#${prefix}${type}.${name}`, file, env, layer: 'terraform', team: PLATFORM_TEAM, namespace: `terraform/${stack}`, kind: `${prefix}${type}`, name, body });
        }
      }
    }
    return out;
  }
  const body = parseYaml(content) as Record<string, unknown> | null;
  if (!body || typeof body !== 'object') return [];
  const metadata = (body.metadata ?? {}) as Record<string, unknown>;
  const layer: Layer = parts[1] === 'argocd' ? 'argocd' : 'kubernetes';
  const namespace = parts[1] === 'namespaces' ? parts[2] : parts[1];
  return [{ key: file, file, env, layer, team: teamOf(body) ?? PLATFORM_TEAM, namespace, kind: String(body.kind ?? 'Unknown'), name: String(metadata.name ?? ''), body }];
}
