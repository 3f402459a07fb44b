/**
 * The YAML text of one rendered object, byte for byte what `yaml`'s `stringify(obj, YAML_OPTIONS)`
 * writes, without building a `yaml` Document for every object (its node tree was a third of the
 * render's time and most of its garbage).
 *
 * Only the layout of block mappings and sequences is done here (the rules of `yaml`'s
 * stringifyPair / stringifyCollection for plain data: two-space indent, sequences indented under
 * their key, `{}` / `[]` for empty collections). Every scalar is written by `yaml` itself: strings
 * by its `stringifyString` (the YAML 1.1 quoting, block literals and escapes), numbers, booleans
 * and null by `stringify`. Anything that is not plain JSON-like data (class instances, Maps,
 * undefined in a list, a key `yaml` would write as an explicit `? key`) is handed to `yaml`'s
 * `stringify` whole. `test/yaml-text.test.ts` holds both to the same bytes.
 */
import { Document, stringify } from 'yaml';
import { stringifyString } from 'yaml/util';

/** YAML 1.1 quoting (so "yes", "on" or "0755" stay strings for Kubernetes), no line folding, no aliases. */
export const YAML_OPTIONS = { version: '1.1', lineWidth: 0, minContentWidth: 0, aliasDuplicateObjects: false } as const;

type StringifyContext = Parameters<typeof stringifyString>[1];

const INDENT_STEP = '  ';
/** yaml writes a key longer than this as an explicit `? key`. */
const MAX_IMPLICIT_KEY = 1024;

// The context yaml's createStringifyContext builds for a document of YAML_OPTIONS.
const DOC = new Document(null, YAML_OPTIONS);
const CONTEXT_OPTIONS = Object.assign(
  {
    blockQuote: true,
    defaultKeyType: null,
    defaultStringType: 'PLAIN',
    directives: null,
    doubleQuotedAsJSON: false,
    doubleQuotedMinMultiLineLength: 40,
    falseStr: 'false',
    flowCollectionPadding: true,
    indentSeq: true,
    lineWidth: 80,
    minContentWidth: 20,
    nullStr: 'null',
    simpleKeys: false,
    singleQuote: null,
    trailingComma: false,
    trueStr: 'true',
    verifyAliasOrder: true,
  },
  DOC.schema.toStringOptions,
  YAML_OPTIONS,
) as unknown as StringifyContext['options'];

/** Not plain data: the whole object goes to yaml's own stringify. */
class NotPlain extends Error {}

function context(indent: string, implicitKey: boolean): StringifyContext {
  return { anchors: new Set(), doc: DOC, flowCollectionPadding: ' ', indent, indentStep: INDENT_STEP, inFlow: null, implicitKey, actualString: true, options: CONTEXT_OPTIONS };
}

// Single-line strings come out the same at any depth (only a top-level key can differ: a leading
// document marker is quoted there), so their text is kept; the caches are emptied when large.
const MAX_CACHED = 200_000;
const valueText = new Map<string, string>();
const keyText = new Map<string, string>();
const topKeyText = new Map<string, string>();
const otherScalarText = new Map<unknown, string>();
// A multi-line value is a block scalar indented to its depth, so its text is kept per indent: the
// same large documents (a dashboard listing every service, scripts) recur in every environment.
const MAX_CACHED_BLOCK_CHARS = 64 * 1024 * 1024;
const blockText = new Map<string, Map<string, string>>();
let blockChars = 0;

function stringText(value: string, indent: string, implicitKey: boolean): string {
  const cache = !implicitKey ? valueText : indent === INDENT_STEP ? topKeyText : keyText;
  let text = cache.get(value);
  if (text === undefined) {
    // A multi-line string is never in these caches, so a hit needs no scan for a line break.
    if (value.includes('\n')) return implicitKey ? stringifyString({ value }, context(indent, true)) : blockStringText(value, indent);
    text = stringifyString({ value }, context(indent, implicitKey));
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(value, text);
  }
  return text;
}

