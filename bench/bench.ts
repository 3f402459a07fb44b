/**
 * `npm run bench`: for each size, a synthetic platform of that many services is written as a model
 * file and rendered by the real command, `node render/launch.cjs --model FILE --out DIR`, in its
 * own process (so wall time, CPU and peak RSS are the command's, start included), which reports
 * its phases (SYNTH_TIMINGS, see render/main.ts): first without the render cache into an empty
 * folder (every file created), then on its own output three times: nothing changed and nothing
 * cached (every environment renders, every file is found unchanged), nothing changed with the
 * cache warm (no environment renders), and one image tag of dev's release changed (dev alone
 * renders, one file is written). The cache is the bench's own folder (SYNTH_RENDER_CACHE).
 * After that, in this process, the serialization floor: the same objects (parsed back, untimed)
 * turned into the same text and written into a fresh folder, which no renderer can beat; and the
 * same floor with yaml's stringify writing the YAML (the writer the render used before
 * render/yaml-text.ts), so runs stay comparable with older figures. It prints process/floor and
 * the growth of the render between sizes.
 *
 *   tsx bench/bench.ts [SIZES...]        e.g. tsx bench/bench.ts 10 100 500 1000
 */
import { spawnSync } from 'child_process';
import { parseArgs } from 'util';
import { parse, stringify } from 'yaml';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { toJsonFile, toYaml } from '../render/rendered-file';
import { YAML_OPTIONS } from '../render/yaml-text';
import { syntheticPlatformInput } from './synthetic-platform';

const LAUNCHER = path.join(__dirname, '..', 'render', 'launch.cjs');

/** What render/main.ts reports with SYNTH_TIMINGS. */
interface Timings {
  startMs: number;
  validateMs: number;
  renderMs: number;
  writeTailMs: number;
  cpuUserMs: number;
  cpuSystemMs: number;
  peakRssMb: number;
  total: number;
  written: number;
  unchanged: number;
}

interface Result {
  services: number;
  objects: number;
  first: Run;
  rerun: Run;
  cached: Run;
  oneChange: Run;
  floorMs: number;
  floorCpuMs: number;
  /** The same floor with yaml's own stringify (a Document per object) writing the YAML. */
  yamlFloorMs: number;
}

type Run = Timings & { processMs: number };

/** Runs the real synth command once; its wall time from spawn to exit, and its own timings. */
function synth(model: string, out: string, dir: string, extra: string[] = []): Run {
  const timingsFile = path.join(dir, 'timings.json');
  const env = { ...process.env, SYNTH_TIMINGS: timingsFile, SYNTH_RENDER_CACHE: path.join(dir, 'render-cache') };
  const t0 = performance.now();
  const child = spawnSync(process.execPath, [LAUNCHER, '--model', model, '--out', out, ...extra], { encoding: 'utf8', env });
  const processMs = performance.now() - t0;
  if (child.status !== 0) throw new Error(`synth of ${model} failed:\n${child.stderr}`);
  return { ...(JSON.parse(fs.readFileSync(timingsFile, 'utf8')) as Timings), processMs };
}

