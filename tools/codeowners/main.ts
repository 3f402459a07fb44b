/**
 * `npm run codeowners`: writes .github/CODEOWNERS from the model (`-- --check` fails when the
 * committed file differs, for CI).
 */
import * as fs from 'fs';
import * as path from 'path';
import { loadRepoPlatform } from '../common/render-repo';
import { CODEOWNERS_FILE, renderCodeowners } from './codeowners';
import { LAYOUT_OPTIONS, parseCommand } from '../common/cli';

const USAGE = `usage: npm run codeowners -- [--check] [--repo DIR] [--releases DIR] [--model FILE]

Writes ${CODEOWNERS_FILE} from the model: SRE owns every path by default, each team its namespaces'
rendered folders and child Applications, and the release files are shared.

  --check            do not write; exit 1 when the file differs from the model
  --repo DIR         repository root (default .)
  --releases DIR     release files, relative to the repository (default platform/example/releases)
  --model FILE       a whole model (JSON/YAML), relative to the repository (default: the example platform)
  -h, --help         this help`;

export function main(argv: readonly string[]): number {
  const { repo: repoOption, releases, model } = LAYOUT_OPTIONS;
  const parsed = parseCommand(argv, USAGE, { check: { type: 'boolean', default: false }, repo: repoOption, releases, model });
  if (typeof parsed === 'number') return parsed;
  const { values } = parsed;
  const repo = path.resolve(values.repo!);
  const text = renderCodeowners(loadRepoPlatform({ repo, releases: values.releases, model: values.model }), { releases: values.releases });
  const file = path.join(repo, CODEOWNERS_FILE);
  const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
  if (values.check) {
    if (current === text) return 0;
    console.error(`${CODEOWNERS_FILE} does not match the model: run npm run codeowners and commit it`);
    return 1;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  console.log(`${CODEOWNERS_FILE}: ${current === text ? 'unchanged' : 'written'}`);
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
