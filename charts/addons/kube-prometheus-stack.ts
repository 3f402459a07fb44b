/**
 * kube-prometheus-stack (source 003 §18-3, §19): the Prometheus Operator and its CRDs, one
 * Prometheus, Alertmanager, Grafana, kube-state-metrics and node-exporter, in monitoring-infra.
 *
 * - Prometheus picks up the ServiceMonitors, PodMonitors and PrometheusRules of every namespace
 *   (no Helm release label required: the services' monitors are rendered per namespace).
 * - It scrapes in-mesh services over Istio mutual TLS with the workload certificate of its own
 *   sidecar, which only writes the certificates out (OUTPUT_CERTS) and intercepts no traffic
 *   (Istio "Prometheus / TLS settings"); ServiceMonitors read them at PROMETHEUS_ISTIO_CERTS.
 * - It keeps two days locally and remote-writes everything to VictoriaMetrics (long-term storage).
 * - Alertmanager routes by the `team` and `severity` labels to the incident channel; the webhook
 *   URL is read from a file of a Secret synced from AWS Secrets Manager, never rendered.
 * - Grafana provisions dashboards from labelled ConfigMaps and authenticates users by the access
 *   token OAuth2 Proxy forwards (verified against the realm's keys): no login form, no password.
 *
 * Components EKS does not expose (etcd, scheduler, controller manager) are off; kube-proxy and
 * CoreDNS Services would have to live in kube-system, outside what the add-ons project may write,
 * so CoreDNS is scraped by a PodMonitor rendered in monitoring-infra instead.
 */
import type { AddonSpec } from '../../apps-of-apps/addon';
import { clusterName, EBS_STORAGE_CLASS, PROMETHEUS_IDENTITY, PROMETHEUS_ISTIO_CERTS, SRE_TEAM, staffIssuer, staffJwksUri } from '../../platform/naming';
import type { Environment, Platform } from '../../platform/types';
import { SYNC_WAVE } from '../sync-options';
import {
  alertmanagerSecretPath,
  dashboardHost,
  GRAFANA_DASHBOARD_LABEL,
  GRAFANA_SERVICE,
  guaranteed,
  haReplicas,
  KPS_FULLNAME,
  MONITORING_NAMESPACE,
  SRE_K8S_SECRETS,
  serviceUrl,
  VICTORIA_METRICS_SERVICE,
} from './sre-tools';

/** kube-prometheus-stack 88.2.0 ships Prometheus Operator v0.93.0, the version imports/ is generated from. */
export const KUBE_PROMETHEUS_STACK_VERSION = '88.2.0';
export const PROMETHEUS_COMMUNITY_REPO = 'https://prometheus-community.github.io/helm-charts';

/** Where the Prometheus Pod's sidecar writes its certificates, and the shared in-memory volume. */
export const ISTIO_OUTPUT_CERTS = '/etc/istio-output-certs';
export const ISTIO_CERTS_VOLUME = 'istio-certs';

/**
 * Pod metadata that has istiod inject a sidecar into the Prometheus Pod only to provision and
 * rotate its workload certificate: no inbound or outbound interception, certificates written to
 * the shared volume. The label (not the deprecated annotation) is what the injector's object
 * selector matches, in a namespace without an `istio-injection` label.
 */
export const PROMETHEUS_ISTIO_POD_METADATA = {
  labels: { 'sidecar.istio.io/inject': 'true' },
  annotations: {
    'traffic.sidecar.istio.io/includeInboundPorts': '',
    'traffic.sidecar.istio.io/includeOutboundIPRanges': '',
    'proxy.istio.io/config': JSON.stringify({ proxyMetadata: { OUTPUT_CERTS: ISTIO_OUTPUT_CERTS } }),
    'sidecar.istio.io/userVolumeMount': JSON.stringify([{ name: ISTIO_CERTS_VOLUME, mountPath: ISTIO_OUTPUT_CERTS }]),
  },
} as const;

/** Receiver that drops what nobody is paged for (the Watchdog heartbeat, info-level alerts). */
export const NULL_RECEIVER = 'null';
/** One receiver per team, all posting to the incident channel (the receiver name says whose it is). */
export const teamReceiver = (team: string): string => `team-${team}`;
/** The file Alertmanager reads the incident channel's webhook URL from. */
export const INCIDENT_WEBHOOK_URL_FILE = alertmanagerSecretPath(SRE_K8S_SECRETS.incidentWebhook, 'url');

