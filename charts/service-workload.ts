import { createHash } from 'crypto';
import { ApiObject, Duration, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { imageReference, toolImageReference } from '../platform/images';
import {
  cdnDistributionIdParameter,
  cdnPurgeJobName,
  configMapName,
  DEDICATED_NODE_LABEL,
  dedicatedNodePoolName,
  iamRoleArn,
  LABEL_COMPONENT,
  LABEL_NAME,
  migrationJobName,
  selectorLabels,
  serviceAccountName,
  serviceRoleName,
} from '../platform/naming';
import type { Environment, Namespace, Platform, Service, Team } from '../platform/types';
import { BffNginxConfig } from './bff/nginx-config';
import { kplusContainerSecurity, kplusPodSecurity, RUN_AS } from './jobs/hardened-pod';
import { hardenPodTemplate, HookJob } from './jobs/hook-job';
import { ServiceMonitoring } from './monitoring/service-monitoring';
import { ServiceSecrets } from './secrets/service-secrets';
import { NAMESPACE_WAVE, syncWave } from './sync-options';
import { policyNetwork } from '../platform/network';

export interface ServiceWorkloadProps {
  readonly platform: Platform;
  readonly env: Environment;
  readonly team: Team;
  readonly namespace: Namespace;
  readonly service: Service;
  /**
   * UID and GID the containers run as (never root).
   * @default 10001
   */
  readonly runAsUser?: number;
}

/** Container name of every service's application container. */
export const APP_CONTAINER = 'app';

/**
 * One service of the model as Kubernetes runs it (source 004 §24-25): ServiceAccount (bound to its
 * IAM role when it has AWS grants), ConfigMap, Deployment, Service, HorizontalPodAutoscaler and
 * PodDisruptionBudget.
 */
export class ServiceWorkload extends Construct {
  public readonly deployment: kplus.Deployment;
  public readonly serviceAccount: kplus.ServiceAccount;
  public readonly configMap: kplus.IConfigMap;
  public readonly kubeService: kplus.Service;

  constructor(scope: Construct, id: string, props: ServiceWorkloadProps) {
    super(scope, id);
    const { platform, env, namespace, service } = props;
    const { preStopSleepSeconds: preStop, terminationGracePeriodSeconds: grace } = service.shutdown;
    const uid = props.runAsUser ?? RUN_AS;
    if (grace <= preStop) {
      throw new Error(`${namespace.name}/${service.name}: terminationGracePeriodSeconds (${grace}) must exceed preStopSleepSeconds (${preStop})`);
    }
    const ref = { namespace: namespace.name, service: service.name };
    const selector = selectorLabels(service);
    const minReplicas = Math.max(service.scaling.minReplicas, env.sizing.replicaFloor);
    const maxReplicas = Math.max(service.scaling.maxReplicas, minReplicas);

    this.serviceAccount = new kplus.ServiceAccount(this, 'service-account', {
      metadata: {
        name: serviceAccountName(service),
        annotations: service.aws.length > 0 ? { 'eks.amazonaws.com/role-arn': iamRoleArn(env, serviceRoleName(platform, env, ref)) } : undefined,
      },
      // Neither the app nor the sidecar needs the Kubernetes API token (IRSA and Istio project their own).
      automountToken: false,
    });
    // The migration Job runs as this ServiceAccount before the workloads' wave.
    syncWave(ApiObject.of(this.serviceAccount), NAMESPACE_WAVE.prerequisites);

    // A plain ApiObject: cdk8s-plus's generated toJson for ConfigMaps copies the whole data map once
    // per key (quadratic: 40,000 keys take minutes); the Deployment refers to it by name.
    new ApiObject(this, 'config', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: configMapName(service) }, data: isEmpty(service.config) ? undefined : { ...service.config }, immutable: false });
    this.configMap = kplus.ConfigMap.fromConfigMapName(this, 'config-ref', configMapName(service));
    const secrets = new ServiceSecrets(this, 'secrets', { platform, env, namespace, service });
    const image = imageReference(platform, env, ref, service);

    const healthPort = service.ports.find((p) => p.name === service.health.port)!;
    const probes = {
      startup: { path: service.health.startup, periodSeconds: 2, failureThreshold: 60 },
      liveness: { path: service.health.liveness, periodSeconds: 10, failureThreshold: 3 },
      readiness: { path: service.health.readiness, periodSeconds: 5, failureThreshold: 2 },
    };
    // HTTP probes through cdk8s-plus; gRPC probes (the gRPC health protocol) are not in cdk8s-plus-28.
    const httpProbe = (p: ProbeSettings) =>
      healthPort.protocol === 'http'
        ? kplus.Probe.fromHttpGet(p.path, { port: healthPort.port, periodSeconds: Duration.seconds(p.periodSeconds), failureThreshold: p.failureThreshold, timeoutSeconds: Duration.seconds(2) })
        : undefined;

    this.deployment = new kplus.Deployment(this, 'deployment', {
      metadata: { name: service.name },
      podMetadata: { labels: { ...selector, [LABEL_COMPONENT]: service.kind } },
      select: false,
      serviceAccount: this.serviceAccount,
      automountServiceAccountToken: false,
      terminationGracePeriod: Duration.seconds(grace),
      strategy: kplus.DeploymentStrategy.rollingUpdate({ maxSurge: kplus.PercentOrAbsolute.percent(25), maxUnavailable: kplus.PercentOrAbsolute.absolute(0) }),
      securityContext: kplusPodSecurity(uid),
      volumes: [],
      containers: [
        {
          name: APP_CONTAINER,
          image,
          imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
          ports: service.ports.map((p) => ({ number: p.port, name: p.name })),
          resources: {
            cpu: { request: cpu(service.resources.cpu), limit: cpu(service.resources.cpu) },
            memory: { request: memory(service.resources.memory), limit: memory(service.resources.memory) },
          },
          securityContext: kplusContainerSecurity(uid),
          envFrom: [
            kplus.Env.fromConfigMap(this.configMap),
            ...secrets.secretNames.map((name) => kplus.Env.fromSecret(kplus.Secret.fromSecretName(this, `secret-${name}`, name))),
          ],
          startup: httpProbe(probes.startup),
          liveness: httpProbe(probes.liveness),
          readiness: httpProbe(probes.readiness),
          volumeMounts: [{ path: '/tmp', volume: kplus.Volume.fromEmptyDir(this, 'tmp', 'tmp', { sizeLimit: Size.mebibytes(64) }) }],
        },
      ],
    });
    this.deployment.select(kplus.LabelSelector.of({ labels: selector }));
    // The native sleep action (Kubernetes >= 1.30, PodLifecycleSleepAction; the model says 1.33):
    // the kubelet waits, so distroless images need no `sleep` binary. cdk8s-plus-28 has no Handler
    // for it, and its KubeDeployment converts the object with the 1.28 types after JSON patches
    // (which drops `sleep`), so the field is set on the converted output instead.
    const api = ApiObject.of(this.deployment);
    const toJson = api.toJson.bind(api);
    api.toJson = () => {
      const json = toJson();
      json.spec.template.spec.containers[0].lifecycle = { preStop: { sleep: { seconds: preStop } } };
      return json;
    };
    if (service.kind === 'bff') new BffNginxConfig(this, 'nginx', { platform, service, container: this.deployment.containers[0] });
    // Config is read at start: a change of it must roll the Pods (a content hash, not a name).
    this.deployment.podMetadata.addAnnotation('platform.ec/config-hash', contentHash({ config: service.config, bff: service.kind === 'bff' ? service.dependencies : [] }));
    if (healthPort.protocol === 'grpc') {
      const grpc = (p: ProbeSettings) => ({ grpc: { port: healthPort.port }, periodSeconds: p.periodSeconds, failureThreshold: p.failureThreshold, timeoutSeconds: 2 });
      ApiObject.of(this.deployment).addJsonPatch(
        JsonPatch.add('/spec/template/spec/containers/0/startupProbe', grpc(probes.startup)),
        JsonPatch.add('/spec/template/spec/containers/0/livenessProbe', grpc(probes.liveness)),
        JsonPatch.add('/spec/template/spec/containers/0/readinessProbe', grpc(probes.readiness)),
      );
    }

    const deployment = ApiObject.of(this.deployment);
    hardenPodTemplate(deployment, '/spec/template');
    deployment.addJsonPatch(
      JsonPatch.add('/spec/template/spec/topologySpreadConstraints', [
        { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: selector } },
        { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: selector } },
      ]),
    );

    if (service.dedicatedNodes) {
      // High business impact: its own Karpenter NodePool, labelled and tainted (source 004 §25-02).
      const pool = dedicatedNodePoolName(namespace, service);
      deployment.addJsonPatch(
        JsonPatch.add('/spec/template/spec/nodeSelector', { [DEDICATED_NODE_LABEL]: pool }),
        JsonPatch.add('/spec/template/spec/tolerations', [{ key: DEDICATED_NODE_LABEL, operator: 'Equal', value: pool, effect: 'NoSchedule' }]),
      );
    }

    if (service.database?.migrationCommand) {
      // The schema migrates before the new Deployment syncs (source 004 §23-02): a Sync hook in the
      // wave after the ServiceAccount and ExternalSecrets (a PreSync hook would never find them on a
      // fresh environment). It gets the database credentials and the Secrets Manager settings; the
      // SOPS Secret is applied with the workloads (Argo CD renders it in the Sync phase, wave 0).
      new HookJob(this, 'migrate', {
        name: migrationJobName(service),
        phase: 'Sync',
        syncWave: NAMESPACE_WAVE.migrations,
        image,
        command: service.database.migrationCommand,
        serviceAccountName: serviceAccountName(service),
        envFromSecrets: secrets.migrationSecretNames,
        podLabels: { [LABEL_NAME]: migrationJobName(service), [LABEL_COMPONENT]: 'migration' },
        network: { network: policyNetwork(env), egress: ['aurora'] },
        cpu: cpu(service.resources.cpu),
        memory: memory(service.resources.memory),
      });
    }

    if (service.aws.includes('cdn-invalidation')) {
      // ArgoCD PostSync: purge the CDN once the new frontend is live. The distribution id is only
      // known after `terraform apply`, so the Job reads it from the SSM parameter the model names.
      new HookJob(this, 'cdn-purge', {
        name: cdnPurgeJobName(service),
        phase: 'PostSync',
        image: toolImageReference(platform, env, 'awsCli'),
        command: [
          '/bin/sh',
          '-ec',
          'id="$(aws ssm get-parameter --name "$DISTRIBUTION_ID_PARAMETER" --query Parameter.Value --output text)"; aws cloudfront create-invalidation --distribution-id "$id" --paths "/*"',
        ],
        env: { DISTRIBUTION_ID_PARAMETER: cdnDistributionIdParameter(platform, env), AWS_REGION: env.region },
        serviceAccountName: serviceAccountName(service),
        podLabels: { [LABEL_NAME]: cdnPurgeJobName(service), [LABEL_COMPONENT]: 'cdn-purge' },
        // SSM and STS through their VPC endpoints; CloudFront's API is global, with no VPC endpoint.
        network: { network: policyNetwork(env), egress: ['vpc-https', 'internet-https'] },
        cpu: kplus.Cpu.millis(100),
        memory: Size.mebibytes(128),
      });
    }

    this.kubeService = new kplus.Service(this, 'service', {
      // Labelled like its Pods so ServiceMonitors select it.
      metadata: { name: service.name, labels: selector },
      type: kplus.ServiceType.CLUSTER_IP,
      ports: service.ports.map((p) => ({ name: p.name, port: p.port, targetPort: p.port })),
    });
    for (const [key, value] of Object.entries(selector)) this.kubeService.selectLabel(key, value);
    // appProtocol tells Istio which ports speak HTTP and which gRPC (cdk8s-plus has no field for it).
    const svc = ApiObject.of(this.kubeService);
    service.ports.forEach((p, i) => svc.addJsonPatch(JsonPatch.add(`/spec/ports/${i}/appProtocol`, p.protocol)));
    svc.addJsonPatch(JsonPatch.remove('/spec/externalIPs'));

    new kplus.HorizontalPodAutoscaler(this, 'hpa', {
      metadata: { name: service.name },
      target: this.deployment,
      minReplicas,
      maxReplicas,
      metrics: [kplus.Metric.resourceCpu(kplus.MetricTarget.averageUtilization(service.scaling.targetCpuUtilization))],
    });

    new ServiceMonitoring(this, 'monitoring', { env, team: props.team, namespace, service });

    // At least one Pod survives a voluntary disruption: minReplicas >= 2 is enforced by the model.
    new kplus.k8s.KubePodDisruptionBudget(this, 'pdb', {
      metadata: { name: service.name },
      spec: { maxUnavailable: kplus.k8s.IntOrString.fromNumber(1), selector: { matchLabels: selector }, unhealthyPodEvictionPolicy: 'AlwaysAllow' },
    });
  }
}

interface ProbeSettings {
  readonly path: string;
  readonly periodSeconds: number;
  readonly failureThreshold: number;
}

function contentHash(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);
}

/** "250m" or "2" (the schema has already checked the format). */
function cpu(quantity: string): kplus.Cpu {
  return quantity.endsWith('m') ? kplus.Cpu.millis(Number(quantity.slice(0, -1))) : kplus.Cpu.units(Number(quantity));
}

function memory(quantity: string): Size {
  const value = Number(quantity.slice(0, -2));
  return quantity.endsWith('Gi') ? Size.gibibytes(value) : Size.mebibytes(value);
}

function isEmpty(record: Readonly<Record<string, string>>): boolean {
  for (const _ in record) return false;
  return true;
}
