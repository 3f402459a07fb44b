/**
 * Tiny rendered environments for the verify tests: a root Application in the `platform` project
 * syncing `argocd/teams/`, plus whatever files a test adds, written to a temp `dist/<env>/` folder.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { stringify } from 'yaml';
import { verifyEnvironment } from '../../verify';
import type { Check, Finding } from '../../verify/registry';

export const SERVER = 'https://kubernetes.default.svc';
export const REPO = 'https://github.com/example/platform.git';
export const UNLIMITED_RETRY = { limit: -1, backoff: { duration: '10s', factor: 2, maxDuration: '3m' } };

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = Record<string, any>;

export function application(name: string, spec: Obj, annotations: Record<string, string> = {}, extra: Obj = {}): Obj {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name, namespace: 'argocd', annotations, ...extra },
    spec: { destination: { server: SERVER, namespace: 'argocd' }, syncPolicy: { automated: { prune: true }, retry: UNLIMITED_RETRY }, ...spec },
  };
}

export function project(name: string, spec: Obj): Obj {
  return { apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name, namespace: 'argocd' }, spec: { sourceRepos: [REPO], ...spec } };
}

export const dirSource = (p: string): Obj => ({ repoURL: REPO, targetRevision: 'main', path: `dist/tiny/${p}` });

/** The root (in project platform, admitting Applications and AppProjects in argocd) syncing argocd/teams. */
export function baseFiles(): Record<string, Obj> {
  return {
    'argocd/root/appproject-platform.yaml': project('platform', {
      destinations: [{ server: SERVER, namespace: 'argocd' }],
      namespaceResourceWhitelist: [
        { group: 'argoproj.io', kind: 'Application' },
        { group: 'argoproj.io', kind: 'AppProject' },
      ],
    }),
    'argocd/root/application-root.yaml': application('root', { project: 'platform', source: dirSource('argocd/teams') }),
  };
}

/** Writes `files` (path -> object, or raw text) under a temp `tiny/` environment and verifies it. */
export function verifyTiny(files: Record<string, Obj | string>, checks?: readonly Check[]): Finding[] {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-'));
  const env = path.join(root, 'tiny');
  for (const [rel, content] of Object.entries({ ...baseFiles(), ...files })) {
    const p = path.join(env, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, typeof content === 'string' ? content : rel.endsWith('.json') ? JSON.stringify(content) : stringify(content));
  }
  try {
    return verifyEnvironment(env, checks);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

export const messages = (findings: readonly Finding[]): string[] => findings.map((f) => `${f.file}: ${f.message}`);
