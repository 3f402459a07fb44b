/**
 * The policy checks that run during synth: each one rejects its violation with a clear message,
 * and a violation stops the render.
 */
import { parse } from 'yaml';
import { renderPlatform } from '../render/render';
import {
  checkPolicies,
  containersAreUnprivileged,
  containersHaveLimits,
  imagesAreImmutable,
  meshNamespacesAreZeroTrust,
  kindsRead,
  noPlaintextSecrets,
  type PlacedObject,
  type Policy,
  POLICIES,
} from '../render/policies';
import { renderEnvironmentKubernetes } from '../render/render-kubernetes';
import { RenderError } from '../render/rendered-file';
import { examplePlatform, type Loose } from './support/example';
import { exampleFiles } from './support/rendered';

const env = (name: string) => examplePlatform().environments.find((e) => e.name === name)!;

/** The rendered objects of one environment, deep-copied so a test may break them. */
function objectsOf(envName: string): PlacedObject[] {
  return [...exampleFiles()].filter(([p]) => p.startsWith(`${envName}/`) && p.endsWith('.yaml')).map(([path, content]) => ({ path, obj: parse(content) }));
}

function breakOne(objects: PlacedObject[], path: string, change: (obj: Loose) => void): PlacedObject[] {
  const target = objects.find((o) => o.path === path);
  if (!target) throw new Error(`${path} is not rendered`);
  change(target.obj);
  return objects;
}

const DEPLOYMENT = 'prd/namespaces/order-service/deployment-order-service.yaml';

