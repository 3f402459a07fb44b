/**
 * Policies every rendered object must meet, checked during synth (a failure stops the render and
 * leaves dist/ untouched) and in tests. They are a second line of defence behind the model
 * validation: they see what the constructs actually produced, add-on Jobs included.
 */
import type { Environment } from '../platform/types';

/** A rendered object with the file it goes to (relative to dist/). */
export interface PlacedObject {
  readonly path: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly obj: any;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/**
 * A check over an environment's rendered objects; `kinds`, when set, are the only kinds it reads
 * (so the render keeps only those objects for it, not the whole environment).
 */
export type Policy = ((env: Environment, objects: readonly PlacedObject[]) => string[]) & { readonly kinds?: ReadonlySet<string> };

/** A policy that reads only objects of `kinds`. */
function reading(kinds: readonly string[], check: (env: Environment, objects: readonly PlacedObject[]) => string[]): Policy {
  return Object.assign(check, { kinds: new Set(kinds) });
}

/** The kinds of object `policies` read, or undefined when one of them may read any. */
export function kindsRead(policies: readonly Policy[]): ReadonlySet<string> | undefined {
  if (policies.some((p) => p.kinds === undefined)) return undefined;
  return new Set(policies.flatMap((p) => [...p.kinds!]));
}

/** Kinds whose spec holds a Pod template, and every kind that holds a Pod spec (podSpecs). */
const TEMPLATE_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'ReplicaSet'];
const WORKLOAD_KINDS = [...TEMPLATE_KINDS, 'CronJob', 'Pod'];

/** Pod templates of workload kinds, with where they sit. */
function podSpecs(objects: readonly PlacedObject[]): { path: string; id: string; pod: Json }[] {
  const out: { path: string; id: string; pod: Json }[] = [];
  for (const { path, obj } of objects) {
    const id = `${obj.kind}/${obj.metadata?.name}`;
    if (TEMPLATE_KINDS.includes(obj.kind)) out.push({ path, id, pod: obj.spec?.template?.spec ?? {} });
    else if (obj.kind === 'CronJob') out.push({ path, id, pod: obj.spec?.jobTemplate?.spec?.template?.spec ?? {} });
    else if (obj.kind === 'Pod') out.push({ path, id, pod: obj.spec ?? {} });
  }
  return out;
}

function containersOf(pod: Json): Json[] {
  return [...(pod.initContainers ?? []), ...(pod.containers ?? [])];
}

/** Every container has CPU and memory limits. */
export const containersHaveLimits: Policy = reading(WORKLOAD_KINDS, (_env, objects) =>
  podSpecs(objects).flatMap(({ path, id, pod }) =>
    containersOf(pod)
      .filter((c) => !c.resources?.limits?.cpu || !c.resources?.limits?.memory)
      .map((c) => `${path}: ${id} container "${c.name}" has no ${!c.resources?.limits?.cpu ? 'cpu' : 'memory'} limit`),
  ),
);

/** No `:latest` anywhere; where the environment requires it, every image is pinned by digest. */
export const imagesAreImmutable: Policy = reading(WORKLOAD_KINDS, (env, objects) =>
  podSpecs(objects).flatMap(({ path, id, pod }) =>
    containersOf(pod).flatMap((c) => {
      const image = String(c.image ?? '');
      const problems: string[] = [];
      const tag = /:([^/@]+)(@|$)/.exec(image.slice(image.lastIndexOf('/')))?.[1];
      if (tag?.toLowerCase() === 'latest' || (!tag && !image.includes('@'))) problems.push(`${path}: ${id} container "${c.name}" uses a mutable image "${image}" (latest or no tag)`);
      else if (env.requireImageDigest && !/@sha256:[a-f0-9]{64}$/.test(image)) {
        problems.push(`${path}: ${id} container "${c.name}" image "${image}" is not pinned by digest, which ${env.name} requires`);
      }
      return problems;
    }),
  ),
);

/** No privileged or root containers; no privilege escalation; all capabilities dropped. */
export const containersAreUnprivileged: Policy = reading(WORKLOAD_KINDS, (_env, objects) =>
  podSpecs(objects).flatMap(({ path, id, pod }) =>
    containersOf(pod).flatMap((c) => {
      const sc = c.securityContext ?? {};
      const podSc = pod.securityContext ?? {};
      const where = `${path}: ${id} container "${c.name}"`;
      const problems: string[] = [];
      if (sc.privileged === true) problems.push(`${where} is privileged`);
      const runAsUser = sc.runAsUser ?? podSc.runAsUser;
      if (runAsUser === 0 || (sc.runAsNonRoot ?? podSc.runAsNonRoot) !== true) problems.push(`${where} may run as root (needs runAsNonRoot: true and a non-zero runAsUser)`);
      if (sc.allowPrivilegeEscalation !== false) problems.push(`${where} allows privilege escalation`);
      if (!(sc.capabilities?.drop ?? []).includes('ALL')) problems.push(`${where} does not drop all capabilities`);
      if (sc.readOnlyRootFilesystem !== true) problems.push(`${where} has a writable root filesystem`);
      if (pod.hostNetwork === true || pod.hostPID === true || pod.hostIPC === true) problems.push(`${path}: ${id} shares a host namespace`);
      return problems;
    }),
  ),
);

/**
 * Every in-mesh namespace has a namespace-wide STRICT PeerAuthentication and a default-deny
 * AuthorizationPolicy (an ALLOW policy with no rules matches nothing) in its folder.
 */
export const meshNamespacesAreZeroTrust: Policy = reading(['Namespace', 'PeerAuthentication', 'AuthorizationPolicy'], (_env, objects) => {
  // One pass: what each namespace holds (scanning every object per namespace was quadratic).
  const strict = new Set<string>();
  const deny = new Set<string>();
  const meshed: string[] = [];
  for (const { obj } of objects) {
    const ns = obj.metadata?.namespace;
    if (obj.kind === 'Namespace' && obj.metadata?.labels?.['istio-injection'] === 'enabled') meshed.push(obj.metadata.name);
    else if (obj.kind === 'PeerAuthentication' && !obj.spec?.selector && obj.spec?.mtls?.mode === 'STRICT') strict.add(ns);
    else if (obj.kind === 'AuthorizationPolicy' && !obj.spec?.selector && (obj.spec?.action ?? 'ALLOW') === 'ALLOW' && !(obj.spec?.rules?.length > 0)) deny.add(ns);
  }
  const problems: string[] = [];
  for (const ns of meshed) {
    if (!strict.has(ns)) problems.push(`namespace ${ns} is in the mesh but has no namespace-wide STRICT PeerAuthentication`);
    if (!deny.has(ns)) problems.push(`namespace ${ns} is in the mesh but has no default-deny AuthorizationPolicy`);
  }
  return problems;
});

/** No rendered Secret carries a value (secrets come from AWS Secrets Manager or SOPS). */
export const noPlaintextSecrets: Policy = reading(['Secret'], (_env, objects) =>
  objects.filter((o) => o.obj.kind === 'Secret' && (o.obj.data !== undefined || o.obj.stringData !== undefined)).map((o) => `${o.path}: Secret/${o.obj.metadata?.name} carries a value`),
);

export const POLICIES: readonly Policy[] = [containersHaveLimits, imagesAreImmutable, containersAreUnprivileged, meshNamespacesAreZeroTrust, noPlaintextSecrets];

export function checkPolicies(env: Environment, objects: readonly PlacedObject[], policies: readonly Policy[] = POLICIES): string[] {
  return policies.flatMap((policy) => policy(env, objects));
}
