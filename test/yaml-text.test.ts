/**
 * render/yaml-text.ts lays out mappings and sequences itself and leaves the scalars to `yaml`: its
 * text must be exactly what `yaml`'s stringify writes with the same options, for the rendered
 * objects and for the values where YAML 1.1 quoting, block scalars and keys get tricky.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse, stringify } from 'yaml';
import { YAML_OPTIONS, yamlText } from '../render/yaml-text';

const reference = (value: unknown) => stringify(value, YAML_OPTIONS);

const TRICKY_STRINGS = [
  '',
  ' ',
  'plain',
  'yes',
  'No',
  'on',
  'OFF',
  'y',
  '~',
  'null',
  'NULL',
  'true',
  '0755',
  '0x1F',
  '0b101',
  '1e3',
  '1_000',
  '12:30:45',
  '2026-12-02',
  '.inf',
  '.NaN',
  '-',
  '?',
  '- item',
  '? key',
  ': x',
  'a: b',
  'a:b',
  '#comment',
  'a #b',
  'trailing ',
  ' leading',
  'tab\there',
  '*alias',
  '&anchor',
  '!tag',
  '|',
  '>',
  '%YAML',
  '---',
  '--- x',
  '...',
  '{a}',
  '[a]',
  'a, b',
  '@at',
  '`tick',
  "it's",
  'say "hi"',
  `both ' and "`,
  'line one\nline two',
  'trailing newline\n',
  'two trailing newlines\n\n',
  '\nleading newline',
  '  indented first line\nsecond',
  'line\n  more indented\nback',
  'space before newline \nnext',
  'newline then spaces\n   ',
  '--- marker\nsecond line',
  'a\n---\nb',
  'control \u0001 char',
  'bell \u0007',
  'escape \u001b[0m',
  'next line \u0085',
  'nbsp \u00a0',
  'line separator \u2028',
  'emoji 🚀',
  'x'.repeat(1500),
  `${'long line '.repeat(30)}\nand another`,
];

const NUMBERS = [0, -0, 1, -1, 8080, 1.5, -2.25, 1e21, 1e-7, 0.1, 2 ** 53, Number.MAX_SAFE_INTEGER];

describe('the YAML text of a rendered object', () => {
  test('is yaml stringify text for every tricky string as a value, a key, a top-level key and a list item', () => {
    for (const s of TRICKY_STRINGS) {
      for (const value of [{ k: s }, { [s]: 'v' }, { top: { [s]: 'v', nested: { [s]: s } } }, { list: [s, [s], { [s]: s }] }, [s]]) {
        expect([s, yamlText(value)]).toEqual([s, reference(value)]);
      }
    }
  });

  test('is yaml stringify text for numbers, booleans, null and empty or nested collections', () => {
    const values: unknown[] = [
      { numbers: NUMBERS, asValues: Object.fromEntries(NUMBERS.map((n, i) => [`n${i}`, n])) },
      { t: true, f: false, n: null, list: [true, false, null] },
      { emptyMap: {}, emptyList: [], inList: [{}, [], [[]], [{}]], deep: { a: { b: { c: [] } } } },
      { lists: [[1, 2], [[3]], [{ a: 1, b: [2] }, { c: { d: 'e' } }]] },
      { undefinedDropped: undefined, kept: 1 },
      { onlyUndefined: { a: undefined } },
      {},
      [],
      [[]],
    ];
    for (const value of values) expect(yamlText(value)).toBe(reference(value));
  });

  test('hands what is not plain data to yaml whole (explicit keys, undefined or non-finite in lists, class instances, Maps, Dates)', () => {
    class Custom {
      readonly a = 1;
    }
    const values: unknown[] = [
      { ['k'.repeat(1100)]: 'explicit key' },
      { list: [1, undefined, 2] },
      { nan: NaN, inf: [Infinity, -Infinity] },
      { custom: new Custom() },
      { map: new Map([['a', 1]]) },
      { date: new Date(0) },
      { nested: Object.create(null) },
      'a top-level string',
      42,
      null,
    ];
    for (const value of values) expect(yamlText(value)).toBe(reference(value));
  });

  test('is the committed text of every YAML file of dist/', () => {
    const dist = path.resolve(__dirname, '..', 'dist');
    const files = fs.readdirSync(dist, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.yaml') && !f.endsWith('.sops.yaml'));
    expect(files.length).toBeGreaterThan(1000);
    for (const file of files) {
      const text = fs.readFileSync(path.join(dist, file), 'utf8');
      const obj = parse(text, { version: '1.1' });
      expect([file, yamlText(obj)]).toEqual([file, text]);
      expect([file, yamlText(obj)]).toEqual([file, reference(obj)]);
    }
  });
});
