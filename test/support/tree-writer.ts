/**
 * A child process for the kill and concurrency tests: writes one of two synthetic trees ("a" or
 * "b") into a folder with the real writeTree, printing "writing" just before it starts and the
 * summary when done.
 *
 *   node --import tsx test/support/tree-writer.ts OUT a|b FILES
 */
import { writeTree } from '../../render/write-tree';
import { syntheticTree } from './synthetic-tree';

const [out, variant, count] = process.argv.slice(2);
const files = syntheticTree(variant as 'a' | 'b', Number(count));
process.stdout.write('writing\n');
const started = performance.now();
const summary = writeTree(out, files, { lock: { timeoutMs: 60_000, pollMs: 20 } });
process.stdout.write(`${JSON.stringify({ ...summary, ms: performance.now() - started })}\n`);
