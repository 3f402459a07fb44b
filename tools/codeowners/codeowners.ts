/**
 * The repository's CODEOWNERS, derived from the model: SRE owns every path by default (the model,
 * charts, stacks, the cluster-scoped and Terraform output); each team owns its namespaces' rendered
 * folders and its child Applications, and shares the release files with SRE. GitHub lets the last
 * matching pattern win and owns whole files, so a change to a team's release entry needs that team
 * through the rendered folder it changes (docs.github.com, "About code owners").
 */
import { childrenPath, namespacePath, SRE_TEAM } from '../../platform/naming';
import type { Platform } from '../../platform/types';

export const CODEOWNERS_FILE = '.github/CODEOWNERS';

export interface CodeownersOptions {
  /** Release files folder, relative to the repository. @default "platform/example/releases" */
  readonly releases?: string;
}

const ANY_ENV = { name: '*' };

export function renderCodeowners(platform: Pick<Platform, 'teams'>, options: CodeownersOptions = {}): string {
  const sre = platform.teams.find((t) => t.name === SRE_TEAM);
  if (!sre) throw new Error(`CODEOWNERS needs the "${SRE_TEAM}" team in the model (teams: ${platform.teams.map((t) => t.name).join(', ')})`);
  const teams = [...platform.teams].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const everyone = [...new Set([...sre.owners, ...teams.flatMap((t) => t.owners)])];
  const releases = (options.releases ?? 'platform/example/releases').replace(/\/+$/, '');
  const lines = [
    '# Generated from the model by `npm run codeowners`; do not edit (test/codeowners.test.ts checks it).',
    '# The last matching pattern wins.',
    '',
    '# SRE: the model, charts, stacks, tools, workflows and every rendered path not listed below.',
    `* ${sre.owners.join(' ')}`,
    '',
    '# Release files: app CI edits one entry per service; its team approves through the rendered folder below.',
    `/${releases}/ ${everyone.join(' ')}`,
  ];
  for (const team of teams) {
    if (team.name === SRE_TEAM) continue;
    lines.push('', `# team ${team.name}`);
    for (const ns of team.namespaces) lines.push(`/${namespacePath(ANY_ENV, ns)}/ ${team.owners.join(' ')}`);
    lines.push(`/${childrenPath(ANY_ENV, team)}/ ${[...sre.owners, ...team.owners].join(' ')}`);
  }
  return `${lines.join('\n')}\n`;
}
