/**
 * The Keycloak Operator's CRD schemas (k8s.keycloak.org/v2alpha1) as far as the platform uses them,
 * written from the operator's Java sources at the pinned version, because the generated CRD YAML is
 * published only in keycloak/keycloak-k8s-resources and is not in ../shared/crds.
 *
 * Upstream (keycloak/keycloak, tag 26.4.2, operator/src/main/java/org/keycloak/operator/crds/v2alpha1/):
 *   deployment/KeycloakSpec.java            top-level fields (instances, image, startOptimized, additionalOptions,
 *                                           http, unsupported, ingress, db, hostname, resources, proxy,
 *                                           httpManagement, bootstrapAdmin, serviceMonitor, ...)
 *   deployment/ValueOrSecret.java           additionalOptions[]: name, value, secret (SecretKeySelector)
 *   deployment/spec/DatabaseSpec.java       vendor, usernameSecret, passwordSecret, database, host, port, schema, url, pool*
 *   deployment/spec/HostnameSpec.java       hostname, admin, strict, backchannelDynamic (Hostname v2)
 *   deployment/spec/HttpSpec.java           tlsSecret, httpEnabled, httpPort, httpsPort
 *   deployment/spec/HttpManagementSpec.java port
 *   deployment/spec/ProxySpec.java          headers
 *   deployment/spec/BootstrapAdminSpec.java user.secret, service.secret
 *   deployment/spec/IngressSpec.java        enabled, className, annotations, tlsSecret
 *   deployment/spec/ServiceMonitorSpec.java enabled, interval, scrapeTimeout
 *   deployment/spec/UnsupportedSpec.java    podTemplate (a PodTemplateSpec)
 *   realmimport/KeycloakRealmImportSpec.java keycloakCRName (required), realm (required), resources, placeholders
 *   realmimport/Placeholder.java            secret (SecretKeySelector)
 * Every object level is closed (`additionalProperties: false`) where the platform writes into it, so
 * a field the pinned operator does not know fails validation; fields the platform does not write
 * are left open.
 */
type Schema = Record<string, unknown>;

const open: Schema = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
const closed = (properties: Record<string, Schema>, required: string[] = []): Schema => ({ type: 'object', properties, additionalProperties: false, ...(required.length ? { required } : {}) });
const str: Schema = { type: 'string' };
const int: Schema = { type: 'integer' };
const bool: Schema = { type: 'boolean' };
const secretKeySelector = closed({ name: str, key: str, optional: bool }, ['key']);

export const KEYCLOAK_SPEC_SCHEMA: Schema = closed({
  instances: int,
  image: str,
  startOptimized: bool,
  imagePullSecrets: { type: 'array' },
  additionalOptions: { type: 'array', items: closed({ name: str, value: str, secret: secretKeySelector }, ['name']) },
  http: closed({ tlsSecret: str, httpEnabled: bool, httpPort: int, httpsPort: int }),
  unsupported: closed({ podTemplate: open }),
  ingress: closed({ enabled: bool, className: str, annotations: open, tlsSecret: str }),
  features: open,
  transaction: open,
  db: closed({ vendor: str, usernameSecret: secretKeySelector, passwordSecret: secretKeySelector, database: str, host: str, port: int, schema: str, url: str, poolInitialSize: int, poolMinSize: int, poolMaxSize: int }),
  hostname: closed({ hostname: str, admin: str, strict: bool, backchannelDynamic: bool }),
  truststores: open,
  cache: open,
  resources: open,
  proxy: closed({ headers: { type: 'string', enum: ['forwarded', 'xforwarded'] } }),
  httpManagement: closed({ port: int }),
  scheduling: open,
  bootstrapAdmin: closed({ user: closed({ secret: str }), service: closed({ secret: str }) }),
  networkPolicy: open,
  tracing: open,
  update: open,
  readinessProbe: open,
  livenessProbe: open,
  startupProbe: open,
  serviceMonitor: closed({ enabled: bool, interval: str, scrapeTimeout: str }),
});

export const KEYCLOAK_REALM_IMPORT_SPEC_SCHEMA: Schema = closed(
  {
    keycloakCRName: str,
    realm: open,
    resources: open,
    placeholders: { type: 'object', additionalProperties: closed({ secret: secretKeySelector }, ['secret']) },
  },
  ['keycloakCRName', 'realm'],
);

/** openAPIV3Schema of each kind, shaped like a served CRD version. */
export const KEYCLOAK_CRD_SCHEMAS: Readonly<Record<string, Schema>> = {
  Keycloak: { type: 'object', properties: { apiVersion: str, kind: str, metadata: { type: 'object' }, spec: KEYCLOAK_SPEC_SCHEMA }, required: ['spec'] },
  KeycloakRealmImport: { type: 'object', properties: { apiVersion: str, kind: str, metadata: { type: 'object' }, spec: KEYCLOAK_REALM_IMPORT_SPEC_SCHEMA }, required: ['spec'] },
};
export const KEYCLOAK_CRD_GROUP = 'k8s.keycloak.org';
export const KEYCLOAK_CRD_VERSION = 'v2alpha1';
