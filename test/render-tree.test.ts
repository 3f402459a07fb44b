/**
 * Replacing the rendered tree on disk: as a whole (old or new, never a mix, even under SIGKILL),
 * one synth at a time, and never deleting or overwriting what synth did not write.
 */
import { spawn, spawnSync, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { MANIFEST_FILE } from '../render/manifest';
import { acquireTreeLock } from '../render/tree-lock';
import { checkTarget, recoverTree, repositoryRoot, treeSiblings, TreeError, writeTree } from '../render/write-tree';
import { syntheticTree } from './support/synthetic-tree';
import { readTree } from './support/tree';

const ROOT = path.resolve(__dirname, '..');
const WRITER = path.join(__dirname, 'support', 'tree-writer.ts');
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'render-tree-'));
const asMap = (files: { path: string; content: string }[]) => new Map(files.map((f) => [f.path, f.content]));

/** Entries of the folder holding `out` other than `out` itself (staging, old tree, lock). */
const leftovers = (out: string) => fs.readdirSync(path.dirname(out)).filter((e) => e !== path.basename(out));

function startWriter(out: string, variant: 'a' | 'b', count: number, mode: 'thread' | 'worker' = 'thread'): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', WRITER, out, variant, String(count), mode], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
}

function whenWriting(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    const onData = (d: Buffer) => {
      if (d.toString().includes('writing')) {
        child.stdout!.off('data', onData);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
  });
}

describe('writing a rendered tree', () => {
  test('writes every file and a manifest listing them, and nothing beside the folder', () => {
    const out = path.join(tmp(), 'dist');
    const files = syntheticTree('a', 30);
    const summary = writeTree(out, files);
    expect(summary).toEqual({ total: 30, written: 30, unchanged: 0, deleted: 0 });
    expect(readTree(out)).toEqual(asMap(files));
    expect(readTree(out).get(MANIFEST_FILE)).toContain('env/namespaces/ns-0/configmap-file-0.yaml\n');
    expect(leftovers(out)).toEqual([]);
  });

  test('a rerun with the same files touches nothing on disk', () => {
    const out = path.join(tmp(), 'dist');
    writeTree(out, syntheticTree('a', 30));
    const inode = fs.statSync(out).ino;
    const file = path.join(out, 'env/namespaces/ns-1/configmap-file-1.yaml');
    const mtime = fs.statSync(file).mtimeMs;
    expect(writeTree(out, syntheticTree('a', 30))).toEqual({ total: 30, written: 0, unchanged: 30, deleted: 0 });
    expect(fs.statSync(out).ino).toBe(inode);
    expect(fs.statSync(file).mtimeMs).toBe(mtime);
  });

  test('a changed render replaces the folder as a whole: new files written, stale ones gone, the folder a real directory', () => {
    const out = path.join(tmp(), 'dist');
    writeTree(out, syntheticTree('a', 30));
    const summary = writeTree(out, syntheticTree('b', 30));
    expect(summary).toEqual({ total: 28, written: 28, unchanged: 0, deleted: 3 });
    expect(readTree(out)).toEqual(asMap(syntheticTree('b', 30)));
    expect(fs.lstatSync(out).isDirectory()).toBe(true);
    expect(leftovers(out)).toEqual([]);
  });

  test('a write error half-way leaves the old tree exactly as it was and says which file failed', () => {
    const out = path.join(tmp(), 'dist');
    const old = syntheticTree('a', 30);
    writeTree(out, old);
    const bad = [...syntheticTree('b', 30), { path: `env/${'n'.repeat(300)}.yaml`, content: 'x' }];
    expect(() => writeTree(out, bad)).toThrow(/cannot write env\/n+\.yaml: ENAMETOOLONG; .*dist is left as it was/);
    expect(readTree(out)).toEqual(asMap(old));
    expect(leftovers(out)).toEqual([]);
  });

  test('a path that would be both a file and a folder is refused before anything is written', () => {
    const out = path.join(tmp(), 'dist');
    const files = [
      { path: 'env/a.yaml', content: 'a' },
      { path: 'env/a.yaml/b.yaml', content: 'b' },
    ];
    expect(() => writeTree(out, files)).toThrow(/env\/a\.yaml would be both a file and the folder of env\/a\.yaml\/b\.yaml/);
    expect(fs.existsSync(out)).toBe(false);
  });

  test('a path leaving the tree is refused', () => {
    const out = path.join(tmp(), 'dist');
    expect(() => writeTree(out, [{ path: '../escape.yaml', content: 'x' }])).toThrow(/refusing to write outside the tree: "\.\.\/escape\.yaml"/);
    expect(fs.existsSync(out)).toBe(false);
  });
});

