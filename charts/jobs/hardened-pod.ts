/**
 * The restrictive security settings every platform-rendered container and Pod uses: non-root,
 * read-only root filesystem, no privilege escalation, all capabilities dropped, RuntimeDefault
 * seccomp (Pod Security "restricted").
 */
export const RUN_AS = 10001;

/** Restricted-profile container security context, running as `uid` (never 0). */
export function restrictedContainer(uid: number) {
  return {
    runAsNonRoot: true,
    runAsUser: uid,
    runAsGroup: uid,
    readOnlyRootFilesystem: true,
    allowPrivilegeEscalation: false,
    privileged: false,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  } as const;
}

export const CONTAINER_SECURITY_CONTEXT = restrictedContainer(RUN_AS);

/**
 * The same settings in cdk8s-plus's terms (Pod and container); `hardenPodTemplate` adds what
 * cdk8s-plus cannot express (capabilities, Pod-level seccomp).
 */
export const kplusPodSecurity = (uid: number) => ({ ensureNonRoot: true, user: uid, group: uid, fsGroup: uid });
export const kplusContainerSecurity = (uid: number) => ({
  ensureNonRoot: true,
  user: uid,
  group: uid,
  readOnlyRootFilesystem: true,
  allowPrivilegeEscalation: false,
  privileged: false,
});

/** Jobs run to completion, so they get no mesh sidecar (it would never exit). */
export const NO_SIDECAR = { 'sidecar.istio.io/inject': 'false' } as const;
