/**
 * Hop: the caller's `Sidecar` egress (what its proxy knows and may send to).
 *
 * Encodes istio.io/latest/docs/reference/config/networking/sidecar/: the Sidecar of the
 * workload's namespace whose workloadSelector matches, else the namespace's Sidecar without a
 * selector, else the root namespace's; `egress[].hosts` are "<namespace>/<dnsName>" ("./" = the
 * Sidecar's namespace, "*" = any, dnsName may be "*" or "*.suffix") and import the services and
 * ServiceEntries of that namespace. `outboundTrafficPolicy.mode: REGISTRY_ONLY` sends a host that
 * is not imported to the BlackHole cluster (502 for HTTP, a reset for TCP). No Sidecar at all:
 * every service in the mesh is visible.
 */
import { type DistTree, type K8sObject, objectsIn, ref } from './dist-tree';
import { dnsMatches, selects } from './gateway';
import { type Hop, refuse, type Workload } from './hop';
import { ROOT_NAMESPACE } from './request-authentication';

export function sidecarOf(tree: DistTree, w: Workload): K8sObject | undefined {
  const own = objectsIn(tree, 'Sidecar', w.namespace);
  return own.find((s) => s.spec?.workloadSelector && selects(s.spec.workloadSelector.labels, w.labels)) ?? own.find((s) => !s.spec?.workloadSelector) ?? objectsIn(tree, 'Sidecar', ROOT_NAMESPACE).find((s) => !s.spec?.workloadSelector);
}

/** Whether the caller's Sidecar imports `host` as registered in `hostNamespace`. */
export function evaluateSidecarEgress(tree: DistTree, w: Workload, host: string, hostNamespace: string, port: number): Hop {
  const sc = sidecarOf(tree, w);
  if (!sc) return { hop: 'Sidecar egress', object: '(none)', detail: `no Sidecar: ${host} is visible` };
  const imported = (sc.spec?.egress ?? []).some((e: { hosts?: string[]; port?: { number: number } }) =>
    (e.port === undefined || Number(e.port.number) === port) &&
    (e.hosts ?? []).some((h) => {
      const [ns, dns] = h.split('/');
      const nsOk = ns === '*' || (ns === '.' ? sc.metadata.namespace === hostNamespace : ns === hostNamespace);
      return nsOk && dnsMatches(dns, host);
    }),
  );
  const mode = sc.spec?.outboundTrafficPolicy?.mode ?? 'ALLOW_ANY';
  if (imported) return { hop: 'Sidecar egress', object: ref(sc), detail: `imports ${hostNamespace}/${host}` };
  if (mode === 'REGISTRY_ONLY') return refuse('Sidecar egress', ref(sc), `${hostNamespace}/${host} is not in egress.hosts; REGISTRY_ONLY sends it to the BlackHole cluster`, `${ref(sc)} egress[].hosts + outboundTrafficPolicy REGISTRY_ONLY`, '502');
  return { hop: 'Sidecar egress', object: ref(sc), detail: `${host} not imported; ALLOW_ANY passes it through` };
}
