/**
 * The render pipeline end to end, through the real commands: deterministic, atomic, hermetic, and
 * writing nothing outside its output folder.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadPlatform } from '../platform/load';
import { renderPlatform } from '../render/render';
import { writeTree } from '../render/write-tree';
import { mutated, serviceOf } from './support/example';
import { exampleFiles } from './support/rendered';
import { readTree } from './support/tree';

const ROOT = path.resolve(__dirname, '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

function synth(args: string[], env: NodeJS.ProcessEnv = process.env) {
  return spawnSync(TSX, ['render/main.ts', ...args], { cwd: ROOT, env, encoding: 'utf8' });
}

/** Files of the repository outside node_modules/.git/dist/cdk8s.out with their mtimes. */
function repoFingerprint(): Map<string, number> {
  const out = new Map<string, number>();
  const skip = new Set(['node_modules', '.git', 'dist', 'cdk8s.out', 'cdktf.out']);
  const walk = (d: string, rel: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (!rel && skip.has(e.name)) continue;
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(path.join(d, e.name), r);
      else out.set(r, fs.statSync(path.join(d, e.name)).mtimeMs);
    }
  };
  walk(ROOT, '');
  return out;
}

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'platform-synth-'));

describe('npm run synth', () => {
  let out: string;
  let first: ReturnType<typeof synth>;
  let before: Map<string, number>;

  beforeAll(() => {
    out = path.join(tmp(), 'dist');
    before = repoFingerprint();
    first = synth(['--out', out]);
  });

  test('renders the example platform and reports what it wrote', () => {
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/Rendered 3 environments, \d+ files into .*: \d+ written, 0 unchanged, 0 deleted/);
  });

  test('writes exactly the files of the in-memory render', () => {
    expect(readTree(out)).toEqual(new Map(exampleFiles()));
  });

  test('writes nothing in the repository outside its output folder', () => {
    expect(repoFingerprint()).toEqual(before);
  });

  test('a second render changes nothing (byte-identical output)', () => {
    const second = synth(['--out', out]);
    expect(second.status).toBe(0);
    expect(second.stdout).toMatch(/0 written, \d+ unchanged, 0 deleted/);
    expect(readTree(out)).toEqual(new Map(exampleFiles()));
  });

  test('an invalid model exits non-zero, lists every problem, and leaves the output byte for byte as it was', () => {
    const bad = mutated((i) => {
      serviceOf(i, 'pc-bff/pc-bff').dependencies.push({ service: 'order-service/missing' });
      serviceOf(i, 'order-service/order-service').scaling = { minReplicas: 4, maxReplicas: 2 };
      i.releases.find((r: { environment: string }) => r.environment === 'prd').images['payment-service/payment-service'] = { tag: 'latest' };
    });
    const model = path.join(tmp(), 'model.json');
    fs.writeFileSync(model, JSON.stringify(bad));
    const treeBefore = readTree(out);
    const result = synth(['--out', out, '--model', model]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/The platform model is invalid \(5 problems\)/);
    expect(result.stderr).toMatch(/releases\[releases\/prd\.yaml\]\.images\[payment-service\/payment-service\]\.tag: tag "latest" is mutable/);
    expect(result.stderr).toMatch(/services\[order-service\]\.scaling\.maxReplicas: maxReplicas \(2\) is below the prd replica floor \(3\)/);
    expect(result.stderr).toMatch(/teams\[pc\]\.namespaces\[pc-bff\]\.services\[pc-bff\]\.dependencies\[4\]: unknown service "order-service\/missing"/);
    expect(result.stderr).toMatch(/teams\[order\]\.namespaces\[order-service\]\.services\[order-service\]\.scaling: minReplicas \(4\) is greater than maxReplicas \(2\)/);
    expect(result.stderr).toMatch(/releases\[releases\/prd\.yaml\]\.images\[payment-service\/payment-service\]: prd requires an image digest/);
    expect(result.stderr).toMatch(/Nothing was written/);
    expect(readTree(out)).toEqual(treeBefore);
  });

  test('a broken release file is reported with its name and nothing is written', () => {
    const releases = tmp();
    fs.writeFileSync(path.join(releases, 'dev.yaml'), 'environment: dev\nimages: [unclosed\n');
    const treeBefore = readTree(out);
    const result = synth(['--out', out, '--releases', releases]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/releases\/dev\.yaml: cannot be read/);
    expect(readTree(out)).toEqual(treeBefore);
  });

  test('synth needs no network and no cloud credentials', () => {
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      // Any TCP connection or DNS lookup from the render throws (see the preload).
      NODE_OPTIONS: `--require ${path.join(__dirname, 'support', 'no-network.js')}`,
      HTTP_PROXY: 'http://127.0.0.1:9',
      HTTPS_PROXY: 'http://127.0.0.1:9',
    };
    const hermetic = path.join(tmp(), 'dist');
    const result = synth(['--out', hermetic], env);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(readTree(hermetic)).toEqual(new Map(exampleFiles()));
  });

  test('refuses to render into the repository root, in one line', () => {
    const result = synth(['--out', ROOT]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^synth: --out: refusing to render into .*: it is the repository root .*nothing was written\n$/);
  });
});

