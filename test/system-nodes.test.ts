/** The system node group is sized from the Pods pinned to it, and both layers agree on those Pods (issue 7, defect 8). */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { allocatableMillicores, SYSTEM_NODE_REQUESTS_ANNOTATION, systemNodeScaling, systemPods, totalMillicores } from '../platform/system-nodes';
import { allocatableMillicores as verifyAllocatable, cpuMillicores } from '../verify/bootstrap/system-node-capacity';
import { examplePlatform } from './support/example';

const dist = path.join(__dirname, '..', 'dist');
const cluster = (env: string) => JSON.parse(fs.readFileSync(path.join(dist, env, 'terraform', 'cluster', 'cdk.tf.json'), 'utf8'));
const sreApps = (env: string) =>
  fs
    .readdirSync(path.join(dist, env, 'argocd', 'children', 'sre'))
    .map((f) => parse(fs.readFileSync(path.join(dist, env, 'argocd', 'children', 'sre', f), 'utf8')));

describe.each(['dev', 'stg', 'prd'])('%s', (name) => {
  const env = examplePlatform().environments.find((e) => e.name === name)!;

  test('the node group is scaled as systemNodeScaling computes, never below the model', () => {
    const group = Object.values<{ scaling_config: { min_size: number; desired_size: number; max_size: number } }>(cluster(name).resource.aws_eks_node_group)[0];
    const scaling = systemNodeScaling(env);
    expect(group.scaling_config).toEqual({ min_size: scaling.min, desired_size: scaling.desired, max_size: scaling.max });
    expect(scaling.min).toBeGreaterThanOrEqual(env.sizing.systemNodes.min);
  });

  test('the add-on annotations plus the EKS add-ons on the system nodes add up to every pinned Pod of the model', () => {
    const annotated = sreApps(name)
      .map((a) => a.metadata.annotations?.[SYSTEM_NODE_REQUESTS_ANNOTATION])
      .filter(Boolean)
      .reduce((sum: number, v: string) => sum + cpuMillicores(/cpu=(\S+)/.exec(v)![1]), 0);
    const addons = Object.values<{ addon_name: string; configuration_values?: string }>(cluster(name).resource.aws_eks_addon);
    const config = (n: string) => JSON.parse(addons.find((a) => a.addon_name === n)!.configuration_values!);
    const pods = systemPods(env);
    expect(config('coredns').replicaCount).toBe(pods.coredns.replicas);
    expect(config('metrics-server').replicas).toBe(pods.metricsServer.replicas);
    expect(annotated + totalMillicores([pods.coredns, pods.metricsServer])).toBe(totalMillicores(Object.values(pods)));
  });
});

test('two m7i.large nodes cannot hold the dev system Pods (the old size), so dev gets more', () => {
  const dev = examplePlatform().environments.find((e) => e.name === 'dev')!;
  expect(totalMillicores(Object.values(systemPods(dev)))).toBeGreaterThan(2 * allocatableMillicores('m7i.large'));
  expect(systemNodeScaling(dev).min).toBeGreaterThan(2);
});

test('the model and the simulator compute the same allocatable CPU per node', () => {
  for (const [type, vcpus] of [['m7i.large', 2], ['m7i.xlarge', 4], ['m7i.4xlarge', 16]] as const) expect(allocatableMillicores(type)).toBe(verifyAllocatable(vcpus));
});