describe('synth never destroys what it did not write', () => {
  test('a file added by hand to a rendered tree stops the render, and the tree and the file stay', () => {
    const out = path.join(tmp(), 'dist');
    writeTree(out, syntheticTree('a', 30));
    fs.writeFileSync(path.join(out, 'env', 'notes.txt'), 'mine');
    const before = readTree(out);
    expect(() => writeTree(out, syntheticTree('b', 30))).toThrow(/refusing to replace .*dist: it holds a file synth did not write \(env\/notes\.txt\); move it out of the folder first/);
    expect(readTree(out)).toEqual(before);
  });

  test('a folder holding only lower-case subfolders of the user’s files is refused and kept', () => {
    const out = path.join(tmp(), 'photos');
    fs.mkdirSync(path.join(out, 'holiday'), { recursive: true });
    fs.writeFileSync(path.join(out, 'holiday', 'beach.jpg'), 'jpeg');
    expect(() => writeTree(out, syntheticTree('a', 10))).toThrow(/refusing to replace .*photos: it is not empty and was not rendered by synth \(no \.rendered-files; it holds holiday\)/);
    expect(readTree(out)).toEqual(new Map([['holiday/beach.jpg', 'jpeg']]));
  });

  test('an empty folder is accepted', () => {
    const out = path.join(tmp(), 'empty');
    fs.mkdirSync(out);
    writeTree(out, syntheticTree('a', 5));
    expect(readTree(out)).toEqual(asMap(syntheticTree('a', 5)));
  });

  test('the filesystem root, the repository, a folder holding it, a file and a symbolic link are refused', () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'file'), 'x');
    fs.symlinkSync(dir, path.join(dir, 'link'));
    expect(() => checkTarget('/')).toThrow(/^refusing to render into \/: it is the filesystem root$/);
    expect(() => checkTarget(repositoryRoot())).toThrow(/it is the repository root/);
    expect(() => checkTarget(path.dirname(repositoryRoot()))).toThrow(/it holds the repository/);
    expect(() => checkTarget(path.join(dir, 'file'))).toThrow(/it is a file, not a folder/);
    expect(() => checkTarget(path.join(dir, 'link'))).toThrow(/it is a symbolic link/);
    expect(() => writeTree(path.join(dir, 'file'), syntheticTree('a', 3))).toThrow(TreeError);
    expect(fs.readFileSync(path.join(dir, 'file'), 'utf8')).toBe('x');
  });
});

describe('recovery after a killed synth', () => {
  test('an old tree beside a missing folder (killed between the two renames) is moved back', () => {
    const out = path.join(tmp(), 'dist');
    const old = syntheticTree('a', 10);
    writeTree(out, old);
    fs.renameSync(out, treeSiblings(out).previous);
    fs.mkdirSync(treeSiblings(out).staging);
    fs.writeFileSync(path.join(treeSiblings(out).staging, 'half.yaml'), 'x');
    expect(recoverTree(out)).toBe('restored');
    expect(readTree(out)).toEqual(asMap(old));
    expect(leftovers(out)).toEqual([]);
  });

  test('an old tree beside the new one (killed while deleting it) is deleted, the new tree kept', () => {
    const out = path.join(tmp(), 'dist');
    writeTree(out, syntheticTree('b', 10));
    fs.mkdirSync(path.join(treeSiblings(out).previous, 'env'), { recursive: true });
    expect(recoverTree(out)).toBe('cleaned');
    expect(readTree(out)).toEqual(asMap(syntheticTree('b', 10)));
    expect(leftovers(out)).toEqual([]);
  });

  test('the next write recovers first, then renders', () => {
    const out = path.join(tmp(), 'dist');
    writeTree(out, syntheticTree('a', 10));
    fs.renameSync(out, treeSiblings(out).previous);
    expect(writeTree(out, syntheticTree('b', 10)).deleted).toBe(1);
    expect(readTree(out)).toEqual(asMap(syntheticTree('b', 10)));
    expect(leftovers(out)).toEqual([]);
  });
});

