/**
 * Every values key an add-on Application gives a pinned chart is a key of that chart version
 * (verify/upstream/charts.ts CHART_VALUES, read from the chart's values.yaml and templates). Helm
 * merges the Application's `helm.valuesObject` over the chart's values.yaml and templates read only
 * the keys they know, so a misspelt or moved key is ignored without a word (helm/helm
 * pkg/chartutil/coalesce.go: user values are coalesced into the chart's defaults, nothing is
 * rejected without a values.schema.json, which the Temporal chart does not ship). An Application
 * pinning another version than the facts were read at is reported too: the facts must be re-read.
 */
import type { Check } from '../registry';
import { CHART_VALUES, type ChartValuesFacts } from '../upstream/charts';

/** Leaf dot paths of a values object, stopping at free-form values, arrays and scalars. */
export function valuesPaths(value: unknown, freeForm: readonly string[], prefix = ''): string[] {
  const last = prefix.split('.').pop() ?? '';
  if (value === null || typeof value !== 'object' || Array.isArray(value) || (prefix !== '' && freeForm.includes(last))) return prefix === '' ? [] : [prefix];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => valuesPaths(v, freeForm, prefix === '' ? k : `${prefix}.${k}`));
}

/** Whether a path is one of the chart's keys (`*` standing for one of the wildcard names). */
export function isChartKey(facts: ChartValuesFacts, path: string): boolean {
  const parts = path.split('.');
  return facts.keys.some((key) => {
    const k = key.split('.');
    return k.length === parts.length && k.every((seg, i) => seg === parts[i] || (seg === '*' && (facts.wildcards ?? []).includes(parts[i])));
  });
}

export const chartValuesKeys: Check = {
  id: 'chart-values-keys',
  description: 'every values key of a pinned chart Application is a key of that chart version',
  run: (sim) =>
    sim.apps.flatMap((a) =>
      a.charts.flatMap((c) => {
        const facts = CHART_VALUES[c.chart];
        if (!facts) return [];
        if (c.targetRevision !== facts.version) {
          return [{ file: a.app.file, message: `Application ${a.name}: chart ${c.chart} ${c.targetRevision}, but its values keys were read at ${facts.version} (${facts.source}): re-read them` }];
        }
        return valuesPaths(c.values, facts.freeForm)
          .filter((p) => !isChartKey(facts, p))
          .map((p) => ({ file: a.app.file, message: `Application ${a.name}: values key ${p} is not a key of chart ${c.chart} ${facts.version} (${facts.source})` }));
      }),
    ),
};
