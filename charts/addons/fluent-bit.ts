/**
 * Fluent Bit as a DaemonSet agent on every node (source 003 §18-2: centralized logging, DaemonSet
 * agent pattern): tails the container log files, enriches them with Kubernetes metadata and ships
 * them to CloudWatch Logs through its own IRSA role. istio-proxy containers (sidecars and
 * gateways) write the mesh access logs; they go to their own log group, everything else to the
 * application log group. Both groups are created (encrypted, with the environment's retention)
 * by the observability stack; the role may write only to them, so Fluent Bit never creates one.
 */
import type { AddonSpec } from '../../apps-of-apps/addon';
import { applicationLogGroupName, meshAccessLogGroupName } from '../../platform/aws-names';
import { iamRoleArn, platformRoleName } from '../../platform/naming';
import type { Environment, Platform } from '../../platform/types';
import { SYNC_WAVE } from '../sync-options';
import { FLUENT_BIT, guaranteed } from './sre-tools';

/** fluent-bit chart (Fluent Bit 5.1.2; the image tag is the chart's appVersion). */
export const FLUENT_BIT_CHART_VERSION = '0.58.2';
export const FLUENT_BIT_CHART_REPO = 'https://fluent.github.io/helm-charts';

/** Container whose log files are the mesh access logs (Istio sidecars and gateways alike). */
export const MESH_PROXY_CONTAINER = 'istio-proxy';
/** Host directory of the tail offsets and the filesystem buffer (survives Pod restarts). */
export const FLUENT_BIT_STATE_DIR = '/var/fluent-bit/state';
const METRICS_PORT = 2020;

/** Kubelet's log file names: `<pod>_<namespace>_<container>-<container id>.log`. */
const CONTAINER_LOGS = '/var/log/containers';
const meshLogs = `${CONTAINER_LOGS}/*_${MESH_PROXY_CONTAINER}-*.log`;

/** One `[SECTION]` of the classic configuration format, keys aligned for review. */
function section(name: string, entries: readonly (readonly [string, string | number])[]): string {
  const width = Math.max(...entries.map(([k]) => k.length));
  return [`[${name}]`, ...entries.map(([k, v]) => `    ${k.padEnd(width)} ${v}`)].join('\n');
}
const sections = (...s: string[]): string => `${s.join('\n\n')}\n`;

/** Tail input of one stream of container logs (CRI format on EKS), with its own offsets database. */
function tailInput(alias: string, tag: string, path: string, exclude?: string): string {
  return section('INPUT', [
    ['Name', 'tail'],
    ['Alias', alias],
    ['Tag', `${tag}.*`],
    ['Path', path],
    ...(exclude ? ([['Exclude_Path', exclude]] as const) : []),
    ['multiline.parser', 'cri'],
    ['DB', `${FLUENT_BIT_STATE_DIR}/${alias}.db`],
    ['DB.locking', 'true'],
    ['Mem_Buf_Limit', '32MB'],
    ['Skip_Long_Lines', 'On'],
    ['Refresh_Interval', 10],
    ['storage.type', 'filesystem'],
  ]);
}

/** Kubernetes metadata of the records of one tag (namespace, pod, container; no labels or annotations). */
function kubernetesFilter(tag: string): string {
  return section('FILTER', [
    ['Name', 'kubernetes'],
    ['Match', `${tag}.*`],
    ['Kube_Tag_Prefix', `${tag}.var.log.containers.`],
    ['Merge_Log', 'On'],
    ['Keep_Log', 'Off'],
    ['K8S-Logging.Parser', 'On'],
    ['K8S-Logging.Exclude', 'On'],
    ['Labels', 'Off'],
    ['Annotations', 'Off'],
    ['Buffer_Size', '0'],
  ]);
}

