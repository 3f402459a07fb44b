import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import { clusterNodesPath, clusterPath, LABEL_TEAM } from '../platform/naming';
import type { Environment, Platform } from '../platform/types';
import { commonLabels } from './labels';
import { NodePools } from './nodes/node-pools';
import { EncryptedStorage } from './storage/storage-class';
import { PlatformChart } from './platform-chart';
import { preventPrune, syncWave, SYNC_WAVE } from './sync-options';

export interface ClusterChartProps {
  readonly platform: Platform;
  readonly env: Environment;
}

/**
 * Cluster-scoped objects of one environment that need no add-on CRD (synced by the sre project
 * only, first): a Namespace per namespace of the model, carrying its mesh membership and Pod
 * Security level; the encrypted StorageClass. Karpenter's objects are in ClusterNodesChart, synced
 * after the add-on that brings their CRD (charts/sync-options.ts). Secret stores are namespaced,
 * one per namespace with secrets (charts/secrets/cluster-secret-store.ts).
 */
export class ClusterChart extends PlatformChart {
  constructor(scope: Construct, id: string, props: ClusterChartProps) {
    const { platform, env } = props;
    super(scope, id, { outputDir: clusterPath(env), labels: commonLabels(platform, env) });

    for (const team of platform.teams) {
      for (const ns of team.namespaces) {
        const namespace = new kplus.Namespace(this, `ns-${ns.name}`, {
          metadata: {
            name: ns.name,
            labels: {
              [LABEL_TEAM]: team.name,
              // Out of the mesh: no label, so no Pod is injected unless it opts in itself
              // (Prometheus does, for the certificates it scrapes in-mesh Pods with).
              ...(ns.mesh ? { 'istio-injection': 'enabled' } : {}),
              'pod-security.kubernetes.io/enforce': ns.podSecurity,
              'pod-security.kubernetes.io/enforce-version': 'latest',
              'pod-security.kubernetes.io/warn': 'restricted',
            },
          },
        });
        const obj = ApiObject.of(namespace);
        syncWave(obj, SYNC_WAVE.namespaces);
        preventPrune(obj);
      }
    }

    new EncryptedStorage(this, 'storage', { platform, env });
  }
}

/** Karpenter's node class and pools (CRDs from the Karpenter add-on). */
export class ClusterNodesChart extends PlatformChart {
  constructor(scope: Construct, id: string, props: ClusterChartProps) {
    const { platform, env } = props;
    super(scope, id, { outputDir: clusterNodesPath(env), labels: commonLabels(platform, env) });
    new NodePools(this, 'node-pools', { platform, env });
  }
}
