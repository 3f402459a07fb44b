/**
 * `verifyDeclaredRoutes` (the tracer as a `npm run verify` rule, reading the rendered tree only):
 * silent on the committed tree, and on a small bad tree (the BFF route without its prefix
 * rewrite, as before issue 8) it names the route and the hop that refuses it.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { verifyDeclaredRoutes } from '../verify/trace';

describe('verifyDeclaredRoutes', () => {
  test('every rendered ingress route of every environment gets through to a workload', () => {
    for (const env of ['dev', 'stg', 'prd']) expect(verifyDeclaredRoutes(env)).toEqual([]);
  });

  test('a BFF route that forwards the public prefix is reported with the Nginx location that refuses it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trace-verify-'));
    try {
      cpSync(join('dist', 'dev'), join(dir, 'dev'), { recursive: true });
      const file = join(dir, 'dev', 'namespaces', 'istio-ingress', 'virtualservice-public-web.yaml');
      const vs = parse(readFileSync(file, 'utf8'));
      for (const r of vs.spec.http) delete r.rewrite;
      writeFileSync(file, stringify(vs));
      const problems = verifyDeclaredRoutes('dev', dir);
      expect(problems.length).toBeGreaterThan(0);
      expect(problems[0]).toMatch(/istio-ingress\/public-web route sp-bff-user-agent \(dev\.shop\.example\.com\/api\/shop\.[a-z]+\.v1\.\w+\/Verify\) does not get through/);
      expect(problems[0]).toMatch(/REFUSED Nginx .*\n.*location \/ answers 404/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
