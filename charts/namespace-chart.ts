import * as kplus from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import { namespacePath, PLATFORM_IDENTITIES } from '../platform/naming';
import { policyNetwork } from '../platform/network';
import type { Environment, Namespace, Platform, Team } from '../platform/types';
import { DatabaseBootstrap } from './database/database-bootstrap';
import { ContractBrokerSecrets } from './gates/contract-broker';
import { ContractGate } from './gates/contract-gate';
import { LoadTest } from './gates/load-test';
import { EndToEndTestsJob } from './gates/e2e-tests';
import { commonLabels } from './labels';
import { NamespaceMesh } from './mesh/namespace-mesh';
import { NonMeshNetworkPolicies } from './network-policy/non-mesh-network-policies';
import { NON_MESH_PROFILES } from './network-policy/non-mesh-profiles';
import { PlatformChart } from './platform-chart';
import { PlatformNamespaceConfig } from './platform-config';
import { NamespaceSecretStore } from './secrets/cluster-secret-store';
import { ServiceWorkload } from './service-workload';
import { Keycloak } from './tools/keycloak';
import { TemporalServer, TemporalWeb } from './tools/temporal';

export interface NamespaceChartProps {
  readonly platform: Platform;
  readonly env: Environment;
  readonly team: Team;
  readonly namespace: Namespace;
  /** Services with consumers or providers, computed once per platform. @default computed here */
  readonly participants?: ReadonlySet<string>;
}

/** Every namespaced object of one namespace in one environment: what its child Application syncs. */
export class NamespaceChart extends PlatformChart {
  constructor(scope: Construct, id: string, props: NamespaceChartProps) {
    const { platform, env, team, namespace } = props;
    super(scope, id, { outputDir: namespacePath(env, namespace), namespace: namespace.name, labels: commonLabels(platform, env, team) });

    // Guard rail for Pods the model does not size itself (add-on charts): defaults, never unbounded.
    new kplus.k8s.KubeLimitRange(this, 'limits', {
      metadata: { name: 'container-defaults' },
      spec: {
        limits: [
          {
            type: 'Container',
            default: { cpu: kplus.k8s.Quantity.fromString('500m'), memory: kplus.k8s.Quantity.fromString('512Mi') },
            defaultRequest: { cpu: kplus.k8s.Quantity.fromString('100m'), memory: kplus.k8s.Quantity.fromString('128Mi') },
          },
        ],
      },
    });

    for (const service of namespace.services) {
      const props = { platform, env, team, namespace, service };
      // Tools with a maintained installer get their configuration objects; the installer creates the Pods.
      if (service.runtime === 'keycloak-operator') new Keycloak(this, service.name, props);
      else if (service.runtime === 'temporal-server') new TemporalServer(this, service.name, props);
      else if (service.runtime === 'temporal-web') new TemporalWeb(this, service.name, props);
      else new ServiceWorkload(this, service.name, props);
      new EndToEndTestsJob(this, `${service.name}-e2e`, { platform, env, namespace, service });
    }

    // Delivery gates (charts/gates/): contract checks before the sync, records after it.
    new ContractGate(this, 'contract-gate', { platform, env, namespace, participants: props.participants });
    new ContractBrokerSecrets(this, 'contract-broker', { platform, env, namespace });
    new LoadTest(this, 'load-test', { platform, env, namespace });

    if (namespace.name === PLATFORM_IDENTITIES.dbBootstrap.namespace) new DatabaseBootstrap(this, 'db-bootstrap', { platform, env });

    // Istio: mTLS, authorization from the declared dependencies, routing, egress (charts/mesh/).
    new NamespaceMesh(this, 'mesh', { platform, env, team, namespace });

    // Outside the mesh nothing authorizes or confines the Pods: default-deny NetworkPolicies do (charts/network-policy/).
    if (!namespace.mesh) new NonMeshNetworkPolicies(this, 'network-policies', { namespace: namespace.name, network: policyNetwork(env), profile: NON_MESH_PROFILES[namespace.name] });

    // SRE tools' plain configuration objects in the sre namespaces (charts/platform-config/).
    new PlatformNamespaceConfig(this, 'platform-config', { platform, env, namespace });
    // The namespace's own secret store and reader identity (only when it reads AWS secrets).
    new NamespaceSecretStore(this, 'secret-store', { platform, env, namespace });
  }
}