function blockStringText(value: string, indent: string): string {
  let atIndent = blockText.get(indent);
  if (atIndent === undefined) {
    atIndent = new Map();
    blockText.set(indent, atIndent);
  }
  let text = atIndent.get(value);
  if (text === undefined) {
    text = stringifyString({ value }, context(indent, false));
    blockChars += value.length + text.length;
    if (blockChars > MAX_CACHED_BLOCK_CHARS) {
      for (const texts of blockText.values()) texts.clear();
      blockChars = value.length + text.length;
    }
    atIndent.set(value, text);
  }
  return text;
}

/** Numbers, booleans and null, written by yaml (a top-level scalar document is its text and a newline). */
function otherScalar(value: number | boolean | null): string {
  if (Object.is(value, -0)) return stringify(value, YAML_OPTIONS).slice(0, -1); // a Map holds -0 and 0 as one key
  let text = otherScalarText.get(value);
  if (text === undefined) {
    text = stringify(value, YAML_OPTIONS).slice(0, -1);
    if (otherScalarText.size >= MAX_CACHED) otherScalarText.clear();
    otherScalarText.set(value, text);
  }
  return text;
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A scalar in block context at `indent` (the indent yaml's context has for it). */
function scalar(value: unknown, indent: string): string {
  if (typeof value === 'string') return stringText(value, indent, false);
  if (value === null || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) return otherScalar(value);
  throw new NotPlain();
}

const isCollection = (value: unknown): value is object => value !== null && typeof value === 'object';

/** The layout pieces of one indent (indents are whole INDENT_STEPs), made once per depth. */
interface Level {
  /** The next level's indent. */
  readonly inner: string;
  /** Starts the next pair of a mapping. */
  readonly nextPair: string;
  /** Starts the next item of a sequence. */
  readonly nextItem: string;
  /** Follows a key whose value is a non-empty collection. */
  readonly nested: string;
}
const levels: Level[] = [];

function level(indent: string): Level {
  const depth = indent.length / INDENT_STEP.length;
  let found = levels[depth];
  if (found === undefined) {
    const inner = indent + INDENT_STEP;
    found = { inner, nextPair: `\n${indent}`, nextItem: `\n${indent}- `, nested: `:\n${inner}` };
    levels[depth] = found;
  }
  return found;
}

/**
 * Appends a collection's lines (or its flow form `[]` / `{}` when empty, then returns true) to
 * `out`; `indent` is the collection's own. Pieces are joined once at the end: a string grown by
 * `+=` stays a rope of every piece until written, which for a whole rendered tree is gigabytes.
 */
function collection(value: object, indent: string, out: string[]): boolean {
  if (Array.isArray(value)) {
    if (value.length === 0) {
      out.push('[]');
      return true;
    }
    const { inner: itemIndent, nextItem } = level(indent);
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      out.push(i === 0 ? '- ' : nextItem);
      if (isCollection(item)) collection(item, itemIndent, out);
      else out.push(scalar(item, itemIndent));
    }
    return false;
  }
  if (!isPlainObject(value)) throw new NotPlain();
  const { inner: pairIndent, nextPair, nested } = level(indent);
  let first = true;
  for (const key of Object.keys(value)) {
    const item = value[key];
    if (item === undefined) continue; // yaml drops undefined values of a mapping
    const keyStr = stringText(key, pairIndent, true);
    if (keyStr.length > MAX_IMPLICIT_KEY) throw new NotPlain();
    if (!first) out.push(nextPair);
    first = false;
    if (isCollection(item)) {
      const mark = out.push(keyStr, nested) - 1;
      if (collection(item, pairIndent, out)) out[mark] = ': '; // an empty collection stays on the key's line
    } else {
      const text = scalar(item, pairIndent);
      out.push(keyStr, text === '' || text[0] === '\n' ? ':' : ': ', text);
    }
  }
  if (first) out.push('{}');
  return first;
}

/** `stringify(obj, YAML_OPTIONS)`, faster for the plain objects the charts render. */
export function yamlText(obj: unknown): string {
  if (isCollection(obj) && (Array.isArray(obj) || isPlainObject(obj))) {
    try {
      const out: string[] = [];
      collection(obj, '', out);
      out.push('\n');
      return out.join('');
    } catch (err) {
      if (!(err instanceof NotPlain)) throw err;
    }
  }
  return stringify(obj, YAML_OPTIONS);
}
