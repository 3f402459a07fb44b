/**
 * The contract between the AWS and Kubernetes layers (platform/contract.ts, render/contract.ts),
 * for the example platform and for a generated one: every value the contract lists is produced by
 * the stack it names, the rendered Kubernetes objects use only what the stacks create, and a model
 * or stack that breaks the agreement fails the render with a message naming the value.
 *
 * Kubernetes-side checks look at what the charts render today: a consumer kind that is not rendered
 * yet (not in RENDERED_CONSUMERS) is skipped until it is, then checked like the others.
 */
import { parse as parseYaml } from 'yaml';
import { syntheticPlatformInput } from '../bench/synthetic-platform';
import { renderTerraform, type RenderedStack } from '../infra/render-terraform';
import { ALL_CONSUMER_KINDS, contractEntries, RENDERED_CONSUMERS, type ContractEntry } from '../platform/contract';
import { loadPlatform } from '../platform/load';
import { iamRoleArn, PLATFORM_IDENTITIES } from '../platform/naming';
import type { Environment, Platform } from '../platform/types';
import { parsePlatform } from '../platform/validate';
import { buildContract, contractProblems } from '../render/contract';
import { renderEnvironmentKubernetes } from '../render/render-kubernetes';
import { RenderError, type RenderedFile, toDistRelative } from '../render/rendered-file';
import { sopsConfigPath, sopsConfigYaml } from '../infra/sops-config';
import { mutated, serviceOf } from './support/example';

type Json = Record<string, any>;

/** A generated platform of `count` services (plus the example's sre and identity teams). */
function syntheticPlatform(count: number): Platform {
  return parsePlatform(syntheticPlatformInput(count));
}

interface Rendered {
  readonly env: Environment;
  readonly stacks: RenderedStack[];
  readonly kubernetes: RenderedFile[];
}
const renders = new Map<string, Rendered[]>();
function render(label: string, platform: Platform): Rendered[] {
  let out = renders.get(label);
  if (!out) {
    out = platform.environments.map((env) => ({
      env,
      stacks: renderTerraform(platform, env),
      // What render.ts hands the contract: the Kubernetes files plus the SOPS config.
      kubernetes: [...renderEnvironmentKubernetes(platform, env), { path: toDistRelative(sopsConfigPath(env)), content: sopsConfigYaml(platform, env) }],
    }));
    renders.set(label, out);
  }
  return out;
}

const example = loadPlatform();
const synthetic = syntheticPlatform(40);
const PLATFORMS: readonly [string, Platform][] = [
  ['the example platform', example],
  ['a generated platform (40 services)', synthetic],
];

const stackOf = (r: Rendered, stack: string): Json => JSON.parse(r.stacks.find((s) => s.stack === stack)!.json);
const bodies = (stack: Json, type: string): Json[] => Object.values((stack.resource?.[type] ?? {}) as Record<string, Json>);
/** Parsed Kubernetes objects of one environment, with their dist-relative paths. */
const objects = (r: Rendered): { path: string; obj: Json }[] => r.kubernetes.filter((f) => f.path.endsWith('.yaml')).map((f) => ({ path: f.path, obj: parseYaml(f.content) as Json }));
const isRendered = (r: Rendered, repoPath: string) => r.kubernetes.some((f) => `dist/${f.path}` === repoPath);