describe('replacing the rendered tree', () => {
  test('files of objects that no longer exist are deleted, and emptied folders removed', () => {
    const dir = path.join(tmp(), 'dist');
    const platform = loadPlatform();
    writeTree(dir, renderPlatform(platform));
    const smaller = { ...platform, teams: platform.teams.filter((t) => t.name !== 'shipping') };
    // Keep the model consistent: nothing may depend on the removed service.
    const files = renderPlatform(
      {
        ...smaller,
        teams: smaller.teams.map((t) => ({
          ...t,
          namespaces: t.namespaces.map((n) => ({ ...n, services: n.services.map((s) => ({ ...s, dependencies: s.dependencies.filter((d) => !('service' in d) || !d.service.startsWith('shipping-service/')) })) })),
        })),
      },
      { terraform: false },
    );
    const summary = writeTree(dir, files);
    expect(summary.deleted).toBeGreaterThan(0);
    expect(fs.existsSync(path.join(dir, 'dev', 'namespaces', 'shipping-service'))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'dev', 'argocd', 'children', 'shipping'))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'dev', 'terraform'))).toBe(false);
    expect(readTree(dir)).toEqual(new Map(files.map((f) => [f.path, f.content])));
  });

  test('two renders of the same model are byte-identical', () => {
    const platform = loadPlatform();
    expect(renderPlatform(platform)).toEqual(renderPlatform(loadPlatform()));
  });
});

describe('the tools’ own entry points', () => {
  test('cdk8s synth through cdk8s.yaml renders the same Kubernetes files', () => {
    const out = path.join(tmp(), 'cdk8s.out');
    const result = spawnSync(path.join(ROOT, 'node_modules', '.bin', 'cdk8s'), ['synth', '--no-check-upgrade', '--output', out], { cwd: ROOT, encoding: 'utf8' });
    expect(result.status).toBe(0);
    const kubernetes = new Map([...exampleFiles()].filter(([p]) => p.endsWith('.yaml') && !path.basename(p).startsWith('.')));
    // Dot files (the manifest, .sops.yaml) describe the tree; compare the objects.
    expect(new Map([...readTree(out)].filter(([p]) => !path.basename(p).startsWith('.')))).toEqual(kubernetes);
  });

  test('the CDKTF app named in cdktf.json synthesizes every stack where cdktf-cli expects it', () => {
    const config = JSON.parse(fs.readFileSync(path.join(ROOT, 'cdktf.json'), 'utf8'));
    const out = path.join(tmp(), 'cdktf.out');
    // What `cdktf synth` does: run the app with CDKTF_OUTDIR set, then read manifest.json.
    const result = spawnSync(config.app, { cwd: ROOT, shell: true, encoding: 'utf8', env: { ...process.env, CDKTF_OUTDIR: out } });
    expect(result.status).toBe(0);
    const manifest = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8'));
    const expected = [...exampleFiles().keys()].filter((p) => p.endsWith('cdk.tf.json')).map((p) => p.split('/')).map(([env, , stack]) => `${env}-${stack}`);
    expect(Object.keys(manifest.stacks).sort()).toEqual(expected.sort());
    for (const name of Object.keys(manifest.stacks)) {
      const [env, ...stack] = name.split('-');
      const synthesized = JSON.parse(fs.readFileSync(path.join(out, manifest.stacks[name].synthesizedStackPath), 'utf8'));
      expect(synthesized.resource).toEqual(JSON.parse(exampleFiles().get(`${env}/terraform/${stack.join('-')}/cdk.tf.json`)!).resource);
    }
  });
});
