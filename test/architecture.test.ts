import * as fs from 'fs';
import * as path from 'path';
import { architectureMarkdown, architecturePath } from '../render/architecture';
import { examplePlatform } from './support/example';

const REPO = path.join(__dirname, '..');
const mermaid = (md: string): string[] => {
  const start = md.indexOf('```mermaid\n');
  return md.slice(start + 11, md.indexOf('\n```', start)).split('\n');
};

describe('dist/<env>/ARCHITECTURE.md', () => {
  const platform = examplePlatform();

  test('the rendered picture of every environment is the one the model gives', () => {
    for (const env of platform.environments) {
      expect(fs.readFileSync(path.join(REPO, architecturePath(env)), 'utf8')).toBe(architectureMarkdown(platform, env));
    }
  });

  test('every service is a node inside the subgraph of its team', () => {
    const env = platform.environments[0];
    const lines = mermaid(architectureMarkdown(platform, env));
    for (const team of platform.teams) {
      const start = lines.indexOf(`  subgraph team__${team.name.replace(/-/g, '_')}["team ${team.name}"]`);
      const services = team.namespaces.flatMap((ns) => ns.services.map((s) => `${ns.name}/${s.name}`));
      if (services.length === 0) {
        expect(start).toBe(-1);
        continue;
      }
      expect(start).toBeGreaterThanOrEqual(0);
      const end = lines.indexOf('  end', start);
      const inside = lines.slice(start + 1, end).join('\n');
      for (const key of services) expect(inside).toContain(`"${key}<br/>`);
    }
  });

  test('public routes come from the gateway behind the WAF/ALB, with a lock where an end-user token is required', () => {
    const prd = platform.environments.find((e) => e.name === 'prd')!;
    const lines = mermaid(architectureMarkdown(platform, prd));
    expect(lines).toContain('  public_alb --> gateway');
    expect(lines).toContain('  browsers --> public_alb');
    expect(lines).toContain(`  gateway -- "${prd.domains.api}/ 🔒" --> partner_bff__partner_bff`);
    expect(lines).toContain(`  gateway -- "${prd.domains.web}/" --> pc_frontend__pc_frontend`);
  });

  test('services reach Aurora through their schema and external hosts through the egress subgraph', () => {
    const prd = platform.environments.find((e) => e.name === 'prd')!;
    const lines = mermaid(architectureMarkdown(platform, prd));
    expect(lines).toContain('  order_service__order_service -- "schema order_service" --> aurora');
    expect(lines).toContain('  payment_service__payment_service -- "https" --> external__api_payment_provider_example_net');
    expect(lines).toContain(`  aurora[("Aurora MySQL<br/>${prd.sizing.auroraInstances} x ${prd.sizing.auroraInstanceClass}, encrypted")]`);
  });
});
