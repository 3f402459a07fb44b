import { manifestFile } from '../../render/manifest';
import type { RenderedFile } from '../../render/rendered-file';

/**
 * One of two synthetic rendered trees of `count` files (manifest included): "b" changes every
 * file's content, drops every tenth file and adds a folder, so a mix of the two is easy to see.
 */
export function syntheticTree(variant: 'a' | 'b', count: number): RenderedFile[] {
  const files: RenderedFile[] = [];
  for (let i = 0; i < count; i++) {
    if (variant === 'b' && i % 10 === 0) continue;
    files.push({ path: `env/namespaces/ns-${i % 50}/configmap-file-${i}.yaml`, content: `kind: ConfigMap\nvariant: ${variant}\nindex: ${i}\n${'x'.repeat(200)}\n` });
  }
  if (variant === 'b') files.push({ path: 'env/added/only-in-b.yaml', content: 'variant: b\n' });
  files.push(manifestFile(files));
  return files;
}
