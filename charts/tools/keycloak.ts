/**
 * Keycloak the way its maintainers run it on Kubernetes: a `Keycloak` resource the Keycloak Operator
 * (charts/addons/keycloak-operator.ts) turns into a StatefulSet, and one `KeycloakRealmImport` per
 * realm (charts/tools/realms.ts), everything from the model:
 * - `start` with the stock image (`startOptimized: false`: the server builds itself at start, which
 *   needs a writable root filesystem: the one non-read-only container the platform renders);
 * - a fixed `hostname` (platform/identity.ts, the issuer every verifier expects) with the admin
 *   console on the internal host and `http-relative-path` /auth; plain HTTP inside the Pod (the
 *   sidecar's mutual TLS and the ALB's TLS carry it), X-Forwarded-* headers from the gateway;
 * - health and metrics on the management interface (port 9000, path "/": the operator's probes and
 *   the ServiceMonitor use `/health/*` and `/metrics` there);
 * - the database from the model's schema: host, user and password from the `<service>-database`
 *   Secret the bootstrap Job fills in AWS Secrets Manager (ExternalSecret, keys DB_HOST, DB_USER,
 *   DB_PASSWORD), TLS required;
 * - clustering: JGroups on the model's `peerPorts`, taken out of the sidecar (Keycloak protects it
 *   with its own mutual TLS, `cache-embedded-mtls-enabled`, on by default since 26.2);
 * - the bootstrap admin password from Secrets Manager, never rendered.
 */
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { imageReference } from '../../platform/images';
import { KEYCLOAK_HTTP_PATH, KEYCLOAK_MANAGEMENT_PATH, KEYCLOAK_MANAGEMENT_PORT, keycloakAdminUrl, keycloakBaseUrl } from '../../platform/identity';
import { appSecretName, AURORA_PORT, databaseSecretK8sName, selectorLabels, serviceAccountName } from '../../platform/naming';
import type { Environment, Namespace, Platform, Service, Team } from '../../platform/types';
import { guaranteed } from '../addons/sre-tools';
import { restrictedContainer } from '../jobs/hardened-pod';
import { AwsSecret } from '../secrets/aws-secret';
import { keycloakResource, realmImportResource, type KeycloakSpec } from './keycloak-resources';
import { ManagedService } from './managed-service';
import { customerRealm, staffClients, staffRealm } from './realms';

export interface KeycloakProps {
  readonly platform: Platform;
  readonly env: Environment;
  readonly team: Team;
  readonly namespace: Namespace;
  readonly service: Service;
}

/** UID of the stock Keycloak image (`USER 1000`). */
const KEYCLOAK_UID = 1000;
/** The model secret the bootstrap admin password comes from. */
export const BOOTSTRAP_ADMIN_SECRET_ENV = 'KC_BOOTSTRAP_ADMIN_PASSWORD';
export const BOOTSTRAP_ADMIN_USER = 'bootstrap-admin';
export const staffClientsSecretName = (service: Pick<Service, 'name'>): string => `${service.name}-staff-clients`;
export const realmImportName = (service: Pick<Service, 'name'>, realm: string): string => `${service.name}-${realm}`;

