/**
 * The whole render: model -> every file of dist/, environment by environment, handed to a sink
 * as they are made (main.ts builds the new tree beside dist/ from them and swaps it in only when
 * every environment rendered without a problem; see write-tree.ts).
 */
import { renderTerraform } from '../infra/render-terraform';
import { sopsConfigPath, sopsConfigYaml } from '../infra/sops-config';
import { contractEntries, type ContractEntry } from '../platform/contract';
import { contractPath, terraformPath } from '../platform/naming';
import type { Environment, Platform } from '../platform/types';
import { architectureMarkdown, architecturePath } from './architecture';
import { contractOf } from './contract';
import { manifestFile } from './manifest';
import { RenderError, type RenderedFile, toDistRelative, toJsonFile } from './rendered-file';
import { type CacheEntryWriter, type CachedFiles, decodeCachedFiles, platformForEnvironment, type RenderCache } from './render-cache';
import { renderEnvironmentKubernetes } from './render-kubernetes';

export interface RenderOptions {
  /** Render the Terraform JSON too. @default true */
  readonly terraform?: boolean;
  /** Called before each environment renders (a progress line for long renders). @default none */
  readonly onEnvironment?: (env: string, index: number, total: number) => void;
  /** Reuse an environment's files while everything its render reads is unchanged (render-cache.ts). @default none: every environment renders */
  readonly cache?: RenderCache;
  /** Takes a cached environment's files as their bytes (the tree writer, which need not decode them). @default they are decoded and go to the sink */
  readonly sinkBytes?: (cached: CachedFiles) => void;
}

/** How many environments came from the cache. */
export interface RenderInfo {
  readonly cached: readonly string[];
}

/**
 * The two parts of an environment's render, which may run on different threads (render-threads.ts
 * spreads them so that two cores stay busy to the end): every Kubernetes object, and the rest
 * (the Terraform stacks, the SOPS config and the architecture page). The contract, which checks
 * the two layers against each other, is built from both (EnvironmentContract).
 */
export type EnvironmentPart = 'kubernetes' | 'terraform';

/** The parts an environment renders: Kubernetes only, or both. */
export const environmentParts = (terraform: boolean): readonly EnvironmentPart[] => (terraform ? ['kubernetes', 'terraform'] : ['kubernetes']);

/**
 * Renders one part of an environment from the model as it sees it (`platformForEnvironment`),
 * handing its files to `give` in groups. Throws RenderError listing its problems.
 */
export function renderEnvironmentPart(envPlatform: Platform, env: Environment, part: EnvironmentPart, give: (files: readonly RenderedFile[]) => void): void {
  if (part === 'kubernetes') {
    renderEnvironmentKubernetes(envPlatform, env, undefined, give);
    return;
  }
  const stacks = renderTerraform(envPlatform, env);
  give([
    ...stacks.map(({ stack, json }) => ({ path: stackFile(env, stack), content: json })),
    { path: toDistRelative(sopsConfigPath(env)), content: sopsConfigYaml(envPlatform, env) },
    { path: toDistRelative(architecturePath(env)), content: architectureMarkdown(envPlatform, env) },
  ]);
}

/** Where a stack's Terraform JSON goes in the tree. */
const stackFile = (env: Pick<Environment, 'name'>, stack: string): string => toDistRelative(`${terraformPath(env, stack)}/cdk.tf.json`);

/**
 * An environment's contract.json (contract.ts), built from the files of both parts as they pass
 * by, in any order: it keeps only what its entries read (their consumers' files and producers' stacks).
 */
export class EnvironmentContract {
  private readonly entries: readonly ContractEntry[];
  private readonly consumers: ReadonlySet<string>;
  /** The producers' stacks by the path of their file. */
  private readonly stackFiles: ReadonlyMap<string, string>;
  private readonly kubernetes: RenderedFile[] = [];
  private readonly stacks: { stack: string; json: string }[] = [];

  constructor(
    envPlatform: Platform,
    private readonly env: Environment,
  ) {
    this.entries = contractEntries(envPlatform, env);
    this.consumers = new Set(this.entries.flatMap((e) => e.consumers.map((c) => toDistRelative(c.file))));
    this.stackFiles = new Map(this.entries.map((e) => [stackFile(env, e.producer.stack), e.producer.stack]));
  }

  /** Keeps what the contract reads of `files`. */
  take(files: readonly RenderedFile[]): void {
    for (const f of files) {
      if (this.consumers.has(f.path)) this.kubernetes.push(f);
      const stack = this.stackFiles.get(f.path);
      if (stack !== undefined) this.stacks.push({ stack, json: f.content });
    }
  }

  /** contract.json, once both parts rendered; throws RenderError when the layers disagree. */
  file(): RenderedFile {
    return { path: toDistRelative(contractPath(this.env)), content: toJsonFile(contractOf(this.env, this.entries, this.kubernetes, this.stacks)) };
  }
}

/** The problems a failed render reports (a RenderError's list, or the message of anything else). */
export function problemsOf(err: unknown): string[] {
  return err instanceof RenderError ? [...err.problems] : [(err as Error)?.message ?? String(err)];
}

/** An environment's problems, each prefixed with its name. */
export function environmentProblems(env: Pick<Environment, 'name'>, problems: readonly string[]): string[] {
  return problems.map((p) => `${env.name}: ${p}`);
}

