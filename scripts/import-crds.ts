/**
 * `npm run import`: generate imports/*.ts from the pinned CRDs without network.
 *
 * cdk8s.yaml lists the upstream URLs (what `cdk8s import` would download); each is mapped to the
 * offline copy in ../shared/crds (override with PLATFORM_CRDS_DIR) that bundles it, and
 * `cdk8s import` runs once per local file, since it takes one spec per call.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';

const REPO_ROOT = path.resolve(__dirname, '..');
const OUTPUT_DIR = 'imports';

/** Local CRD file -> the upstream URLs whose CRDs it bundles. The only place this mapping lives. */
export const CRD_SOURCES: Readonly<Record<string, readonly string[]>> = {
  'istio-1.30.3.yaml': [
    'https://raw.githubusercontent.com/istio/api/v1.30.3/kubernetes/customresourcedefinitions.gen.yaml',
  ],
  'argo-cd-3.5.1.yaml': [
    'https://raw.githubusercontent.com/argoproj/argo-cd/v3.5.1/manifests/crds/application-crd.yaml',
    'https://raw.githubusercontent.com/argoproj/argo-cd/v3.5.1/manifests/crds/applicationset-crd.yaml',
    'https://raw.githubusercontent.com/argoproj/argo-cd/v3.5.1/manifests/crds/appproject-crd.yaml',
  ],
  'external-secrets-2.9.0.yaml': [
    'https://raw.githubusercontent.com/external-secrets/external-secrets/v2.9.0/deploy/crds/bundle.yaml',
  ],
  'karpenter-1.14.1.yaml': [
    'https://raw.githubusercontent.com/aws/karpenter-provider-aws/v1.14.1/pkg/apis/crds/karpenter.k8s.aws_ec2nodeclasses.yaml',
    'https://raw.githubusercontent.com/aws/karpenter-provider-aws/v1.14.1/pkg/apis/crds/karpenter.sh_nodepools.yaml',
    'https://raw.githubusercontent.com/aws/karpenter-provider-aws/v1.14.1/pkg/apis/crds/karpenter.sh_nodeclaims.yaml',
  ],
  'prometheus-operator-0.93.0.yaml': [
    'https://raw.githubusercontent.com/prometheus-operator/prometheus-operator/v0.93.0/example/prometheus-operator-crd/monitoring.coreos.com_servicemonitors.yaml',
    'https://raw.githubusercontent.com/prometheus-operator/prometheus-operator/v0.93.0/example/prometheus-operator-crd/monitoring.coreos.com_podmonitors.yaml',
    'https://raw.githubusercontent.com/prometheus-operator/prometheus-operator/v0.93.0/example/prometheus-operator-crd/monitoring.coreos.com_prometheusrules.yaml',
  ],
};

/**
 * The local files to import for the given upstream URLs. Throws unless the URLs and the table
 * cover each other exactly, so neither can drift from the other unnoticed.
 */
export function planImports(urls: readonly string[], table = CRD_SOURCES): string[] {
  const known = new Set(Object.values(table).flat());
  const listed = new Set(urls);
  const unknown = [...listed].filter((u) => !known.has(u));
  const missing = [...known].filter((u) => !listed.has(u));
  const problems = [
    ...unknown.map((u) => `  cdk8s.yaml imports ${u}, which has no local copy in the table`),
    ...missing.map((u) => `  the table maps ${u}, which cdk8s.yaml does not import`),
  ];
  if (problems.length > 0) {
    throw new Error(`cdk8s.yaml imports and CRD_SOURCES in scripts/import-crds.ts disagree:\n${problems.join('\n')}`);
  }
  return Object.keys(table);
}

/** The `imports:` list of a cdk8s.yaml. */
export function readImports(configFile = path.join(REPO_ROOT, 'cdk8s.yaml')): string[] {
  const config: unknown = parse(fs.readFileSync(configFile, 'utf8'));
  const imports = (config as { imports?: unknown } | null)?.imports;
  if (!Array.isArray(imports) || !imports.every((i): i is string => typeof i === 'string')) {
    throw new Error(`${configFile}: "imports" must be a list of URLs`);
  }
  return imports;
}

function main(): void {
  const crdsDir = process.env.PLATFORM_CRDS_DIR ?? path.resolve(REPO_ROOT, '../shared/crds');
  const files = planImports(readImports()).map((f) => path.join(crdsDir, f));
  const absent = files.filter((f) => !fs.existsSync(f));
  if (absent.length > 0) throw new Error(`pinned CRD files not found:\n  ${absent.join('\n  ')}`);

  const cdk8s = path.join(REPO_ROOT, 'node_modules/.bin/cdk8s');
  for (const file of files) {
    // --no-save: otherwise cdk8s appends the local path to cdk8s.yaml's imports.
    const args = ['import', path.relative(REPO_ROOT, file), '--language', 'typescript', '--output', OUTPUT_DIR,
      '--no-save', '--no-check-upgrade'];
    console.log(`$ cdk8s ${args.join(' ')}`);
    const { status, error } = spawnSync(cdk8s, args, { cwd: REPO_ROOT, stdio: 'inherit' });
    if (error) throw error;
    if (status !== 0) throw new Error(`cdk8s import ${file} failed with exit code ${status}`);
  }
}

if (require.main === module) {
  try {
    main();
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  }
}
