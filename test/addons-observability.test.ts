/**
 * Observability add-ons and their configuration (source 003 §18-19): Fluent Bit to CloudWatch
 * Logs, the OpenTelemetry Collector to X-Ray, Prometheus scraping the mesh over mTLS and writing
 * to VictoriaMetrics, Alertmanager to the incident channel, Grafana dashboards generated from
 * the model, Kiali on Prometheus.
 */
import { createHash } from 'crypto';
import { parse } from 'yaml';
import { OTEL_COLLECTOR } from '../charts/mesh/telemetry';
import { applicationLogGroupName, meshAccessLogGroupName, secretNamePrefix, vpcFlowLogGroupName } from '../platform/aws-names';
import { iamRoleArn, platformRoleName, PROMETHEUS_IDENTITY, PROMETHEUS_ISTIO_CERTS, serviceHost, servicePrincipal } from '../platform/naming';
import { examplePlatform, type Loose } from './support/example';
import { exampleFiles, objectAt, objectsWhere } from './support/rendered';

const platform = () => examplePlatform();
const envs = () => platform().environments;
const addon = (env: string, name: string): Loose => objectAt(`${env}/argocd/children/sre/application-addon-${name}.yaml`);
const values = (env: string, name: string): Loose => addon(env, name).spec.source.helm.valuesObject;
const terraform = (env: string, stack: string): Loose => JSON.parse(exampleFiles().get(`${env}/terraform/${stack}/cdk.tf.json`)!);
const resources = (stack: Loose, type: string): Loose[] => Object.values(stack.resource?.[type] ?? {});
/** The `[OUTPUT]`/`[INPUT]`/`[FILTER]` sections of a Fluent Bit configuration, as key -> value maps. */
function sectionsOf(config: string): Record<string, string>[] {
  return config
    .split(/\n(?=\[)/)
    .filter((s) => s.trim().startsWith('['))
    .map((s) => Object.fromEntries(s.trim().split('\n').slice(1).map((line) => line.trim().split(/\s+(.*)/s).slice(0, 2) as [string, string])));
}
const relay = (env: string): Loose => parse(objectAt(`${env}/namespaces/tracing-infra/configmap-otel-collector-config.yaml`).data.relay);
const prometheusSpec = (env: string): Loose => values(env, 'kube-prometheus-stack').prometheus.prometheusSpec;
const alertmanagerConfig = (env: string): Loose => values(env, 'kube-prometheus-stack').alertmanager.config;
const dashboards = () => objectsWhere((o, p) => o.kind === 'ConfigMap' && o.metadata.labels?.grafana_dashboard !== undefined && p.includes('/namespaces/'));

describe('Fluent Bit', () => {
  test('ships to exactly the log groups the observability stack creates, in the environment’s region', () => {
    for (const env of envs()) {
      const outputs = sectionsOf(values(env.name, 'fluent-bit').config.outputs);
      // Fluent Bit's groups: every group of the stack but the VPC flow log's (VPC Flow Logs writes that one).
      const created = resources(terraform(env.name, 'observability'), 'aws_cloudwatch_log_group').map((g) => g.name).filter((name) => name !== vpcFlowLogGroupName(platform(), env));
      expect(outputs.map((o) => o.log_group_name).sort()).toEqual([...created].sort());
      expect(created.sort()).toEqual([applicationLogGroupName(platform(), env), meshAccessLogGroupName(platform(), env)].sort());
      for (const o of outputs) expect(o).toMatchObject({ Name: 'cloudwatch_logs', region: env.region, auto_create_group: 'false' });
    }
  });

  test('its ServiceAccount carries the IRSA role the cluster stack creates for logging-infra/fluent-bit', () => {
    for (const env of envs()) {
      const app = addon(env.name, 'fluent-bit');
      const role = platformRoleName(platform(), env, 'fluentBit');
      expect(app.spec.destination.namespace).toBe('logging-infra');
      expect(app.spec.source.helm.valuesObject.serviceAccount).toEqual({ create: true, name: 'fluent-bit', annotations: { 'eks.amazonaws.com/role-arn': iamRoleArn(env, role) } });
      const cluster = terraform(env.name, 'cluster');
      expect(resources(cluster, 'aws_iam_role').map((r) => r.name)).toContain(role);
      expect(JSON.stringify(cluster)).toContain('system:serviceaccount:logging-infra:fluent-bit');
    }
  });

  test('tails every container log file with the Kubernetes filter: istio-proxy logs to the mesh access group, all others to the application group', () => {
    const env = envs()[0];
    const config = values(env.name, 'fluent-bit').config;
    const inputs = sectionsOf(config.inputs);
    const filters = sectionsOf(config.filters);
    const outputs = sectionsOf(config.outputs);
    const mesh = inputs.find((i) => i.Path.includes('istio-proxy'))!;
    const app = inputs.find((i) => i.Path === '/var/log/containers/*.log')!;
    expect(mesh).toMatchObject({ Name: 'tail', Path: '/var/log/containers/*_istio-proxy-*.log', 'multiline.parser': 'cri' });
    expect(app).toMatchObject({ Name: 'tail', Exclude_Path: mesh.Path, 'multiline.parser': 'cri' });
    for (const input of [mesh, app]) {
      expect(filters.find((f) => f.Match === input.Tag)).toMatchObject({ Name: 'kubernetes', Kube_Tag_Prefix: `${input.Tag.replace(/\*$/, '')}var.log.containers.` });
    }
    expect(outputs.find((o) => o.Match === mesh.Tag)!.log_group_name).toBe(meshAccessLogGroupName(platform(), env));
    expect(outputs.find((o) => o.Match === app.Tag)!.log_group_name).toBe(applicationLogGroupName(platform(), env));
  });

  test('runs as a DaemonSet on every node, whatever its taints', () => {
    const v = values('prd', 'fluent-bit');
    expect(v.kind).toBe('DaemonSet');
    expect(v.tolerations).toEqual([{ operator: 'Exists' }]);
    expect(v.daemonSetVolumeMounts).toContainEqual({ name: 'varlog', mountPath: '/var/log', readOnly: true });
  });
});

describe('OpenTelemetry Collector', () => {
  test('exports traces to X-Ray in the environment’s region, with the IRSA role the cluster stack creates', () => {
    for (const env of envs()) {
      const v = values(env.name, 'otel-collector');
      const role = platformRoleName(platform(), env, 'otelCollector');
      expect(v.serviceAccount.annotations).toEqual({ 'eks.amazonaws.com/role-arn': iamRoleArn(env, role) });
      expect(resources(terraform(env.name, 'cluster'), 'aws_iam_role').map((r) => r.name)).toContain(role);
      expect(v.image.repository).toMatch(/opentelemetry-collector-contrib$/);
      const config = relay(env.name);
      expect(config.exporters.awsxray).toEqual({ region: env.region });
      expect(config.service.pipelines.traces).toMatchObject({ receivers: ['otlp'], exporters: ['awsxray'] });
    }
  });

  test('its Service is the one istiod’s tracing provider sends spans to', () => {
    const app = addon('stg', 'otel-collector');
    const v = app.spec.source.helm.valuesObject;
    expect(app.spec.destination.namespace).toBe(OTEL_COLLECTOR.namespace);
    expect(v.mode).toBe('deployment');
    expect(v.fullnameOverride).toBe(OTEL_COLLECTOR.service);
    expect(v.ports.otlp).toMatchObject({ enabled: true, servicePort: OTEL_COLLECTOR.port });
    const providers = values('stg', 'istiod').meshConfig.extensionProviders;
    expect(providers).toContainEqual(expect.objectContaining({ opentelemetry: { service: serviceHost(OTEL_COLLECTOR), port: v.ports.otlp.servicePort } }));
    expect(relay('stg').receivers.otlp.protocols.grpc.endpoint).toBe(`\${env:MY_POD_IP}:${OTEL_COLLECTOR.port}`);
  });

  test('limits memory before batching, and its Pods roll whenever the pipeline ConfigMap changes', () => {
    for (const env of envs()) {
      expect(relay(env.name).service.pipelines.traces.processors).toEqual(['memory_limiter', 'batch']);
      const v = values(env.name, 'otel-collector');
      const cm = objectAt(`${env.name}/namespaces/tracing-infra/configmap-otel-collector-config.yaml`);
      expect(v.configMap).toEqual({ create: false, existingName: cm.metadata.name });
      expect(v.podAnnotations['checksum/relay']).toBe(createHash('sha256').update(cm.data.relay).digest('hex'));
    }
  });
});

describe('Prometheus', () => {
  test('selects the ServiceMonitors, PodMonitors and PrometheusRules of every namespace, Helm release labels or not', () => {
    const spec = prometheusSpec('prd');
    for (const kind of ['serviceMonitor', 'podMonitor', 'rule']) {
      expect({ kind, nil: spec[`${kind}SelectorNilUsesHelmValues`], selector: spec[`${kind}Selector`], namespaces: spec[`${kind}NamespaceSelector`] }).toEqual({ kind, nil: false, selector: {}, namespaces: {} });
    }
  });

  test('mounts the Istio certificates its sidecar writes where every in-mesh ServiceMonitor reads them', () => {
    const spec = prometheusSpec('dev');
    const mount = spec.volumeMounts.find((m: Loose) => m.mountPath === PROMETHEUS_ISTIO_CERTS);
    expect(mount).toBeDefined();
    expect(spec.volumes).toContainEqual({ name: mount.name, emptyDir: { medium: 'Memory' } });
    const { labels, annotations } = spec.podMetadata;
    expect(labels['sidecar.istio.io/inject']).toBe('true');
    expect(annotations['traffic.sidecar.istio.io/includeInboundPorts']).toBe('');
    expect(annotations['traffic.sidecar.istio.io/includeOutboundIPRanges']).toBe('');
    const outputCerts = JSON.parse(annotations['proxy.istio.io/config']).proxyMetadata.OUTPUT_CERTS;
    expect(JSON.parse(annotations['sidecar.istio.io/userVolumeMount'])).toEqual([{ name: mount.name, mountPath: outputCerts }]);
    const tls = objectsWhere((o, p) => p.startsWith('dev/') && o.kind === 'ServiceMonitor').flatMap(({ obj }) => obj.spec.endpoints.filter((e: Loose) => e.scheme === 'https'));
    expect(tls.length).toBeGreaterThan(0);
    for (const e of tls) for (const file of [e.tlsConfig.caFile, e.tlsConfig.certFile, e.tlsConfig.keyFile]) expect(file.startsWith(`${PROMETHEUS_ISTIO_CERTS}/`)).toBe(true);
  });

  test('its namespace carries no istio-injection label, so the Pod’s own opt-in label is what injects its sidecar', () => {
    for (const env of envs()) expect(objectAt(`${env.name}/cluster/namespace-${PROMETHEUS_IDENTITY.namespace}.yaml`).metadata.labels['istio-injection']).toBeUndefined();
  });

  test('runs as the ServiceAccount whose principal the services’ metrics AuthorizationPolicies allow', () => {
    const app = addon('prd', 'kube-prometheus-stack');
    expect(app.spec.destination.namespace).toBe(PROMETHEUS_IDENTITY.namespace);
    expect(app.spec.source.helm.valuesObject.prometheus.serviceAccount).toEqual({ create: true, name: PROMETHEUS_IDENTITY.serviceAccount });
    const principal = servicePrincipal({ namespace: PROMETHEUS_IDENTITY.namespace, service: PROMETHEUS_IDENTITY.serviceAccount });
    expect(objectsWhere((o, p) => p.startsWith('prd/') && o.kind === 'AuthorizationPolicy' && JSON.stringify(o.spec).includes(principal)).length).toBeGreaterThan(0);
  });

  test('remote-writes to the Service the VictoriaMetrics add-on creates, which deduplicates the replicas', () => {
    const vm = addon('dev', 'victoria-metrics');
    const server = vm.spec.source.helm.valuesObject.server;
    const url = `http://${serviceHost({ namespace: vm.spec.destination.namespace, service: server.fullnameOverride })}:${server.service.servicePort}/api/v1/write`;
    expect(prometheusSpec('dev').remoteWrite).toEqual([{ url }]);
    expect(prometheusSpec('dev').replicaExternalLabelNameClear).toBe(true);
    expect(server.extraArgs['dedup.minScrapeInterval']).toBeDefined();
    expect(server.persistentVolume.enabled).toBe(true);
  });

  test('scrapes the Envoy statistics of every injected Pod, in every namespace', () => {
    const envoy = objectAt('dev/namespaces/monitoring-infra/podmonitor-istio-proxies.yaml');
    expect(envoy.spec.namespaceSelector).toEqual({ any: true });
    expect(envoy.spec.selector).toEqual({ matchExpressions: [{ key: 'security.istio.io/tlsMode', operator: 'Exists' }] });
    expect(envoy.spec.podMetricsEndpoints).toEqual([expect.objectContaining({ port: 'http-envoy-prom', path: '/stats/prometheus' })]);
  });
});

describe('Alertmanager', () => {
  test('routes every team of the model by its team label, then by severity, to the incident channel', () => {
    const config = alertmanagerConfig('prd');
    const receivers = new Map(config.receivers.map((r: Loose) => [r.name, r]));
    for (const team of platform().teams) {
      const route = config.route.routes.find((r: Loose) => JSON.stringify(r.matchers) === JSON.stringify([`team="${team.name}"`]));
      expect({ team: team.name, severities: route?.routes.map((r: Loose) => r.matchers[0]) }).toEqual({ team: team.name, severities: ['severity="critical"', 'severity="warning"'] });
      for (const r of [route, ...route.routes]) expect((receivers.get(r.receiver) as Loose).webhook_configs).toHaveLength(1);
    }
    expect(config.route.group_by).toEqual(expect.arrayContaining(['team', 'alertname']));
    expect(values('prd', 'kube-prometheus-stack').defaultRules.additionalRuleLabels).toEqual({ team: 'sre' });
  });

  test('the incident webhook URL appears nowhere in dist/: Alertmanager reads it from a Secret synced from AWS Secrets Manager', () => {
    for (const env of envs()) {
      const kps = values(env.name, 'kube-prometheus-stack');
      const webhooks = kps.alertmanager.config.receivers.flatMap((r: Loose) => r.webhook_configs ?? []);
      expect(webhooks.length).toBeGreaterThan(0);
      for (const w of webhooks) {
        expect(Object.keys(w)).not.toContain('url');
        const [, secret, key] = /^\/etc\/alertmanager\/secrets\/([^/]+)\/([^/]+)$/.exec(w.url_file) ?? [];
        expect(kps.alertmanager.alertmanagerSpec.secrets).toContain(secret);
        const es = objectAt(`${env.name}/namespaces/monitoring-infra/externalsecret-${secret}.yaml`);
        expect(es.spec.target.name).toBe(secret);
        expect(es.spec.data).toEqual([{ secretKey: key, remoteRef: { key: `${platform().name}/${env.name}/sre/incident-webhook`, property: key } }]);
        expect(es.spec.data[0].remoteRef.key.startsWith(secretNamePrefix(platform(), env))).toBe(true);
      }
    }
    // No URL of an incident endpoint in any Kubernetes object (the AWS layer's SNS subscription is Terraform's).
    const endpoints = envs().map((e) => e.incidentEndpoint);
    for (const [path, content] of exampleFiles()) {
      if (path.includes('/terraform/') || path.endsWith('contract.json')) continue;
      for (const url of endpoints) expect({ path, leaks: content.includes(url) }).toEqual({ path, leaks: false });
    }
  });
});

describe('Grafana', () => {
  test('dashboards are valid JSON and have one row for every service of the model', () => {
    const services = platform().teams.flatMap((t) => t.namespaces.flatMap((n) => n.services.map((s) => `${n.name}/${s.name}`)));
    for (const env of envs()) {
      const rows = dashboards()
        .filter(({ path }) => path.startsWith(`${env.name}/`))
        .flatMap(({ obj }) => Object.values(obj.data as Record<string, string>).flatMap((json) => JSON.parse(json).panels.filter((p: Loose) => p.type === 'row').map((p: Loose) => p.title.split(' ')[0])));
      expect(rows.sort()).toEqual([...services].sort());
    }
  });

  test('every service row shows its request rate, error ratio and p99 latency from the destination proxies’ Istio metrics', () => {
    const { obj } = dashboards().find(({ path }) => path.startsWith('dev/'))!;
    const dashboard = JSON.parse(Object.values(obj.data as Record<string, string>)[0]);
    const ids = dashboard.panels.map((p: Loose) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    const rows = dashboard.panels.filter((p: Loose) => p.type === 'row');
    for (const row of rows) {
      const [namespace, service] = row.title.split(' ')[0].split('/');
      const panels = dashboard.panels.filter((p: Loose) => p.type !== 'row' && p.gridPos.y === row.gridPos.y + 1);
      expect(panels.map((p: Loose) => p.title)).toEqual(['Request rate', 'Error ratio', 'p99 latency']);
      for (const p of panels) expect(p.targets[0].expr).toContain(`reporter="destination",destination_workload_namespace="${namespace}",destination_workload="${service}"`);
      expect(panels[2].targets[0].expr).toMatch(/^histogram_quantile\(0\.99, .*istio_request_duration_milliseconds_bucket/);
    }
  });

  test('dashboard ConfigMaps carry the label Grafana’s sidecar watches, in Grafana’s namespace', () => {
    const sidecar = values('dev', 'kube-prometheus-stack').grafana.sidecar.dashboards;
    const found = dashboards().filter(({ path }) => path.startsWith('dev/'));
    expect(found.length).toBeGreaterThan(0);
    for (const { obj } of found) {
      expect(obj.metadata.labels[sidecar.label]).toBe(sidecar.labelValue);
      expect(obj.metadata.namespace).toBe(sidecar.searchNamespace);
      expect(addon('dev', 'kube-prometheus-stack').spec.destination.namespace).toBe(obj.metadata.namespace);
    }
  });

  test('signs users in only with access tokens of the staff realm, forwarded by OAuth2 Proxy (no login form, no anonymous access)', () => {
    for (const env of envs()) {
      const ini = values(env.name, 'kube-prometheus-stack').grafana['grafana.ini'];
      const issuer = `https://${env.domains.web}/auth/realms/${platform().identity.staffRealm}`;
      expect(ini['auth.jwt']).toMatchObject({ enabled: true, header_name: 'X-Auth-Request-Access-Token', jwk_set_url: `${issuer}/protocol/openid-connect/certs` });
      expect(JSON.parse(ini['auth.jwt'].expect_claims)).toEqual({ iss: issuer });
      expect(ini.auth.disable_login_form).toBe(true);
      expect(ini['auth.anonymous'].enabled).toBe(false);
      expect(values(env.name, 'kube-prometheus-stack').grafana.admin.existingSecret).toBe(objectAt(`${env.name}/namespaces/monitoring-infra/externalsecret-grafana-admin.yaml`).spec.target.name);
    }
  });
});

describe('Kiali', () => {
  test('reads Prometheus’ Service and the istio-system root namespace, view-only behind OAuth2 Proxy', () => {
    const v = values('stg', 'kiali');
    const kps = addon('stg', 'kube-prometheus-stack');
    expect(v.external_services.prometheus.url).toBe(`http://${serviceHost({ namespace: kps.spec.destination.namespace, service: `${kps.spec.source.helm.valuesObject.fullnameOverride}-prometheus` })}:9090`);
    expect(v.external_services.istio.root_namespace).toBe('istio-system');
    expect(v.istio_namespace).toBe('istio-system');
    expect(v.deployment.view_only_mode).toBe(true);
    expect(v.auth.strategy).toBe('anonymous');
    expect(v.external_services.grafana.external_url).toBe('https://grafana.stg.internal.shop.example.com');
  });
});

describe('contract', () => {
  test('Fluent Bit, the OpenTelemetry Collector and ingress-nginx are checked consumers of the values they share with the AWS layer', () => {
    const contract = JSON.parse(exampleFiles().get('dev/contract.json')!);
    const consumers = (name: string) => contract.entries.find((e: Loose) => e.name === name)?.consumers.map((c: Loose) => c.file);
    expect(consumers('log-group/application')).toEqual(['dist/dev/argocd/children/sre/application-addon-fluent-bit.yaml']);
    expect(consumers('log-group/mesh-access')).toEqual(['dist/dev/argocd/children/sre/application-addon-fluent-bit.yaml']);
    expect(consumers('iam-role/platform/fluentBit')).toEqual(['dist/dev/argocd/children/sre/application-addon-fluent-bit.yaml']);
    expect(consumers('iam-role/platform/otelCollector')).toEqual(['dist/dev/argocd/children/sre/application-addon-otel-collector.yaml']);
    expect(consumers('node-port/ingress-nginx')).toEqual(['dist/dev/argocd/children/sre/application-addon-ingress-nginx.yaml']);
  });
});