/**
 * The environments to render, in the model's order, after the cached ones went to `sink`: each
 * with the model as it sees it and its cache key.
 */
export function environmentsToRender(platform: Platform, sink: (files: readonly RenderedFile[]) => void, options: RenderOptions): { todo: EnvironmentTask[]; cached: string[] } {
  const terraform = options.terraform ?? true;
  const todo: EnvironmentTask[] = [];
  const cached: string[] = [];
  for (const env of platform.environments) {
    // Each environment sees only its own release, cached or not, so its cache key is all it reads.
    const envPlatform = platformForEnvironment(platform, env);
    const key = options.cache?.key(envPlatform, env, { terraform });
    const hit = key === undefined ? undefined : options.cache!.readBytes(env, key);
    if (hit) {
      cached.push(env.name);
      if (options.sinkBytes) options.sinkBytes(hit);
      else sink(decodeCachedFiles(hit));
    } else {
      todo.push({ env, envPlatform, key });
    }
  }
  return { todo, cached };
}

export interface EnvironmentTask {
  readonly env: Environment;
  readonly envPlatform: Platform;
  /** Its cache key, when a cache is used. */
  readonly key?: string;
}

/**
 * Renders every environment, handing the files to `sink` in groups as they are made (the order of
 * groups is not the order of the tree). Once a problem is found nothing more reaches `sink`, and
 * at the end a RenderError lists the problems of all environments: whatever reached `sink` must
 * then be dropped (openTree's abort). The manifest is not part of it (the tree writer makes it).
 */
export function renderPlatformInto(platform: Platform, sink: (files: readonly RenderedFile[]) => void, options: RenderOptions = {}): RenderInfo {
  const { todo, cached } = environmentsToRender(platform, sink, options);
  renderInThisThread(platform, todo, sink, options);
  return { cached };
}

/**
 * Renders `todo` one environment after the other in this thread, both parts of each (so a
 * broken part does not hide the other's problems); throws RenderError listing every
 * environment's problems.
 */
export function renderInThisThread(platform: Platform, todo: readonly EnvironmentTask[], sink: (files: readonly RenderedFile[]) => void, options: RenderOptions): void {
  const problems: string[] = [];
  const parts = environmentParts(options.terraform ?? true);
  for (const task of todo) {
    options.onEnvironment?.(task.env.name, platform.environments.indexOf(task.env), platform.environments.length);
    const run: EnvironmentRun = new EnvironmentRun(task, parts, options, (files) => problems.length === 0 && !run.failed && sink(files));
    for (const part of parts) {
      let failure: string[] | undefined;
      try {
        renderEnvironmentPart(task.envPlatform, task.env, part, (files) => run.add(files));
      } catch (err) {
        failure = problemsOf(err);
      }
      run.partDone(part, failure);
    }
    problems.push(...run.problems());
  }
  if (problems.length > 0) throw new RenderError('Rendering failed', problems);
}

/**
 * One environment being rendered, its parts in this thread or on others: their files pass through
 * it (to `give`, its cache entry and its contract), and when the last part is in, the contract is
 * added and the entry kept or, after a problem, dropped.
 */
export class EnvironmentRun {
  private readonly entry?: CacheEntryWriter;
  private readonly contract?: EnvironmentContract;
  private readonly failures = new Map<EnvironmentPart, readonly string[]>();
  private left: number;

  constructor(
    readonly task: EnvironmentTask,
    private readonly parts: readonly EnvironmentPart[],
    options: RenderOptions,
    private readonly give: (files: readonly RenderedFile[]) => void,
  ) {
    this.left = parts.length;
    if (task.key !== undefined) this.entry = options.cache!.open(task.env, task.key);
    if (parts.includes('terraform')) this.contract = new EnvironmentContract(task.envPlatform, task.env);
  }

  /** Files of one of its parts. */
  add(files: readonly RenderedFile[]): void {
    this.contract?.take(files);
    this.entry?.add(files);
    this.give(files);
  }

  /** One part is over, with its problems if it failed. */
  partDone(part: EnvironmentPart, failure?: readonly string[]): void {
    if (failure) this.failures.set(part, failure);
    if (--this.left > 0) return;
    if (this.failures.size === 0 && this.contract) {
      try {
        this.add([this.contract.file()]);
      } catch (err) {
        this.failures.set('terraform', problemsOf(err));
      }
    }
    if (this.failures.size === 0) this.entry?.commit();
    else this.entry?.abort();
  }

  /** Whether a part failed (or the run was given up). */
  get failed(): boolean {
    return this.failures.size > 0;
  }

  /** Its problems, part by part in a fixed order, each prefixed with the environment's name. */
  problems(): string[] {
    return environmentProblems(this.task.env, this.parts.flatMap((p) => this.failures.get(p) ?? []));
  }

  /** Gives up on the parts never rendered (every thread stopped). */
  giveUp(): void {
    this.entry?.abort();
    if (!this.failed) this.failures.set(this.parts[0], ['not rendered: every render thread stopped']);
  }
}

/** Renders every environment into files in memory, sorted by path, the manifest included. */
export function renderPlatform(platform: Platform, options: RenderOptions = {}): RenderedFile[] {
  const files: RenderedFile[] = [];
  renderPlatformInto(platform, (made) => files.push(...made), options);
  // The manifest is part of the tree, so the in-memory render is exactly what lands on disk.
  files.push(manifestFile(files));
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
