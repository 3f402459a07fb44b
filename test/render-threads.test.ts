/**
 * Environments rendered side by side on worker threads (render/render-threads.ts): the same files
 * as in one thread, and a thread that fails or dies ends with a problem, never a wait.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { loadPlatform } from '../platform/load';
import { renderPlatformInto } from '../render/render';
import { RenderCache } from '../render/render-cache';
import { renderPlatformThreaded } from '../render/render-threads';
import type { RenderedFile } from '../render/rendered-file';

const sorted = (files: RenderedFile[]) => [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
const TSX = require.resolve('tsx/cjs');
const THREAD = path.join(__dirname, 'support', 'render-thread.ts');
/** A render thread as synth starts one, but running the TypeScript through tsx. */
const renderThread = () => new Worker(`require(${JSON.stringify(TSX)}); require(${JSON.stringify(THREAD)});`, { eval: true, workerData: { renderThread: true } });

describe('rendering environments on threads', () => {
  const platform = loadPlatform();

  test('the files are the same as rendered in this thread, Terraform included', async () => {
    const inThread: RenderedFile[] = [];
    renderPlatformInto(platform, (f) => inThread.push(...f));
    const threaded: RenderedFile[] = [];
    const info = await renderPlatformThreaded(platform, (f) => threaded.push(...f), { threads: 2, startThread: renderThread });
    expect(info.cached).toEqual([]);
    expect(sorted(threaded)).toEqual(sorted(inThread));
  }, 120_000);

  test('each environment is stored in the cache as one entry from both of its parts, and the next render reuses it', async () => {
    const cache = new RenderCache({ dir: fs.mkdtempSync(path.join(os.tmpdir(), 'render-threads-')), codeKey: 'code-1' });
    const first: RenderedFile[] = [];
    expect((await renderPlatformThreaded(platform, (f) => first.push(...f), { threads: 2, cache, startThread: renderThread })).cached).toEqual([]);
    expect(fs.readdirSync(cache.props.dir).sort()).toEqual([expect.stringMatching(/^dev\./), expect.stringMatching(/^prd\./), expect.stringMatching(/^stg\./)]);
    const again: RenderedFile[] = [];
    expect((await renderPlatformThreaded(platform, (f) => again.push(...f), { threads: 2, cache, startThread: () => new Worker('process.exit(9)', { eval: true }) })).cached).toEqual(['dev', 'stg', 'prd']);
    expect(sorted(again)).toEqual(sorted(first));
    // The entry holds both parts and the contract built from them.
    expect(again.filter((f) => f.path.startsWith('dev/')).map((f) => f.path)).toEqual(expect.arrayContaining(['dev/contract.json', 'dev/terraform/cluster/cdk.tf.json', 'dev/cluster/namespace-account-service.yaml']));
  }, 120_000);

  test('a thread that dies ends its environment with a problem, and the rest are reported not rendered, without a wait', async () => {
    const dying = () => new Worker('process.exit(3)', { eval: true });
    const given: RenderedFile[] = [];
    await expect(renderPlatformThreaded(platform, (f) => given.push(...f), { threads: 2, terraform: false, startThread: dying })).rejects.toThrow(
      /Rendering failed \(3 problems\):\n {2}- dev: its render thread stopped \(exit code 3\)\n {2}- stg: its render thread stopped \(exit code 3\)\n {2}- prd: not rendered: every render thread stopped$/,
    );
    expect(given).toEqual([]);
  });

  test('one part left to render (one environment, Kubernetes only) renders in this thread, starting none', async () => {
    const never = () => {
      throw new Error('no thread should start');
    };
    const files: RenderedFile[] = [];
    const single = { ...platform, environments: platform.environments.slice(0, 1) };
    await renderPlatformThreaded(single, (f) => files.push(...f), { threads: 2, terraform: false, startThread: never });
    expect(files.length).toBeGreaterThan(0);
    expect(new Set(files.map((f) => f.path.split('/')[0]))).toEqual(new Set([platform.environments[0].name]));
  });

  test('a thread that reports a failure stays in use, and every environment’s problems are listed with its name', async () => {
    const failing = () =>
      new Worker(`require('worker_threads').parentPort.on('message', (t) => require('worker_threads').parentPort.postMessage({ type: 'failed', problems: ['cannot render ' + t.env] }))`, { eval: true });
    await expect(renderPlatformThreaded(platform, () => undefined, { threads: 2, terraform: false, startThread: failing })).rejects.toThrow(
      /\n {2}- dev: cannot render dev\n {2}- stg: cannot render stg\n {2}- prd: cannot render prd$/,
    );
  });

  test('every part of every environment goes to a thread, and their problems are listed by environment, Kubernetes first', async () => {
    const failing = () =>
      new Worker(`require('worker_threads').parentPort.on('message', (t) => require('worker_threads').parentPort.postMessage({ type: 'failed', problems: [t.part + ' of ' + t.env] }))`, { eval: true });
    await expect(renderPlatformThreaded(platform, () => undefined, { threads: 2, startThread: failing })).rejects.toThrow(
      /\(6 problems\):\n {2}- dev: kubernetes of dev\n {2}- dev: terraform of dev\n {2}- stg: kubernetes of stg\n {2}- stg: terraform of stg\n {2}- prd: kubernetes of prd\n {2}- prd: terraform of prd$/,
    );
  });

  test('once both parts are in, the contract is checked here: parts that render nothing fail it', async () => {
    const empty = () => new Worker(`require('worker_threads').parentPort.on('message', () => require('worker_threads').parentPort.postMessage({ type: 'done' }))`, { eval: true });
    const failure = renderPlatformThreaded(platform, () => undefined, { threads: 2, startThread: empty });
    await expect(failure).rejects.toThrow(/\n {2}- dev: contract iam-role\/[^\n]*: its producer, stack "cluster", is not rendered\n/);
    await expect(failure).rejects.toThrow(/\n {2}- prd: contract [^\n]*: its consumer [^\n]* is not rendered/);
  });

  test('one environment left with its Terraform renders its two parts on two threads, the same files as here', async () => {
    const single = { ...platform, environments: platform.environments.slice(0, 1) };
    const here: RenderedFile[] = [];
    renderPlatformInto(single, (f) => here.push(...f));
    let started = 0;
    const threaded: RenderedFile[] = [];
    await renderPlatformThreaded(single, (f) => threaded.push(...f), { threads: 2, startThread: () => (started++, renderThread()) });
    expect(started).toBe(2);
    expect(sorted(threaded)).toEqual(sorted(here));
  }, 120_000);
});
