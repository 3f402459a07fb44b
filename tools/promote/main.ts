/**
 * `npm run promote -- <from-env> <to-env> [services...]`: copies the exact images of the source
 * environment's release file (as committed at HEAD) into the next environment's, records where
 * they came from, validates, re-renders, and prints the pull-request body (the rendered diff).
 */
import * as path from 'path';
import { describeImage } from '../diff/attribution';
import { git, resolveCommit } from '../diff/read-tree';
import { renderReport } from '../diff/report';
import { semanticDiff } from '../diff/semantic-diff';
import { findReleaseFile, readImages, setReleaseImage } from '../release/release-file';
import { releaseEditFailed, validateWithRelease, writeThenRender } from '../release/main';
import { loadRepoPlatform, releasesDir, type RepoLayout } from '../common/render-repo';
import { planPromotion } from './promotion';
import { LAYOUT_OPTIONS, parseCommand } from '../common/cli';

const USAGE = `usage: npm run promote -- <from-env> <to-env> [<namespace>/<service> ...] [options]

Copies the images of <from-env>'s release file, as committed at HEAD, into <to-env>'s (the next
environment in promotion order): exact digests, refusing tags where <to-env> requires digests, and
records promotedFrom (environment and commit) on each entry. Validates, re-renders dist/, and prints
the rendered diff as the pull-request body (Markdown).

  --no-render        edit and validate only (no diff)
  --repo DIR         repository root (default .)
  --dist DIR         rendered tree, relative to the repository (default dist)
  --releases DIR     release files, relative to the repository (default platform/example/releases)
  --model FILE       a whole model (JSON/YAML), relative to the repository (default: the example platform)
  -h, --help         this help`;

export function main(argv: readonly string[]): number {
  const parsed = parseCommand(argv, USAGE, { 'no-render': { type: 'boolean', default: false }, ...LAYOUT_OPTIONS }, true);
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  const [fromName, toName, ...services] = positionals;
  if (!fromName || !toName) {
    console.error(`give the source and the target environment\n\n${USAGE}`);
    return 2;
  }
  const layout: RepoLayout = { repo: path.resolve(values.repo!), dist: values.dist, releases: values.releases, model: values.model };
  try {
    const platform = loadRepoPlatform(layout);
    const names = platform.environments.map((e) => e.name);
    const from = platform.environments.find((e) => e.name === fromName);
    const to = platform.environments.find((e) => e.name === toName);
    if (!from || !to) throw new Error(`unknown environment ${!from ? fromName : toName} (known, in promotion order: ${names.join(' -> ')})`);
    if (names.indexOf(toName) !== names.indexOf(fromName) + 1) throw new Error(`${toName} does not follow ${fromName} (promotion order: ${names.join(' -> ')})`);

    const source = findReleaseFile(releasesDir(layout), fromName);
    const sourceRel = path.relative(layout.repo, source.file);
    if (git(layout.repo, ['status', '--porcelain', '--', sourceRel]).trim()) {
      throw new Error(`${sourceRel} has uncommitted changes: commit it first, so the provenance names the commit that holds what is promoted`);
    }
    const commit = resolveCommit(layout.repo, 'HEAD');
    const target = findReleaseFile(releasesDir(layout), toName);
    const plan = planPromotion({ from, to, commit, source: readImages(source.text), target: readImages(target.text), services });
    let text = target.text;
    for (const e of plan.entries) text = setReleaseImage(text, e.key, e.to);
    validateWithRelease(layout, target.file, text);
    const render = !values['no-render'] && plan.entries.length > 0;
    writeThenRender(target.file, target.text, text, render ? layout : undefined);

    const lines = [`# Promote ${fromName} → ${toName}`, '', `Images of \`${sourceRel}\` at ${commit}.`, ''];
    for (const e of plan.entries) lines.push(`- \`${e.key}\`: ${describeImage(e.from)} → ${describeImage(e.to)}`);
    if (plan.unchanged.length) lines.push(`- already promoted: ${plan.unchanged.map((k) => `\`${k}\``).join(', ')}`);
    if (plan.entries.length === 0) lines.push('Nothing to promote.');
    lines.push('');
    if (render) {
      lines.push(renderReport(semanticDiff({ repo: layout.repo, dist: values.dist, releases: values.releases }), 'markdown'));
    }
    process.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  } catch (err) {
    return releaseEditFailed(err);
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
