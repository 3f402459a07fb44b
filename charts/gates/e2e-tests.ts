/**
 * Staging E2E (source 004 §25: Playwright against staging after each deploy): a PostSync Job per
 * frontend/BFF that declares `e2e`, in environments whose `gates.e2e` is on, running the team's
 * E2E image (at the service's release tag) against the environment's public hosts.
 *
 * Argo CD runs PostSync hooks once every Sync-phase resource is applied and Healthy; a hook Job that
 * fails marks the whole sync operation Failed (gitops-engine pkg/sync/doc.go, argo-cd docs
 * user-guide/resource_hooks.md), which is what stops a promotion to production. No retries: a red
 * test run fails the sync at once. The Job runs as the namespace's `default` ServiceAccount
 * without a token (the service's own may carry an IAM role) and holds no secret: test accounts
 * are the team's business, inside their image or their own secret store.
 */
import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { e2eImageReference, e2eJobName, e2eTargetUrls } from '../../platform/gates';
import { LABEL_COMPONENT, LABEL_NAME } from '../../platform/naming';
import type { Environment, Namespace, Platform, Service } from '../../platform/types';
import { HookJob } from '../jobs/hook-job';
import { policyNetwork } from '../../platform/network';
import { urlEgress } from '../network-policy/hook-job-network-policy';

export interface EndToEndTestsProps {
  readonly platform: Platform;
  readonly env: Environment;
  readonly namespace: Namespace;
  readonly service: Service;
}

export class EndToEndTestsJob extends Construct {
  constructor(scope: Construct, id: string, props: EndToEndTestsProps) {
    super(scope, id);
    const { platform, env, namespace, service } = props;
    if (!env.gates.e2e || !service.e2e) return;
    const urls = e2eTargetUrls(env, service);
    new HookJob(this, 'job', {
      name: e2eJobName(service),
      phase: 'PostSync',
      image: e2eImageReference(platform, env, { namespace: namespace.name, service: service.name }, service),
      command: service.e2e.command,
      serviceAccountName: 'default',
      env: { E2E_BASE_URL: urls[0], E2E_TARGET_URLS: urls.join(','), E2E_ENVIRONMENT: env.name },
      podLabels: { [LABEL_NAME]: e2eJobName(service), [LABEL_COMPONENT]: 'e2e-tests' },
      // The tests call the public hosts, as a customer's browser does.
      network: { network: policyNetwork(env), egress: urls.map((u) => urlEgress(env, u)) },
      // A headless browser: a full CPU, memory and scratch space for its profile and traces.
      cpu: kplus.Cpu.units(1),
      memory: Size.gibibytes(2),
      tmpSize: Size.gibibytes(1),
      backoffLimit: 0,
      // The platform bound of every hook Job (a hung browser must not hold the sync).
      activeDeadline: Duration.minutes(10),
    });
  }
}
