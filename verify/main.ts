/**
 * `npm run verify [-- DIST_DIR] [--check ID ...]`: runs every registered check over each
 * `DIST_DIR/<env>/` (default `dist`), prints the findings per file and exits 1 when there are any.
 */
import * as path from 'path';
import { parseArgs } from 'util';
import { CHECKS, verifyDist } from './index';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { check: { type: 'string', multiple: true }, help: { type: 'boolean', short: 'h' } } });
if (values.help) {
  console.log(`usage: npm run verify [-- DIST_DIR] [--check ID ...]\n\nRuns the offline simulators over each DIST_DIR/<env>/ (default dist) and exits 1 on findings.\nChecks:\n${CHECKS.map((c) => `  ${c.id.padEnd(24)} ${c.description}`).join('\n')}`);
  process.exit(0);
}
const distDir = path.resolve(positionals[0] ?? 'dist');
const selected = values.check ? CHECKS.filter((c) => values.check!.includes(c.id)) : CHECKS;
const unknown = (values.check ?? []).filter((id) => !CHECKS.some((c) => c.id === id));
if (unknown.length > 0) {
  console.error(`unknown check(s): ${unknown.join(', ')}; known: ${CHECKS.map((c) => c.id).join(', ')}`);
  process.exit(2);
}

let total = 0;
const results = verifyDist(distDir, selected);
if (results.size === 0) {
  console.error(`no environment folder (with argocd/root) under ${distDir}`);
  process.exit(2);
}
for (const [env, findings] of results) {
  total += findings.length;
  let file = '';
  for (const f of findings) {
    if (f.file !== file) console.log(`${env}/${(file = f.file)}`);
    console.log(`  [${f.rule}] ${f.message}`);
  }
  console.log(`${env}: ${findings.length} finding(s) from ${selected.length} check(s)`);
}
process.exit(total > 0 ? 1 : 0);
