/**
 * Rendering environments side by side on worker threads: one environment per thread at a time,
 * each from the model as it sees it (so the files are the same bytes as in-thread, see
 * render.ts), its files sent to this thread in groups as they are made and handed to the sink
 * from here (the tree writer runs on its own thread). Worth it for large platforms only: a thread
 * first loads the whole render (about half a second), which a small platform renders in less.
 *
 * A thread that fails or dies ends its environment with a problem, never a wait.
 */
import { isMainThread, parentPort, type Worker, workerData } from 'worker_threads';
import type { Platform } from '../platform/types';
import { type EnvironmentTask, environmentProblems, environmentsToRender, problemsOf, type RenderInfo, type RenderOptions, renderEnvironment, renderInThisThread } from './render';
import { type CacheEntryWriter, RenderCache, type RenderCacheProps } from './render-cache';
import { RenderError, type RenderedFile } from './rendered-file';

/** What a render thread is given: one environment to render. */
export interface RenderThreadTask {
  readonly envPlatform: Platform;
  readonly env: string;
  readonly terraform: boolean;
  /** Where the thread stores the environment's files as it makes them, kept when it rendered without a problem (so they never pile up in the main thread). */
  readonly cache?: { readonly props: RenderCacheProps; readonly key: string };
}

type ThreadMessage = { type: 'files'; files: RenderedFile[] } | { type: 'done' } | { type: 'failed'; problems: string[] };

/** Starts a thread that runs `serveRenderThread` (how depends on how synth runs: bundled or under tsx). */
export type StartRenderThread = () => Worker;

export interface ThreadedRenderOptions extends RenderOptions {
  /** Environments rendered at once. */
  readonly threads: number;
  readonly startThread: StartRenderThread;
}

/** The thread's side: renders each environment it is sent and answers with its files. */
export function serveRenderThread(): void {
  if (isMainThread || !parentPort) throw new Error('serveRenderThread runs in a worker thread');
  const port = parentPort;
  port.on('message', (task: RenderThreadTask) => {
    let entry: CacheEntryWriter | undefined;
    try {
      const env = task.envPlatform.environments.find((e) => e.name === task.env);
      if (!env) throw new Error(`no environment ${task.env} in the model`);
      entry = task.cache && new RenderCache(task.cache.props).open(env, task.cache.key);
      renderEnvironment(task.envPlatform, env, task.terraform, (files) => {
        entry?.add(files);
        port.postMessage({ type: 'files', files: files as RenderedFile[] } satisfies ThreadMessage);
      });
      entry?.commit();
      port.postMessage({ type: 'done' } satisfies ThreadMessage);
    } catch (err) {
      entry?.abort();
      port.postMessage({ type: 'failed', problems: problemsOf(err) } satisfies ThreadMessage);
    }
  });
}

/** Whether this thread was started to render (see render/launch.cjs). */
export const isRenderThread = (): boolean => !isMainThread && (workerData as { renderThread?: boolean } | undefined)?.renderThread === true;

/** renderPlatformInto, with the environments spread over `threads` worker threads. */
export async function renderPlatformThreaded(platform: Platform, sink: (files: readonly RenderedFile[]) => void, options: ThreadedRenderOptions): Promise<RenderInfo> {
  const terraform = options.terraform ?? true;
  /** Problems per environment, listed in the model's order at the end (threads finish in any order). */
  const problems = new Map<string, string[]>();
  const { todo, cached } = environmentsToRender(platform, sink, options);
  // One environment left (the others cached) renders here: a thread would only add its start.
  if (Math.min(options.threads, todo.length) <= 1) {
    renderInThisThread(platform, todo, sink, options);
    return { cached };
  }
  const queue = [...todo];
  const give = (files: readonly RenderedFile[]) => problems.size === 0 && sink(files);

  /** Renders one environment on `thread`; false when the thread died (its environment then has a problem). */
  const renderOn = (thread: Worker, task: EnvironmentTask): Promise<boolean> =>
    new Promise<boolean>((resolve) => {
      const { env, envPlatform, key } = task;
      options.onEnvironment?.(env.name, platform.environments.indexOf(env), platform.environments.length);
      let error: Error | undefined;
      const finish = (alive: boolean, failure?: readonly string[]) => {
        thread.off('message', onMessage);
        thread.off('exit', onExit);
        thread.off('error', onError);
        if (failure) problems.set(env.name, environmentProblems(env, failure));
        resolve(alive);
      };
      const onMessage = (msg: ThreadMessage) => {
        if (msg.type === 'files') give(msg.files);
        else if (msg.type === 'done') finish(true);
        else finish(true, msg.problems);
      };
      const onError = (err: Error) => (error = err);
      const onExit = (code: number) => finish(false, [`its render thread stopped (exit code ${code}${error ? `: ${error.message}` : ''})`]);
      thread.on('message', onMessage);
      thread.on('error', onError);
      thread.on('exit', onExit);
      const cache = key === undefined ? undefined : { props: options.cache!.props, key };
      thread.postMessage({ envPlatform, env: env.name, terraform, cache } satisfies RenderThreadTask);
    });

  const run = async () => {
    const thread = options.startThread();
    try {
      for (let task = queue.shift(); task; task = queue.shift()) if (!(await renderOn(thread, task))) return;
    } finally {
      await thread.terminate();
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.threads, todo.length) }, run));
  // Left only when every thread died.
  for (const { env } of queue) problems.set(env.name, environmentProblems(env, ['not rendered: every render thread stopped']));
  if (problems.size > 0) throw new RenderError('Rendering failed', platform.environments.flatMap((env) => problems.get(env.name) ?? []));
  return { cached };
}
