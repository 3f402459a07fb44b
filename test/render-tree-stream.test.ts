/**
 * Building the new tree while the render goes on (openTree, a worker thread), and reusing what did
 * not change: the same whole-tree guarantees as writeTree, with unchanged files hard-linked from
 * the current tree instead of written again.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { MANIFEST_FILE } from '../render/manifest';
import type { RenderedFile } from '../render/rendered-file';
import { acquireTreeLock } from '../render/tree-lock';
import { openTree, treeSiblings, writeTree } from '../render/write-tree';
import { syntheticTree } from './support/synthetic-tree';
import { readTree } from './support/tree';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'render-stream-'));
const asMap = (files: readonly RenderedFile[]) => new Map(files.map((f) => [f.path, f.content]));
const leftovers = (out: string) => fs.readdirSync(path.dirname(out)).filter((e) => e !== path.basename(out));
const inode = (file: string) => fs.statSync(file).ino;

/** Hands `files` to a worker-built tree in groups, as synth does while rendering. */
async function stream(out: string, files: readonly RenderedFile[], group = 7) {
  const tree = openTree(out);
  for (let i = 0; i < files.length; i += group) tree.add(files.slice(i, i + group));
  return tree.finish();
}

describe('a tree built on a worker thread while the render goes on', () => {
  test('holds the same files as one built in the thread, and nothing is left beside it', async () => {
    const [a, b] = [path.join(tmp(), 'dist'), path.join(tmp(), 'dist')];
    writeTree(a, syntheticTree('a', 200));
    expect(await stream(b, syntheticTree('a', 200))).toEqual({ total: 200, written: 200, unchanged: 0, deleted: 0 });
    expect(readTree(b)).toEqual(readTree(a));
    expect(leftovers(b)).toEqual([]);
  });

  test('a rerun that changes nothing creates nothing: the folder itself is not replaced', async () => {
    const out = path.join(tmp(), 'dist');
    await stream(out, syntheticTree('a', 120));
    const folder = inode(out);
    expect(await stream(out, syntheticTree('a', 120))).toEqual({ total: 120, written: 0, unchanged: 120, deleted: 0 });
    expect(inode(out)).toBe(folder);
    expect(leftovers(out)).toEqual([]);
  });

  test('unchanged files keep their inode (linked from the old tree), a changed file is a new one, and no link outlives the swap', async () => {
    const out = path.join(tmp(), 'dist');
    const files = syntheticTree('a', 60);
    await stream(out, files);
    const [same, changed] = ['env/namespaces/ns-3/configmap-file-3.yaml', 'env/namespaces/ns-4/configmap-file-4.yaml'];
    const before = { same: inode(path.join(out, same)), changed: inode(path.join(out, changed)) };
    const next = files.map((f) => (f.path === changed ? { ...f, content: `${f.content}more: true\n` } : f));
    expect(await stream(out, next)).toEqual({ total: 60, written: 1, unchanged: 59, deleted: 0 });
    expect(inode(path.join(out, same))).toBe(before.same);
    expect(inode(path.join(out, changed))).not.toBe(before.changed);
    expect(fs.statSync(path.join(out, same)).nlink).toBe(1);
    expect(readTree(out)).toEqual(asMap(next));
  });

  test('files found equal before the first difference are linked too, and a deletion alone still replaces the tree', async () => {
    const out = path.join(tmp(), 'dist');
    const files = syntheticTree('a', 40);
    await stream(out, files);
    const last = files.filter((f) => f.path !== MANIFEST_FILE).at(-1)!;
    const changedLast = files.map((f) => (f.path === last.path ? { ...f, content: 'changed: true\n' } : f));
    expect(await stream(out, changedLast)).toMatchObject({ written: 1, unchanged: 39 });
    expect(readTree(out)).toEqual(asMap(changedLast));
    const fewer = changedLast.filter((f) => f.path !== last.path && f.path !== MANIFEST_FILE);
    expect(await stream(out, fewer)).toEqual({ total: 39, written: 0, unchanged: 39, deleted: 1 });
    const tree = readTree(out);
    expect(tree.get(MANIFEST_FILE)).not.toContain(last.path);
    tree.delete(MANIFEST_FILE);
    expect(tree).toEqual(asMap(fewer));
  });

  test('files handed over as bytes (a render cache entry) are compared, linked and written like text', async () => {
    const out = path.join(tmp(), 'dist');
    const files = syntheticTree('a', 30).filter((f) => f.path !== MANIFEST_FILE);
    await stream(out, files);
    const next = files.map((f, i) => (i === 4 ? { ...f, content: `${f.content}é: true\n` } : f));
    const body = Buffer.concat(next.map((f) => Buffer.from(f.content)));
    const tree = openTree(out);
    tree.addBytes({ files: next.map((f) => [f.path, Buffer.byteLength(f.content)] as const), body });
    expect(await tree.finish()).toEqual({ total: 30, written: 1, unchanged: 29, deleted: 0 });
    const written = readTree(out);
    written.delete(MANIFEST_FILE);
    expect(written).toEqual(asMap(next));
  });

  test('a symbolic link in the current tree is never carried into the new one', async () => {
    const out = path.join(tmp(), 'dist');
    const files = syntheticTree('a', 10);
    await stream(out, files);
    const target = path.join(tmp(), 'elsewhere.yaml');
    const rel = files[0].path;
    fs.writeFileSync(target, files[0].content);
    fs.rmSync(path.join(out, rel));
    fs.symlinkSync(target, path.join(out, rel));
    expect(await stream(out, files)).toMatchObject({ written: 1, unchanged: 9 });
    expect(fs.lstatSync(path.join(out, rel)).isFile()).toBe(true);
    expect(fs.readFileSync(target, 'utf8')).toBe(files[0].content);
  });

  test('a write failure on the worker is reported at the end, with the old tree left and the lock free', async () => {
    const out = path.join(tmp(), 'dist');
    const old = syntheticTree('a', 20);
    writeTree(out, old);
    await expect(stream(out, [...syntheticTree('b', 20), { path: `env/${'n'.repeat(300)}.yaml`, content: 'x' }])).rejects.toThrow(/^cannot write env\/n+\.yaml: ENAMETOOLONG; .*dist is left as it was$/);
    expect(readTree(out)).toEqual(asMap(old));
    expect(leftovers(out)).toEqual([]);
    const lock = acquireTreeLock(treeSiblings(out).lock, out, { timeoutMs: 0 });
    expect(lock.held()).toBe(true);
    lock.release();
  });

  test('a path handed over twice or outside the tree stops it at the end, nothing written', async () => {
    const out = path.join(tmp(), 'dist');
    const twice: RenderedFile[] = [{ path: 'env/a.yaml', content: '1' }, { path: 'env/b.yaml', content: '2' }, { path: 'env/a.yaml', content: '3' }];
    await expect(stream(out, twice, 1)).rejects.toThrow(/^two objects render to env\/a\.yaml$/);
    await expect(stream(out, [{ path: 'env/a.yaml/b.yaml', content: '1' }, { path: 'env/a.yaml', content: '2' }], 1)).rejects.toThrow(/^env\/a\.yaml would be both a file and the folder of env\/a\.yaml\/b\.yaml$/);
    await expect(stream(out, [{ path: '../escape.yaml', content: 'x' }])).rejects.toThrow(/^refusing to write outside the tree: "\.\.\/escape\.yaml"$/);
    expect(fs.existsSync(out)).toBe(false);
    expect(leftovers(out)).toEqual([]);
    expect(fs.existsSync(path.join(path.dirname(path.dirname(out)), 'escape.yaml'))).toBe(false);
  });

  test('abort drops everything staged: the tree stays as it was and the next synth can start at once', async () => {
    const out = path.join(tmp(), 'dist');
    const old = syntheticTree('a', 30);
    writeTree(out, old);
    const tree = openTree(out);
    tree.add(syntheticTree('b', 30));
    await tree.abort();
    expect(readTree(out)).toEqual(asMap(old));
    expect(leftovers(out)).toEqual([]);
    expect(writeTree(out, syntheticTree('b', 30), { lock: { timeoutMs: 0 } }).written).toBeGreaterThan(0);
  });

  test('a folder holding a file synth did not write is refused at the end, the file and the tree kept', async () => {
    const out = path.join(tmp(), 'dist');
    writeTree(out, syntheticTree('a', 10));
    fs.writeFileSync(path.join(out, 'env', 'notes.txt'), 'mine');
    const before = readTree(out);
    await expect(stream(out, syntheticTree('b', 10))).rejects.toThrow(/it holds a file synth did not write \(env\/notes\.txt\)/);
    expect(readTree(out)).toEqual(before);
    expect(leftovers(out)).toEqual([]);
  });
});
