/**
 * Re-rendering only what a change touches: an environment's files are reused while everything its
 * render reads is unchanged, and the tree is always byte-identical to a full render.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadPlatform } from '../platform/load';
import type { Platform } from '../platform/types';
import { main } from '../render/main';
import { renderPlatformInto, type RenderInfo } from '../render/render';
import { platformForEnvironment, RenderCache } from '../render/render-cache';
import type { RenderedFile } from '../render/rendered-file';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'render-cache-'));
const sorted = (files: RenderedFile[]) => [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

/** Renders the Kubernetes files (enough to see which environments rendered), with or without a cache. */
function render(platform: Platform, cache?: RenderCache): { files: RenderedFile[]; info: RenderInfo } {
  const files: RenderedFile[] = [];
  const info = renderPlatformInto(platform, (made) => files.push(...made), { terraform: false, cache });
  return { files: sorted(files), info };
}

/** The example with one image of dev changed, as App CI would edit releases/dev.yaml. */
function withDevImage(platform: Platform, tag: string): Platform {
  return {
    ...platform,
    releases: platform.releases.map((r) => (r.environment === 'dev' ? { ...r, images: { ...r.images, 'order-service/order-service': { tag } } } : r)),
  };
}

describe('what an environment’s render reads', () => {
  /** The files that run synth's side effects: loading the model, the command line, the tree, the cache. */
  const SIDE = new Set(['platform/load.ts', 'render/main.ts', 'render/cdk8s-app.ts', 'render/write-tree.ts', 'render/tree-lock.ts', 'render/render-cache.ts', 'render/render-threads.ts']);
  const ROOT = path.resolve(__dirname, '..');
  const sources = (dir: string): string[] =>
    fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(`${dir}/${e.name}`) : e.name.endsWith('.ts') ? [`${dir}/${e.name}`] : []));

  test('the render reads nothing but its model: no files, environment variables, clock or randomness (so the cache key is complete)', () => {
    const files = ['charts', 'apps-of-apps', 'infra', 'platform', 'render'].flatMap(sources).filter((f) => !SIDE.has(f));
    expect(files.length).toBeGreaterThan(100);
    const reads = /from '(fs|os|child_process|worker_threads)'|require\('(fs|os|child_process)'\)|process\.(env|argv|cwd)|Date\.now|new Date\(|Math\.random|performance\.now/;
    expect(files.filter((f) => reads.test(fs.readFileSync(path.join(ROOT, f), 'utf8')))).toEqual([]);
  });
});

describe('reusing an environment whose inputs did not change', () => {
  const platform = loadPlatform();
  const full = render(platform).files;

  test('a cold cache renders every environment, and a warm one reuses them all, byte-identical to a full render', () => {
    const cache = new RenderCache({ dir: tmp(), codeKey: 'code-1' });
    const cold = render(platform, cache);
    expect(cold.info.cached).toEqual([]);
    expect(cold.files).toEqual(full);
    const warm = render(platform, cache);
    expect(warm.info.cached).toEqual(['dev', 'stg', 'prd']);
    expect(warm.files).toEqual(full);
  });

  test('a change to one environment’s release re-renders that environment only, and the tree equals a full render of the new model', () => {
    const cache = new RenderCache({ dir: tmp(), codeKey: 'code-1' });
    render(platform, cache);
    const changed = withDevImage(platform, '3.8.1');
    const again = render(changed, cache);
    expect(again.info.cached).toEqual(['stg', 'prd']);
    expect(again.files).toEqual(render(changed).files);
    const deployment = again.files.find((f) => f.path === 'dev/namespaces/order-service/deployment-order-service.yaml');
    expect(deployment?.content).toContain(':3.8.1');
  });

  test('other code, other options or a change shared by all environments re-renders every environment', () => {
    const dir = tmp();
    render(platform, new RenderCache({ dir, codeKey: 'code-1' }));
    expect(render(platform, new RenderCache({ dir, codeKey: 'code-2' })).info.cached).toEqual([]);
    const cache = new RenderCache({ dir, codeKey: 'code-2' });
    expect(renderPlatformInto(platform, () => undefined, { terraform: true, cache }).cached).toEqual([]);
    expect(renderPlatformInto(platform, () => undefined, { terraform: true, cache }).cached).toEqual(['dev', 'stg', 'prd']);
    const renamed = { ...platform, repo: `${platform.repo}.moved` };
    expect(render(renamed, cache).info.cached).toEqual([]);
  });

  test('an entry that cannot be read is a miss, and only the newest entry per environment is kept', () => {
    const dir = tmp();
    const cache = new RenderCache({ dir, codeKey: 'code-1' });
    render(platform, cache);
    const dev = fs.readdirSync(dir).find((f) => f.startsWith('dev.'))!;
    fs.writeFileSync(path.join(dir, dev), '{"key": "trunc');
    const again = render(platform, cache);
    expect(again.info.cached).toEqual(['stg', 'prd']);
    expect(again.files).toEqual(full);
    render(withDevImage(platform, '3.8.2'), cache);
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('dev.'))).toHaveLength(1);
    expect(fs.readdirSync(dir)).toHaveLength(3);
  });

  test('an environment’s render sees every environment but only its own release', () => {
    const dev = platformForEnvironment(platform, { name: 'dev' });
    expect(dev.releases.map((r) => r.environment)).toEqual(['dev']);
    expect(dev.environments).toEqual(platform.environments);
    expect(new RenderCache({ dir: tmp(), codeKey: 'c' }).key(dev, { name: 'dev' }, { terraform: true })).not.toBe(
      new RenderCache({ dir: tmp(), codeKey: 'c' }).key(platformForEnvironment(withDevImage(platform, '3.8.3'), { name: 'dev' }), { name: 'dev' }, { terraform: true }),
    );
  });

  test('synth says which environments it reused, and --no-cache renders them all', async () => {
    const dir = tmp();
    const out = path.join(dir, 'dist');
    const renderCache = { dir: path.join(dir, 'cache'), codeKey: 'code-1' };
    const lines: string[] = [];
    const spy = jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void lines.push(a.join(' ')));
    try {
      expect(await main(['--out', out, '--kubernetes-only'], { renderCache })).toBe(0);
      expect(await main(['--out', out, '--kubernetes-only'], { renderCache })).toBe(0);
      expect(await main(['--out', out, '--kubernetes-only', '--no-cache'], { renderCache })).toBe(0);
    } finally {
      spy.mockRestore();
    }
    expect(lines[0]).not.toMatch(/reused/);
    expect(lines[1]).toMatch(/: 0 written, \d+ unchanged, 0 deleted; dev, stg, prd reused \(inputs unchanged; --no-cache renders all\)/);
    expect(lines[2]).not.toMatch(/reused/);
  });
});
