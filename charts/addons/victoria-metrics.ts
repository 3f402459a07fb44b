/**
 * VictoriaMetrics single-node (source 003 §18-3): the long-term store Prometheus remote-writes to.
 * Prometheus keeps two days; VictoriaMetrics keeps METRICS_RETENTION on an EBS volume, and drops
 * the duplicate samples of the Prometheus replicas. Grafana reads it as a second data source.
 */
import type { AddonSpec } from '../../apps-of-apps/addon';
import type { Environment, Platform } from '../../platform/types';
import { SYNC_WAVE } from '../sync-options';
import { EBS_STORAGE_CLASS } from '../../platform/naming';
import { guaranteed, VICTORIA_METRICS_SERVICE } from './sre-tools';

/** victoria-metrics-single chart (VictoriaMetrics v1.143.0). */
export const VICTORIA_METRICS_CHART_VERSION = '0.38.0';
export const VICTORIA_METRICS_CHART_REPO = 'https://victoriametrics.github.io/helm-charts';
/** How long metrics are kept (no model field yet: one value for every environment). */
export const METRICS_RETENTION = '90d';
/** The Prometheus scrape interval: samples of two replicas within it are one sample. */
export const DEDUP_INTERVAL = '30s';
/** EBS volume of the store (gp3 grows online: raise it here when the disk alert fires). */
export const METRICS_VOLUME_SIZE = '100Gi';

export function victoriaMetricsAddons(_platform: Platform, _env: Environment): AddonSpec[] {
  return [
    {
      name: 'victoria-metrics',
      namespace: VICTORIA_METRICS_SERVICE.namespace,
      repoURL: VICTORIA_METRICS_CHART_REPO,
      chart: 'victoria-metrics-single',
      version: VICTORIA_METRICS_CHART_VERSION,
      syncWave: SYNC_WAVE.platformConfig,
      values: {
        server: {
          fullnameOverride: VICTORIA_METRICS_SERVICE.service,
          retentionPeriod: METRICS_RETENTION,
          extraArgs: { 'dedup.minScrapeInterval': DEDUP_INTERVAL, loggerFormat: 'json', 'envflag.enable': 'true', 'envflag.prefix': 'VM_' },
          service: { servicePort: VICTORIA_METRICS_SERVICE.port },
          persistentVolume: { enabled: true, storageClass: EBS_STORAGE_CLASS, size: METRICS_VOLUME_SIZE },
          resources: guaranteed('1', '2Gi'),
          serviceMonitor: { enabled: true },
        },
      },
    },
  ];
}