/** CloudWatch Logs output of one tag: one stream per namespace/pod/container, never creating groups. */
function cloudwatchOutput(alias: string, tag: string, region: string, logGroup: string): string {
  return section('OUTPUT', [
    ['Name', 'cloudwatch_logs'],
    ['Alias', alias],
    ['Match', `${tag}.*`],
    ['region', region],
    ['log_group_name', logGroup],
    ['log_stream_template', "$kubernetes['namespace_name'].$kubernetes['pod_name'].$kubernetes['container_name']"],
    ['log_stream_prefix', `${alias}.`],
    ['auto_create_group', 'false'],
    ['workers', 1],
    ['Retry_Limit', 10],
    ['storage.total_limit_size', '512M'],
  ]);
}

/** The Fluent Bit pipeline of one environment, in the chart's `config` sections. */
export function fluentBitConfig(platform: Platform, env: Environment) {
  return {
    service: sections(
      section('SERVICE', [
        ['Daemon', 'Off'],
        ['Flush', 5],
        ['Log_Level', 'info'],
        ['Parsers_File', '/fluent-bit/etc/parsers.conf'],
        ['HTTP_Server', 'On'],
        ['HTTP_Listen', '0.0.0.0'],
        ['HTTP_Port', METRICS_PORT],
        ['Health_Check', 'On'],
        ['storage.path', `${FLUENT_BIT_STATE_DIR}/buffer/`],
        ['storage.sync', 'normal'],
        ['storage.backlog.mem_limit', '16M'],
      ]),
    ),
    inputs: sections(tailInput('mesh', 'mesh', meshLogs), tailInput('application', 'kube', `${CONTAINER_LOGS}/*.log`, meshLogs)),
    filters: sections(kubernetesFilter('mesh'), kubernetesFilter('kube')),
    outputs: sections(
      cloudwatchOutput('mesh-access', 'mesh', env.region, meshAccessLogGroupName(platform, env)),
      cloudwatchOutput('application', 'kube', env.region, applicationLogGroupName(platform, env)),
    ),
  };
}

/** Fluent Bit, installed into logging-infra (Pod Security "privileged": it reads hostPath /var/log). */
export function fluentBitAddons(platform: Platform, env: Environment): AddonSpec[] {
  return [
    {
      name: 'fluent-bit',
      namespace: FLUENT_BIT.namespace,
      repoURL: FLUENT_BIT_CHART_REPO,
      chart: 'fluent-bit',
      version: FLUENT_BIT_CHART_VERSION,
      // After kube-prometheus-stack: its ServiceMonitor needs the Prometheus Operator CRDs.
      syncWave: SYNC_WAVE.platformConfig,
      values: {
        kind: 'DaemonSet',
        image: { pullPolicy: 'IfNotPresent' },
        testFramework: { enabled: false },
        serviceAccount: { create: true, name: FLUENT_BIT.serviceAccount, annotations: { 'eks.amazonaws.com/role-arn': iamRoleArn(env, platformRoleName(platform, env, 'fluentBit')) } },
        rbac: { create: true },
        config: fluentBitConfig(platform, env),
        metricsPort: METRICS_PORT,
        serviceMonitor: { enabled: true },
        resources: guaranteed('200m', '256Mi'),
        // Every node ships its logs: the managed node group and every (dedicated) Karpenter pool.
        tolerations: [{ operator: 'Exists' }],
        priorityClassName: 'system-node-critical',
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '10%' } },
        // Root only to read the kubelet's root-owned log files; nothing else is allowed.
        podSecurityContext: { seccompProfile: { type: 'RuntimeDefault' } },
        securityContext: {
          runAsUser: 0,
          runAsNonRoot: false,
          readOnlyRootFilesystem: true,
          allowPrivilegeEscalation: false,
          privileged: false,
          capabilities: { drop: ['ALL'] },
        },
        daemonSetVolumes: [
          { name: 'varlog', hostPath: { path: '/var/log' } },
          { name: 'state', hostPath: { path: FLUENT_BIT_STATE_DIR, type: 'DirectoryOrCreate' } },
        ],
        daemonSetVolumeMounts: [
          { name: 'varlog', mountPath: '/var/log', readOnly: true },
          { name: 'state', mountPath: FLUENT_BIT_STATE_DIR },
        ],
      },
    },
  ];
}