describe.each(PLATFORMS)('contract: %s', (_label, platform) => {
  const all = () => render(_label, platform);

  it('every value the contract lists (every consumer kind, rendered or not) is produced by the stack it names', () => {
    let entries = 0;
    for (const r of all()) {
      const producersOnly: ContractEntry[] = contractEntries(platform, r.env, { consumersRendered: ALL_CONSUMER_KINDS }).map((e) => ({ ...e, consumers: [] }));
      entries += producersOnly.length;
      expect({ env: r.env.name, problems: contractProblems(producersOnly, [], r.stacks) }).toEqual({ env: r.env.name, problems: [] });
    }
    expect(entries).toBeGreaterThan(40);
  });

  it('the rendered consumers agree with the producers (what synth writes to contract.json)', () => {
    for (const r of all()) {
      const contract = buildContract(platform, r.env, r.kubernetes, r.stacks);
      expect(contract.entries.length).toBeGreaterThan(0);
      for (const entry of contract.entries) for (const consumer of entry.consumers) expect(consumer.file.startsWith(`dist/${r.env.name}/`)).toBe(true);
    }
  });

  it('each IAM role\'s trust names a ServiceAccount the charts render (or the add-on that creates it)', () => {
    let checked = 0;
    for (const r of all()) {
      const cluster = stackOf(r, 'cluster');
      for (const role of bodies(cluster, 'aws_iam_role')) {
        const trust = JSON.stringify(cluster.data.aws_iam_policy_document[/aws_iam_policy_document\.([\w-]+)\.json/.exec(role.assume_role_policy)![1]]);
        const subject = /system:serviceaccount:([a-z0-9-]+):([a-z0-9-]+)/.exec(trust);
        // Node and control-plane roles trust AWS services; kube-system/aws-node belongs to the VPC CNI add-on.
        if (!subject || subject[1] === 'kube-system') continue;
        const [, namespace, serviceAccount] = subject;
        const arn = iamRoleArn(r.env, role.name);
        const file = r.kubernetes.find((f) => f.path === `${r.env.name}/namespaces/${namespace}/serviceaccount-${serviceAccount}.yaml`);
        if (file) {
          expect({ role: role.name, annotation: parseYaml(file.content).metadata.annotations?.['eks.amazonaws.com/role-arn'] }).toEqual({ role: role.name, annotation: arn });
          checked++;
          continue;
        }
        // A platform component whose ServiceAccount its Helm chart creates: the Application's values carry it.
        const identity = Object.entries(PLATFORM_IDENTITIES).find(([, i]) => i.namespace === namespace && i.serviceAccount === serviceAccount);
        expect({ role: role.name, known: identity !== undefined }).toEqual({ role: role.name, known: true });
        const entry = contractEntries(platform, r.env, { consumersRendered: ALL_CONSUMER_KINDS }).find((e) => e.value === arn)!;
        const consumer = entry.consumers[0];
        expect({ role: role.name, rendered: isRendered(r, consumer.file) }).toEqual({ role: role.name, rendered: true });
        const content = r.kubernetes.find((f) => `dist/${f.path}` === consumer.file)!.content;
        expect({ role: role.name, arn: content.includes(arn), serviceAccount: content.includes(serviceAccount) }).toEqual({ role: role.name, arn: true, serviceAccount: true });
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('each ExternalSecret\'s remote key is a secret the data stack creates', () => {
    for (const r of all()) {
      const secrets = new Set(bodies(stackOf(r, 'data'), 'aws_secretsmanager_secret').map((s) => s.name));
      for (const { path, obj } of objects(r).filter((o) => o.obj.kind === 'ExternalSecret')) {
        const keys = [...(obj.spec.data ?? []).map((d: Json) => d.remoteRef.key), ...(obj.spec.dataFrom ?? []).map((d: Json) => d.extract?.key).filter(Boolean)];
        expect(keys.length).toBeGreaterThan(0);
        for (const key of keys) expect({ path, key, created: secrets.has(key) }).toEqual({ path, key, created: true });
      }
    }
  });

  it('each NodePort the ALB target groups (cluster stack) target is the port the gateway Service renders', () => {
    for (const r of all()) {
      const groups = bodies(stackOf(r, 'cluster'), 'aws_lb_target_group');
      for (const [gateway, addon, port] of [
        ['istio', 'istio-ingressgateway', platform.nodePorts.istioIngressHttp],
        ['nginx', 'ingress-nginx', platform.nodePorts.ingressNginxHttp],
      ] as const) {
        const targeted = groups.filter((g) => g.name.includes(`-${gateway}`)).map((g) => g.port);
        expect(targeted.length).toBeGreaterThan(0);
        expect([...new Set(targeted)]).toEqual([port]);
        const file = r.kubernetes.find((f) => f.path === `${r.env.name}/argocd/children/sre/application-addon-${addon}.yaml`);
        expect({ addon, rendered: file !== undefined }).toEqual({ addon, rendered: true });
        expect({ addon, nodePorts: nodePortsIn(parseYaml(file!.content)) }).toEqual({ addon, nodePorts: expect.arrayContaining([port]) });
      }
    }
  });

  it('each Karpenter selector tag is a tag the network (subnets) and cluster (security group) stacks set', () => {
    for (const r of all()) {
      const subnetTags = bodies(stackOf(r, 'network'), 'aws_subnet').map((s) => s.tags ?? {});
      const groupTags = bodies(stackOf(r, 'cluster'), 'aws_ec2_tag').map((t) => ({ [t.key]: t.value }));
      for (const { path, obj } of objects(r).filter((o) => o.obj.kind === 'EC2NodeClass')) {
        for (const [terms, tagged] of [
          [obj.spec.subnetSelectorTerms, subnetTags],
          [obj.spec.securityGroupSelectorTerms, groupTags],
        ] as const) {
          for (const term of terms as Json[]) {
            for (const [key, value] of Object.entries(term.tags ?? {})) {
              expect({ path, tag: `${key}=${value}`, set: tagged.some((t: Json) => t[key] === value) }).toEqual({ path, tag: `${key}=${value}`, set: true });
            }
          }
        }
      }
    }
  });

  it('each SSM parameter and Secrets Manager secret a Job reads is created by the data stack', () => {
    for (const r of all()) {
      const data = stackOf(r, 'data');
      const parameters = new Set(bodies(data, 'aws_ssm_parameter').map((p) => p.name));
      const secrets = new Set(bodies(data, 'aws_secretsmanager_secret').map((s) => s.name));
      const ssmPrefix = `/${platform.name}/${r.env.name}/`;
      const secretPrefix = `${platform.name}/${r.env.name}/`;
      for (const { path, obj } of objects(r).filter((o) => o.obj.kind === 'Job')) {
        const values: string[] = (obj.spec.template.spec.containers as Json[]).flatMap((c) => (c.env ?? []).map((e: Json) => e.value).filter((v: unknown) => typeof v === 'string'));
        for (const value of values.filter((v) => v.startsWith(ssmPrefix))) expect({ path, parameter: value, created: parameters.has(value) }).toEqual({ path, parameter: value, created: true });
        for (const value of values.filter((v) => v.startsWith(secretPrefix))) expect({ path, secret: value, created: secrets.has(value) }).toEqual({ path, secret: value, created: true });
      }
    }
  });
});

describe('a broken agreement fails the render with a clear message', () => {
  const dev = (platform: Platform) => platform.environments.find((e) => e.name === 'dev')!;
  const stacksOf = (platform: Platform) => renderTerraform(platform, dev(platform));

  it('a service granted a Secrets Manager secret that no stack creates', () => {
    // The Kubernetes side is rendered from a model where pc-bff reads a secret; the AWS side from one where it does not.
    const granted = parsePlatform(mutated((input) => (serviceOf(input, 'pc-bff/pc-bff').secrets = [{ name: 'PARTNER_TOKEN', from: 'secrets-manager', key: 'partner-token' }])));
    const call = () => buildContract(granted, dev(granted), renderEnvironmentKubernetes(granted, dev(granted)), stacksOf(example), { consumersRendered: [...RENDERED_CONSUMERS, 'external-secret-app'] });
    expect(call).toThrow(RenderError);
    expect(call).toThrow(
      'contract app-secret/pc-bff/pc-bff ("ec/dev/pc-bff/pc-bff/app"): stack data creates no aws_secretsmanager_secret with name="ec/dev/pc-bff/pc-bff/app", yet the Kubernetes layer relies on it',
    );
  });

  it('a NodePort the gateways use but no target group targets', () => {
    const moved = parsePlatform(mutated((input) => (input.nodePorts.istioIngressHttp = 31080)));
    const problems = contractProblems(
      contractEntries(moved, dev(moved), { consumersRendered: ALL_CONSUMER_KINDS }).map((e) => ({ ...e, consumers: [] })),
      [],
      stacksOf(example),
    );
    expect(problems).toEqual([
      'contract node-port/istio-ingressgateway ("31080"): stack cluster creates no aws_lb_target_group with name="ec-dev-istio", port=31080, target_type="instance", yet the Kubernetes layer relies on it',
    ]);
  });

  it('a stack that stops creating a role a component relies on', () => {
    const stacks = stacksOf(example).map((s) => {
      if (s.stack !== 'cluster') return s;
      const json = JSON.parse(s.json) as Json;
      delete json.resource.aws_iam_role['platform-role-karpenter_role'];
      return { stack: s.stack, json: JSON.stringify(json) };
    });
    const problems = contractProblems(contractEntries(example, dev(example), { consumersRendered: ['addon-karpenter'] }), [], stacks);
    expect(problems).toContain(
      'contract iam-role/platform/karpenter ("arn:aws:iam::111111111111:role/ec-dev-karpenter"): stack cluster creates no aws_iam_role with name="ec-dev-karpenter", yet the Kubernetes layer relies on it',
    );
    expect(problems).toContain('contract iam-role/platform/karpenter ("arn:aws:iam::111111111111:role/ec-dev-karpenter"): its consumer dist/dev/argocd/children/sre/application-addon-karpenter.yaml is not rendered');
  });

  it('only rendered consumer kinds are emitted into contract.json', () => {
    const kinds = new Set(contractEntries(example, dev(example)).flatMap((e) => e.consumers.map((c) => c.kind)));
    expect([...kinds].sort()).toEqual([...RENDERED_CONSUMERS].sort());
    expect(contractEntries(example, dev(example), { consumersRendered: [] })).toEqual([]);
  });
});

/** Every number under a `nodePort` key or inside a `nodePorts` map of Helm values. */
function nodePortsIn(node: unknown, underNodePorts = false): number[] {
  if (Array.isArray(node)) return node.flatMap((n) => nodePortsIn(n, underNodePorts));
  if (node !== null && typeof node === 'object') {
    return Object.entries(node).flatMap(([key, value]) => {
      if (key === 'nodePort' || (underNodePorts && typeof value !== 'object')) return [Number(value)];
      return nodePortsIn(value, key === 'nodePorts');
    });
  }
  return [];
}
