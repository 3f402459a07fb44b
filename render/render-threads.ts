/**
 * Rendering environments side by side on worker threads. Each environment renders in two parts
 * (render.ts: its Kubernetes objects, and its Terraform with the files beside it), and every part
 * goes to the next free thread: all Kubernetes parts first, then the shorter Terraform parts, so
 * three environments keep two threads busy to the end instead of leaving one idle for the last.
 * A part renders from the model as its environment sees it, so the files are the same bytes as
 * in one thread. Its files come back to this thread in groups as they are made and go to the sink
 * (the tree writer runs on its own thread), the environment's cache entry and its contract,
 * which is built here once both parts are in. Worth it for large platforms only: a thread first
 * loads the whole render (about half a second), which a small platform renders in less.
 *
 * A thread that fails or dies ends its environment with a problem, never a wait.
 */
import { isMainThread, parentPort, type Worker, workerData } from 'worker_threads';
import type { Platform } from '../platform/types';
import { type EnvironmentPart, environmentParts, EnvironmentRun, environmentsToRender, problemsOf, type RenderInfo, type RenderOptions, renderEnvironmentPart, renderInThisThread } from './render';
import { RenderError, type RenderedFile } from './rendered-file';

/** What a render thread is given: one part of one environment to render. */
export interface RenderThreadTask {
  readonly envPlatform: Platform;
  readonly env: string;
  readonly part: EnvironmentPart;
}

type ThreadMessage = { type: 'files'; files: RenderedFile[] } | { type: 'done' } | { type: 'failed'; problems: string[] };

/** Starts a thread that runs `serveRenderThread` (how depends on how synth runs: bundled or under tsx). */
export type StartRenderThread = () => Worker;

export interface ThreadedRenderOptions extends RenderOptions {
  /** Parts rendered at once. */
  readonly threads: number;
  readonly startThread: StartRenderThread;
}

/** The thread's side: renders each part it is sent and answers with its files. */
export function serveRenderThread(): void {
  if (isMainThread || !parentPort) throw new Error('serveRenderThread runs in a worker thread');
  const port = parentPort;
  port.on('message', (task: RenderThreadTask) => {
    try {
      const env = task.envPlatform.environments.find((e) => e.name === task.env);
      if (!env) throw new Error(`no environment ${task.env} in the model`);
      renderEnvironmentPart(task.envPlatform, env, task.part, (files) => port.postMessage({ type: 'files', files: files as RenderedFile[] } satisfies ThreadMessage));
      port.postMessage({ type: 'done' } satisfies ThreadMessage);
    } catch (err) {
      port.postMessage({ type: 'failed', problems: problemsOf(err) } satisfies ThreadMessage);
    }
  });
}

/** Whether this thread was started to render (see render/launch.cjs). */
export const isRenderThread = (): boolean => !isMainThread && (workerData as { renderThread?: boolean } | undefined)?.renderThread === true;

/**
 * renderPlatformInto, with the environments' parts spread over `threads` worker threads: every
 * environment's Kubernetes part first, then their Terraform parts, so that the short parts fill
 * the threads that finish early.
 */
export async function renderPlatformThreaded(platform: Platform, sink: (files: readonly RenderedFile[]) => void, options: ThreadedRenderOptions): Promise<RenderInfo> {
  const parts = environmentParts(options.terraform ?? true);
  const { todo, cached } = environmentsToRender(platform, sink, options);
  // One part left (one environment, Kubernetes only) renders here: a thread would only add its start.
  if (Math.min(options.threads, todo.length * parts.length) <= 1) {
    renderInThisThread(platform, todo, sink, options);
    return { cached };
  }
  let failed = false;
  const runs = todo.map((task) => new EnvironmentRun(task, parts, options, (files) => !failed && sink(files)));
  const queue = parts.flatMap((part) => runs.map((run) => ({ run, part })));
  const started = new Set<EnvironmentRun>();

  /** Renders one part on `thread`; false when the thread died (its environment then has a problem). */
  const renderOn = (thread: Worker, { run, part }: { run: EnvironmentRun; part: EnvironmentPart }): Promise<boolean> =>
    new Promise<boolean>((resolve) => {
      const { env, envPlatform } = run.task;
      if (!started.has(run)) {
        started.add(run);
        options.onEnvironment?.(env.name, platform.environments.indexOf(env), platform.environments.length);
      }
      let error: Error | undefined;
      const finish = (alive: boolean, failure?: readonly string[]) => {
        thread.off('message', onMessage);
        thread.off('exit', onExit);
        thread.off('error', onError);
        run.partDone(part, failure);
        // A failed part or contract: nothing more reaches the sink.
        if (run.failed) failed = true;
        resolve(alive);
      };
      const onMessage = (msg: ThreadMessage) => {
        if (msg.type === 'files') run.add(msg.files);
        else if (msg.type === 'done') finish(true);
        else finish(true, msg.problems);
      };
      const onError = (err: Error) => (error = err);
      const onExit = (code: number) => finish(false, [`its render thread stopped (exit code ${code}${error ? `: ${error.message}` : ''})`]);
      thread.on('message', onMessage);
      thread.on('error', onError);
      thread.on('exit', onExit);
      thread.postMessage({ envPlatform, env: env.name, part } satisfies RenderThreadTask);
    });

  const run = async () => {
    const thread = options.startThread();
    try {
      for (let task = queue.shift(); task; task = queue.shift()) if (!(await renderOn(thread, task))) return;
    } finally {
      await thread.terminate();
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.threads, queue.length) }, run));
  // Left only when every thread died.
  for (const { run: left } of queue) {
    failed = true;
    left.giveUp();
  }
  const problems = runs.flatMap((r) => r.problems());
  if (problems.length > 0) throw new RenderError('Rendering failed', problems);
  return { cached };
}
