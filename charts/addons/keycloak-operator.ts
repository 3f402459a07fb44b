/**
 * The Keycloak Operator (source 002 §7.6), installed the way its maintainers publish it: the plain
 * manifests of keycloak/keycloak-k8s-resources at a release tag (the CRDs of `Keycloak` and
 * `KeycloakRealmImport`, and `kubernetes.yml`: ServiceAccount, RBAC, Deployment). There is no
 * official Helm chart. The operator watches its own namespace only (`KUBERNETES_NAMESPACE` from the
 * downward API, RoleBindings without a namespace), so it runs in the namespace of the model's
 * identity service, where charts/tools/keycloak.ts renders the `Keycloak` and realm resources.
 */
import type { AddonSpec } from '../../apps-of-apps/addon';
import { parseServiceKey } from '../../platform/naming';
import type { Environment, Platform } from '../../platform/types';
import { SYNC_WAVE } from '../sync-options';

/** Operator release; the Keycloak image the releases pin must be the same version (a test holds them together). */
export const KEYCLOAK_OPERATOR_VERSION = '26.4.2';
export const KEYCLOAK_K8S_RESOURCES_REPO = 'https://github.com/keycloak/keycloak-k8s-resources';
/** The files the operator needs (the OIDC/SAML client CRDs of later releases are not used). */
export const KEYCLOAK_OPERATOR_FILES = ['keycloaks.k8s.keycloak.org-v1.yml', 'keycloakrealmimports.k8s.keycloak.org-v1.yml', 'kubernetes.yml'] as const;

export function keycloakOperatorAddons(platform: Platform, _env: Environment): AddonSpec[] {
  const ref = parseServiceKey(platform.identity.service);
  const team = platform.teams.find((t) => t.namespaces.some((n) => n.name === ref.namespace));
  const service = team?.namespaces.find((n) => n.name === ref.namespace)?.services.find((s) => s.name === ref.service);
  if (!team || service?.runtime !== 'keycloak-operator') return [];
  return [
    {
      name: 'keycloak-operator',
      namespace: ref.namespace,
      tenantTeam: team.name,
      repoURL: KEYCLOAK_K8S_RESOURCES_REPO,
      directory: { path: 'kubernetes', include: `{${KEYCLOAK_OPERATOR_FILES.join(',')}}` },
      version: KEYCLOAK_OPERATOR_VERSION,
      values: {},
      syncWave: SYNC_WAVE.operators,
      // Owns the k8s.keycloak.org CRDs: never pruned nor cascade-deleted (verify/bootstrap/crd-addon-prune.ts).
      ownsCrds: true,
      // The generated CRDs exceed the client-side apply annotation limit.
      serverSideApply: true,
    },
  ];
}