/** Every file of a rendered tree (the manifest skipped), read back. */
function readTree(dir: string): { path: string; content: string }[] {
  const files: { path: string; content: string }[] = [];
  const walk = (abs: string, rel: string) => {
    for (const e of fs.readdirSync(abs, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(path.join(abs, e.name), r);
      else if (r !== '.rendered-files') files.push({ path: r, content: fs.readFileSync(path.join(abs, e.name), 'utf8') });
    }
  };
  walk(dir, '');
  return files;
}

function measure(size: number): Result {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `platform-bench-${size}-`));
  try {
    const model = path.join(dir, 'model.json');
    const input = syntheticPlatformInput(size);
    fs.writeFileSync(model, JSON.stringify(input));
    const out = path.join(dir, 'dist');
    const first = synth(model, out, dir, ['--no-cache']);
    const rerun = synth(model, out, dir);
    const cached = synth(model, out, dir);
    const dev = input.releases!.find((r) => r.environment === 'dev')!;
    const [image, release] = Object.entries(dev.images).find(([, r]) => 'tag' in r && r.tag !== undefined)!;
    const changed = { ...input, releases: input.releases!.map((r) => (r === dev ? { ...r, images: { ...r.images, [image]: { ...release, tag: `${(release as { tag: string }).tag}-1` } } } : r)) };
    const changedModel = path.join(dir, 'model-changed.json');
    fs.writeFileSync(changedModel, JSON.stringify(changed));
    const oneChange = synth(changedModel, out, dir);
    const files = readTree(out);
    const floor = serializationFloor(files, path.join(dir, 'floor'), toYaml);
    const yamlFloor = serializationFloor(files, path.join(dir, 'yaml-floor'), (obj) => stringify(obj, YAML_OPTIONS));
    const services = input.teams.flatMap((t) => t.namespaces.flatMap((n) => n.services)).length;
    return {
      services,
      objects: files.filter((f) => f.path.endsWith('.yaml')).length,
      first,
      rerun,
      cached,
      oneChange,
      floorMs: floor.ms,
      floorCpuMs: (floor.cpu.user + floor.cpu.system) / 1000,
      yamlFloorMs: yamlFloor.ms,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
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

Renders synthetic platforms of the given numbers of services (default: 10 100 500) with the real
synth command, each in its own process, twice (fresh, then again with nothing changed), and prints
wall and CPU time, phases, objects, peak RSS, the serialization floor measured in the same run,
process/floor and the growth between sizes.`;

function main(): void {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const bad = positionals.filter((p) => !/^[1-9][0-9]*$/.test(p));
  if (bad.length > 0) {
    console.error(`bench: sizes must be positive whole numbers of services, not ${bad.join(', ')}\n${USAGE}`);
    process.exit(2);
  }
  const sizes = positionals.length > 0 ? positionals.map(Number) : [10, 100, 500];
  // Builds the synth bundle if a source changed, so the first size does not pay for it.
  spawnSync(process.execPath, [LAUNCHER, '--help'], { stdio: 'ignore' });
  const rows = sizes.map(measure);
  const f = (n: number) => n.toFixed(0);
  const ratio = (a: number, b: number) => (b > 0 ? (a / b).toFixed(2) : '-');
  const cpu = (t: Timings) => t.cpuUserMs + t.cpuSystemMs;
  /** The render with its writer: validate, render, and the writer's tail after it. */
  const work = (t: Timings) => t.validateMs + t.renderMs + t.writeTailMs;
  console.log(`node ${process.version}, ${os.cpus().length} cores, ${os.platform()}, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.table(
    rows.map((r) => ({
      services: r.services,
      'k8s objects': r.objects,
      files: r.first.total,
      'start ms': f(r.first.startMs),
      'validate ms': f(r.first.validateMs),
      'render ms': f(r.first.renderMs),
      'write tail ms': f(r.first.writeTailMs),
      'process ms': f(r.first.processMs),
      'process cpu ms': f(cpu(r.first)),
      'rerun process ms': f(r.rerun.processMs),
      'rerun cached ms': f(r.cached.processMs),
      'one tag changed ms': f(r.oneChange.processMs),
      'one tag written': r.oneChange.written,
      'floor ms': f(r.floorMs),
      'process/floor': ratio(r.first.processMs, r.floorMs),
      'render/floor': ratio(work(r.first), r.floorMs),
      'yaml-stringify floor ms': f(r.yamlFloorMs),
      'render/yaml-stringify floor': ratio(work(r.first), r.yamlFloorMs),
      'peak RSS MB': f(Math.max(r.first.peakRssMb, r.rerun.peakRssMb, r.cached.peakRssMb, r.oneChange.peakRssMb)),
    })),
  );
  const growth = (a: Result, b: Result) =>
    `t(${b.services})/t(${a.services}) = ${ratio(work(b.first), work(a.first))} wall, ${ratio(cpu(b.first), cpu(a.first))} cpu, for ${ratio(b.services, a.services)}x the services (process: ${ratio(b.first.processMs, a.first.processMs)}, floor: ${ratio(b.floorMs, a.floorMs)} wall, ${ratio(b.floorCpuMs, a.floorCpuMs)} cpu)`;
  for (let i = 1; i < rows.length; i++) console.log(growth(rows[i - 1], rows[i]));
  if (rows.length > 2) console.log(growth(rows[0], rows[rows.length - 1]));
}

main();
