import { createHash } from 'node:crypto';
import { parse } from 'yaml';
import { main } from '../tools/promote/main';
import { main as release } from '../tools/release/main';
import { createTestRepo, RELEASES, type TestRepo } from './support/git-repo';

let repo: TestRepo;
beforeAll(() => {
  repo = createTestRepo();
});
afterAll(() => repo.remove());
afterEach(() => repo.reset());

// A plausible digest (not one byte repeated, which synth refuses as a placeholder).
const DIGEST = `sha256:${createHash('sha256').update('order-service:1.5.0').digest('hex')}`;
const run = (f: () => number): { code: number; out: string; errors: string } => {
  const out: string[] = [];
  const errors: string[] = [];
  const spies = [
    jest.spyOn(process.stdout, 'write').mockImplementation((s: unknown) => (out.push(String(s)), true)),
    jest.spyOn(process.stderr, 'write').mockImplementation(() => true),
    jest.spyOn(console, 'log').mockImplementation(() => undefined),
    jest.spyOn(console, 'error').mockImplementation((m: unknown) => void errors.push(String(m))),
  ];
  try {
    return { code: f(), out: out.join(''), errors: errors.join('\n') };
  } finally {
    for (const s of spies) s.mockRestore();
  }
};
const opts = ['--repo', '', '--model', 'model.json', '--releases', RELEASES];
const args = (...rest: string[]) => [...rest, ...opts.map((o) => o || repo.dir)];
const images = (file: string) => (parse(repo.readRelease(file)) as { images: Record<string, unknown> }).images;

describe('npm run promote', () => {
  test('copies the image to the next environment with its provenance and prints the rendered diff as the PR body', () => {
    const head = repo.git('rev-parse', 'HEAD').trim();
    const { code, out } = run(() => main(args('dev', 'stg', 'order-service/order-service')));
    expect(code).toBe(0);
    expect(images('stg.yaml')['order-service/order-service']).toEqual({ tag: '3.8.0-rc.1', promotedFrom: { environment: 'dev', commit: head } });
    // Only the named service moved.
    expect(images('stg.yaml')['pc-bff/pc-bff']).toEqual({ tag: '1.12.0' });
    expect(repo.readRelease('stg.yaml')).toMatch(/^# Images of every service in stg\./);
    expect(out).toContain('# Promote dev → stg');
    expect(out).toContain('- `order-service/order-service`: tag 3.7.2 → tag 3.8.0-rc.1');
    expect(out).toContain(`${RELEASES}/stg.yaml images[order-service/order-service]: tag 3.7.2 -> tag 3.8.0-rc.1 (promoted from dev at ${head.slice(0, 12)})`);
    expect(out).toMatch(/\| 🔵 \| `image` \| stg \| order\/order-service \| Deployment\/order-service \|/);
  });

  test('refuses tags where the target requires digests, listing every such service, and changes nothing', () => {
    const { code, errors } = run(() => main(args('stg', 'prd')));
    expect(code).toBe(1);
    expect(errors).toContain('order-service/order-service: prd requires a digest, and stg has only the tag "3.7.2"');
    expect(errors).toContain('pc-bff/pc-bff: prd requires a digest');
    expect(repo.git('status', '--porcelain')).toBe('');
  });

  test('copies the exact digest released in staging into production', () => {
    expect(run(() => release(args('stg', 'order-service/order-service', '--digest', DIGEST))).code).toBe(0);
    const commit = repo.commitAll('order-service by digest in stg');
    const { code } = run(() => main(args('stg', 'prd', 'order-service/order-service')));
    expect(code).toBe(0);
    expect(images('prd.yaml')['order-service/order-service']).toEqual({ digest: DIGEST, promotedFrom: { environment: 'stg', commit } });
    repo.git('reset', '-q', '--hard', 'HEAD~1');
  });

  test('refuses to skip an environment or to promote from an uncommitted release file', () => {
    expect(run(() => main(args('dev', 'prd'))).errors).toContain('prd does not follow dev (promotion order: dev -> stg -> prd)');
    repo.editRelease('dev.yaml', '{ tag: "1.12.0" }', '{ tag: "1.12.1" }');
    const dirty = run(() => main(args('dev', 'stg')));
    expect(dirty.code).toBe(1);
    expect(dirty.errors).toMatch(/dev\.yaml has uncommitted changes/);
  });
});
