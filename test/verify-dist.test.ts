/**
 * The bootstrap simulator over the committed dist/: each rule encodes one way a fresh environment
 * failed to come up (issue 7); every environment must report none.
 */
import * as path from 'path';
import { verifyDist, type Finding } from '../verify';

const results = verifyDist(path.join(__dirname, '..', 'dist'));
const findings = (rule: string): string[] => [...results].flatMap(([env, fs]: [string, Finding[]]) => fs.filter((f) => f.rule === rule).map((f) => `${env}/${f.file}: ${f.message}`));

test('dist holds the dev, stg and prd environments', () => {
  expect([...results.keys()]).toEqual(['dev', 'prd', 'stg']);
});

test('every Application, the cluster-scoped one included, has a destination its project admits', () => {
  expect(findings('project-destination')).toEqual([]);
});
