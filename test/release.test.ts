import { createHash } from 'node:crypto';
import * as fs from 'fs';
import * as path from 'path';
import { main } from '../tools/release/main';
import { createTestRepo, RELEASES, type TestRepo } from './support/git-repo';

let repo: TestRepo;
beforeAll(() => {
  repo = createTestRepo();
});
afterAll(() => repo.remove());
afterEach(() => repo.reset());

// A plausible digest (not one byte repeated, which synth refuses as a placeholder).
const DIGEST = `sha256:${createHash('sha256').update('order-service:1.4.2').digest('hex')}`;
const quietly = <T>(f: () => T): { result: T; errors: string } => {
  const errors: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  const err = jest.spyOn(console, 'error').mockImplementation((m: unknown) => void errors.push(String(m)));
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    return { result: f(), errors: errors.join('\n') };
  } finally {
    log.mockRestore();
    err.mockRestore();
    stderr.mockRestore();
  }
};
const args = (...rest: string[]) => [...rest, '--repo', repo.dir, '--model', 'model.json', '--releases', RELEASES];

describe('npm run release', () => {
  test('sets the digest of one entry, keeps every comment and other entry, and re-renders that environment', () => {
    const before = repo.readRelease('prd.yaml');
    const { result, errors } = quietly(() => main(args('prd', 'order-service/order-service', '--digest', DIGEST)));
    expect({ result, errors }).toEqual({ result: 0, errors: '' });
    const after = repo.readRelease('prd.yaml');
    const changed = after.split('\n').filter((l, i) => l !== before.split('\n')[i]);
    expect(changed).toEqual([`  order-service/order-service: { digest: "${DIGEST}" }`]);
    expect(after.split('\n').filter((l) => l.startsWith('#'))).toEqual(before.split('\n').filter((l) => l.startsWith('#')));
    const deployment = fs.readFileSync(path.join(repo.dir, 'dist/prd/namespaces/order-service/deployment-order-service.yaml'), 'utf8');
    expect(deployment).toContain(`/ec/order-service/order-service@${DIGEST}`);
    expect(repo.git('status', '--porcelain', '--', 'dist/stg', 'dist/dev')).toBe('');
  });

  test('refuses a tag where the environment requires digests and leaves the file and the tree as they were', () => {
    const { result, errors } = quietly(() => main(args('prd', 'order-service/order-service', '--tag', '3.9.0')));
    expect(result).toBe(1);
    expect(errors).toMatch(/prd requires an image digest \(sha256:\.\.\.\), not the mutable tag "3\.9\.0"/);
    expect(repo.git('status', '--porcelain')).toBe('');
  });

  test('refuses a service the model does not have', () => {
    const { result, errors } = quietly(() => main(args('dev', 'order-service/no-such-service', '--tag', '1.0.0', '--no-render')));
    expect(result).toBe(1);
    expect(errors).toMatch(/images\[order-service\/no-such-service\]: unknown service/);
    expect(repo.git('status', '--porcelain')).toBe('');
  });

  test('needs exactly one of --tag or --digest, and --help prints the usage', () => {
    expect(quietly(() => main(args('dev', 'order-service/order-service'))).result).toBe(2);
    expect(quietly(() => main(args('dev', 'order-service/order-service', '--tag', '1', '--digest', DIGEST))).result).toBe(2);
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      expect(main(['--help'])).toBe(0);
      expect(String(log.mock.calls[0][0])).toMatch(/^usage: npm run release -- <env> <namespace>\/<service>/);
    } finally {
      log.mockRestore();
    }
  });
});
