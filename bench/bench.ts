/**
 * `npm run bench`: renders synthetic platforms of 10, 100 and 500 services, each in its own process
 * (so peak RSS is per size), into a temporary folder, and prints wall time, objects and files.
 *
 *   tsx bench/bench.ts [SIZES...]        e.g. tsx bench/bench.ts 10 100 500 1000
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { renderPlatform } from '../render/render';
import { writeTree } from '../render/write-tree';
import { parsePlatform } from '../platform/validate';
import { syntheticPlatformInput } from './synthetic-platform';

interface Result {
  services: number;
  environments: number;
  objects: number;
  files: number;
  written: number;
  validateMs: number;
  renderMs: number;
  writeMs: number;
  processMs: number;
  peakRssMb: number;
}

function measure(size: number): Result {
  const started = Number(process.env.BENCH_STARTED ?? Date.now());
  const out = fs.mkdtempSync(path.join(os.tmpdir(), `platform-bench-${size}-`));
  try {
    const t0 = performance.now();
    const platform = parsePlatform(syntheticPlatformInput(size));
    const t1 = performance.now();
    const files = renderPlatform(platform);
    const t2 = performance.now();
    const summary = writeTree(path.join(out, 'dist'), files);
    const t3 = performance.now();
    const services = platform.teams.flatMap((t) => t.namespaces.flatMap((n) => n.services)).length;
    return {
      services,
      environments: platform.environments.length,
      objects: files.filter((f) => f.path.endsWith('.yaml')).length,
      files: summary.total,
      written: summary.written,
      validateMs: t1 - t0,
      renderMs: t2 - t1,
      writeMs: t3 - t2,
      processMs: Date.now() - started,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
    };
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}

function main(): void {
  if (process.argv[2] === '--child') {
    process.stdout.write(JSON.stringify(measure(Number(process.argv[3]))));
    return;
  }
  const sizes = process.argv.length > 2 ? process.argv.slice(2).map(Number) : [10, 100, 500];
  const rows: Result[] = [];
  for (const size of sizes) {
    const child = spawnSync(process.execPath, [...process.execArgv, __filename, '--child', String(size)], {
      encoding: 'utf8',
      env: { ...process.env, BENCH_STARTED: String(Date.now()) },
      maxBuffer: 1 << 20,
    });
    if (child.status !== 0) throw new Error(`bench of ${size} services failed:\n${child.stderr}`);
    rows.push(JSON.parse(child.stdout) as Result);
  }
  const f = (n: number) => n.toFixed(0);
  console.log(`node ${process.version}, ${os.cpus().length} cores, ${os.platform()}`);
  console.table(
    rows.map((r) => ({
      services: r.services,
      envs: r.environments,
      'k8s objects': r.objects,
      'files written': r.written,
      'validate ms': f(r.validateMs),
      'render ms': f(r.renderMs),
      'write ms': f(r.writeMs),
      'wall ms (process)': f(r.processMs),
      'peak RSS MB': f(r.peakRssMb),
    })),
  );
}

main();
