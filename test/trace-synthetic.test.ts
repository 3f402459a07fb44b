/**
 * A 100-service synthetic platform (bench/synthetic-platform.ts), rendered into a temporary
 * folder and traced: every declared public route and dependency edge reaches its backend, and a
 * sample of undeclared edges is refused where the README says.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { syntheticPlatformInput } from '../bench/synthetic-platform';
import { parsePlatform } from '../platform/validate';
import { renderPlatform } from '../render/render';
import { writeTree } from '../render/write-tree';
import { formatTrace, loadDistTree, traceRequest, type DistTree } from '../verify/trace';
import { declaredEdgeCases, hookJobCases, nonMeshCases, publicRouteCases, type TraceCase, undeclaredEdgeCases, undeclaredExternalCases } from './support/trace-expectations';

const input = syntheticPlatformInput(100);
// Only dev, which turns no gate on: no contract broker either.
const platform = parsePlatform({ ...input, contractBroker: undefined, environments: (input.environments ?? []).filter((e) => e.name === 'dev'), releases: (input.releases ?? []).filter((r) => r.environment === 'dev') });
const env = platform.environments[0];
let dir: string;
let tree: DistTree;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'trace-synthetic-'));
  writeTree(join(dir, 'dist'), renderPlatform(platform));
  tree = loadDistTree(env.name, join(dir, 'dist'));
}, 300_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (c: TraceCase) => traceRequest(tree, c.method, c.url, c.headers, { from: c.from });

describe('100-service synthetic platform', () => {
  test('has at least 100 services', () => {
    expect(platform.teams.flatMap((t) => t.namespaces).flatMap((n) => n.services).length).toBeGreaterThanOrEqual(100);
  });

  test('every declared public route reaches its backend', () => {
    const cases = publicRouteCases(platform, env);
    expect(cases.length).toBeGreaterThan(20);
    const failed = cases.map((c) => ({ c, r: run(c) })).filter(({ c, r }) => r.backend !== c.reach).map(({ c, r }) => `${c.name}\n${formatTrace(r)}`);
    expect(failed).toEqual([]);
  });

  test('every declared dependency edge is allowed', () => {
    const cases = declaredEdgeCases(platform, env);
    expect(cases.length).toBeGreaterThan(100);
    const failed = cases.map((c) => ({ c, r: run(c) })).filter(({ c, r }) => r.backend !== c.reach).map(({ c, r }) => `${c.name}\n${formatTrace(r)}`);
    expect(failed).toEqual([]);
  });

  test('a sample of undeclared service and external edges is refused at the documented hop', () => {
    const cases = [...undeclaredEdgeCases(platform, 97), ...undeclaredExternalCases(platform)];
    expect(cases.length).toBeGreaterThan(50);
    const wrong = cases.map((c) => ({ c, r: run(c) })).filter(({ c, r }) => r.reached || r.refusedAt?.hop !== c.refuseAt).map(({ c, r }) => `${c.name}: expected ${c.refuseAt}\n${formatTrace(r)}`);
    expect(wrong).toEqual([]);
  });

  test('Pods outside the mesh and sidecar-less hook Jobs meet their NetworkPolicies: undeclared peers refused at egress, declared paths reached', () => {
    const cases = [...nonMeshCases(platform), ...hookJobCases(platform)];
    expect(cases.filter((c) => c.refuseAt).length).toBeGreaterThan(10);
    const wrong = cases
      .map((c) => ({ c, r: run(c) }))
      .filter(({ c, r }) => (c.reach ? r.backend !== c.reach : r.reached || r.refusedAt?.hop !== c.refuseAt))
      .map(({ c, r }) => `${c.name}: expected ${c.reach ?? c.refuseAt}\n${formatTrace(r)}`);
    expect(wrong).toEqual([]);
  });
});
