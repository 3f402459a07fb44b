import { renderPlatform } from '../render/render';
import { parsePlatform } from '../platform/validate';
import { mutated } from './support/example';
import { objectsWhere } from './support/rendered';

import { childApplicationName } from '../platform/naming';

/** The child Application of every team namespace of an environment. */
const children = (env: string) => objectsWhere((o, p) => p.startsWith(`${env}/argocd/children/`) && o.kind === 'Application' && o.metadata.name === childApplicationName({ name: o.spec.destination.namespace }));

describe('per-environment sync policy', () => {
  test('production namespaces sync only when a person syncs them: their child Applications have no automated policy', () => {
    const prd = children('prd');
    expect(prd.length).toBeGreaterThan(0);
    for (const { obj } of prd) expect(obj.spec.syncPolicy.automated).toBeUndefined();
  });

  test('dev and staging namespaces keep automated sync with prune and self-heal', () => {
    for (const env of ['dev', 'stg']) {
      const apps = children(env);
      expect(apps.length).toBeGreaterThan(0);
      for (const { obj } of apps) expect(obj.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
    }
  });

  test('the production sync window is on every team AppProject and on no other environment', () => {
    const projects = objectsWhere((o, p) => p.includes('/argocd/teams/') && o.kind === 'AppProject' && !o.metadata.name.startsWith('sre-addons'));
    for (const { path, obj } of projects) {
      if (path.startsWith('prd/')) expect(obj.spec.syncWindows).toEqual([{ kind: 'allow', schedule: '0 10 * * 1-4', duration: '6h', timeZone: 'Asia/Tokyo', manualSync: false, applications: ['*'] }]);
      else expect(obj.spec.syncWindows).toBeUndefined();
    }
  });

  test('a sync window with a malformed schedule or duration is rejected with its environment', () => {
    const input = mutated((m) => {
      m.environments[0].sync = { windows: [{ kind: 'allow', schedule: '0 10 * *', duration: 'six hours' }] };
    });
    expect(() => parsePlatform(input)).toThrow(/environments\[dev\]\.sync\.windows\[0\]\.schedule.*cron expression of five fields[\s\S]*duration must be minutes or hours/);
  });

  test('switching prd to automated renders its namespace children with automated sync', () => {
    const input = mutated((m) => {
      m.environments.find((e: { name: string }) => e.name === 'prd').sync = { automated: true };
    });
    const platform = parsePlatform(input);
    const prd = { ...platform, environments: platform.environments.filter((e) => e.name === 'prd') };
    const child = renderPlatform(prd, { terraform: false }).find((f) => f.path === 'prd/argocd/children/order/application-ns-order-service.yaml');
    expect(child?.content).toContain('automated:');
  });
});
