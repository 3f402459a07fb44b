/**
 * `npm run import`: generate imports/ from the pinned CRDs without network.
 *
 * cdk8s.yaml lists the upstream URLs (what `cdk8s import` would download); each is mapped to the
 * offline copy in ../shared/crds (override with PLATFORM_CRDS_DIR) that bundles it, and
 * `cdk8s import` runs once per local file, since it takes one spec per call.
 *
 * The same step writes what offline validation needs into the repository, so that `npm test` on a
 * clone with nothing beside it can check rendered custom resources: `imports/schemas/index.json`
 * (per source file: its pinned version, sha256, upstream URLs and the kinds/versions it defines)
 * and one `imports/schemas/<group>/<Kind>.<version>.json` per served version, holding that
 * version's openAPIV3Schema exactly as the CRD declares it. Only this script reads ../shared.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { parse, parseAllDocuments } from 'yaml';

const REPO_ROOT = path.resolve(__dirname, '..');
const OUTPUT_DIR = 'imports';
/** Where the JSON schemas live, relative to the repository root. */
export const SCHEMA_DIR = path.join(OUTPUT_DIR, 'schemas');

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

/** One served or unserved version of a kind, and the schema file of it (relative to SCHEMA_DIR). */
export interface SchemaVersion {
  readonly name: string;
  readonly served: boolean;
  /** @default undefined: the CRD declares no schema for this version */
  readonly schema?: string;
}

/** A kind defined by a pinned CRD. */
export interface SchemaKind {
  readonly group: string;
  readonly kind: string;
  readonly versions: readonly SchemaVersion[];
}

/** One pinned CRD file: where it comes from and what it defines. */
export interface SchemaSource {
  readonly file: string;
  /** The release the file is pinned at, from its name (`istio-1.30.3.yaml` -> `1.30.3`). */
  readonly version: string;
  readonly sha256: string;
  readonly urls: readonly string[];
  readonly kinds: readonly SchemaKind[];
}

/** `imports/schemas/index.json`. */
export interface SchemaIndex {
  readonly generatedBy: string;
  readonly sources: readonly SchemaSource[];
}

/** The release a pinned CRD file is named after; throws for a name without one. */
export function pinnedVersion(file: string): string {
  const match = /-(\d+\.\d+\.\d+)\.yaml$/.exec(path.basename(file));
  if (!match) throw new Error(`${file}: a pinned CRD file is named <project>-<x.y.z>.yaml`);
  return match[1];
}

/**
 * The index entry of one pinned CRD file and the schema files it yields (path relative to
 * SCHEMA_DIR -> JSON text). Pure: the same text always gives the same bytes.
 */
export function extractSchemas(file: string, text: string, urls: readonly string[]): { source: SchemaSource; files: Map<string, string> } {
  const files = new Map<string, string>();
  const kinds: SchemaKind[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0].message}`);
    const crd = doc.toJS() as { kind?: string; spec?: { group: string; names: { kind: string }; versions?: unknown[] } } | null;
    if (crd?.kind !== 'CustomResourceDefinition' || !crd.spec) continue;
    const { group, names } = crd.spec;
    const versions = ((crd.spec.versions ?? []) as { name: string; served?: boolean; schema?: { openAPIV3Schema?: unknown } }[])
      .map((v): SchemaVersion => {
        const schema = v.schema?.openAPIV3Schema;
        if (schema === undefined) return { name: v.name, served: v.served !== false };
        const rel = `${group}/${names.kind}.${v.name}.json`;
        files.set(rel, `${JSON.stringify(schema)}\n`);
        return { name: v.name, served: v.served !== false, schema: rel };
      });
    kinds.push({ group, kind: names.kind, versions });
  }
  if (kinds.length === 0) throw new Error(`${file}: no CustomResourceDefinition found`);
  kinds.sort((a, b) => `${a.group}/${a.kind}`.localeCompare(`${b.group}/${b.kind}`));
  const sha256 = createHash('sha256').update(text).digest('hex');
  return { source: { file: path.basename(file), version: pinnedVersion(file), sha256, urls: [...urls], kinds }, files };
}

/** Replaces SCHEMA_DIR with the schemas of the given pinned files (the folder is wholly generated). */
function writeSchemas(files: readonly string[], table = CRD_SOURCES): void {
  const out = path.join(REPO_ROOT, SCHEMA_DIR);
  fs.rmSync(out, { recursive: true, force: true });
  const sources: SchemaSource[] = [];
  for (const file of files) {
    const { source, files: schemas } = extractSchemas(file, fs.readFileSync(file, 'utf8'), table[path.basename(file)]);
    sources.push(source);
    for (const [rel, json] of schemas) {
      fs.mkdirSync(path.dirname(path.join(out, rel)), { recursive: true });
      fs.writeFileSync(path.join(out, rel), json);
    }
  }
  const index: SchemaIndex = { generatedBy: 'npm run import (scripts/import-crds.ts)', sources };
  fs.writeFileSync(path.join(out, 'index.json'), `${JSON.stringify(index, null, 2)}\n`);
  console.log(`wrote ${path.relative(REPO_ROOT, out)}/ (${sources.length} sources)`);
}

const USAGE = `usage: npm run import [-- --crds DIR]

Regenerates imports/*.ts (cdk8s import) and imports/schemas/ from the pinned CRD files that bundle
the URLs cdk8s.yaml lists (default DIR: ../shared/crds, or PLATFORM_CRDS_DIR).`;

function main(): void {
  const { values } = parseArgs({ options: { crds: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const crdsDir = path.resolve(values.crds ?? process.env.PLATFORM_CRDS_DIR ?? path.resolve(REPO_ROOT, '../shared/crds'));
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
  writeSchemas(files);
}

if (require.main === module) {
  try {
    main();
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  }
}
