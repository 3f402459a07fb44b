/**
 * Typed subset of the Keycloak Operator's custom resources (k8s.keycloak.org/v2alpha1) at the pinned
 * operator version. The CRDs are generated from the operator's Java sources and published only in
 * keycloak/keycloak-k8s-resources (not in ../shared/crds), so instead of a `cdk8s import` this file
 * declares exactly the fields the platform sets; test/stateful-tools-keycloak.test.ts checks each of
 * them against the upstream sources it cites:
 *   keycloak/keycloak operator/src/main/java/org/keycloak/operator/crds/v2alpha1/deployment/KeycloakSpec.java
 *   .../deployment/spec/{DatabaseSpec,HostnameSpec,HttpSpec,HttpManagementSpec,ProxySpec,BootstrapAdminSpec,
 *   IngressSpec,ServiceMonitorSpec,UnsupportedSpec}.java, .../deployment/ValueOrSecret.java,
 *   .../realmimport/KeycloakRealmImportSpec.java and Placeholder.java (tag 26.4.2).
 */
import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';

export const KEYCLOAK_API_VERSION = 'k8s.keycloak.org/v2alpha1';

export interface SecretKeyRef {
  readonly name: string;
  readonly key: string;
}

/** ValueOrSecret: a server option given literally or read from a Secret. */
export type KeycloakOption = { readonly name: string; readonly value: string } | { readonly name: string; readonly secret: SecretKeyRef };

export interface KeycloakSpec {
  readonly instances: number;
  readonly image: string;
  readonly startOptimized: boolean;
  readonly db: {
    readonly vendor: 'mysql';
    readonly database: string;
    readonly port: number;
    readonly usernameSecret: SecretKeyRef;
    readonly passwordSecret: SecretKeyRef;
  };
  readonly hostname: { readonly hostname: string; readonly admin: string; readonly strict: boolean; readonly backchannelDynamic: boolean };
  readonly http: { readonly httpEnabled: boolean; readonly httpPort: number };
  readonly httpManagement: { readonly port: number };
  readonly proxy: { readonly headers: 'xforwarded' | 'forwarded' };
  readonly bootstrapAdmin: { readonly user: { readonly secret: string } };
  readonly ingress: { readonly enabled: boolean };
  readonly serviceMonitor: { readonly enabled: boolean };
  readonly resources: { readonly requests: Record<string, string>; readonly limits: Record<string, string> };
  readonly additionalOptions: readonly KeycloakOption[];
  /** The only way the operator takes Pod labels, annotations, the ServiceAccount and security contexts. */
  readonly unsupported: { readonly podTemplate: Record<string, unknown> };
}

export interface KeycloakRealmImportSpec {
  readonly keycloakCRName: string;
  /** A RealmRepresentation (Keycloak's export format). */
  readonly realm: Record<string, unknown>;
  /** Placeholders `${NAME}` in the realm, replaced from Secrets in the import Job. */
  readonly placeholders?: Readonly<Record<string, { readonly secret: SecretKeyRef }>>;
}

/** Every field path (dot-separated) the platform writes, for the upstream contract test. */
export const KEYCLOAK_FIELDS_USED = [
  'instances',
  'image',
  'startOptimized',
  'db.vendor',
  'db.database',
  'db.port',
  'db.usernameSecret',
  'db.passwordSecret',
  'hostname.hostname',
  'hostname.admin',
  'hostname.strict',
  'hostname.backchannelDynamic',
  'http.httpEnabled',
  'http.httpPort',
  'httpManagement.port',
  'proxy.headers',
  'bootstrapAdmin.user.secret',
  'ingress.enabled',
  'serviceMonitor.enabled',
  'resources',
  'additionalOptions',
  'unsupported.podTemplate',
] as const;
export const REALM_IMPORT_FIELDS_USED = ['keycloakCRName', 'realm', 'placeholders'] as const;

/** Argo CD may apply a CR before the operator's CRD exists on a first sync; it retries instead of failing the dry run. */
const SKIP_DRY_RUN = { 'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true' };

export function keycloakResource(scope: Construct, id: string, name: string, spec: KeycloakSpec): ApiObject {
  return new ApiObject(scope, id, { apiVersion: KEYCLOAK_API_VERSION, kind: 'Keycloak', metadata: { name, annotations: SKIP_DRY_RUN }, spec });
}

export function realmImportResource(scope: Construct, id: string, name: string, spec: KeycloakRealmImportSpec): ApiObject {
  return new ApiObject(scope, id, { apiVersion: KEYCLOAK_API_VERSION, kind: 'KeycloakRealmImport', metadata: { name, annotations: SKIP_DRY_RUN }, spec });
}