describe('one synth at a time', () => {
  test('a lock held by a live process makes a second synth wait, then stop with a message naming it', () => {
    const out = path.join(tmp(), 'dist');
    const holder = spawn('sleep', ['30']);
    try {
      fs.writeFileSync(treeSiblings(out).lock, `${holder.pid} 0\n`);
      const started = Date.now();
      expect(() => writeTree(out, syntheticTree('a', 5), { lock: { timeoutMs: 300, pollMs: 20 } })).toThrow(
        new RegExp(`dist is being written by another synth \\(pid ${holder.pid}, lock .*\\.dist\\.synth-lock\\); waited 0\\.3 s, try again when it has finished`),
      );
      expect(Date.now() - started).toBeGreaterThanOrEqual(290);
      expect(fs.existsSync(out)).toBe(false);
    } finally {
      holder.kill('SIGKILL');
    }
  });

  test('a lock left by a killed synth is taken over', () => {
    const out = path.join(tmp(), 'dist');
    const dead = spawnSync('true').pid!;
    fs.writeFileSync(treeSiblings(out).lock, `${dead} 0\n`);
    writeTree(out, syntheticTree('a', 5), { lock: { timeoutMs: 1000 } });
    expect(readTree(out)).toEqual(asMap(syntheticTree('a', 5)));
    expect(leftovers(out)).toEqual([]);
  });

  test('a stale lock that a synth killed while breaking it left moved aside is removed by the next synth; a live one’s is not', () => {
    const out = path.join(tmp(), 'dist');
    const { lock } = treeSiblings(out);
    const dead = spawnSync('true').pid!;
    fs.writeFileSync(`${lock}.stale-${dead}`, `${dead} 0\n`);
    const holder = spawn('sleep', ['30']);
    try {
      fs.writeFileSync(`${lock}.stale-${holder.pid}`, `${dead} 0\n`);
      writeTree(out, syntheticTree('a', 5), { lock: { timeoutMs: 1000 } });
      expect(leftovers(out)).toEqual([`.dist.synth-lock.stale-${holder.pid}`]);
    } finally {
      holder.kill();
    }
  });

  test('the lock is released when the write fails', () => {
    const out = path.join(tmp(), 'dist');
    expect(() => writeTree(out, [{ path: `${'n'.repeat(300)}.yaml`, content: 'x' }])).toThrow(/ENAMETOOLONG/);
    expect(fs.existsSync(treeSiblings(out).lock)).toBe(false);
    const lock = acquireTreeLock(treeSiblings(out).lock, out, { timeoutMs: 0 });
    expect(lock.held()).toBe(true);
    lock.release();
  });

  test('two synths started together into one folder (one building in its thread, one on a worker) both finish, one after the other, leaving one whole tree', async () => {
    const out = path.join(tmp(), 'dist');
    const [a, b] = await Promise.all([exited(startWriter(out, 'a', 2000, 'thread')), exited(startWriter(out, 'b', 2000, 'worker'))]);
    expect([a.code, a.stderr, b.code, b.stderr]).toEqual([0, '', 0, '']);
    const tree = readTree(out);
    expect([asMap(syntheticTree('a', 2000)), asMap(syntheticTree('b', 2000))]).toContainEqual(tree);
    expect(leftovers(out)).toEqual([]);
  }, 60_000);
});

describe.each(['thread', 'worker'] as const)('SIGKILL at random moments, the new tree built on the %s', (mode) => {
  const COUNT = 3000;
  const KILLS = mode === 'thread' ? 8 : 6;

  test(`after each of ${KILLS} kills during a write the folder holds the old tree or the new one, never a mix`, async () => {
    const out = path.join(tmp(), 'dist');
    const trees = { a: asMap(syntheticTree('a', COUNT)), b: asMap(syntheticTree('b', COUNT)) };
    writeTree(out, syntheticTree('a', COUNT));
    // How long one whole write takes here, so the kills land inside it.
    const probe = startWriter(out, 'b', COUNT, mode);
    const result = await exited(probe);
    expect(result.code).toBe(0);
    const writeMs = JSON.parse(result.stdout.split('\n')[1]).ms as number;
    let current: 'a' | 'b' = 'b';
    const outcomes: string[] = [];
    for (let i = 0; i < KILLS; i++) {
      const next: 'a' | 'b' = current === 'a' ? 'b' : 'a';
      const child = startWriter(out, next, COUNT, mode);
      const done = exited(child);
      await whenWriting(child);
      const delay = Math.random() * writeMs * 1.2;
      await new Promise((r) => setTimeout(r, delay));
      child.kill('SIGKILL');
      const { signal } = await done;
      if (!fs.existsSync(out)) {
        // Killed between the two renames: the complete old tree waits beside it.
        expect(readTree(treeSiblings(out).previous)).toEqual(trees[current]);
        recoverTree(out);
      }
      const tree = readTree(out);
      const which: 'a' | 'b' = tree.size === trees[current].size && [...trees[current]].every(([p, c]) => tree.get(p) === c) ? current : next;
      expect(tree).toEqual(trees[which]);
      outcomes.push(`${delay.toFixed(0)}ms:${signal ?? 'exited'}:${which === current ? 'old' : 'new'}`);
      current = which;
    }
    // The next synth recovers and completes, with nothing left beside the folder.
    writeTree(out, syntheticTree('a', COUNT));
    expect(readTree(out)).toEqual(trees.a);
    expect(leftovers(out)).toEqual([]);
    expect(outcomes).toHaveLength(KILLS);
  }, 180_000);
});
