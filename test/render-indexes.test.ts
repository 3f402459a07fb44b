/**
 * The render's one-pass indexes (policies per namespace, callers per service, contract resources per
 * attribute) give the same answers as the scans they replaced, including the failures.
 */
import { parse } from 'yaml';
import { callerPrincipals, callersOf, databaseNamespaces, externalHosts, meshServiceAt, meshServices } from '../charts/mesh/topology';
import { contractEntries, type ContractEntry } from '../platform/contract';
import { serviceKey } from '../platform/naming';
import { contractProblems } from '../render/contract';
import { imagesAreImmutable, meshNamespacesAreZeroTrust, type PlacedObject } from '../render/policies';
import { examplePlatform, type Loose } from './support/example';
import { exampleFiles } from './support/rendered';

const env = (name: string) => examplePlatform().environments.find((e) => e.name === name)!;
const objectsOf = (envName: string): PlacedObject[] =>
  [...exampleFiles()].filter(([p]) => p.startsWith(`${envName}/`) && p.endsWith('.yaml') && !p.split('/').pop()!.startsWith('.')).map(([path, content]) => ({ path, obj: parse(content) }));

describe('mesh zero-trust policy, indexed by namespace', () => {
  test('a namespace without its STRICT PeerAuthentication is reported, even when another namespace has one', () => {
    const objects = objectsOf('dev').filter((o) => !(o.obj.kind === 'PeerAuthentication' && o.obj.metadata.namespace === 'order-service' && !o.obj.spec?.selector));
    expect(meshNamespacesAreZeroTrust(env('dev'), objects)).toEqual(['namespace order-service is in the mesh but has no namespace-wide STRICT PeerAuthentication']);
  });

  test('an AuthorizationPolicy with rules or a selector does not count as the default deny', () => {
    const objects = objectsOf('dev').map((o) =>
      o.obj.kind === 'AuthorizationPolicy' && o.obj.metadata.namespace === 'payment-service' && !o.obj.spec?.selector && !(o.obj.spec?.rules?.length > 0)
        ? { ...o, obj: { ...o.obj, spec: { ...o.obj.spec, selector: { matchLabels: { app: 'x' } } } } }
        : o,
    );
    expect(meshNamespacesAreZeroTrust(env('dev'), objects)).toEqual(['namespace payment-service is in the mesh but has no default-deny AuthorizationPolicy']);
  });

  test('the example meets it in every environment', () => {
    for (const e of ['dev', 'stg', 'prd']) expect(meshNamespacesAreZeroTrust(env(e), objectsOf(e))).toEqual([]);
  });
});

describe('mutable images', () => {
  test('":LATEST" in any case is a mutable image', () => {
    const objects = objectsOf('dev');
    const deployment = objects.find((o) => o.path === 'dev/namespaces/order-service/deployment-order-service.yaml')!;
    const obj: Loose = structuredClone(deployment.obj);
    obj.spec.template.spec.containers[0].image = 'registry.example.com/order:LATEST';
    expect(imagesAreImmutable(env('dev'), [{ path: deployment.path, obj }])).toEqual([
      `${deployment.path}: Deployment/order-service container "${obj.spec.template.spec.containers[0].name}" uses a mutable image "registry.example.com/order:LATEST" (latest or no tag)`,
    ]);
  });
});

describe('mesh topology, indexed once per model', () => {
  const platform = examplePlatform();
  const naiveCallers = (key: string) => meshServices(platform).filter((s) => s.service.dependencies.some((d) => 'service' in d && d.service === key));

  test('callers of every service are exactly the services declaring it, in model order', () => {
    for (const s of meshServices(platform)) {
      const key = serviceKey(s.ref);
      expect(callersOf(platform, s.ref).map((c) => serviceKey(c.ref))).toEqual(naiveCallers(key).map((c) => serviceKey(c.ref)));
    }
    expect(callerPrincipals(platform, { namespace: 'order-service', service: 'order-service' })).toContain('cluster.local/ns/pc-bff/sa/pc-bff');
  });

  test('every service is found by its reference, and a reference to no service finds none', () => {
    for (const s of meshServices(platform)) expect(meshServiceAt(platform, s.ref)?.service).toBe(s.service);
    expect(meshServiceAt(platform, { namespace: 'order-service', service: 'no-such-service' })).toBeUndefined();
    expect(meshServiceAt(platform, { namespace: 'no-such-namespace', service: 'order-service' })).toBeUndefined();
  });

  test('a changed model gets its own answers, not the cached ones of another', () => {
    const without = { ...platform, teams: platform.teams.filter((t) => t.name !== 'pc') };
    expect(callersOf(without, { namespace: 'order-service', service: 'order-service' }).map((c) => c.ref.namespace)).not.toContain('pc-bff');
    expect(callersOf(platform, { namespace: 'order-service', service: 'order-service' }).map((c) => c.ref.namespace)).toContain('pc-bff');
  });

  test('answers handed out cannot change the next answer', () => {
    const hosts = externalHosts(platform, env('dev'));
    (hosts[0].namespaces as string[]).push('tampered');
    databaseNamespaces(platform).push('tampered');
    expect(externalHosts(platform, env('dev'))[0].namespaces).not.toContain('tampered');
    expect(databaseNamespaces(platform)).not.toContain('tampered');
  });
});

describe('contract check, indexed by resource attribute', () => {
  const stacks = (envName: string) =>
    [...exampleFiles()].filter(([p]) => p.startsWith(`${envName}/terraform/`)).map(([p, json]) => ({ stack: p.split('/')[2], json }));
  const kubernetes = (envName: string) => [...exampleFiles()].filter(([p]) => p.startsWith(`${envName}/`)).map(([path, content]) => ({ path, content }));

  test('the example agrees', () => {
    expect(contractProblems(contractEntries(examplePlatform(), env('dev')), kubernetes('dev'), stacks('dev'))).toEqual([]);
  });

  test('a resource whose attribute differs, or whose nested tags differ, is reported', () => {
    const entries = contractEntries(examplePlatform(), env('dev'));
    const role = entries.find((e) => e.producer.match?.some((m) => m.type === 'aws_iam_role'))!;
    const subnet = entries.find((e) => e.producer.match?.some((m) => m.type === 'aws_subnet'))!;
    const broken: ContractEntry[] = [
      { ...role, producer: { ...role.producer, match: [{ type: 'aws_iam_role', attributes: { name: `${role.value}-other` } }] } },
      { ...subnet, producer: { ...subnet.producer, match: [{ type: 'aws_subnet', attributes: { tags: { 'karpenter.sh/discovery': 'elsewhere' } } }] } },
    ];
    const problems = contractProblems(broken, kubernetes('dev'), stacks('dev'));
    expect(problems).toEqual([
      expect.stringMatching(new RegExp(`stack ${role.producer.stack} creates no aws_iam_role with name="[^"]+-other"`)),
      expect.stringMatching(/stack network creates no aws_subnet with tags=\{"karpenter.sh\/discovery":"elsewhere"\}/),
    ]);
  });

  test('evidence missing from the stack is reported', () => {
    const [entry] = contractEntries(examplePlatform(), env('dev'));
    const problems = contractProblems([{ ...entry, producer: { ...entry.producer, evidence: ['no-such-name-anywhere'], match: [] } }], kubernetes('dev'), stacks('dev'));
    expect(problems).toEqual([expect.stringMatching(/does not produce it \(no "no-such-name-anywhere" in its Terraform JSON\)/)]);
  });
});
