/**
 * Grafana dashboards generated from the model, as ConfigMaps Grafana's sidecar provisions
 * (source 003 §18-3: "dashboards as JSON in a ConfigMap"). The JSON is built in a fixed key and
 * panel order, so the same model renders byte-identical dashboards.
 */
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { Platform, Service } from '../../platform/types';
import { GRAFANA_DASHBOARD_LABEL } from '../addons/sre-tools';

/** Error ratio above which the panel turns red (the availability alert's default threshold). */
const ERROR_RATIO_THRESHOLD = 0.05;
/** p99 latency above which the panel turns red: 80% of the service's timeout, like its latency alert. */
const latencyThresholdMs = (service: Service): number => Math.round(service.traffic.timeoutSeconds * 1000 * 0.8);

/** gRPC status codes that are the server's fault (UNKNOWN, DEADLINE_EXCEEDED, UNIMPLEMENTED, INTERNAL, UNAVAILABLE, DATA_LOSS). */
const GRPC_SERVER_ERRORS = '2|4|12|13|14|15';

export interface ServiceRow {
  readonly team: string;
  readonly namespace: string;
  readonly service: Service;
}

/** Every service of the model, in model order. */
export function serviceRows(platform: Platform): ServiceRow[] {
  return platform.teams.flatMap((team) => team.namespaces.flatMap((ns) => ns.services.map((service) => ({ team: team.name, namespace: ns.name, service }))));
}

/** PromQL of one service's RED signals, from the destination proxy's standard Istio metrics. */
export function redQueries(namespace: string, service: Service) {
  const workload = `reporter="destination",destination_workload_namespace="${namespace}",destination_workload="${service.name}"`;
  const grpc = service.ports[0]?.protocol === 'grpc';
  const failed = grpc ? `${workload},grpc_response_status=~"${GRPC_SERVER_ERRORS}"` : `${workload},response_code=~"5.."`;
  return {
    rate: `sum(rate(istio_requests_total{${workload}}[$__rate_interval]))`,
    errors: `sum(rate(istio_requests_total{${failed}}[$__rate_interval])) / sum(rate(istio_requests_total{${workload}}[$__rate_interval]))`,
    p99: `histogram_quantile(0.99, sum by (le) (rate(istio_request_duration_milliseconds_bucket{${workload}}[$__rate_interval])))`,
  };
}

const DATASOURCE = { type: 'prometheus', uid: '${datasource}' };

function timeseries(id: number, title: string, expr: string, unit: string, x: number, y: number, red?: number) {
  return {
    id,
    type: 'timeseries',
    title,
    datasource: DATASOURCE,
    gridPos: { h: 8, w: 8, x, y },
    fieldConfig: {
      defaults: {
        unit,
        min: 0,
        custom: { drawStyle: 'line', lineWidth: 1, fillOpacity: 10, showPoints: 'never', thresholdsStyle: { mode: red === undefined ? 'off' : 'line' } },
        thresholds: { mode: 'absolute', steps: [{ color: 'green', value: null }, ...(red === undefined ? [] : [{ color: 'red', value: red }])] },
      },
      overrides: [],
    },
    options: { legend: { displayMode: 'list', placement: 'bottom', showLegend: false }, tooltip: { mode: 'single', sort: 'none' } },
    targets: [{ refId: 'A', datasource: DATASOURCE, expr, legendFormat: title, range: true }],
  };
}

/** The RED dashboard: one row per service (request rate, error ratio, p99 latency). */
export function servicesRedDashboard(platform: Platform) {
  const panels: unknown[] = [];
  let id = 0;
  let y = 0;
  for (const { team, namespace, service } of serviceRows(platform)) {
    const q = redQueries(namespace, service);
    panels.push({ id: ++id, type: 'row', title: `${namespace}/${service.name} (team ${team})`, collapsed: false, gridPos: { h: 1, w: 24, x: 0, y }, panels: [] });
    y += 1;
    panels.push(timeseries(++id, 'Request rate', q.rate, 'reqps', 0, y));
    panels.push(timeseries(++id, 'Error ratio', q.errors, 'percentunit', 8, y, ERROR_RATIO_THRESHOLD));
    panels.push(timeseries(++id, 'p99 latency', q.p99, 'ms', 16, y, latencyThresholdMs(service)));
    y += 8;
  }
  return {
    uid: 'platform-services-red',
    title: 'Platform services: RED',
    description: 'Generated from the platform model (charts/platform-config/dashboards.ts): request rate, error ratio and p99 latency of every service, from the Istio metrics of its destination proxies. Do not edit in Grafana.',
    tags: ['platform', 'red', 'generated'],
    editable: false,
    graphTooltip: 1,
    schemaVersion: 39,
    version: 1,
    refresh: '1m',
    time: { from: 'now-6h', to: 'now' },
    timepicker: {},
    timezone: 'utc',
    annotations: { list: [] },
    templating: {
      list: [{ name: 'datasource', label: 'Data source', type: 'datasource', query: 'prometheus', current: {}, hide: 0, includeAll: false, multi: false, options: [], refresh: 1, regex: '', skipUrlSync: false }],
    },
    panels,
  };
}

/** Name and file of each generated dashboard. */
export const DASHBOARDS = [{ name: 'grafana-dashboard-services-red', file: 'services-red.json', build: servicesRedDashboard }] as const;

/** The generated dashboards as ConfigMaps labelled for Grafana's sidecar. */
export class GrafanaDashboards extends Construct {
  constructor(scope: Construct, id: string, props: { readonly platform: Platform }) {
    super(scope, id);
    for (const dashboard of DASHBOARDS) {
      new kplus.k8s.KubeConfigMap(this, dashboard.name, {
        metadata: { name: dashboard.name, labels: { [GRAFANA_DASHBOARD_LABEL.key]: GRAFANA_DASHBOARD_LABEL.value } },
        data: { [dashboard.file]: `${JSON.stringify(dashboard.build(props.platform), null, 2)}\n` },
      });
    }
  }
}
