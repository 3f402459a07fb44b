/**
 * A real Git repository in a temporary folder holding a copy of the example platform as a model
 * file (`model.json`), its release files and the rendered tree, committed: what the diff, release
 * and promote tests change, commit and compare.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { EXAMPLE_RELEASES_DIR } from '../../platform/load';
import { examplePlatformInput } from '../../platform/example/platform';
import { renderRepo, type RepoLayout } from '../../tools/common/render-repo';
import type { Loose } from './example';

export const RELEASES = 'platform/example/releases';

export interface TestRepo {
  readonly dir: string;
  readonly layout: RepoLayout;
  git(...args: string[]): string;
  /** Reads, changes and writes model.json. */
  editModel(change: (model: Loose) => void): void;
  /** Replaces text in a release file (e.g. "stg.yaml"). */
  editRelease(file: string, from: string | RegExp, to: string): void;
  readRelease(file: string): string;
  render(): void;
  commitAll(message: string): string;
  /** Back to the last commit: working tree and index. */
  reset(): void;
  remove(): void;
}

export function createTestRepo(): TestRepo {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'platform-repo-'));
  const layout: RepoLayout = { repo: dir, model: 'model.json', releases: RELEASES };
  const git = (...args: string[]) => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'ci@example.com');
  git('config', 'user.name', 'CI');
  git('config', 'commit.gpgsign', 'false');
  fs.mkdirSync(path.join(dir, RELEASES), { recursive: true });
  for (const f of fs.readdirSync(EXAMPLE_RELEASES_DIR)) fs.copyFileSync(path.join(EXAMPLE_RELEASES_DIR, f), path.join(dir, RELEASES, f));
  fs.writeFileSync(path.join(dir, 'model.json'), `${JSON.stringify(examplePlatformInput, null, 2)}\n`);
  const quiet = () => undefined;
  const repo: TestRepo = {
    dir,
    layout,
    git,
    editModel(change) {
      const file = path.join(dir, 'model.json');
      const model = JSON.parse(fs.readFileSync(file, 'utf8')) as Loose;
      change(model);
      fs.writeFileSync(file, `${JSON.stringify(model, null, 2)}\n`);
    },
    editRelease(file, from, to) {
      const p = path.join(dir, RELEASES, file);
      const before = fs.readFileSync(p, 'utf8');
      const after = before.replace(from, to);
      if (after === before) throw new Error(`${file}: nothing matched ${String(from)}`);
      fs.writeFileSync(p, after);
    },
    readRelease: (file) => fs.readFileSync(path.join(dir, RELEASES, file), 'utf8'),
    render: () => void renderRepo(layout, quiet),
    commitAll(message) {
      git('add', '-A');
      git('commit', '-q', '-m', message);
      return git('rev-parse', 'HEAD').trim();
    },
    reset() {
      git('reset', '-q', '--hard', 'HEAD');
      git('clean', '-q', '-fd');
    },
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
  repo.render();
  repo.commitAll('the example platform, rendered');
  return repo;
}

/** Finds a service of a raw model by "<namespace>/<service>". */
export function modelService(model: Loose, key: string): Loose {
  const [ns, name] = key.split('/');
  for (const team of model.teams) for (const n of team.namespaces) if (n.name === ns) return n.services.find((s: Loose) => s.name === name);
  throw new Error(`no service ${key}`);
}
