import * as fs from 'fs';
import * as path from 'path';
import { CODEOWNERS_FILE, renderCodeowners } from '../tools/codeowners/codeowners';
import { examplePlatform } from './support/example';

const REPO = path.join(__dirname, '..');

describe('CODEOWNERS', () => {
  test('the committed file is the one the model renders', () => {
    expect(fs.readFileSync(path.join(REPO, CODEOWNERS_FILE), 'utf8')).toBe(renderCodeowners(examplePlatform()));
  });

  test('each team owns the rendered folders of its namespaces, and SRE owns everything else', () => {
    const platform = examplePlatform();
    const lines = renderCodeowners(platform).split('\n');
    const sre = platform.teams.find((t) => t.name === 'sre')!;
    expect(lines).toContain(`* ${sre.owners.join(' ')}`);
    for (const team of platform.teams.filter((t) => t.name !== 'sre')) {
      for (const ns of team.namespaces) expect(lines).toContain(`/dist/*/namespaces/${ns.name}/ ${team.owners.join(' ')}`);
    }
  });

  test('the release files are shared by SRE and every team that has entries in them', () => {
    const platform = examplePlatform();
    const line = renderCodeowners(platform).split('\n').find((l) => l.startsWith('/platform/example/releases/ '))!;
    for (const team of platform.teams) for (const owner of team.owners) expect(line.split(' ')).toContain(owner);
  });
});
