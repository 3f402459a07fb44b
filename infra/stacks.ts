/**
 * The stacks of one environment, in apply order: network -> cluster -> data, edge -> observability;
 * ecr stands alone. Adding a stack is one entry here; `renderTerraform` and the CDKTF app (main.ts)
 * both build from this list. Values flow between stacks only through the remote state of the stacks
 * named in `readsFrom` (see state.ts).
 */
import type { Construct } from 'constructs';
import type { Environment, Platform } from '../platform/types';
import { CLUSTER_STACK, ClusterStack } from './cluster-stack';
import { DATA_STACK, DataStack } from './data-stack';
import { ECR_STACK, EcrStack } from './ecr-stack';
import { EDGE_STACK, EdgeStack } from './edge-stack';
import { NETWORK_STACK, NetworkStack } from './network-stack';
import { OBSERVABILITY_STACK, ObservabilityStack } from './observability-stack';
import type { PlatformStack } from './platform-stack';

export interface StackDefinition {
  /** Short name: state key and `dist/<env>/terraform/<name>/`. */
  readonly name: string;
  /**
   * Stacks whose remote state this one reads (short names, defined earlier in STACKS). Only
   * ordering for `cdktf deploy`; the data itself flows through explicit remote-state data sources.
   * @default none
   */
  readonly readsFrom?: readonly string[];
  /** Adds the stack of `env` to `scope` (the app). */
  readonly create: (scope: Construct, platform: Platform, env: Environment) => PlatformStack;
}

export const STACKS: readonly StackDefinition[] = [
  { name: NETWORK_STACK, create: (scope, platform, env) => new NetworkStack(scope, { platform, env }) },
  { name: CLUSTER_STACK, readsFrom: [NETWORK_STACK], create: (scope, platform, env) => new ClusterStack(scope, { platform, env }) },
  { name: DATA_STACK, readsFrom: [NETWORK_STACK, CLUSTER_STACK], create: (scope, platform, env) => new DataStack(scope, { platform, env }) },
  { name: EDGE_STACK, readsFrom: [NETWORK_STACK, CLUSTER_STACK], create: (scope, platform, env) => new EdgeStack(scope, { platform, env }) },
  {
    name: OBSERVABILITY_STACK,
    readsFrom: [NETWORK_STACK, CLUSTER_STACK, EDGE_STACK],
    create: (scope, platform, env) => new ObservabilityStack(scope, { platform, env }),
  },
  { name: ECR_STACK, create: (scope, platform, env) => new EcrStack(scope, { platform, env }) },
];

/** Adds every stack of one environment to `scope`, in apply order. */
export function addEnvironmentStacks(scope: Construct, platform: Platform, env: Environment): PlatformStack[] {
  const built = new Map<string, PlatformStack>();
  for (const definition of STACKS) {
    const stack = definition.create(scope, platform, env);
    if (stack.stackName !== definition.name) throw new Error(`stack definition "${definition.name}" built a stack named "${stack.stackName}"`);
    for (const upstream of definition.readsFrom ?? []) {
      const dependency = built.get(upstream);
      if (!dependency) throw new Error(`stack "${definition.name}" reads from "${upstream}", which is not defined before it`);
      stack.addDependency(dependency);
    }
    built.set(definition.name, stack);
  }
  return [...built.values()];
}
