/**
 * An object that references a Secret, ConfigMap, ServiceAccount, PersistentVolumeClaim or secret
 * store must find it already applied at its own phase and wave, on the very first sync.
 *
 * gitops-engine `pkg/sync/sync_context.go` (and argo-cd docs user-guide/sync-waves.md): a sync runs
 * the PreSync hooks, then the Sync phase, then PostSync, each ordered by wave; the next wave starts
 * when the previous one is Healthy. So a PreSync hook can only use what exists before the sync
 * started or what an earlier PreSync wave created; an object of an earlier Application (lower wave
 * along the app-of-apps path) exists already. An ExternalSecret provides its target Secret (ESO
 * creates it; Argo CD's built-in ExternalSecret health check waits for Ready). A config management
 * plugin source renders Secrets Argo CD applies in the Sync phase, wave 0, unless they say otherwise.
 * Charts of Helm sources render unknown objects: references into a chart's release namespace are
 * taken as provided by that Application.
 */
import type { Check, Finding } from '../registry';
import { compareOrder, PHASE_ORDER, phaseOf, waveOf, type SyncedApp } from '../simulation';
import type { RenderedObject } from '../tree';

interface Ref {
  readonly kind: 'Secret' | 'ConfigMap' | 'ServiceAccount' | 'PersistentVolumeClaim' | 'SecretStore' | 'ClusterSecretStore';
  readonly name: string;
  readonly field: string;
}

interface Provider {
  readonly app: SyncedApp;
  readonly phase: number;
  readonly wave: number;
  readonly via: string;
}

