/**
 * `npm run release -- <env> <namespace>/<service> (--tag T | --digest sha256:...)`: what an app
 * repo's CI runs after its webhook (source 004 §23). Sets one entry of the environment's release
 * file (comments kept), validates the whole model with it, and only then writes it and re-renders.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ModelError } from '../../platform/validate';
import { RenderError } from '../../render/rendered-file';
import { loadRepoPlatform, releasesDir, renderRepo, type RepoLayout } from '../common/render-repo';
import { findReleaseFile, setReleaseImage } from './release-file';
import { LAYOUT_OPTIONS, parseCommand } from '../common/cli';

const USAGE = `usage: npm run release -- <env> <namespace>/<service> (--tag TAG | --digest sha256:...) [options]

Sets the image of one service in one environment's release file (keeping its comments),
validates the model with it (an environment that requires digests refuses a tag), writes it and
re-renders dist/.

  --tag TAG          image tag (environments that allow tags)
  --digest DIGEST    image digest, sha256:<64 hex>
  --no-render        edit and validate only
  --repo DIR         repository root (default .)
  --dist DIR         rendered tree, relative to the repository (default dist)
  --releases DIR     release files, relative to the repository (default platform/example/releases)
  --model FILE       a whole model (JSON/YAML), relative to the repository (default: the example platform)
  -h, --help         this help`;

/** Validates `text` as the release file `file` together with the other release files, in a scratch copy. */
export function validateWithRelease(layout: RepoLayout, file: string, text: string): void {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'release-'));
  try {
    const dir = releasesDir(layout);
    for (const f of fs.readdirSync(dir)) if (/\.ya?ml$/.test(f)) fs.copyFileSync(path.join(dir, f), path.join(scratch, f));
    fs.writeFileSync(path.join(scratch, path.basename(file)), text);
    loadRepoPlatform(layout, scratch);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * Writes the edited release file and re-renders (when `layout` is given); a render that fails (a
 * policy or contract problem the model validation cannot see) puts the file back as it was. The
 * render itself writes nothing unless every environment rendered.
 */
export function writeThenRender(file: string, original: string, edited: string, layout: RepoLayout | undefined): void {
  fs.writeFileSync(file, edited);
  if (!layout) return;
  try {
    renderRepo(layout);
  } catch (err) {
    fs.writeFileSync(file, original);
    throw err;
  }
}

/**
 * How a release-file command (release, promote) reports a failure: a model or render problem says
 * the file was left as it was (writeThenRender restores it); exit status 1.
 */
export function releaseEditFailed(err: unknown): number {
  if (err instanceof ModelError || err instanceof RenderError) console.error(`${err.message}\nThe release file was not changed.`);
  else console.error((err as Error).message);
  return 1;
}

export function main(argv: readonly string[]): number {
  const parsed = parseCommand(argv, USAGE, { tag: { type: 'string' }, digest: { type: 'string' }, 'no-render': { type: 'boolean', default: false }, ...LAYOUT_OPTIONS }, true);
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  const [env, key] = positionals;
  if (positionals.length !== 2 || !/^[^/]+\/[^/]+$/.test(key ?? '') || (values.tag === undefined) === (values.digest === undefined)) {
    console.error(`give an environment, a <namespace>/<service> and exactly one of --tag or --digest\n\n${USAGE}`);
    return 2;
  }
  const layout: RepoLayout = { repo: path.resolve(values.repo!), dist: values.dist, releases: values.releases, model: values.model };
  try {
    const { file, text } = findReleaseFile(releasesDir(layout), env);
    const edited = setReleaseImage(text, key, values.digest !== undefined ? { digest: values.digest } : { tag: values.tag });
    validateWithRelease(layout, file, edited);
    writeThenRender(file, text, edited, values['no-render'] ? undefined : layout);
    console.log(`${path.relative(layout.repo, file)}: ${key} -> ${values.digest ?? `tag ${values.tag}`}`);
    return 0;
  } catch (err) {
    return releaseEditFailed(err);
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
