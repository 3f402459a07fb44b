/**
 * Reads one rendered environment (`dist/<env>/`) from disk: every YAML object with its file, and
 * the Terraform JSON of every stack. The verifier only ever reads the rendered tree, never the model.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';

/** One rendered Kubernetes object and the file it came from (relative to the environment folder). */
export interface RenderedObject {
  readonly file: string;
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  /** metadata.namespace as rendered (undefined when the file leaves it to the Application). */
  readonly namespace?: string;
  readonly annotations: Readonly<Record<string, string>>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly doc: any;
}

export interface EnvTree {
  /** Environment name: the folder name under dist/. */
  readonly name: string;
  /** Absolute path of `dist/<env>/`. */
  readonly dir: string;
  /** Every object of every YAML file, keyed by its folder (relative, "/"-separated). */
  readonly byFolder: ReadonlyMap<string, readonly RenderedObject[]>;
  /** Terraform JSON per stack folder name (`terraform/<stack>/cdk.tf.json`). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly terraform: ReadonlyMap<string, any>;
  /** Parsed `contract.json`, when rendered. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly contract?: any;
}

export const groupOf = (apiVersion: string): string => (apiVersion.includes('/') ? apiVersion.split('/')[0] : '');

export function objectsOfText(file: string, text: string): RenderedObject[] {
  const out: RenderedObject[] = [];
  for (const d of parseAllDocuments(text)) {
    const doc = d.toJS();
    if (!doc || typeof doc !== 'object' || !doc.kind) continue;
    out.push({
      file,
      apiVersion: String(doc.apiVersion ?? ''),
      kind: String(doc.kind),
      name: String(doc.metadata?.name ?? ''),
      namespace: doc.metadata?.namespace,
      annotations: doc.metadata?.annotations ?? {},
      doc,
    });
  }
  return out;
}

/** Reads `dir` (one environment). */
export function readEnvTree(dir: string): EnvTree {
  const byFolder = new Map<string, RenderedObject[]>();
  const terraform = new Map<string, unknown>();
  let contract: unknown;
  const walk = (abs: string, rel: string): void => {
    for (const e of fs.readdirSync(abs, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      const p = path.join(abs, e.name);
      if (e.isDirectory()) walk(p, r);
      else if (/\.ya?ml$/.test(e.name)) {
        const list = byFolder.get(rel) ?? [];
        list.push(...objectsOfText(r, fs.readFileSync(p, 'utf8')));
        byFolder.set(rel, list);
      } else if (e.name === 'cdk.tf.json') terraform.set(path.basename(abs), JSON.parse(fs.readFileSync(p, 'utf8')));
      else if (r === 'contract.json') contract = JSON.parse(fs.readFileSync(p, 'utf8'));
    }
  };
  walk(dir, '');
  return { name: path.basename(dir), dir, byFolder, terraform, contract };
}

/** Every environment folder of a dist tree (folders holding an `argocd/root`). */
export function environmentDirs(distDir: string): string[] {
  return fs
    .readdirSync(distDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && fs.existsSync(path.join(distDir, e.name, 'argocd', 'root')))
    .map((e) => path.join(distDir, e.name))
    .sort();
}
