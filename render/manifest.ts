/**
 * The manifest of a rendered tree: `<out>/.rendered-files`, every file synth wrote there, one path a
 * line. It is how synth knows a folder is its own: it replaces and deletes only the files listed
 * here (or the files it is about to write), and refuses a folder holding anything else.
 */
import type { RenderedFile } from './rendered-file';

/** File name of the manifest, at the root of the rendered tree. */
export const MANIFEST_FILE = '.rendered-files';

const HEADER = '# Files written by `npm run synth` (render/write-tree.ts); synth replaces or deletes only these.';

/** The manifest listing `files` (sorted, the manifest itself excluded). */
export function manifestFile(files: readonly Pick<RenderedFile, 'path'>[]): RenderedFile {
  const paths = files.map((f) => f.path).filter((p) => p !== MANIFEST_FILE);
  paths.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { path: MANIFEST_FILE, content: `${HEADER}\n${paths.join('\n')}\n` };
}

/** The paths a manifest lists (comments and blank lines skipped). */
export function parseManifest(content: string): Set<string> {
  return new Set(
    content
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#')),
  );
}
