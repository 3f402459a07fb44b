/**
 * Widening and narrowing of who may talk to whom: Istio AuthorizationPolicy (an ALLOW policy with
 * no rules allows nothing, and any ALLOW policy denies what it does not match; DENY is evaluated
 * first: istio security/v1beta1/authorization_policy.proto), PeerAuthentication (STRICT vs
 * PERMISSIVE/DISABLE), Sidecar egress hosts and outbound policy (networking/v1alpha3/sidecar.proto),
 * and Kubernetes NetworkPolicy rules.
 */
import { canonical, subject, type ObjectChange } from '../compare-trees';
import type { RenderedObject } from '../rendered-object';
import { flag, setDelta, type RiskFlag } from '../risk-flag';

type Body = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** What an object grants, as comparable atoms; `allows` false when adding atoms narrows (DENY). */
interface Grants {
  readonly allows: boolean;
  readonly atoms: readonly string[];
}

const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

function authorizationGrants(body: Body): Grants {
  const spec = body.spec ?? {};
  const action = spec.action ?? 'ALLOW';
  const rules: Body[] = spec.rules ?? [];
  // An ALLOW policy without rules matches nothing: it denies every request to the selected workloads.
  if (rules.length === 0) return { allows: action !== 'DENY', atoms: action === 'ALLOW' ? ['deny-all'] : [] };
  const atoms: string[] = [];
  rules.forEach((rule) => {
    const from: Body[] = rule.from ?? [];
    const to: Body[] = rule.to ?? [];
    if (from.length === 0) atoms.push('from any source');
    for (const f of from) {
      const s = f.source ?? {};
      for (const field of ['principals', 'notPrincipals', 'requestPrincipals', 'notRequestPrincipals', 'namespaces', 'notNamespaces', 'ipBlocks', 'notIpBlocks', 'remoteIpBlocks']) {
        for (const v of list(s[field])) atoms.push(`${field.replace(/s$/, '')} ${v}`);
      }
    }
    if (to.length === 0) atoms.push('to any operation');
    for (const t of to) {
      const op = t.operation ?? {};
      for (const field of ['hosts', 'notHosts', 'paths', 'notPaths', 'methods', 'notMethods', 'ports', 'notPorts']) {
        for (const v of list(op[field])) atoms.push(`${field.replace(/s$/, '')} ${v}`);
      }
    }
    for (const w of (rule.when ?? []) as Body[]) atoms.push(`when ${w.key} in ${list(w.values).join('|')}`);
  });
  return { allows: action !== 'DENY', atoms };
}

function peerAuthenticationGrants(body: Body): Grants {
  const mode = body.spec?.mtls?.mode ?? 'UNSET';
  return { allows: true, atoms: mode === 'STRICT' ? ['mTLS STRICT'] : [] };
}

function sidecarGrants(body: Body): Grants {
  const spec = body.spec ?? {};
  const atoms = ((spec.egress ?? []) as Body[]).flatMap((e) => list(e.hosts).map((h) => `egress host ${h}`));
  if (spec.outboundTrafficPolicy?.mode === 'ALLOW_ANY') atoms.push('egress to any host (ALLOW_ANY)');
  return { allows: true, atoms };
}

function networkPolicyGrants(body: Body): Grants {
  const spec = body.spec ?? {};
  const atoms = [...((spec.ingress ?? []) as Body[]).map((r) => `ingress ${canonical(r)}`), ...((spec.egress ?? []) as Body[]).map((r) => `egress ${canonical(r)}`)];
  return { allows: true, atoms };
}

const RESTRICTING: ReadonlySet<string> = new Set(['deny-all', 'mTLS STRICT']);

const GRANTS: Readonly<Record<string, (body: Body) => Grants>> = {
  AuthorizationPolicy: authorizationGrants,
  PeerAuthentication: peerAuthenticationGrants,
  Sidecar: sidecarGrants,
  NetworkPolicy: networkPolicyGrants,
};

/** Who the atom is about in the model: a new caller is a dependency declared by that caller. */
function attribute(o: RenderedObject, atom: string): string | undefined {
  const target = ((o.body as Body).spec?.selector?.matchLabels ?? {})['app.kubernetes.io/name'] as string | undefined;
  const principal = /^principal cluster\.local\/ns\/([^/]+)\/sa\/(.+)$/.exec(atom);
  if (principal && target) return `namespaces[${principal[1]}].services[${principal[2]}].dependencies: { service: "${o.namespace}/${target}" }`;
  if (/^(path|host|requestPrincipal) /.test(atom) && target) return `teams[${o.team}].namespaces[${o.namespace}].services[${target}].exposure / endUserAuth`;
  if (atom.startsWith('egress host ')) return `teams[${o.team}].namespaces[${o.namespace}].services[*].dependencies`;
  if (o.kind === 'PeerAuthentication') return `teams[${o.team}].namespaces[${o.namespace}].mesh`;
  return undefined;
}

export function meshPolicyFlags(change: ObjectChange): RiskFlag[] {
  const o = subject(change);
  const grants = GRANTS[o.kind];
  if (!grants || o.layer !== 'kubernetes') return [];
  const before = change.before ? grants(change.before.body as Body) : { allows: true, atoms: [] };
  const after = change.after ? grants(change.after.body as Body) : { allows: before.allows, atoms: [] };
  const flags: RiskFlag[] = [];
  // Gaining a granting atom widens; gaining a restricting one (deny-all, STRICT, a DENY rule) narrows.
  const report = (atoms: readonly string[], allows: boolean, gained: boolean) => {
    for (const widening of [true, false]) {
      const group = atoms.filter((a) => (gained !== (RESTRICTING.has(a) || !allows)) === widening);
      if (group.length === 0) continue;
      const attributions = [...new Set(group.map((a) => attribute(o, a)).filter((x): x is string => !!x))];
      flags.push(flag(widening ? 'mesh-widening' : 'mesh-narrowing', o, `${o.kind} ${o.name} ${gained ? 'adds' : 'drops'}: ${group.join(', ')}`, attributions.join('; ') || undefined));
    }
  };
  if (before.allows === after.allows) {
    const { added, removed } = setDelta(before.atoms, after.atoms);
    report(added, after.allows, true);
    report(removed, before.allows, false);
  } else {
    report([...before.atoms], before.allows, false);
    report([...after.atoms], after.allows, true);
  }
  return flags;
}
