/**
 * A child process for the kill and concurrency tests: writes one of two synthetic trees ("a" or
 * "b") into a folder with the real writer, printing "writing" just before it starts and the
 * summary when done. "thread" uses writeTree (built in this thread); "worker" hands the files to
 * openTree in groups of 100, as synth does while it renders.
 *
 *   node --import tsx test/support/tree-writer.ts OUT a|b FILES [thread|worker]
 */
import { openTree, writeTree } from '../../render/write-tree';
import { syntheticTree } from './synthetic-tree';

async function write(): Promise<void> {
  const [out, variant, count, mode = 'thread'] = process.argv.slice(2);
  const files = syntheticTree(variant as 'a' | 'b', Number(count));
  const lock = { timeoutMs: 60_000, pollMs: 20 };
  process.stdout.write('writing\n');
  const started = performance.now();
  let summary;
  if (mode === 'worker') {
    const tree = openTree(out, { lock });
    for (let i = 0; i < files.length; i += 100) tree.add(files.slice(i, i + 100));
    summary = await tree.finish();
  } else {
    summary = writeTree(out, files, { lock });
  }
  process.stdout.write(`${JSON.stringify({ ...summary, ms: performance.now() - started })}\n`);
}

void write();
