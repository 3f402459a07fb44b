/**
 * `npm run bench`: renders synthetic platforms of 10, 100 and 500 services, each in its own process
 * (so peak RSS is per size), into a temporary folder, and prints wall time, objects and files.
 * In the same process it measures the serialization floor: turning the same objects into text
 * (YAML/JSON) and writing them into a fresh folder, which no renderer can beat; it prints
 * render/floor and process/floor, and the growth of the render time between sizes. The floor uses
 * the render's own YAML writer (render/yaml-text.ts); a second floor writes the YAML with yaml's
 * stringify, the writer the render used before, so runs stay comparable with older figures.
 *
 *   tsx bench/bench.ts [SIZES...]        e.g. tsx bench/bench.ts 10 100 500 1000
 */
import { spawnSync } from 'child_process';
import { parseArgs } from 'util';
import { parse, stringify } from 'yaml';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { renderPlatform } from '../render/render';
import { toJsonFile, toYaml } from '../render/rendered-file';
import { writeTree } from '../render/write-tree';
import { YAML_OPTIONS } from '../render/yaml-text';
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
  floorMs: number;
  /** CPU time (user + system) of validate + render + write, and of the floor: steadier than wall time on a shared machine. */
  renderCpuMs: number;
  floorCpuMs: number;
  /** The same floor with yaml's own stringify (a Document per object) writing the YAML: the floor the render had before render/yaml-text.ts. */
  yamlFloorMs: number;
  yamlFloorCpuMs: number;
  processMs: number;
  peakRssMb: number;
}

function measure(size: number): Result {
  const started = Number(process.env.BENCH_STARTED ?? Date.now());
  const out = fs.mkdtempSync(path.join(os.tmpdir(), `platform-bench-${size}-`));
  try {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const platform = parsePlatform(syntheticPlatformInput(size));
    const t1 = performance.now();
    const files = renderPlatform(platform);
    const t2 = performance.now();
    const summary = writeTree(path.join(out, 'dist'), files);
    const t3 = performance.now();
    const c1 = process.cpuUsage(c0);
    const processMs = Date.now() - started;
    // Peak RSS of the synth itself, before the floor measurement adds its own copies of the objects.
    const peakRssMb = process.resourceUsage().maxRSS / 1024;
    const { ms: floorMs, cpu: c3 } = serializationFloor(files, path.join(out, 'floor'), toYaml);
    const yamlFloor = serializationFloor(files, path.join(out, 'yaml-floor'), (obj) => stringify(obj, YAML_OPTIONS));
    const cpuMs = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1000;
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
      floorMs,
      renderCpuMs: cpuMs(c1),
      floorCpuMs: cpuMs(c3),
      yamlFloorMs: yamlFloor.ms,
      yamlFloorCpuMs: cpuMs(yamlFloor.cpu),
      processMs,
      peakRssMb,
    };
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}

/**
 * The floor: the rendered objects (parsed back, untimed) turned into the same text and written
 * into a fresh folder, one mkdir per folder and one write per file.
 */
function serializationFloor(files: readonly { path: string; content: string }[], dir: string, yaml: (obj: unknown) => string): { ms: number; cpu: NodeJS.CpuUsage } {
  const objects = files.map((f) => ({ path: f.path, obj: f.path.endsWith('.json') ? JSON.parse(f.content) : f.path.endsWith('.yaml') ? parse(f.content) : f.content }));
  // Wall and CPU time of the text and the writes only (the parse above is not the floor's).
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const made = new Set<string>();
  for (const { path: rel, obj } of objects) {
    const text = typeof obj === 'string' ? obj : rel.endsWith('.json') ? toJsonFile(obj) : yaml(obj);
    const folder = path.dirname(path.join(dir, rel));
    if (!made.has(folder)) {
      fs.mkdirSync(folder, { recursive: true });
      made.add(folder);
    }
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return { ms: performance.now() - t0, cpu: process.cpuUsage(c0) };
}

const USAGE = `usage: npm run bench [-- SERVICES ...]

Renders synthetic platforms of the given numbers of services (default: 10 100 500), each in its own
process, and prints wall and CPU time, objects, files, peak RSS, the serialization floor measured in
the same run, render/floor and the growth between sizes.`;

function main(): void {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { child: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (values.child !== undefined) {
    process.stdout.write(JSON.stringify(measure(Number(values.child))));
    return;
  }
  const bad = positionals.filter((p) => !/^[1-9][0-9]*$/.test(p));
  if (bad.length > 0) {
    console.error(`bench: sizes must be positive whole numbers of services, not ${bad.join(', ')}\n${USAGE}`);
    process.exit(2);
  }
  const sizes = positionals.length > 0 ? positionals.map(Number) : [10, 100, 500];
  const rows: Result[] = [];
  for (const size of sizes) {
    const child = spawnSync(process.execPath, [...process.execArgv, __filename, `--child=${size}`], {
      encoding: 'utf8',
      env: { ...process.env, BENCH_STARTED: String(Date.now()) },
      maxBuffer: 1 << 20,
    });
    if (child.status !== 0) throw new Error(`bench of ${size} services failed:\n${child.stderr}`);
    rows.push(JSON.parse(child.stdout) as Result);
  }
  const f = (n: number) => n.toFixed(0);
  console.log(`node ${process.version}, ${os.cpus().length} cores, ${os.platform()}`);
  const ratio = (a: number, b: number) => (b > 0 ? (a / b).toFixed(2) : '-');
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
      'floor ms': f(r.floorMs),
      'render/floor': ratio(r.validateMs + r.renderMs + r.writeMs, r.floorMs),
      'process/floor': ratio(r.processMs, r.floorMs),
      'render cpu/floor cpu': ratio(r.renderCpuMs, r.floorCpuMs),
      'yaml-stringify floor ms': f(r.yamlFloorMs),
      'render/yaml-stringify floor': ratio(r.validateMs + r.renderMs + r.writeMs, r.yamlFloorMs),
      'render cpu/yaml-stringify floor cpu': ratio(r.renderCpuMs, r.yamlFloorCpuMs),
      'peak RSS MB': f(r.peakRssMb),
    })),
  );
  // Growth of the render (validate + render + write) between consecutive sizes, against the growth in services.
  for (let i = 1; i < rows.length; i++) {
    const [a, b] = [rows[i - 1], rows[i]];
    const t = (r: Result) => r.validateMs + r.renderMs + r.writeMs;
    console.log(
      `t(${b.services})/t(${a.services}) = ${ratio(t(b), t(a))} wall, ${ratio(b.renderCpuMs, a.renderCpuMs)} cpu, for ${ratio(b.services, a.services)}x the services (process: ${ratio(b.processMs, a.processMs)}, floor: ${ratio(b.floorMs, a.floorMs)} wall, ${ratio(b.floorCpuMs, a.floorCpuMs)} cpu)`,
    );
  }
  if (rows.length > 2) {
    const [a, b] = [rows[0], rows[rows.length - 1]];
    const t = (r: Result) => r.validateMs + r.renderMs + r.writeMs;
    console.log(`t(${b.services})/t(${a.services}) = ${ratio(t(b), t(a))} wall, ${ratio(b.renderCpuMs, a.renderCpuMs)} cpu, for ${ratio(b.services, a.services)}x the services`);
  }
}

main();
