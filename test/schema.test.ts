import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CRD_SOURCES, extractSchemas, pinnedVersion, planImports, readImports, type SchemaIndex } from '../scripts/import-crds';
import { schemaDir, validateObject, validateTree } from './support/schema';

const REPO_ROOT = path.resolve(__dirname, '..');
const schemaIndex = (): SchemaIndex => JSON.parse(fs.readFileSync(path.join(schemaDir(), 'index.json'), 'utf8')) as SchemaIndex;

const deployment = () => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop' },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 8080 }] }] },
    },
  },
});

const peerAuthentication = (mode: string) => ({
  apiVersion: 'security.istio.io/v1',
  kind: 'PeerAuthentication',
  metadata: { name: 'default', namespace: 'shop' },
  spec: { mtls: { mode } },
});

const application = (spec: Record<string, unknown>) => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Application',
  metadata: { name: 'shop', namespace: 'argocd' },
  spec,
});

describe('validateObject', () => {
  it('accepts a valid Deployment', () => {
    expect(validateObject(deployment())).toEqual([]);
  });

  it('rejects a Deployment whose containerPort is a string, naming the field', () => {
    const d = deployment();
    (d.spec.template.spec.containers[0].ports[0] as { containerPort: unknown }).containerPort = '8080';
    expect(validateObject(d)).toEqual(['/spec/template/spec/containers/0/ports/0/containerPort: must be integer']);
  });

  it('rejects objects without apiVersion, kind or metadata.name', () => {
    expect(validateObject({ metadata: {} })).toEqual(['missing apiVersion', 'missing kind', 'missing metadata.name']);
  });

  it.each([
    ['built-in kind', 'apps/v1', 'Deploymint', 'unknown built-in kind Deploymint in apps/v1'],
    ['nested built-in type', 'v1', 'Container', 'unknown built-in kind Container in v1'],
    ['built-in apiVersion', 'apps/v2', 'Deployment', 'unknown built-in apiVersion apps/v2'],
    ['custom group', 'example.com/v1', 'Widget', 'no CRD in'],
    ['custom kind', 'security.istio.io/v1', 'PeerAuth', 'no CRD defines kind PeerAuth in group security.istio.io'],
    ['CRD version', 'security.istio.io/v2', 'PeerAuthentication', 'PeerAuthentication has no served version v2'],
  ])('rejects an unknown %s', (_what, apiVersion, kind, message) => {
    const errors = validateObject({ apiVersion, kind, metadata: { name: 'x' } });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(message);
  });

  it('accepts a valid Istio PeerAuthentication', () => {
    expect(validateObject(peerAuthentication('STRICT'))).toEqual([]);
  });

  it("rejects a PeerAuthentication whose mtls.mode is 'SOMETIMES'", () => {
    expect(validateObject(peerAuthentication('SOMETIMES'))).toEqual([
      '/spec/mtls/mode: must be equal to one of the allowed values: UNSET, DISABLE, PERMISSIVE, STRICT',
    ]);
  });

  it('rejects fields a CRD schema does not declare', () => {
    const pa = peerAuthentication('STRICT');
    (pa.spec.mtls as Record<string, unknown>).mod = 'STRICT';
    expect(validateObject(pa)).toEqual(['/spec/mtls: unknown field mod']);
  });

  it('rejects a Karpenter NodePool missing required fields', () => {
    const nodePool = {
      apiVersion: 'karpenter.sh/v1',
      kind: 'NodePool',
      metadata: { name: 'default' },
      spec: { template: { spec: { requirements: [] } } },
    };
    expect(validateObject(nodePool)).toEqual(["/spec/template/spec: must have required property 'nodeClassRef'"]);
  });

  it('accepts a valid Karpenter NodePool', () => {
    const nodePool = {
      apiVersion: 'karpenter.sh/v1',
      kind: 'NodePool',
      metadata: { name: 'default' },
      spec: {
        template: {
          spec: {
            nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' },
            requirements: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['arm64'] }],
          },
        },
        disruption: { consolidationPolicy: 'WhenEmptyOrUnderutilized', consolidateAfter: '1m' },
      },
    };
    expect(validateObject(nodePool)).toEqual([]);
  });

  it('accepts a valid ArgoCD Application', () => {
    const app = application({
      project: 'default',
      source: { repoURL: 'https://github.com/example/platform', path: 'dist/shop', targetRevision: 'main' },
      destination: { server: 'https://kubernetes.default.svc', namespace: 'shop' },
      syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['CreateNamespace=true'] },
    });
    expect(validateObject(app)).toEqual([]);
  });

  it('rejects an ArgoCD Application without a destination or with a source lacking repoURL', () => {
    const app = application({ project: 'default', source: { path: 'dist/shop' } });
    expect(validateObject(app)).toEqual([
      "/spec: must have required property 'destination'",
      "/spec/source: must have required property 'repoURL'",
    ]);
  });
});

