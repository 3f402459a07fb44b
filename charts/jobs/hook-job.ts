import { ApiObject, Duration, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { HOOK_JOB_LABEL, type HookJobNetwork, HookJobNetworkPolicy } from '../network-policy/hook-job-network-policy';
import { CONTAINER_SECURITY_CONTEXT, kplusContainerSecurity, kplusPodSecurity, NO_SIDECAR, RUN_AS } from './hardened-pod';

export type HookPhase = 'PreSync' | 'Sync' | 'PostSync';

export interface HookJobProps {
  readonly name: string;
  /** ArgoCD phase the Job runs in. */
  readonly phase: HookPhase;
  readonly image: string;
  readonly command: readonly string[];
  /** ServiceAccount the Pod runs as (its IAM role, if any, is what the Job may do in AWS). */
  readonly serviceAccountName: string;
  /** Secrets loaded as environment variables. @default none */
  readonly envFromSecrets?: readonly string[];
  /** Plain environment variables. @default none */
  readonly env?: Readonly<Record<string, string>>;
  /** Labels of the Pod (its selector labels, so monitors and policies see whose Job it is). @default none */
  readonly podLabels?: Readonly<Record<string, string>>;
  readonly cpu: kplus.Cpu;
  readonly memory: Size;
  /** Hard limit on the Job's run time. @default 10 minutes */
  readonly activeDeadline?: Duration;
  /** Retries before the hook (and so the sync) fails. @default 2 */
  readonly backoffLimit?: number;
  /** Sync wave within the hook phase. @default 0 */
  readonly syncWave?: number;
  /** Size of the writable /tmp (the root filesystem is read-only). @default 64 MiB */
  readonly tmpSize?: Size;
  /** What the Job's Pod may reach (its NetworkPolicy: DNS plus these, no ingress). */
  readonly network: HookJobNetwork;
}

/**
 * A Job ArgoCD runs as a sync hook (source 004 §23-02: DB migration before a microservice syncs,
 * CDN purge after a frontend syncs). Restrictive security context, Guaranteed QoS, no sidecar,
 * bounded run time; recreated on every sync and kept after a failure for debugging; egress only
 * to what it declares (charts/network-policy/hook-job-network-policy.ts).
 */
export class HookJob extends Construct {
  public readonly job: kplus.Job;

  constructor(scope: Construct, id: string, props: HookJobProps) {
    super(scope, id);
    this.job = new kplus.Job(this, 'job', {
      metadata: {
        name: props.name,
        annotations: {
          'argocd.argoproj.io/hook': props.phase,
          'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation',
          'argocd.argoproj.io/sync-wave': String(props.syncWave ?? 0),
        },
      },
      podMetadata: { labels: { ...props.podLabels, [HOOK_JOB_LABEL]: props.name }, annotations: { ...NO_SIDECAR } },
      serviceAccount: kplus.ServiceAccount.fromServiceAccountName(this, 'sa', props.serviceAccountName),
      automountServiceAccountToken: false,
      restartPolicy: kplus.RestartPolicy.NEVER,
      backoffLimit: props.backoffLimit ?? 2,
      activeDeadline: props.activeDeadline ?? Duration.minutes(10),
      securityContext: kplusPodSecurity(RUN_AS),
      containers: [
        {
          name: 'job',
          image: props.image,
          imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
          command: [...props.command],
          resources: { cpu: { request: props.cpu, limit: props.cpu }, memory: { request: props.memory, limit: props.memory } },
          securityContext: kplusContainerSecurity(RUN_AS),
          envFrom: (props.envFromSecrets ?? []).map((name) => kplus.Env.fromSecret(kplus.Secret.fromSecretName(this, `secret-${name}`, name))),
          envVariables: Object.fromEntries(Object.entries({ HOME: '/tmp', ...props.env }).map(([k, v]) => [k, kplus.EnvValue.fromValue(v)])),
          volumeMounts: [{ path: '/tmp', volume: kplus.Volume.fromEmptyDir(this, 'tmp', 'tmp', { sizeLimit: props.tmpSize ?? Size.mebibytes(64) }) }],
        },
      ],
    });
    hardenPodTemplate(ApiObject.of(this.job), '/spec/template');
    // No sidecar: the mesh does not confine the Pod, its NetworkPolicy does.
    new HookJobNetworkPolicy(this, 'network-policy', { ...props.network, jobName: props.name });
  }
}

/**
 * What cdk8s-plus cannot express: capabilities dropped and RuntimeDefault seccomp; and the Pod
 * label cdk8s-plus adds with its construct address (a hash) removed, since selectors here come
 * from the model.
 */
export function hardenPodTemplate(obj: ApiObject, templatePath: string): void {
  obj.addJsonPatch(
    JsonPatch.remove(`${templatePath}/metadata/labels/cdk8s.io~1metadata.addr`),
    JsonPatch.add(`${templatePath}/spec/securityContext/seccompProfile`, { ...CONTAINER_SECURITY_CONTEXT.seccompProfile }),
    JsonPatch.add(`${templatePath}/spec/containers/0/securityContext/capabilities`, { drop: ['ALL'] }),
    JsonPatch.add(`${templatePath}/spec/containers/0/securityContext/seccompProfile`, { ...CONTAINER_SECURITY_CONTEXT.seccompProfile }),
  );
}