describe('policy checks', () => {
  test('the example platform meets every policy in every environment', () => {
    for (const e of examplePlatform().environments) expect(checkPolicies(e, objectsOf(e.name))).toEqual([]);
  });

  test('a container without limits is rejected', () => {
    const objects = breakOne(objectsOf('prd'), DEPLOYMENT, (d) => delete d.spec.template.spec.containers[0].resources.limits);
    expect(containersHaveLimits(env('prd'), objects)).toEqual([`${DEPLOYMENT}: Deployment/order-service container "app" has no cpu limit`]);
  });

  test('a mutable image tag is rejected in an environment that requires digests', () => {
    const objects = breakOne(objectsOf('prd'), DEPLOYMENT, (d) => (d.spec.template.spec.containers[0].image = 'registry.example/order-service:3.7.2'));
    expect(imagesAreImmutable(env('prd'), objects)).toEqual([`${DEPLOYMENT}: Deployment/order-service container "app" image "registry.example/order-service:3.7.2" is not pinned by digest, which prd requires`]);
  });

  test('a latest tag is rejected everywhere, even where tags are allowed', () => {
    const path = 'dev/namespaces/order-service/deployment-order-service.yaml';
    const objects = breakOne(objectsOf('dev'), path, (d) => (d.spec.template.spec.containers[0].image = 'registry.example/order-service:latest'));
    expect(imagesAreImmutable(env('dev'), objects)).toEqual([`${path}: Deployment/order-service container "app" uses a mutable image "registry.example/order-service:latest" (latest or no tag)`]);
  });

  test('a privileged container is rejected', () => {
    const objects = breakOne(objectsOf('prd'), DEPLOYMENT, (d) => (d.spec.template.spec.containers[0].securityContext.privileged = true));
    expect(containersAreUnprivileged(env('prd'), objects)).toEqual([`${DEPLOYMENT}: Deployment/order-service container "app" is privileged`]);
  });

  test('a container that may run as root is rejected', () => {
    const objects = breakOne(objectsOf('prd'), DEPLOYMENT, (d) => {
      d.spec.template.spec.containers[0].securityContext.runAsUser = 0;
    });
    expect(containersAreUnprivileged(env('prd'), objects)).toEqual([
      `${DEPLOYMENT}: Deployment/order-service container "app" may run as root (needs runAsNonRoot: true and a non-zero runAsUser)`,
    ]);
  });

  test('an in-mesh namespace without STRICT mTLS is rejected', () => {
    const objects = objectsOf('prd').filter((o) => !(o.obj.kind === 'PeerAuthentication' && o.obj.metadata.namespace === 'payment-service'));
    expect(meshNamespacesAreZeroTrust(env('prd'), objects)).toEqual(['namespace payment-service is in the mesh but has no namespace-wide STRICT PeerAuthentication']);
  });

  test('an in-mesh namespace whose mTLS is only PERMISSIVE is rejected', () => {
    const objects = objectsOf('prd');
    for (const o of objects) if (o.obj.kind === 'PeerAuthentication' && o.obj.metadata.namespace === 'payment-service') o.obj.spec.mtls.mode = 'PERMISSIVE';
    expect(meshNamespacesAreZeroTrust(env('prd'), objects)).toEqual(['namespace payment-service is in the mesh but has no namespace-wide STRICT PeerAuthentication']);
  });

  test('an in-mesh namespace without a default-deny AuthorizationPolicy is rejected', () => {
    const objects = objectsOf('prd').filter((o) => !(o.obj.kind === 'AuthorizationPolicy' && o.obj.metadata.namespace === 'order-service' && !o.obj.spec?.selector && !o.obj.spec?.rules));
    expect(meshNamespacesAreZeroTrust(env('prd'), objects)).toEqual(['namespace order-service is in the mesh but has no default-deny AuthorizationPolicy']);
  });

  test('a Secret carrying a value is rejected', () => {
    const objects = [...objectsOf('dev'), { path: 'dev/namespaces/order-service/secret-leak.yaml', obj: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'leak', namespace: 'order-service' }, stringData: { A: 'b' } } }];
    expect(noPlaintextSecrets(env('dev'), objects)).toEqual(['dev/namespaces/order-service/secret-leak.yaml: Secret/leak carries a value']);
  });

  test('a policy violation stops the render with every problem listed', () => {
    const platform = examplePlatform();
    // Bypass the model schema on purpose: the policy is the second line of defence.
    const broken = { ...platform, releases: platform.releases.map((r) => ({ ...r, tools: { ...r.tools, awsCli: { ...r.tools.awsCli, digest: 'latest' } } })) };
    let error: unknown;
    try {
      renderPlatform(broken, { terraform: false });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(RenderError);
    const problems = (error as RenderError).problems;
    expect(problems).toContainEqual(expect.stringMatching(/^prd: prd\/namespaces\/pc-frontend\/job-pc-frontend-cdn-purge\.yaml: Job\/pc-frontend-cdn-purge container "job" image ".*@latest" is not pinned by digest, which prd requires$/));
    expect(problems).toContainEqual(expect.stringMatching(/^prd: prd\/namespaces\/sp-frontend\/job-sp-frontend-cdn-purge\.yaml/));
  });

  test('each policy reads only the kinds it declares: objects of any other kind, however they look, change nothing', () => {
    // Every object of every other kind takes a shape each policy would reject if it read that kind.
    const worst = (o: PlacedObject): PlacedObject => {
      const container = { name: 'x', image: 'x:latest', securityContext: { privileged: true } };
      const pod = { hostNetwork: true, containers: [container], initContainers: [container] };
      return { path: o.path, obj: { ...o.obj, metadata: { ...o.obj.metadata, labels: { 'istio-injection': 'enabled' } }, data: { A: 'b' }, spec: { template: { spec: pod }, jobTemplate: { spec: { template: { spec: pod } } }, ...pod } } };
    };
    const objects = objectsOf('prd');
    for (const policy of POLICIES) {
      expect(policy.kinds).toBeDefined();
      const read = objects.filter((o) => policy.kinds!.has(o.obj.kind));
      // The shape is one the policy rejects in an object of a kind it reads.
      const [kind] = policy.kinds!;
      expect(policy(env('prd'), [worst({ path: 'prd/x.yaml', obj: { kind, metadata: { name: 'x', namespace: 'x' } } })])).not.toEqual([]);
      expect(policy(env('prd'), objects.map((o) => (policy.kinds!.has(o.obj.kind) ? o : worst(o))))).toEqual(policy(env('prd'), read));
    }
    expect([...kindsRead(POLICIES)!].sort()).toEqual(['AuthorizationPolicy', 'CronJob', 'DaemonSet', 'Deployment', 'Job', 'Namespace', 'PeerAuthentication', 'Pod', 'ReplicaSet', 'Secret', 'StatefulSet']);
  });

  test('a policy that declares no kinds is given every object of the environment', () => {
    const seen: string[] = [];
    const everything: Policy = (_env, objects) => {
      seen.push(...objects.map((o) => o.path));
      return [];
    };
    expect(kindsRead([...POLICIES, everything])).toBeUndefined();
    const platform = examplePlatform();
    const files = renderEnvironmentKubernetes(platform, env('dev'), [...POLICIES, everything]);
    expect(seen.sort()).toEqual(files.map((f) => f.path).sort());
  });
});