export function keycloakSpec(platform: Platform, env: Environment, namespace: Namespace, service: Service): KeycloakSpec {
  const ref = { namespace: namespace.name, service: service.name };
  if (!service.database) throw new Error(`${namespace.name}/${service.name}: Keycloak needs a database (database.schema)`);
  const dbSecret = databaseSecretK8sName(service);
  const peers = service.peerPorts.join(',');
  return {
    instances: Math.max(service.scaling.minReplicas, env.sizing.replicaFloor),
    image: imageReference(platform, env, ref, service),
    startOptimized: false,
    db: {
      vendor: 'mysql',
      database: service.database.schema,
      port: AURORA_PORT,
      usernameSecret: { name: dbSecret, key: 'DB_USER' },
      passwordSecret: { name: dbSecret, key: 'DB_PASSWORD' },
    },
    hostname: { hostname: keycloakBaseUrl(env), admin: keycloakAdminUrl(env), strict: true, backchannelDynamic: true },
    http: { httpEnabled: true, httpPort: service.ports[0].port },
    httpManagement: { port: KEYCLOAK_MANAGEMENT_PORT },
    proxy: { headers: 'xforwarded' },
    bootstrapAdmin: { user: { secret: appSecretName(service) } },
    // Routing is the mesh's (VirtualServices from the model); Prometheus scrapes over mutual TLS (ServiceMonitoring).
    ingress: { enabled: false },
    serviceMonitor: { enabled: false },
    resources: guaranteed(service.resources.cpu, service.resources.memory),
    additionalOptions: [
      // The writer endpoint is known only after apply: the bootstrap Job stores it in the database secret.
      { name: 'db-url-host', secret: { name: dbSecret, key: 'DB_HOST' } },
      // Aurora users REQUIRE SSL.
      { name: 'db-url-properties', value: '?sslMode=REQUIRED' },
      { name: 'http-relative-path', value: KEYCLOAK_HTTP_PATH },
      { name: 'http-management-relative-path', value: KEYCLOAK_MANAGEMENT_PATH },
      { name: 'health-enabled', value: 'true' },
      { name: 'metrics-enabled', value: 'true' },
    ],
    unsupported: {
      podTemplate: {
        metadata: {
          labels: selectorLabels(service),
          annotations: peers === '' ? {} : { 'traffic.sidecar.istio.io/excludeInboundPorts': peers, 'traffic.sidecar.istio.io/excludeOutboundPorts': peers },
        },
        spec: {
          serviceAccountName: serviceAccountName(service),
          automountServiceAccountToken: false,
          securityContext: { runAsNonRoot: true, runAsUser: KEYCLOAK_UID, runAsGroup: KEYCLOAK_UID, fsGroup: KEYCLOAK_UID, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [{ securityContext: { ...restrictedContainer(KEYCLOAK_UID), readOnlyRootFilesystem: false } }],
          topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: selectorLabels(service) } }],
        },
      },
    },
  };
}

export class Keycloak extends Construct {
  constructor(scope: Construct, id: string, props: KeycloakProps) {
    super(scope, id);
    const { platform, env, namespace, service } = props;
    const admin = service.secrets.find((s) => s.name === BOOTSTRAP_ADMIN_SECRET_ENV);
    if (!admin || admin.from !== 'secrets-manager') {
      throw new Error(`${namespace.name}/${service.name}: Keycloak needs the secret ${BOOTSTRAP_ADMIN_SECRET_ENV} from secrets-manager (the bootstrap admin password)`);
    }

    // The operator reads the bootstrap admin from a Secret with `username` and `password` keys (BootstrapAdminSpec):
    // the app Secret gets both, templated from the declared password.
    new ManagedService(this, 'service', { ...props, appTemplate: { username: BOOTSTRAP_ADMIN_USER, password: `{{ .${BOOTSTRAP_ADMIN_SECRET_ENV} }}` } });

    keycloakResource(this, 'keycloak', service.name, keycloakSpec(platform, env, namespace, service));

    // At most one Pod down at a time (the operator renders no PodDisruptionBudget).
    new kplus.k8s.KubePodDisruptionBudget(this, 'pdb', {
      metadata: { name: service.name },
      spec: { maxUnavailable: kplus.k8s.IntOrString.fromNumber(1), selector: { matchLabels: selectorLabels(service) }, unhealthyPodEvictionPolicy: 'AlwaysAllow' },
    });

    realmImportResource(this, 'customer-realm', realmImportName(service, platform.identity.realm), { keycloakCRName: service.name, realm: customerRealm(platform, env) });

    const clients = staffClients(platform, env);
    const secretName = staffClientsSecretName(service);
    new AwsSecret(this, 'staff-clients', { name: secretName, keys: clients.map((c) => ({ secretKey: c.clientId, key: c.secret.awsName, property: c.secret.property })) });
    realmImportResource(this, 'staff-realm', realmImportName(service, platform.identity.staffRealm), {
      keycloakCRName: service.name,
      realm: staffRealm(platform, env),
      placeholders: Object.fromEntries(clients.map((c) => [c.placeholder, { secret: { name: secretName, key: c.clientId } }])),
    });
  }

}