const POD_TEMPLATE: Readonly<Record<string, string[]>> = {
  Pod: ['spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const at = (doc: any, p: readonly string[]): any => p.reduce((d, k) => (d == null ? d : d[k]), doc);

/** What an object needs to exist before it can run (optional references excluded). */
export function referencesOf(o: RenderedObject): Ref[] {
  const refs: Ref[] = [];
  const podPath = POD_TEMPLATE[o.kind];
  if (podPath) {
    const pod = at(o.doc, podPath) ?? {};
    if (pod.serviceAccountName && pod.serviceAccountName !== 'default') refs.push({ kind: 'ServiceAccount', name: pod.serviceAccountName, field: 'serviceAccountName' });
    for (const v of pod.volumes ?? []) {
      if (v.secret?.secretName && !v.secret.optional) refs.push({ kind: 'Secret', name: v.secret.secretName, field: `volumes[${v.name}]` });
      if (v.configMap?.name && !v.configMap.optional) refs.push({ kind: 'ConfigMap', name: v.configMap.name, field: `volumes[${v.name}]` });
      if (v.persistentVolumeClaim?.claimName) refs.push({ kind: 'PersistentVolumeClaim', name: v.persistentVolumeClaim.claimName, field: `volumes[${v.name}]` });
      for (const s of v.projected?.sources ?? []) {
        if (s.secret?.name && !s.secret.optional) refs.push({ kind: 'Secret', name: s.secret.name, field: `volumes[${v.name}]` });
        if (s.configMap?.name && !s.configMap.optional) refs.push({ kind: 'ConfigMap', name: s.configMap.name, field: `volumes[${v.name}]` });
      }
    }
    for (const c of [...(pod.initContainers ?? []), ...(pod.containers ?? [])]) {
      for (const e of c.envFrom ?? []) {
        if (e.secretRef?.name && !e.secretRef.optional) refs.push({ kind: 'Secret', name: e.secretRef.name, field: `containers[${c.name}].envFrom` });
        if (e.configMapRef?.name && !e.configMapRef.optional) refs.push({ kind: 'ConfigMap', name: e.configMapRef.name, field: `containers[${c.name}].envFrom` });
      }
      for (const e of c.env ?? []) {
        const s = e.valueFrom?.secretKeyRef;
        const m = e.valueFrom?.configMapKeyRef;
        if (s?.name && !s.optional) refs.push({ kind: 'Secret', name: s.name, field: `containers[${c.name}].env[${e.name}]` });
        if (m?.name && !m.optional) refs.push({ kind: 'ConfigMap', name: m.name, field: `containers[${c.name}].env[${e.name}]` });
      }
    }
  }
  if (o.kind === 'ExternalSecret' && o.doc.spec?.secretStoreRef?.name) {
    const kind = o.doc.spec.secretStoreRef.kind === 'ClusterSecretStore' ? 'ClusterSecretStore' : 'SecretStore';
    refs.push({ kind, name: o.doc.spec.secretStoreRef.name, field: 'spec.secretStoreRef' });
  }
  // Same object twice (envFrom and a volume) is one reference.
  return [...new Map(refs.map((r) => [`${r.kind}/${r.name}`, r])).values()];
}

const key = (kind: string, namespace: string, name: string): string => `${kind}/${namespace}/${name}`;

export const referenceAvailability: Check = {
  id: 'reference-availability',
  description: 'every Secret, ConfigMap, ServiceAccount, PVC and secret store an object uses exists at its phase and wave',
  run: (sim) => {
    const providers = new Map<string, Provider[]>();
    const add = (k: string, p: Provider): void => void providers.set(k, [...(providers.get(k) ?? []), p]);
    const nsOf = (a: SyncedApp, o: RenderedObject): string => o.namespace ?? a.destination.namespace;
    const chartNamespaces = new Map<string, SyncedApp>();
    for (const a of sim.apps) {
      if (a.charts.length > 0) chartNamespaces.set(a.destination.namespace, a);
      for (const o of a.objects) {
        const p = { app: a, phase: PHASE_ORDER[phaseOf(o)] ?? 1, wave: waveOf(o), via: o.file };
        const clusterWide = o.kind === 'ClusterSecretStore';
        add(key(o.kind, clusterWide ? '' : nsOf(a, o), o.name), p);
        if (o.kind === 'ExternalSecret') add(key('Secret', nsOf(a, o), o.doc.spec?.target?.name ?? o.name), { ...p, via: `ExternalSecret ${o.name} (${o.file})` });
      }
    }
    const out: Omit<Finding, 'rule'>[] = [];
    for (const a of sim.apps) {
      for (const o of a.objects) {
        const phase = PHASE_ORDER[phaseOf(o)] ?? 1;
        const wave = waveOf(o);
        const ns = nsOf(a, o);
        for (const r of referencesOf(o)) {
          const k = key(r.kind, r.kind === 'ClusterSecretStore' ? '' : ns, r.name);
          const candidates = [...(providers.get(k) ?? [])];
          if (r.kind === 'Secret' && a.plugins.length > 0) candidates.push({ app: a, phase: PHASE_ORDER.Sync, wave: 0, via: `plugin ${a.plugins.map((p) => p.plugin).join(', ')}` });
          const chartApp = chartNamespaces.get(ns);
          if (candidates.length === 0 && chartApp && chartApp !== a) candidates.push({ app: chartApp, phase: 0, wave: 0, via: `chart of ${chartApp.name}` });
          const available = candidates.some((p) => {
            if (p.app !== a) return compareOrder(p.app.orderKey, a.orderKey) < 0;
            return p.phase < phase || (p.phase === phase && p.wave <= wave);
          });
          if (available) continue;
          const where = `${o.kind} ${o.name} (${phaseOf(o)}, wave ${wave})`;
          const found = candidates.length === 0
            ? 'which no Application of this environment creates'
            : `which only exists from ${candidates.map((p) => (p.app === a ? `${Object.keys(PHASE_ORDER)[p.phase]} wave ${p.wave} via ${p.via}` : `Application ${p.app.name} (synced after ${a.name})`)).join('; ')}`;
          out.push({ file: o.file, message: `${where} references ${r.kind} ${r.name} in ${r.field}, ${found}` });
        }
      }
    }
    return out;
  },
};
