/**
 * `dist/<env>/ARCHITECTURE.md`: a Mermaid flowchart of one environment, derived from the model
 * (GitHub renders it in the pull-request diff): clients -> WAF/ALB -> Istio ingress gateway ->
 * frontends/BFFs -> services -> Aurora and external hosts, one subgraph per team, each route marked
 * with its host and whether it needs an end-user token.
 */
import { distEnvPath, internalHost, parseServiceKey, publicHost, serviceKey } from '../platform/naming';
import type { Environment, Platform, Service } from '../platform/types';

export const architecturePath = (env: Pick<Environment, 'name'>): string => `${distEnvPath(env)}/ARCHITECTURE.md`;

/** Mermaid-safe label text (entity codes for the characters Mermaid treats as syntax). */
const text = (s: string): string => s.replace(/"/g, '#quot;').replace(/\|/g, '#124;').replace(/</g, '#lt;').replace(/>/g, '#gt;');
const id = (...parts: string[]): string => parts.join('__').replace(/[^A-Za-z0-9_]/g, '_');

const SHAPE: Readonly<Record<Service['kind'], (label: string) => string>> = {
  frontend: (l) => `[/"${l}"/]`,
  bff: (l) => `{{"${l}"}}`,
  microservice: (l) => `["${l}"]`,
  tool: (l) => `(["${l}"])`,
};

export function architectureMarkdown(platform: Platform, env: Environment): string {
  const lines: string[] = ['flowchart LR'];
  const edges: string[] = [];
  const externals = new Map<string, string>();
  let usesAurora = false;
  let usesInternal = false;
  let usesAws = false;

  lines.push(
    '  browsers(["PC and smartphone browsers"])',
    '  partners(["partner systems"])',
    '  operators(["operators (office / VPN)"])',
    '  subgraph aws_edge["AWS edge"]',
    `    public_alb["WAF + public ALB<br/>${text(env.domains.web)}<br/>${text(env.domains.api)}"]`,
    `    internal_alb["WAF + internal ALB<br/>*.${text(env.domains.internal)}<br/>allow: ${text(env.internalAllowCidrs.join(', ') || 'none')}"]`,
    '  end',
    '  gateway["Istio ingress gateway<br/>mTLS STRICT inside the mesh"]',
    '  browsers --> public_alb',
    '  partners --> public_alb',
    '  public_alb --> gateway',
  );

  for (const team of platform.teams) {
    const members = team.namespaces.flatMap((ns) => ns.services.map((s) => ({ ns, s })));
    if (members.length === 0) continue;
    lines.push(`  subgraph ${id('team', team.name)}["team ${text(team.name)}"]`);
    for (const { ns, s } of members) {
      const node = id(ns.name, s.name);
      const marks = [s.kind, ...(s.endUserAuth ? ['🔒 end-user token'] : []), ...(s.dedicatedNodes ? ['dedicated nodes'] : [])];
      lines.push(`    ${node}${SHAPE[s.kind](`${text(ns.name)}/${text(s.name)}<br/>${text(marks.join(', '))}`)}`);
      for (const route of s.exposure.public) {
        const where = `${publicHost(env, route.host)}${route.pathPrefix}${route.userAgent ? ` (UA ${route.userAgent})` : ''}`;
        edges.push(`  gateway -- "${text(where)}${s.endUserAuth ? ' 🔒' : ''}" --> ${node}`);
      }
      for (const route of s.exposure.internal) {
        usesInternal = true;
        edges.push(`  gateway -- "${text(internalHost(env, route.subdomain))} (internal)${s.endUserAuth ? ' 🔒' : ''}" --> ${node}`);
      }
      for (const dep of s.dependencies) {
        if ('service' in dep) {
          const ref = parseServiceKey(dep.service);
          edges.push(`  ${node} --> ${id(ref.namespace, ref.service)}`);
        } else {
          const ext = id('external', dep.external);
          externals.set(ext, `${dep.external}:${dep.port}`);
          edges.push(`  ${node} -- "${dep.protocol}" --> ${ext}`);
        }
      }
      if (s.aws.length > 0) {
        usesAws = true;
        edges.push(`  ${node} -- "IRSA: ${text(s.aws.join(', '))}" --> aws_apis`);
      }
      if (s.database) {
        usesAurora = true;
        edges.push(`  ${node} -- "schema ${text(s.database.schema)}" --> aurora`);
      }
    }
    lines.push('  end');
  }
  if (usesInternal) lines.push('  operators --> internal_alb', '  internal_alb --> gateway');
  if (usesAurora) lines.push(`  aurora[("Aurora MySQL<br/>${env.sizing.auroraInstances} x ${text(env.sizing.auroraInstanceClass)}, encrypted")]`);
  if (usesAws) lines.push('  aws_apis[["AWS APIs (VPC endpoints)"]]');
  if (externals.size > 0) {
    lines.push('  subgraph outside["outside, through the egress gateway"]');
    for (const [ext, label] of [...externals].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) lines.push(`    ${ext}>"${text(label)}"]`);
    lines.push('  end');
  }
  lines.push(...edges);

  const services = platform.teams.flatMap((t) => t.namespaces.flatMap((ns) => ns.services.map((s) => serviceKey({ namespace: ns.name, service: s.name }))));
  return [
    `# ${platform.name} ${env.name}: architecture`,
    '',
    `Generated from the model by \`npm run synth\` (${services.length} services, ${platform.teams.length} teams); do not edit.`,
    'Shapes: frontend `[/ /]`, BFF `{{ }}`, microservice `[ ]`, tool `([ ])`; 🔒 = a valid end-user token from the platform IdP is required.',
    '',
    '```mermaid',
    ...lines,
    '```',
    '',
  ].join('\n');
}
