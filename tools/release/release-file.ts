/**
 * Editing one entry of a release file through the `yaml` Document API, so comments, key order and
 * the flow style of the other entries stay as they were.
 */
import * as fs from 'fs';
import * as path from 'path';
import { isMap, parse, parseDocument, Scalar, YAMLMap } from 'yaml';
import type { ImageRelease } from '../../platform/types';

const quoted = (value: string): Scalar => {
  const s = new Scalar(value);
  s.type = Scalar.QUOTE_DOUBLE;
  return s;
};

function imageNode(image: ImageRelease): YAMLMap {
  const node = new YAMLMap();
  node.flow = true;
  if (image.tag !== undefined) node.set('tag', quoted(image.tag));
  if (image.digest !== undefined) node.set('digest', quoted(image.digest));
  if (image.promotedFrom) {
    const from = new YAMLMap();
    from.flow = true;
    from.set('environment', quoted(image.promotedFrom.environment));
    from.set('commit', quoted(image.promotedFrom.commit));
    node.set('promotedFrom', from);
  }
  return node;
}

/** The text of a release file with `images[key]` set to `image` (added in key order when new). */
export function setReleaseImage(text: string, key: string, image: ImageRelease): string {
  const doc = parseDocument(text);
  if (doc.errors.length) throw new Error(`cannot parse the release file: ${doc.errors[0].message}`);
  const images = doc.get('images', true);
  if (!isMap(images)) throw new Error('the release file has no "images" mapping');
  const node = imageNode(image);
  const existing = images.items.find((p) => String((p.key as Scalar).value ?? p.key) === key);
  if (existing) {
    // Keep the entry's own comment and position; replace only its value.
    existing.value = node;
  } else {
    const index = images.items.findIndex((p) => String((p.key as Scalar).value ?? p.key) > key);
    const pair = doc.createPair(key, node);
    if (index < 0) images.items.push(pair);
    else images.items.splice(index, 0, pair);
  }
  return doc.toString({ lineWidth: 0, flowCollectionPadding: true });
}

/** The release file of an environment in a folder (by its `environment` field), with its content. */
export function findReleaseFile(dir: string, env: string): { file: string; text: string } {
  const files = fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
  for (const f of files) {
    const text = fs.readFileSync(path.join(dir, f), 'utf8');
    const doc = parse(text) as { environment?: string } | null;
    if (doc?.environment === env) return { file: path.join(dir, f), text };
  }
  throw new Error(`no release file for environment "${env}" in ${dir} (files: ${files.join(', ') || 'none'})`);
}

export function readImages(text: string): Readonly<Record<string, ImageRelease>> {
  return ((parse(text) as { images?: Record<string, ImageRelease> } | null)?.images ?? {}) as Record<string, ImageRelease>;
}