describe('validateTree', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schema-test-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  };
  const yaml = (obj: object) => JSON.stringify(obj); // JSON is YAML

  it('passes a tree of valid files', () => {
    write('shop/deployment.yaml', yaml(deployment()));
    write('shop/peer-authentication.yaml', yaml(peerAuthentication('STRICT')));
    expect(validateTree(dir)).toEqual([]);
  });

  it('flags a file with two YAML documents', () => {
    write('shop/both.yaml', `${yaml(deployment())}\n---\n${yaml(peerAuthentication('STRICT'))}\n`);
    expect(validateTree(dir)).toEqual([
      { file: path.join('shop', 'both.yaml'), errors: ['expected exactly one YAML document, found 2'] },
    ]);
  });

  it('reports invalid objects per file', () => {
    write('a.yaml', yaml(peerAuthentication('SOMETIMES')));
    write('b.yaml', yaml(deployment()));
    expect(validateTree(dir)).toEqual([
      { file: 'a.yaml', errors: [expect.stringContaining('/spec/mtls/mode')] },
    ]);
  });

  it('refuses a tree without YAML files', () => {
    expect(() => validateTree(dir)).toThrow(/no \*\.yaml files/);
  });
});

describe('scripts/import-crds.ts', () => {
  it("maps exactly the URLs in cdk8s.yaml's imports", () => {
    expect(new Set(Object.values(CRD_SOURCES).flat())).toEqual(new Set(readImports()));
    expect(planImports(readImports())).toEqual(Object.keys(CRD_SOURCES));
  });

  it('fails on a URL the table does not know, and on a table URL cdk8s.yaml lacks', () => {
    const urls = readImports();
    expect(() => planImports([...urls, 'https://example.com/crd.yaml'])).toThrow(/https:\/\/example\.com\/crd\.yaml, which has no local copy/);
    expect(() => planImports(urls.slice(1))).toThrow(new RegExp(`${urls[0].replace(/[.]/g, '\\.')}, which cdk8s.yaml does not import`));
  });
});

describe('imports/schemas (what offline validation reads)', () => {
  it('lives inside the repository, so a clone with nothing beside it validates custom resources', () => {
    const rel = path.relative(REPO_ROOT, schemaDir());
    expect(rel.startsWith('..')).toBe(false);
    expect(fs.existsSync(path.join(schemaDir(), 'index.json'))).toBe(true);
  });

  it('was generated from exactly the sources cdk8s.yaml pins, each at the version its URLs name', () => {
    const index = schemaIndex();
    expect(index.sources.map((s) => s.file)).toEqual(Object.keys(CRD_SOURCES));
    expect(new Set(index.sources.flatMap((s) => s.urls))).toEqual(new Set(readImports()));
    for (const source of index.sources) {
      expect(source.urls).toEqual(CRD_SOURCES[source.file]);
      for (const url of source.urls) expect(url).toContain(`/v${source.version}/`);
    }
  });

  it('has a schema for every kind and version the generated imports construct', () => {
    const index = schemaIndex();
    const known = new Set(index.sources.flatMap((s) => s.kinds.flatMap((k) =>
      k.versions.filter((v) => v.schema).map((v) => `${k.group}/${v.name}/${k.kind}`))));
    const gvks = fs.readdirSync(path.join(REPO_ROOT, 'imports')).filter((f) => f.endsWith('.ts')).flatMap((f) =>
      [...fs.readFileSync(path.join(REPO_ROOT, 'imports', f), 'utf8')
        .matchAll(/GVK: GroupVersionKind = \{\s*apiVersion: '([^']+)',\s*kind: '([^']+)'/g)].map((m) => `${m[1]}/${m[2]}`));
    expect(gvks.length).toBeGreaterThan(40);
    expect(gvks.filter((g) => !known.has(g))).toEqual([]);
  });

  it('holds each schema file the index names, as valid JSON', () => {
    for (const source of schemaIndex().sources) {
      for (const kind of source.kinds) {
        for (const v of kind.versions.filter((x) => x.schema)) {
          const schema = JSON.parse(fs.readFileSync(path.join(schemaDir(), v.schema!), 'utf8')) as { type?: string };
          expect([v.schema, schema.type]).toEqual([v.schema, 'object']);
        }
      }
    }
  });

  it('extractSchemas keeps every version of a CRD with its served flag and schema, and refuses a file without CRDs', () => {
    const crd = (versions: object[]) => JSON.stringify({
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition',
      spec: { group: 'example.com', names: { kind: 'Widget' }, versions },
    });
    const { source, files } = extractSchemas('widgets-1.2.3.yaml', crd([
      { name: 'v1', served: true, schema: { openAPIV3Schema: { type: 'object' } } },
      { name: 'v0', served: false },
    ]), ['https://example.com/v1.2.3/widgets.yaml']);
    expect(source.version).toBe('1.2.3');
    expect(source.kinds).toEqual([{ group: 'example.com', kind: 'Widget', versions: [
      { name: 'v1', served: true, schema: 'example.com/Widget.v1.json' },
      { name: 'v0', served: false },
    ] }]);
    expect(files.get('example.com/Widget.v1.json')).toBe('{"type":"object"}\n');
    expect(() => extractSchemas('empty-1.0.0.yaml', '{}', [])).toThrow(/no CustomResourceDefinition found/);
    expect(() => pinnedVersion('istio.yaml')).toThrow(/named <project>-<x\.y\.z>\.yaml/);
  });
});
