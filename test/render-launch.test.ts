/**
 * The fast start of `npm run synth` (render/launch.cjs: an esbuild bundle with a V8 code cache)
 * renders exactly what the TypeScript render does, and reuses its bundle.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { exampleFiles } from './support/rendered';
import { readTree } from './support/tree';

const ROOT = path.resolve(__dirname, '..');
const CACHE = path.join(ROOT, 'node_modules', '.cache', 'synth');
const launch = (args: string[]) => spawnSync(process.execPath, [path.join(ROOT, 'render', 'launch.cjs'), ...args], { cwd: ROOT, encoding: 'utf8' });

describe('npm run synth through the bundled launcher', () => {
  test('npm run synth is the launcher', () => {
    expect(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts.synth).toBe('node render/launch.cjs');
  });

  test('renders byte for byte what the TypeScript render does, and a rerun reuses the same bundle', () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'render-launch-')), 'dist');
    const first = launch(['--out', out]);
    expect([first.status, first.stderr]).toEqual([0, '']);
    expect(readTree(out)).toEqual(new Map(exampleFiles()));
    const bundles = fs.readdirSync(CACHE).filter((f) => f.endsWith('.js'));
    const second = launch(['--out', out]);
    expect([second.status, second.stderr]).toEqual([0, '']);
    expect(second.stdout).toMatch(/0 written, \d+ unchanged, 0 deleted/);
    expect(fs.readdirSync(CACHE).filter((f) => f.endsWith('.js'))).toEqual(bundles);
  }, 240_000);

  test('renders on threads (--threads 2) byte for byte what the TypeScript render does', () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'render-launch-')), 'dist');
    const result = launch(['--out', out, '--threads', '2', '--no-cache']);
    expect([result.status, result.stderr]).toEqual([0, '']);
    expect(result.stdout).not.toMatch(/reused/);
    expect(readTree(out)).toEqual(new Map(exampleFiles()));
  }, 240_000);

  test('a misuse through the launcher is the same one line, exit 2', () => {
    const result = launch(['--out', '/']);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('synth: --out: refusing to render into /: it is the filesystem root (synth --help for usage); nothing was written\n');
  }, 240_000);
});