/** Timing per severity: critical pages fast and repeats hourly; warnings batch and repeat twice a day. */
const SEVERITY_TIMING = {
  critical: { group_wait: '10s', group_interval: '1m', repeat_interval: '1h' },
  warning: { group_wait: '1m', group_interval: '5m', repeat_interval: '12h' },
} as const;

/** Alertmanager routing: by team (every team of the model), then by severity; unlabelled alerts go to sre. */
export function alertmanagerConfig(platform: Platform) {
  const webhook = { url_file: INCIDENT_WEBHOOK_URL_FILE, send_resolved: true, max_alerts: 20 };
  const severityRoutes = (receiver: string) =>
    (Object.keys(SEVERITY_TIMING) as (keyof typeof SEVERITY_TIMING)[]).map((severity) => ({ receiver, matchers: [`severity="${severity}"`], ...SEVERITY_TIMING[severity] }));
  return {
    global: { resolve_timeout: '5m' },
    route: {
      receiver: teamReceiver(SRE_TEAM),
      group_by: ['team', 'alertname', 'namespace', 'service'],
      group_wait: '30s',
      group_interval: '5m',
      repeat_interval: '4h',
      routes: [
        { receiver: NULL_RECEIVER, matchers: ['alertname=~"Watchdog|InfoInhibitor"'] },
        { receiver: NULL_RECEIVER, matchers: ['severity=~"info|none"'] },
        ...platform.teams.map((team) => ({ receiver: teamReceiver(team.name), matchers: [`team="${team.name}"`], routes: severityRoutes(teamReceiver(team.name)) })),
        // Alerts of no known team (upstream rules without the label) are the platform team's.
        { receiver: teamReceiver(SRE_TEAM), matchers: ['team=""'], routes: severityRoutes(teamReceiver(SRE_TEAM)) },
      ],
    },
    inhibit_rules: [
      { source_matchers: ['severity="critical"'], target_matchers: ['severity="warning"'], equal: ['alertname', 'namespace', 'service'] },
      { source_matchers: ['alertname="InfoInhibitor"'], target_matchers: ['severity="info"'], equal: ['namespace'] },
    ],
    receivers: [{ name: NULL_RECEIVER }, ...platform.teams.map((team) => ({ name: teamReceiver(team.name), webhook_configs: [webhook] }))],
  };
}

/** Monitor and rule selectors that take every object of every namespace, Helm labels or not. */
export const SELECT_EVERYTHING = {
  serviceMonitorSelectorNilUsesHelmValues: false,
  podMonitorSelectorNilUsesHelmValues: false,
  ruleSelectorNilUsesHelmValues: false,
  probeSelectorNilUsesHelmValues: false,
  scrapeConfigSelectorNilUsesHelmValues: false,
  serviceMonitorSelector: {},
  serviceMonitorNamespaceSelector: {},
  podMonitorSelector: {},
  podMonitorNamespaceSelector: {},
  ruleSelector: {},
  ruleNamespaceSelector: {},
  probeSelector: {},
  probeNamespaceSelector: {},
  scrapeConfigSelector: {},
  scrapeConfigNamespaceSelector: {},
} as const;

/**
 * Grafana keeps users, sessions and settings in its SQLite database: one replica on an encrypted,
 * retained gp3 volume (two replicas would each have their own database). Dashboards come from
 * ConfigMaps, users from the staff realm's access token OAuth2 Proxy forwards.
 */
export const GRAFANA_REPLICAS = 1;
export const GRAFANA_STORAGE = '10Gi';
function grafanaValues(platform: Platform, env: Environment) {
  return {
    fullnameOverride: GRAFANA_SERVICE.service,
    replicas: GRAFANA_REPLICAS,
    testFramework: { enabled: false },
    persistence: { enabled: true, type: 'pvc', storageClassName: EBS_STORAGE_CLASS, accessModes: ['ReadWriteOnce'], size: GRAFANA_STORAGE },
    // A ReadWriteOnce volume cannot be attached to a surge Pod on another node.
    deploymentStrategy: { type: 'Recreate' },
    admin: { existingSecret: SRE_K8S_SECRETS.grafanaAdmin, userKey: 'admin-user', passwordKey: 'admin-password' },
    resources: guaranteed('250m', '512Mi'),
    service: { port: GRAFANA_SERVICE.port },
    sidecar: {
      resources: guaranteed('50m', '128Mi'),
      dashboards: { enabled: true, label: GRAFANA_DASHBOARD_LABEL.key, labelValue: GRAFANA_DASHBOARD_LABEL.value, searchNamespace: MONITORING_NAMESPACE },
      datasources: { enabled: true },
    },
    additionalDataSources: [
      { name: 'VictoriaMetrics', uid: 'victoriametrics', type: 'prometheus', access: 'proxy', url: serviceUrl(VICTORIA_METRICS_SERVICE), isDefault: false, editable: false },
    ],
    'grafana.ini': {
      server: { root_url: `https://${dashboardHost(env, 'grafana')}` },
      auth: { disable_login_form: true, disable_signout_menu: true },
      'auth.anonymous': { enabled: false },
      'auth.basic': { enabled: false },
      'auth.jwt': {
        enabled: true,
        header_name: 'X-Auth-Request-Access-Token',
        username_claim: 'preferred_username',
        email_claim: 'email',
        jwk_set_url: staffJwksUri(platform, env),
        cache_ttl: '60m',
        expect_claims: JSON.stringify({ iss: staffIssuer(platform, env) }),
        auto_sign_up: true,
      },
      users: { auto_assign_org_role: 'Viewer', allow_sign_up: false },
      analytics: { check_for_updates: false, reporting_enabled: false },
      log: { mode: 'console' },
      'log.console': { format: 'json' },
    },
  };
}

