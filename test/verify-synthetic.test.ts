/** The bootstrap simulator over a 100-service synthetic platform rendered to a temp dir: any valid model must boot. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { syntheticPlatformInput } from '../bench/synthetic-platform';
import { parsePlatform } from '../platform/validate';
import { renderPlatform } from '../render/render';
import { writeTree } from '../render/write-tree';
import { verifyDist } from '../verify';

test('a 100-service synthetic platform renders to a tree the simulator finds nothing wrong with, in every environment', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-synthetic-'));
  try {
    const platform = parsePlatform(syntheticPlatformInput(100));
    writeTree(path.join(dir, 'dist'), renderPlatform(platform));
    const results = verifyDist(path.join(dir, 'dist'));
    expect([...results.keys()].sort()).toEqual(platform.environments.map((e) => e.name).sort());
    expect([...results].flatMap(([env, fs]) => fs.map((f) => `${env}/${f.file}: [${f.rule}] ${f.message}`))).toEqual([]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 180000);
