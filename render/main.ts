/**
 * `npm run synth`: validates the model, renders every environment in memory, and only then
 * replaces the output folder as a whole (write-tree.ts). Any problem exits non-zero with every
 * problem listed and the folder untouched; a misused command line is answered in one line (exit 2).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseArgs as parseCommandLine } from 'util';
import { loadPlatform } from '../platform/load';
import type { Platform } from '../platform/types';
import { ModelError } from '../platform/validate';
import { renderPlatformInto, type RenderInfo } from './render';
import { renderPlatformThreaded, type StartRenderThread } from './render-threads';
import { type CachedFiles, RenderCache, type RenderCacheProps } from './render-cache';
import { RenderError, type RenderedFile } from './rendered-file';
import { TreeError } from './tree-error';
import { checkTarget, openTree, type WriteSummary } from './write-tree';

/** What render/launch.cjs runs on a render thread (the bundle's entry is this file). */
export { serveRenderThread } from './render-threads';

/**
 * From this many services synth renders environments on threads. Measured on 2 cores (no cache,
 * each environment in two parts, see render-threads.ts): 100 services 2.9-3.3 s in one thread,
 * 3.0-3.6 s on two; 300: 6.0-7.2 and 5.3-5.9 s; 1000: 17-23 and 15-19 s. A thread first loads the
 * whole render (~0.5 s), which pays off from a few hundred services.
 */
export const THREADS_FROM_SERVICES = 300;

export const USAGE = `usage: synth [--out DIR] [--model FILE] [--releases DIR] [--kubernetes-only] [--no-cache] [--threads N]

Validates the platform model and renders every environment into DIR (default: dist/ of the repository).

  --out DIR          output folder: empty, new, or a tree synth rendered before (default: dist)
  --model FILE       a whole model as JSON or YAML (default: the example platform)
  --releases DIR     folder of release files <env>.yaml (default: the example's, or none with --model)
  --kubernetes-only  render the Kubernetes files only (what \`cdk8s synth\` runs)
  --no-cache         render every environment, even one whose inputs did not change
  --threads N        render on N worker threads, each taking an environment's Kubernetes or Terraform
                     part at a time (default: none below ${THREADS_FROM_SERVICES} services; from there one per core but
                     one, at least 2)
  -h, --help         print this help`;

interface Args {
  readonly out: string;
  readonly model?: string;
  readonly releases?: string;
  readonly kubernetesOnly: boolean;
  readonly noCache: boolean;
  readonly threads?: number;
  readonly help: boolean;
}

export interface MainOptions {
  /** Where and under which code key environments' renders are reused (given by render/launch.cjs). @default none: every environment renders */
  readonly renderCache?: RenderCacheProps;
  /** Starts a render thread (render-threads.ts; given by render/launch.cjs, which runs the bundle there too). @default none: environments render in this thread */
  readonly startRenderThread?: StartRenderThread;
}

/** How many render threads: none without a way to start them, else --threads or the default for the platform's size. */
function renderThreads(args: Args, platform: Platform, options: MainOptions): number {
  if (!options.startRenderThread) return 1;
  if (args.threads !== undefined) return args.threads;
  const services = platform.teams.reduce((n, t) => n + t.namespaces.reduce((m, ns) => m + ns.services.length, 0), 0);
  return services < THREADS_FROM_SERVICES ? 1 : Math.max(2, os.availableParallelism() - 1);
}

/** A misused command line (exit 2, one line). */
class UsageError extends Error {}

function firstSentence(message: string): string {
  const line = message.split('\n')[0];
  const end = line.indexOf('. ');
  return end === -1 ? line : line.slice(0, end + 1);
}

