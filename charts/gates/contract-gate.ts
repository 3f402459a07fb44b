/**
 * The contract gate (source 004 §24: consumer-driven contract tests through a shared broker).
 *
 * Per namespace with services that consume or provide another platform service, in an environment
 * whose `gates.contract` is on: the broker's client credentials as a Secret, and per such service
 * a `pact-broker can-i-deploy` Job (this version, to this environment) and a PostSync
 * `record-deployment` Job (so the broker knows what runs where, which is what the next
 * can-i-deploy of a consumer or provider asks about).
 *
 * Phases (gitops-engine pkg/sync/doc.go, pkg/sync/sync_context.go; argo-cd docs
 * user-guide/resource_hooks.md): a PreSync hook runs before anything of the Sync phase is applied,
 * and the namespace's SecretStore and its reader ServiceAccount are Sync-phase objects, so a PreSync
 * gate could never read its credentials on a fresh environment (verify/bootstrap/
 * reference-availability.ts). The gate is therefore a Sync hook in the migrations' wave: the
 * credentials ExternalSecret syncs with the other prerequisites (wave -2, Healthy once ESO has
 * written the Secret), can-i-deploy runs in wave -1, and a refusal fails the sync before wave 0,
 * so the new version's workloads are never applied. A migration of the same wave may already have
 * run: migrations must stay backward compatible (expand/contract), as for any rollback.
 * The Jobs run as the namespace's `default` ServiceAccount without a token: they call only the
 * broker, never the Kubernetes or AWS APIs (a service's own ServiceAccount may carry an IAM role).
 */
import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  canIDeployJobName,
  CONTRACT_BROKER_K8S_SECRET,
  contractBrokerSecretName,
  contractBrokerEnvironment,
  contractBrokerUrl,
  hostsContractBroker,
  contractParticipants,
  pacticipantName,
  recordDeploymentJobName,
  releaseVersion,
} from '../../platform/gates';
import { toolImageReference } from '../../platform/images';
import { LABEL_COMPONENT, LABEL_NAME, serviceKey } from '../../platform/naming';
import type { Environment, Namespace, Platform } from '../../platform/types';
import { HookJob } from '../jobs/hook-job';
import { NAMESPACE_WAVE } from '../sync-options';
import { AwsSecret } from '../secrets/aws-secret';
import { policyNetwork } from '../../platform/network';
import type { HookJobNetwork } from '../network-policy/hook-job-network-policy';

export interface ContractGateProps {
  readonly platform: Platform;
  readonly env: Environment;
  readonly namespace: Namespace;
  /** Services of the platform with consumers or providers (platform/gates.ts `contractParticipants`). @default computed from the platform */
  readonly participants?: ReadonlySet<string>;
}

/** Waves of the gate in the Sync phase: the credentials with the prerequisites, then the question, before the workloads. */
export const CONTRACT_GATE_WAVE = { credentials: NAMESPACE_WAVE.prerequisites, canIDeploy: NAMESPACE_WAVE.migrations } as const;

/** How long can-i-deploy waits for a verification result still being published (pact-broker --retry-while-unknown). */
const RETRIES_WHILE_UNKNOWN = 12;
const RETRY_INTERVAL_SECONDS = 10;

export class ContractGate extends Construct {
  constructor(scope: Construct, id: string, props: ContractGateProps) {
    super(scope, id);
    const { platform, env, namespace } = props;
    if (!env.gates.contract) return;
    if (!platform.contractBroker) throw new Error(`environment ${env.name} turns gates.contract on but the platform has no contractBroker (the model validation should have caught this)`);
    const participants = props.participants ?? contractParticipants(platform);
    const services = namespace.services.filter((s) => participants.has(serviceKey({ namespace: namespace.name, service: s.name })));
    if (services.length === 0) return;

    new AwsSecret(this, 'credentials', {
      name: CONTRACT_BROKER_K8S_SECRET,
      keys: [
        { secretKey: 'PACT_BROKER_USERNAME', key: contractBrokerSecretName(platform, env), property: 'username' },
        { secretKey: 'PACT_BROKER_PASSWORD', key: contractBrokerSecretName(platform, env), property: 'password' },
      ],
      syncWave: CONTRACT_GATE_WAVE.credentials,
    });

    const image = toolImageReference(platform, env, 'pactCli');
    const network = gateJobNetwork(platform, env);
    for (const service of services) {
      const ref = { namespace: namespace.name, service: service.name };
      const common = {
        image,
        serviceAccountName: 'default',
        envFromSecrets: [CONTRACT_BROKER_K8S_SECRET],
        env: { PACT_BROKER_BASE_URL: contractBrokerUrl(platform, env), PACTICIPANT: pacticipantName(ref), VERSION: releaseVersion(platform, env, ref), ENVIRONMENT: env.name },
        cpu: kplus.Cpu.millis(100),
        memory: Size.mebibytes(256),
        network,
      };
      new HookJob(this, `can-i-deploy-${service.name}`, {
        ...common,
        name: canIDeployJobName(service),
        phase: 'Sync',
        syncWave: CONTRACT_GATE_WAVE.canIDeploy,
        command: [
          'pact-broker', 'can-i-deploy',
          '--pacticipant', pacticipantName(ref),
          '--version', releaseVersion(platform, env, ref),
          '--to-environment', env.name,
          '--retry-while-unknown', String(RETRIES_WHILE_UNKNOWN),
          '--retry-interval', String(RETRY_INTERVAL_SECONDS),
        ],
        podLabels: { [LABEL_NAME]: canIDeployJobName(service), [LABEL_COMPONENT]: 'contract-gate' },
        // "No" is an answer, not a flake: one try, so the sync fails at once.
        backoffLimit: 0,
        activeDeadline: Duration.minutes(5),
      });
      new HookJob(this, `record-deployment-${service.name}`, {
        ...common,
        name: recordDeploymentJobName(service),
        phase: 'PostSync',
        command: ['pact-broker', 'record-deployment', '--pacticipant', pacticipantName(ref), '--version', releaseVersion(platform, env, ref), '--environment', env.name],
        podLabels: { [LABEL_NAME]: recordDeploymentJobName(service), [LABEL_COMPONENT]: 'contract-record' },
      });
    }
  }
}

/**
 * Where a gate Job may connect: the broker's Pods where this cluster runs it, else the private
 * subnets of the environment that does (its internal host, over private routing between the VPCs).
 */
function gateJobNetwork(platform: Platform, env: Environment): HookJobNetwork {
  if (hostsContractBroker(platform, env)) return { network: policyNetwork(env), egress: ['contract-broker'] };
  const brokerEnv = contractBrokerEnvironment(platform);
  if (!brokerEnv) throw new Error(`ContractGate ${env.name}: contractBroker.environment ${platform.contractBroker?.environment} does not exist`);
  return { network: policyNetwork(env), egress: ['broker-vpc-https'], brokerNetwork: policyNetwork(brokerEnv) };
}
