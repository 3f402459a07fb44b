/**
 * The synth command line: every misuse is answered in one line, exits non-zero, and writes nothing.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main, USAGE } from '../render/main';
import { MANIFEST_FILE } from '../render/manifest';
import { writeTree } from '../render/write-tree';
import { syntheticTree } from './support/synthetic-tree';
import { readTree } from './support/tree';

const ROOT = path.resolve(__dirname, '..');
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'render-cli-'));

/** Runs main() in this process, capturing what it prints. */
async function run(argv: string[]): Promise<{ code: number; stderr: string; stdout: string }> {
  const err: string[] = [];
  const out: string[] = [];
  const e = jest.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  const o = jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  try {
    return { code: await main(argv), stderr: err.join('\n'), stdout: out.join('\n') };
  } finally {
    e.mockRestore();
    o.mockRestore();
  }
}

/** A folder beside the output, to prove nothing appears next to it either. */
function sandbox(): { dir: string; out: string } {
  const dir = tmp();
  return { dir, out: path.join(dir, 'dist') };
}

const oneLine = (s: string) => expect(s.split('\n')).toHaveLength(1);

describe('synth command-line misuse', () => {
  const cases: [string, (s: { dir: string; out: string }) => string[], RegExp][] = [
    ['--out . in the repository root', () => ['--out', ROOT], /^synth: --out: refusing to render into .*: it is the repository root/],
    ['--out /', () => ['--out', '/'], /^synth: --out: refusing to render into \/: it is the filesystem root/],
    ['--out a file', ({ dir }) => (fs.writeFileSync(path.join(dir, 'f.txt'), 'x'), ['--out', path.join(dir, 'f.txt')]), /^synth: --out: refusing to render into .*f\.txt: it is a file, not a folder/],
    ['--out a folder of the user’s files', ({ dir }) => (fs.mkdirSync(path.join(dir, 'mine', 'sub'), { recursive: true }), fs.writeFileSync(path.join(dir, 'mine', 'sub', 'a'), 'x'), ['--out', path.join(dir, 'mine')]), /^synth: --out: refusing to replace .*mine: it is not empty and was not rendered by synth \(no \.rendered-files; it holds sub\)/],
    ['--out with no value', () => ['--out'], /^synth: Option '-o, --out <value>' argument missing/],
    ['--out with an empty value', () => ['--out', ''], /^synth: --out needs a non-empty value/],
    ['an unknown option', () => ['--outdir', 'x'], /^synth: Unknown option '--outdir'/],
    ['a stray positional argument', ({ out }) => ['--out', out, 'extra'], /^synth: Unexpected argument 'extra'/],
    ['a missing --releases folder', ({ dir, out }) => ['--out', out, '--releases', path.join(dir, 'nope')], /^synth: --releases .*nope: no such folder/],
    ['--releases naming a file', ({ dir, out }) => (fs.writeFileSync(path.join(dir, 'r.yaml'), 'x'), ['--out', out, '--releases', path.join(dir, 'r.yaml')]), /^synth: --releases .*r\.yaml: not a folder/],
    ['--threads 0', ({ out }) => ['--out', out, '--threads', '0'], /^synth: --threads needs a whole number from 1 to 64, not "0"/],
    ['--threads two', ({ out }) => ['--out', out, '--threads', 'two'], /^synth: --threads needs a whole number from 1 to 64, not "two"/],
    ['a missing --model file', ({ dir, out }) => ['--out', out, '--model', path.join(dir, 'nope.json')], /^synth: --model .*nope\.json: no such file/],
    ['--model naming a folder', ({ dir, out }) => ['--out', out, '--model', dir], /^synth: --model .*: not a file/],
  ];

  test.each(cases)('%s is answered in one line, exit 2, nothing written', async (_name, argv, message) => {
    const s = sandbox();
    const args = argv(s);
    const before = readTree(s.dir);
    const result = await run(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toMatch(/\(synth --help for usage\); nothing was written$/);
    oneLine(result.stderr);
    expect(readTree(s.dir)).toEqual(before);
  });

  test('a file added by hand to the rendered tree stops synth in one line, exit 1, tree untouched', async () => {
    const { dir, out } = sandbox();
    writeTree(out, syntheticTree('a', 3));
    fs.writeFileSync(path.join(out, 'env', 'hand-added.yaml'), 'kind: ConfigMap\n');
    const before = readTree(dir);
    const result = await run(['--out', out, '--kubernetes-only']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^synth: refusing to replace .*dist: it holds a file synth did not write \(env\/hand-added\.yaml\); move it out of the folder first$/);
    oneLine(result.stderr);
    expect(readTree(dir)).toEqual(before);
    expect(before.has(`dist/${MANIFEST_FILE}`)).toBe(true);
  }, 120_000);

  test('--help prints the usage and exits 0', async () => {
    const result = await run(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(USAGE);
    expect(USAGE).toMatch(/--out DIR .*\n.*--model FILE.*\n.*--releases DIR.*\n.*--kubernetes-only/);
  });

  test('the real command exits 2 with the one-line message and no stack trace', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'render/main.ts', '--out', '/'], { cwd: ROOT, encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('synth: --out: refusing to render into /: it is the filesystem root (synth --help for usage); nothing was written\n');
    expect(result.stdout).toBe('');
  }, 60_000);
});