function parseArgs(argv: readonly string[]): Args {
  let values;
  try {
    ({ values } = parseCommandLine({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        out: { type: 'string', short: 'o' },
        model: { type: 'string' },
        releases: { type: 'string' },
        'kubernetes-only': { type: 'boolean', default: false },
        'no-cache': { type: 'boolean', default: false },
        threads: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (err) {
    throw new UsageError(firstSentence((err as Error).message));
  }
  const threads = values.threads === undefined ? undefined : Number(values.threads);
  if (threads !== undefined && !(/^[0-9]+$/.test(values.threads!) && threads >= 1 && threads <= 64)) {
    throw new UsageError(`--threads needs a whole number from 1 to 64, not ${JSON.stringify(values.threads)}`);
  }
  for (const flag of ['out', 'model', 'releases'] as const) {
    if (values[flag] !== undefined && values[flag].trim() === '') throw new UsageError(`--${flag} needs a non-empty value`);
  }
  return {
    out: path.resolve(values.out ?? 'dist'),
    model: values.model === undefined ? undefined : path.resolve(values.model),
    releases: values.releases === undefined ? undefined : path.resolve(values.releases),
    kubernetesOnly: values['kubernetes-only'] ?? false,
    noCache: values['no-cache'] ?? false,
    threads,
    help: values.help ?? false,
  };
}

/** Checks what the command line names before anything is rendered. */
function checkArgs(args: Args): void {
  if (args.model !== undefined) {
    const stat = fs.statSync(args.model, { throwIfNoEntry: false });
    if (!stat) throw new UsageError(`--model ${args.model}: no such file`);
    if (!stat.isFile()) throw new UsageError(`--model ${args.model}: not a file`);
  }
  if (args.releases !== undefined) {
    const stat = fs.statSync(args.releases, { throwIfNoEntry: false });
    if (!stat) throw new UsageError(`--releases ${args.releases}: no such folder`);
    if (!stat.isDirectory()) throw new UsageError(`--releases ${args.releases}: not a folder`);
  }
  try {
    checkTarget(args.out);
  } catch (err) {
    if (err instanceof TreeError) throw new UsageError(`--out: ${err.message}`);
    throw err;
  }
}

/**
 * For `npm run bench`, which runs this very command: with SYNTH_TIMINGS=FILE, synth writes its
 * phases there as JSON (validate, render with the writer running beside it, the writer's tail
 * after the render, CPU time and peak RSS of the whole process).
 */
function writeTimings(file: string, t: { started: bigint; validated: bigint; rendered: bigint; summary: WriteSummary }): void {
  const ms = (from: bigint, to: bigint) => Number(to - from) / 1e6;
  const cpu = process.cpuUsage();
  const usage = process.resourceUsage();
  const timings = {
    startMs: performance.now() - ms(t.started, process.hrtime.bigint()),
    validateMs: ms(t.started, t.validated),
    renderMs: ms(t.validated, t.rendered),
    writeTailMs: ms(t.rendered, process.hrtime.bigint()),
    cpuUserMs: cpu.user / 1000,
    cpuSystemMs: cpu.system / 1000,
    peakRssMb: usage.maxRSS / 1024,
    ...t.summary,
  };
  fs.writeFileSync(file, `${JSON.stringify(timings)}\n`);
}

export async function main(argv: readonly string[], options: MainOptions = {}): Promise<number> {
  const started = process.hrtime.bigint();
  let args: Args;
  try {
    args = parseArgs(argv);
    if (args.help) {
      console.log(USAGE);
      return 0;
    }
    checkArgs(args);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`synth: ${err.message} (synth --help for usage); nothing was written`);
    return 2;
  }
  try {
    const platform = loadPlatform({ modelFile: args.model, releasesDir: args.releases });
    const validated = process.hrtime.bigint();
    // The new tree is built beside the folder while the render goes on (write-tree.ts).
    const tree = openTree(args.out);
    let rendered = validated;
    let info: RenderInfo;
    const cache = options.renderCache && !args.noCache ? new RenderCache(options.renderCache) : undefined;
    const threads = renderThreads(args, platform, options);
    try {
      const renderOptions = {
        terraform: !args.kubernetesOnly,
        cache,
        // A cached environment goes to the tree writer as the entry's bytes, never decoded here.
        sinkBytes: (cached: CachedFiles) => tree.addBytes(cached),
        onEnvironment: (env: string, i: number, n: number) => i > 0 && process.stderr.isTTY && process.stderr.write(`rendering ${env} (${i + 1}/${n}, ${(Number(process.hrtime.bigint() - started) / 1e9).toFixed(1)} s)\n`),
      };
      const sink = (files: readonly RenderedFile[]) => tree.add(files);
      info = threads > 1 ? await renderPlatformThreaded(platform, sink, { ...renderOptions, threads, startThread: options.startRenderThread! }) : renderPlatformInto(platform, sink, renderOptions);
      rendered = process.hrtime.bigint();
    } catch (err) {
      await tree.abort();
      throw err;
    }
    const summary = await tree.finish();
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (process.env.SYNTH_TIMINGS) writeTimings(process.env.SYNTH_TIMINGS, { started, validated, rendered, summary });
    console.log(
      `Rendered ${platform.environments.length} environments, ${summary.total} files into ${path.relative(process.cwd(), args.out) || '.'}: ` +
        `${summary.written} written, ${summary.unchanged} unchanged, ${summary.deleted} deleted` +
        `${info.cached.length > 0 ? `; ${info.cached.join(', ')} reused (inputs unchanged; --no-cache renders all)` : ''} (${ms.toFixed(0)} ms)`,
    );
    return 0;
  } catch (err) {
    if (err instanceof ModelError || err instanceof RenderError) {
      console.error(`${err.message}\nNothing was written.`);
    } else if (err instanceof TreeError) {
      console.error(`synth: ${err.message}`);
    } else {
      // Not a known failure: still one line; the stack only on request.
      console.error(`synth: unexpected error: ${(err as Error)?.message ?? String(err)}; nothing was written${process.env.SYNTH_DEBUG ? `\n${(err as Error)?.stack}` : ' (SYNTH_DEBUG=1 shows the stack)'}`);
    }
    return 1;
  }
}

if (require.main === module) void main(process.argv.slice(2)).then((code) => (process.exitCode = code));
