/**
 * `npm run diff`: the semantic summary of the rendered change between two revisions.
 *
 *   npm run diff -- [--base REF] [--head REF] [--format markdown|text] [--fail-on FLAG,...]
 */
import * as path from 'path';
import { renderReport, type ReportFormat } from './report';
import { FLAG_IDS, type FlagId } from './risk-flag';
import { semanticDiff } from './semantic-diff';
import { LAYOUT_OPTIONS, parseCommand } from '../common/cli';

const USAGE = `usage: npm run diff -- [options]

Summarises the rendered change between two revisions of dist/ (objects added, removed and changed
per environment, team and namespace) with risk flags and the model field or release entry behind
each change. Reads the rendered trees only.

  --base REF         base revision (default HEAD)
  --head REF         head revision (default: the working tree)
  --format FORMAT    markdown (pull requests) or text (default text)
  --fail-on FLAGS    exit 3 when any of these flags is raised (comma-separated; "any" for all, "none"):
                     ${FLAG_IDS.join(', ')}
  --repo DIR         repository root (default .)
  --dist DIR         rendered tree, relative to the repository (default dist)
  --releases DIR     release files, relative to the repository (default platform/example/releases)
  -h, --help         this help`;

export function main(argv: readonly string[]): number {
  const { repo, dist, releases } = LAYOUT_OPTIONS;
  const parsed = parseCommand(argv, USAGE, { base: { type: 'string', default: 'HEAD' }, head: { type: 'string' }, format: { type: 'string', default: 'text' }, 'fail-on': { type: 'string' }, repo, dist, releases });
  if (typeof parsed === 'number') return parsed;
  const { values } = parsed;
  if (values.format !== 'markdown' && values.format !== 'text') {
    console.error(`--format must be markdown or text, not "${values.format}"`);
    return 2;
  }
  const failOn = (values['fail-on'] ?? '').split(',').map((s) => s.trim()).filter((s) => s && s !== 'none');
  const unknown = failOn.filter((f) => f !== 'any' && !(FLAG_IDS as readonly string[]).includes(f));
  if (unknown.length) {
    console.error(`--fail-on: unknown flag ${unknown.join(', ')} (known: ${FLAG_IDS.join(', ')}, any)`);
    return 2;
  }
  const diff = semanticDiff({ repo: path.resolve(values.repo!), base: values.base, head: values.head, dist: values.dist, releases: values.releases });
  process.stdout.write(renderReport(diff, values.format as ReportFormat));
  const gate = new Set<FlagId>(failOn.includes('any') ? FLAG_IDS : (failOn as FlagId[]));
  const hit = diff.flags.filter((f) => gate.has(f.id));
  if (hit.length) {
    console.error(`\n${hit.length} flag(s) named by --fail-on: ${[...new Set(hit.map((f) => f.id))].join(', ')}`);
    return 3;
  }
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