export function kubePrometheusStackAddons(platform: Platform, env: Environment): AddonSpec[] {
  const replicas = haReplicas(env, 2);
  return [
    {
      name: 'kube-prometheus-stack',
      namespace: MONITORING_NAMESPACE,
      repoURL: PROMETHEUS_COMMUNITY_REPO,
      chart: 'kube-prometheus-stack',
      ownsCrds: true,
      version: KUBE_PROMETHEUS_STACK_VERSION,
      syncWave: SYNC_WAVE.operators,
      serverSideApply: true,
      values: {
        fullnameOverride: KPS_FULLNAME,
        crds: { enabled: true },
        // Rules of every upstream group carry the platform team, so Alertmanager routes them.
        defaultRules: {
          additionalRuleLabels: { team: SRE_TEAM },
          rules: { etcd: false, kubeControllerManager: false, kubeSchedulerAlerting: false, kubeSchedulerRecording: false, kubeProxy: false, windows: false },
        },
        kubeEtcd: { enabled: false },
        kubeControllerManager: { enabled: false },
        kubeScheduler: { enabled: false },
        kubeProxy: { enabled: false },
        coreDns: { enabled: false },
        kubeDns: { enabled: false },
        windowsMonitoring: { enabled: false },
        prometheusOperator: {
          resources: guaranteed('200m', '256Mi'),
          prometheusConfigReloader: { resources: guaranteed('50m', '64Mi') },
          // No admission webhook: it needs certificates patched in at run time (a Job per sync);
          // the operator validates rules itself and reports invalid ones.
          admissionWebhooks: { enabled: false },
          tls: { enabled: false },
          kubeletService: { enabled: true },
        },
        prometheus: {
          serviceAccount: { create: true, name: PROMETHEUS_IDENTITY.serviceAccount },
          prometheusSpec: {
            ...SELECT_EVERYTHING,
            replicas,
            // Identical series from every replica, deduplicated by VictoriaMetrics.
            replicaExternalLabelNameClear: true,
            externalLabels: { cluster: clusterName(platform, env), environment: env.name },
            externalUrl: `https://${dashboardHost(env, 'prometheus')}`,
            retention: '2d',
            storageSpec: { emptyDir: { sizeLimit: '20Gi' } },
            remoteWrite: [{ url: `${serviceUrl(VICTORIA_METRICS_SERVICE)}/api/v1/write` }],
            resources: guaranteed('1', '4Gi'),
            podMetadata: PROMETHEUS_ISTIO_POD_METADATA,
            volumes: [{ name: ISTIO_CERTS_VOLUME, emptyDir: { medium: 'Memory' } }],
            volumeMounts: [{ name: ISTIO_CERTS_VOLUME, mountPath: PROMETHEUS_ISTIO_CERTS, readOnly: true }],
          },
        },
        alertmanager: {
          config: alertmanagerConfig(platform),
          alertmanagerSpec: {
            replicas,
            externalUrl: `https://${dashboardHost(env, 'alertmanager')}`,
            secrets: [SRE_K8S_SECRETS.incidentWebhook],
            resources: guaranteed('100m', '128Mi'),
          },
        },
        grafana: grafanaValues(platform, env),
        'kube-state-metrics': { resources: guaranteed('100m', '256Mi') },
        'prometheus-node-exporter': { resources: guaranteed('100m', '64Mi') },
      },
    },
  ];
}

