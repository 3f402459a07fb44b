import { main } from '../tools/diff/main';
import { renderReport } from '../tools/diff/report';
import type { RiskFlag } from '../tools/diff/risk-flag';
import { semanticDiff } from '../tools/diff/semantic-diff';
import { createTestRepo, modelService, RELEASES, type TestRepo } from './support/git-repo';

let repo: TestRepo;
beforeAll(() => {
  repo = createTestRepo();
});
afterAll(() => repo.remove());
afterEach(() => repo.reset());

const diff = () => semanticDiff({ repo: repo.dir, releases: RELEASES });
const find = (flags: readonly RiskFlag[], id: string, object: string, env?: string) => flags.filter((f) => f.id === id && f.object === object && (!env || f.env === env));

describe('npm run diff', () => {
  test('an unchanged tree has no changes and no flags', () => {
    const d = diff();
    expect(d.counts).toEqual([]);
    expect(d.flags).toEqual([]);
  });

  test('a release-file change flags the image change of that environment only and names the release entry', () => {
    repo.editRelease('stg.yaml', 'order-service/order-service: { tag: "3.7.2" }', 'order-service/order-service: { tag: "3.9.0" }');
    repo.render();
    const d = diff();
    const images = d.flags.filter((f) => f.id === 'image');
    expect(images.map((f) => `${f.env} ${f.object}`)).toEqual(expect.arrayContaining(['stg Deployment/order-service', 'stg Job/order-service-migrate']));
    expect(images.every((f) => f.env === 'stg')).toBe(true);
    const [deployment] = find(d.flags, 'image', 'Deployment/order-service', 'stg');
    expect(deployment.message).toMatch(/order-service:3\.7\.2 -> .*order-service:3\.9\.0$/);
    expect(deployment.attribution).toBe(`${RELEASES}/stg.yaml images[order-service/order-service]: tag 3.7.2 -> tag 3.9.0`);
    expect(deployment.team).toBe('order');
    expect(d.counts).toContainEqual({ env: 'stg', team: 'order', namespace: 'order-service', kind: 'Deployment', added: 0, removed: 0, changed: 1 });
  });

  test('a new caller, a new external host, a new AWS grant and bigger resources are flagged and attributed to the model fields', () => {
    repo.editModel((m) => {
      const shipping = modelService(m, 'shipping-service/shipping-service');
      shipping.dependencies = [...(shipping.dependencies ?? []), { service: 'payment-service/payment-service' }];
      const order = modelService(m, 'order-service/order-service');
      order.dependencies = [...(order.dependencies ?? []), { external: 'api.fraud-check.example.com' }];
      order.resources = { cpu: '500m', memory: '512Mi' };
      order.aws = ['email-send'];
    });
    repo.render();
    const { flags } = diff();

    const [caller] = find(flags, 'mesh-widening', 'AuthorizationPolicy/payment-service-allow', 'prd');
    expect(caller.message).toContain('principal cluster.local/ns/shipping-service/sa/shipping-service');
    expect(caller.attribution).toBe('namespaces[shipping-service].services[shipping-service].dependencies: { service: "payment-service/payment-service" }');

    const [egress] = find(flags, 'egress-host', 'ServiceEntry/external-api-fraud-check-example-com', 'dev');
    expect(egress.message).toBe('new external host api.fraud-check.example.com (reached from order-service)');
    expect(egress.attribution).toBe('namespaces[order-service].services[*].dependencies: { external: "api.fraud-check.example.com" }');
    const sidecar = find(flags, 'mesh-widening', 'Sidecar/default', 'dev').find((f) => f.namespace === 'order-service')!;
    expect(sidecar.message).toContain('egress host istio-egress/api.fraud-check.example.com');

    const [resources] = find(flags, 'resources', 'Deployment/order-service', 'prd');
    expect(resources.message).toContain('"cpu":"500m"');
    expect(resources.attribution).toBe('teams[order].namespaces[order-service].services[order-service].resources');

    const iam = flags.filter((f) => f.id === 'iam-widening' && f.env === 'prd' && f.message.includes('ses:'));
    expect(iam.length).toBeGreaterThan(0);
    expect(flags.some((f) => f.id === 'terraform-added' && f.env === 'prd' && f.object.startsWith('aws_iam_role/'))).toBe(true);
  });

  test('removing a Secrets Manager setting flags the ExternalSecret as a loud prune', () => {
    repo.editModel((m) => {
      modelService(m, 'order-service/order-service').secrets = [];
    });
    repo.render();
    const { flags } = diff();
    const [pruned] = find(flags, 'prune-stateful', 'ExternalSecret/order-service-app', 'prd');
    expect(pruned.message).toBe('ExternalSecret order-service-app: Argo CD will prune (delete) it from the cluster');
    expect(pruned.attribution).toBe('teams[order].namespaces[order-service].services[*].secrets / .database removed');
  });

  test('changing the system node instance types flags the node group replacement with its provider source', () => {
    repo.editModel((m) => {
      m.environments.find((e: { name: string }) => e.name === 'prd').sizing.systemNodeInstanceTypes = ['m7i.2xlarge'];
    });
    repo.render();
    const d = diff();
    const [replace] = d.flags.filter((f) => f.id === 'terraform-replace' && f.object.startsWith('aws_eks_node_group/'));
    expect(replace.env).toBe('prd');
    expect(replace.message).toContain('instance_types ["m7i.xlarge"] -> ["m7i.2xlarge"]');
    expect(replace.message).toContain('internal/service/eks/node_group.go');
    const markdown = renderReport(d, 'markdown');
    expect(markdown).toContain('| aws_eks_node_group | instance_types | terraform-provider-aws internal/service/eks/node_group.go |');
    expect(markdown).toMatch(/\| 🔴 \| `terraform-replace` \| prd \|/);
  });

  test('--fail-on exits 3 when a named flag is raised, 0 when only other flags are', () => {
    repo.editRelease('dev.yaml', 'pc-bff/pc-bff: { tag: "1.12.0" }', 'pc-bff/pc-bff: { tag: "1.13.0" }');
    repo.render();
    const out = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const err = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      expect(main(['--repo', repo.dir, '--fail-on', 'image'])).toBe(3);
      expect(main(['--repo', repo.dir, '--fail-on', 'prune-stateful,mesh-widening'])).toBe(0);
      expect(main(['--repo', repo.dir, '--fail-on', 'no-such-flag'])).toBe(2);
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
  });

  test('--base compares two commits instead of the working tree', () => {
    const first = repo.git('rev-parse', 'HEAD').trim();
    repo.editRelease('dev.yaml', 'sp-bff/sp-bff: { tag: "1.9.4" }', 'sp-bff/sp-bff: { tag: "1.9.5" }');
    repo.render();
    repo.commitAll('sp-bff 1.9.5 in dev');
    try {
      const d = semanticDiff({ repo: repo.dir, base: first, head: 'HEAD', releases: RELEASES });
      expect(find(d.flags, 'image', 'Deployment/sp-bff', 'dev')[0].attribution).toBe(`${RELEASES}/dev.yaml images[sp-bff/sp-bff]: tag 1.9.4 -> tag 1.9.5`);
      expect(semanticDiff({ repo: repo.dir, releases: RELEASES }).flags).toEqual([]);
    } finally {
      repo.git('reset', '-q', '--hard', first);
    }
  });
});
