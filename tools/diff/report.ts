/** The diff as Markdown (pull-request comment, job summary) or plain text (terminal). */
import { FORCE_NEW_ARGUMENTS } from './force-replacement';
import { SEVERITY, type RiskFlag } from './risk-flag';
import type { SemanticDiff } from './semantic-diff';

export type ReportFormat = 'markdown' | 'text';

const ICON = { loud: '🔴', review: '🟠', info: '🔵' } as const;
const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function groups<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const i of items) out.set(key(i), [...(out.get(key(i)) ?? []), i]);
  return out;
}

const flagLine = (f: RiskFlag): string => `[${f.id}] ${f.env} ${f.team}/${f.namespace} ${f.object}: ${f.message}${f.attribution ? ` <- ${f.attribution}` : ''}`;

export function renderReport(diff: SemanticDiff, format: ReportFormat): string {
  const total = diff.counts.reduce((n, c) => n + c.added + c.removed + c.changed, 0);
  const lines: string[] = [];
  if (format === 'text') {
    lines.push(`Rendered diff ${diff.base} -> ${diff.head}: ${total} objects changed, ${diff.flags.length} flags`);
    for (const f of diff.flags) lines.push(`${SEVERITY[f.id].toUpperCase().padEnd(6)} ${flagLine(f)}`);
    for (const [env, counts] of groups(diff.counts, (c) => c.env)) {
      lines.push('', `${env}:`);
      for (const c of counts) lines.push(`  ${c.team}/${c.namespace} ${c.kind}: +${c.added} -${c.removed} ~${c.changed}`);
    }
    if (diff.otherFiles.length) lines.push('', `other files: ${diff.otherFiles.join(', ')}`);
    return `${lines.join('\n')}\n`;
  }
  lines.push(`## Rendered diff \`${diff.base}\` → ${diff.head}`, '', `${total} objects changed, ${diff.flags.length} risk flags.`, '');
  if (diff.flags.length) {
    lines.push('### Risk flags', '', '| | flag | env | team/namespace | object | change | caused by |', '|---|---|---|---|---|---|---|');
    for (const f of diff.flags) lines.push(`| ${ICON[SEVERITY[f.id]]} | \`${f.id}\` | ${f.env} | ${f.team}/${f.namespace} | ${cell(f.object)} | ${cell(f.message)} | ${cell(f.attribution ?? '')} |`);
    lines.push('');
  }
  const replaced = diff.flags.filter((f) => f.id === 'terraform-replace');
  if (replaced.length) {
    const types = new Set(replaced.map((f) => f.object.split('/')[0]));
    lines.push('### Arguments that force replacement', '', '| type | argument | source |', '|---|---|---|');
    for (const e of FORCE_NEW_ARGUMENTS.filter((x) => types.has(x.type))) lines.push(`| ${e.type} | ${e.argument} | ${e.source} |`);
    lines.push('');
  }
  for (const [env, counts] of groups(diff.counts, (c) => c.env)) {
    lines.push(`### ${env}`, '', '| team | namespace | kind | added | removed | changed |', '|---|---|---|---|---|---|');
    for (const c of counts) lines.push(`| ${c.team} | ${c.namespace} | ${c.kind} | ${c.added} | ${c.removed} | ${c.changed} |`);
    lines.push('');
  }
  if (diff.otherFiles.length) lines.push(`Other files: ${diff.otherFiles.map((f) => `\`${f}\``).join(', ')}`, '');
  return `${lines.join('\n')}`;
}
