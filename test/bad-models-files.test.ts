/**
 * Bad model and release files (too large, not a mapping, unparseable, nested too deeply) get a
 * clean one-line problem naming the file, never a stack trace; and validation and rendering stay
 * linear in the size of a service (40,000 config keys).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadPlatform, MAX_MODEL_FILE_BYTES } from '../platform/load';
import { ModelError, parsePlatform } from '../platform/validate';
import { main } from '../render/main';
import { renderEnvironmentKubernetes } from '../render/render-kubernetes';
import { exampleInput, serviceOf, type Loose } from './support/example';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'bad-files-'));

function problemsLoading(options: Parameters<typeof loadPlatform>[0]): string[] {
  try {
    loadPlatform(options);
  } catch (err) {
    if (err instanceof ModelError) return err.problems.map((p) => `${p.path}: ${p.message}`);
    throw err;
  }
  return [];
}

function modelFile(name: string, content: string | ((file: string) => void)): string {
  const file = path.join(tmp(), name);
  if (typeof content === 'string') fs.writeFileSync(file, content);
  else content(file);
  return file;
}

describe('bad model files', () => {
  const cases: [string, string, string | ((file: string) => void), RegExp][] = [
    ['a model file over the size limit', 'huge.json', (f) => fs.truncateSync((fs.writeFileSync(f, '{'), f), MAX_MODEL_FILE_BYTES + 1), /^huge\.json: is 16\.0 MiB; a model or release file may be at most 16 MiB$/],
    ['a model that is a list', 'list.json', '[1, 2, 3]', /^list\.json: must be a mapping at the top, not a list$/],
    ['a model that is a string', 'string.yaml', '"just text"\n', /^string\.yaml: must be a mapping at the top, not a string$/],
    ['a model that is a number', 'number.json', '42', /^number\.json: must be a mapping at the top, not a number$/],
    ['an empty model file', 'empty.yaml', '', /^empty\.yaml: must be a mapping at the top, not null$/],
    ['a model that is not JSON', 'broken.json', '{"name": ', /^broken\.json: cannot be read: /],
    ['a model that is not YAML', 'broken.yaml', 'name: [unclosed\n', /^broken\.yaml: cannot be read: /],
    ['a JSON model with lists nested 200,000 deep', 'deep.json', `{"teams": ${'['.repeat(200_000)}${']'.repeat(200_000)}}`, /^teams\[0\]: Invalid input: expected object, received array$/],
    ['a YAML model nested too deeply for the parser', 'deep.yaml', `a:${' ['.repeat(50_000)}${']'.repeat(50_000)}\n`, /^deep\.yaml: cannot be read: it is nested too deeply$/],
  ];

  test.each(cases)('%s is one clean problem naming the file', (_name, file, content, message) => {
    const problems = problemsLoading({ modelFile: modelFile(file, content), releasesDir: tmp() });
    expect(problems).toContainEqual(expect.stringMatching(message));
    for (const p of problems) expect(p).not.toMatch(/\n|    at /);
  });

  test('a release file that is a list names the file', () => {
    const releases = tmp();
    fs.writeFileSync(path.join(releases, 'dev.yaml'), '- environment: dev\n');
    expect(problemsLoading({ releasesDir: releases })).toContainEqual('releases/dev.yaml: must be a mapping at the top, not a list');
  });

  test('a release file over the size limit names the file', () => {
    const releases = tmp();
    fs.writeFileSync(path.join(releases, 'dev.yaml'), 'environment: dev\n');
    fs.truncateSync(path.join(releases, 'dev.yaml'), MAX_MODEL_FILE_BYTES + 1024 * 1024);
    expect(problemsLoading({ releasesDir: releases })).toContainEqual(expect.stringMatching(/^releases\/dev\.yaml: is 17\.0 MiB; a model or release file may be at most 16 MiB$/));
  });

  test('a release folder that cannot be read is a problem, not a crash', () => {
    expect(problemsLoading({ releasesDir: path.join(tmp(), 'missing') })).toContainEqual(expect.stringMatching(/^releases: folder .*missing cannot be read: ENOENT$/));
  });

  test('synth answers a non-object model without a stack trace and writes nothing', async () => {
    const out = path.join(tmp(), 'dist');
    const errors: string[] = [];
    const spy = jest.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void errors.push(a.join(' ')));
    try {
      expect(await main(['--out', out, '--model', modelFile('list.json', '[]'), '--releases', tmp()])).toBe(1);
    } finally {
      spy.mockRestore();
    }
    expect(errors.join('\n')).toMatch(/^The platform model is invalid \(1 problem\):\n {2}- list\.json: must be a mapping at the top, not a list\nNothing was written\.$/);
    expect(fs.existsSync(out)).toBe(false);
  });
});

describe('validation and rendering stay linear', () => {
  const withKeys = (n: number): Loose => {
    const input: Loose = exampleInput();
    const config = serviceOf(input, 'order-service/order-service').config;
    for (let k = 0; k < n; k++) config[`SETTING_${k}`] = 'v';
    return input;
  };

  test('a service with 40,000 config keys validates (no hang)', () => {
    const before = Object.keys(serviceOf(exampleInput(), 'order-service/order-service').config).length;
    const platform = parsePlatform(withKeys(40_000));
    const service = platform.teams.flatMap((t) => t.namespaces).flatMap((n) => n.services).find((s) => s.name === 'order-service')!;
    expect(Object.keys(service.config)).toHaveLength(before + 40_000);
  }, 30_000);

  test('a service with 40,000 config keys renders its ConfigMap with every key (no hang)', () => {
    const platform = parsePlatform(withKeys(40_000));
    const files = renderEnvironmentKubernetes(platform, platform.environments[0]);
    const configMap = files.find((f) => f.path === 'dev/namespaces/order-service/configmap-order-service-config.yaml')!;
    expect(configMap.content).toContain('  SETTING_39999: v\n');
    expect(configMap.content.match(/^ {2}SETTING_\d+: v$/gm)).toHaveLength(40_000);
  }, 60_000);

  test('40,000 secret-looking keys are all reported, quickly', () => {
    const input: Loose = exampleInput();
    const config = serviceOf(input, 'order-service/order-service').config;
    for (let k = 0; k < 40_000; k++) config[`TOKEN_${k}`] = 'v';
    expect(() => parsePlatform(input)).toThrow(/The platform model is invalid \(40000 problems\)/);
  }, 30_000);
});
