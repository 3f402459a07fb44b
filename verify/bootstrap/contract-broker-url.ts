/**
 * A contract gate Job (a container with `PACT_BROKER_BASE_URL`) must call a broker that exists: an
 * in-cluster URL (`http://<service>.<namespace>.svc.cluster.local[:port]`) must name a Service this
 * environment renders, or the Service an Application of the `pact-broker` chart creates; any other
 * URL must be https (the Jobs send the broker's basic credentials over the network).
 *
 * The chart's Service (pact-foundation/pact-broker-chart charts/pact-broker): named
 * `chart.fullname` (templates/_helpers.tpl: `fullnameOverride`, else the release name when it
 * contains the chart name, else "<release>-pact-broker"), in the release namespace, on
 * `service.ports.http` (values.yaml, default 80). Argo CD's Helm release name is
 * `spec.source.helm.releaseName`, else the Application's name (argo-cd docs user-guide/helm.md).
 */
import type { Check, Finding } from '../registry';

const CHART = 'pact-broker';
const IN_CLUSTER = /^(https?):\/\/([a-z0-9-]+)\.([a-z0-9-]+)\.svc\.cluster\.local(?::(\d+))?(\/.*)?$/;

export const contractBrokerUrl: Check = {
  id: 'contract-broker-url',
  description: "every contract gate Job's PACT_BROKER_BASE_URL names a Service that exists (rendered, or the pact-broker chart's), or is https",
  run: (sim) => {
    const services = new Set<string>();
    for (const o of sim.objects) {
      if (o.kind === 'Service') for (const p of (o.doc.spec?.ports ?? []) as { port: number }[]) services.add(`${o.namespace ?? ''}/${o.name}:${p.port}`);
      const source = o.kind === 'Application' ? o.doc.spec?.source : undefined;
      if (source?.chart !== CHART) continue;
      const values = source.helm?.valuesObject ?? {};
      const release: string = source.helm?.releaseName ?? o.name;
      const name: string = values.fullnameOverride ?? (release.includes(CHART) ? release : `${release}-${CHART}`);
      services.add(`${o.doc.spec?.destination?.namespace ?? ''}/${name}:${Number(values.service?.ports?.http ?? 80)}`);
    }
    const out: Omit<Finding, 'rule'>[] = [];
    for (const o of sim.objects) {
      if (o.kind !== 'Job') continue;
      for (const c of (o.doc.spec?.template?.spec?.containers ?? []) as { name: string; env?: { name: string; value?: string }[] }[]) {
        const url = c.env?.find((e) => e.name === 'PACT_BROKER_BASE_URL')?.value;
        if (url === undefined) continue;
        const m = IN_CLUSTER.exec(url);
        if (m) {
          const port = m[4] !== undefined ? Number(m[4]) : m[1] === 'https' ? 443 : 80;
          if (!services.has(`${m[3]}/${m[2]}:${port}`)) out.push({ file: o.file, message: `Job ${o.name} calls the contract broker at ${url}, but no Service ${m[3]}/${m[2]} on port ${port} is rendered or created by a ${CHART} Application of this environment` });
        } else if (!url.startsWith('https://')) {
          out.push({ file: o.file, message: `Job ${o.name} sends the contract broker's credentials to ${url} without TLS: outside the cluster the broker URL must be https` });
        }
      }
    }
    return out;
  },
};
