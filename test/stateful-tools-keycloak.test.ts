/**
 * Keycloak run by its operator and configured from the model (issue 9): the rendered `Keycloak` and
 * `KeycloakRealmImport` resources use only fields of the pinned operator (26.4.2; schemas written
 * from its sources in support/keycloak-crd.ts, which cites them), one issuer for every verifier,
 * the database from the model's schema with the bootstrap's secret keys, and the realms and clients
 * from the model with client secrets by reference only.
 */
import { KEYCLOAK_OPERATOR_FILES, KEYCLOAK_OPERATOR_VERSION } from '../charts/addons/keycloak-operator';
import { BOOTSTRAP_SCRIPT } from '../charts/database/database-bootstrap';
import { KEYCLOAK_FIELDS_USED, REALM_IMPORT_FIELDS_USED } from '../charts/tools/keycloak-resources';
import { keycloakSpec } from '../charts/tools/keycloak';
import { keycloakIssuer } from '../platform/identity';
import { databaseSecretName, LABEL_WORKLOAD, servicePrincipal } from '../platform/naming';
import { KEYCLOAK_REALM_IMPORT_SPEC_SCHEMA, KEYCLOAK_SPEC_SCHEMA } from './support/keycloak-crd';
import { examplePlatform, type Loose } from './support/example';
import { objectAt, objectsWhere } from './support/rendered';
import { validateObject } from './support/schema';

const platform = () => examplePlatform();
const envs = () => platform().environments;
const dir = (env: string) => `${env}/namespaces/auth-service`;
const keycloak = (env: string): Loose => objectAt(`${dir(env)}/keycloak-keycloak.yaml`);
const realmImport = (env: string, realm: string): Loose => objectAt(`${dir(env)}/keycloakrealmimport-keycloak-${realm}.yaml`);
const option = (kc: Loose, name: string): Loose => kc.spec.additionalOptions.find((o: Loose) => o.name === name);
const modelService = () => platform().teams.flatMap((t) => t.namespaces).find((n) => n.name === 'auth-service')!.services[0];

/** Whether a dot-separated field path is declared by a (reconstructed) CRD schema. */
function declared(schema: Loose, path: string): boolean {
  let node = schema;
  for (const key of path.split('.')) {
    if (node?.['x-kubernetes-preserve-unknown-fields']) return true;
    node = node?.properties?.[key];
    if (!node) return false;
  }
  return true;
}

describe('Keycloak through the Keycloak Operator', () => {
  test('every field the platform writes exists in the pinned operator version (KeycloakSpec.java, KeycloakRealmImportSpec.java at 26.4.2)', () => {
    for (const field of KEYCLOAK_FIELDS_USED) expect(declared(KEYCLOAK_SPEC_SCHEMA, field)).toBe(true);
    for (const field of REALM_IMPORT_FIELDS_USED) expect(declared(KEYCLOAK_REALM_IMPORT_SPEC_SCHEMA, field)).toBe(true);
  });

  test('the rendered Keycloak and realm resources validate against the operator schema, and an unknown field does not', () => {
    for (const env of envs()) {
      for (const { path, obj } of objectsWhere((o, p) => p.startsWith(`${env.name}/`) && o.apiVersion === 'k8s.keycloak.org/v2alpha1')) {
        expect({ path, errors: validateObject(obj) }).toEqual({ path, errors: [] });
      }
    }
    const bad = structuredClone(keycloak('dev'));
    bad.spec.hostname.hostnameStrict = false; // a Hostname v1 option the pinned operator does not know
    expect(validateObject(bad).join('\n')).toMatch(/hostnameStrict/);
  });

  test('the operator schema refuses the upstream types it does not have: a string count or port, a non-string annotation, resources beyond limits/requests', () => {
    const cases: [string, (kc: Loose) => void, RegExp][] = [
      ['instances', (kc) => (kc.spec.instances = '2'), /instances/],
      ['db.port', (kc) => (kc.spec.db.port = '3306'), /port/],
      ['ingress.annotations', (kc) => (kc.spec.ingress.annotations = { a: 1 }), /annotations/],
      ['resources', (kc) => (kc.spec.resources.request = { cpu: '1' }), /request/],
      ['unsupported.podTemplate', (kc) => (kc.spec.unsupported.podTemplate.template = {}), /template/],
    ];
    for (const [field, change, message] of cases) {
      const bad = structuredClone(keycloak('dev'));
      change(bad);
      expect({ field, errors: validateObject(bad).join('\n') }).toEqual({ field, errors: expect.stringMatching(message) });
    }
    // KeycloakRealmImportSpec.java: the import Job's labels are a string map; other fields are refused.
    const imp = structuredClone(realmImport('dev', platform().identity.staffRealm));
    imp.spec.labels = { team: 'sre' };
    expect(validateObject(imp)).toEqual([]);
    imp.spec.replacePlaceholders = true; // the pre-26 field, gone from the pinned operator
    expect(validateObject(imp).join('\n')).toMatch(/replacePlaceholders/);
  });

  test('the operator is an add-on at the pinned tag, in Keycloak’s namespace, and the Keycloak image is the same release', () => {
    for (const env of envs()) {
      const app = objectAt(`${env.name}/argocd/children/sre/application-addon-keycloak-operator.yaml`);
      expect(app.spec.destination.namespace).toBe('auth-service');
      expect(app.spec.source).toMatchObject({ repoURL: 'https://github.com/keycloak/keycloak-k8s-resources', path: 'kubernetes', targetRevision: KEYCLOAK_OPERATOR_VERSION });
      for (const file of KEYCLOAK_OPERATOR_FILES) expect(app.spec.source.directory.include).toContain(file);
    }
    expect(keycloak('dev').spec.image).toBe(`quay.io/keycloak/keycloak:${KEYCLOAK_OPERATOR_VERSION}`);
    expect(keycloak('prd').spec.image).toMatch(/^quay\.io\/keycloak\/keycloak@sha256:[a-f0-9]{64}$/);
  });

  test('the hostname is fixed and is the issuer the services, OAuth2 Proxy and Grafana verify', () => {
    for (const env of envs()) {
      const kc = keycloak(env.name);
      expect(kc.spec.hostname).toMatchObject({ hostname: `https://${env.domains.web}/auth`, strict: true });
      expect(option(kc, 'http-relative-path').value).toBe('/auth');
      const customer = `${kc.spec.hostname.hostname}/realms/${platform().identity.realm}`;
      const staff = `${kc.spec.hostname.hostname}/realms/${platform().identity.staffRealm}`;
      expect(customer).toBe(keycloakIssuer(env, platform().identity.realm));
      const ra = objectAt(`${env.name}/namespaces/pc-bff/requestauthentication-pc-bff-jwt.yaml`);
      expect(ra.spec.jwtRules[0].issuer).toBe(customer);
      const proxy = objectAt(`${env.name}/argocd/children/sre/application-addon-oauth2-proxy.yaml`).spec.source.helm.valuesObject.config.configFile;
      expect(proxy).toContain(`oidc_issuer_url = ${JSON.stringify(staff)}`);
      const grafana = objectAt(`${env.name}/argocd/children/sre/application-addon-kube-prometheus-stack.yaml`).spec.source.helm.valuesObject.grafana['grafana.ini']['auth.jwt'];
      expect(JSON.parse(grafana.expect_claims).iss).toBe(staff);
    }
  });

  test('health and metrics are on the management port 9000 at the root path, which the ServiceMonitor scrapes', () => {
    const kc = keycloak('dev');
    expect(kc.spec.httpManagement.port).toBe(9000);
    expect(option(kc, 'http-management-relative-path').value).toBe('/');
    expect(option(kc, 'health-enabled').value).toBe('true');
    expect(option(kc, 'metrics-enabled').value).toBe('true');
    const metrics = objectAt(`${dir('dev')}/service-keycloak-metrics.yaml`);
    expect(metrics.spec.ports).toEqual([expect.objectContaining({ name: 'http-metrics', port: 9000 })]);
    expect(metrics.spec.selector).toEqual({ [LABEL_WORKLOAD]: 'keycloak' });
    expect(kc.spec.unsupported.podTemplate.metadata.labels).toEqual({ [LABEL_WORKLOAD]: 'keycloak' });
    const monitor = objectAt(`${dir('dev')}/servicemonitor-keycloak.yaml`);
    expect(monitor.spec.endpoints[0]).toMatchObject({ port: 'http-metrics', path: '/metrics', scheme: 'https' });
  });

  test('the database is the model’s schema, with host, user and password read from the keys the bootstrap writes', () => {
    for (const env of envs()) {
      const kc = keycloak(env.name);
      const schema = modelService().database!.schema;
      expect(kc.spec.db).toMatchObject({ vendor: 'mysql', database: schema, usernameSecret: { name: 'keycloak-database', key: 'DB_USER' }, passwordSecret: { name: 'keycloak-database', key: 'DB_PASSWORD' } });
      expect(option(kc, 'db-url-host').secret).toEqual({ name: 'keycloak-database', key: 'DB_HOST' });
      const bootstrap = objectAt(`${env.name}/namespaces/database-infra/configmap-db-bootstrap.yaml`).data.schemas.split('\n');
      expect(bootstrap).toContain(`${databaseSecretName(platform(), env, { namespace: 'auth-service', service: 'keycloak' })} ${schema} ${schema}`);
      const es = objectAt(`${dir(env.name)}/externalsecret-keycloak-database.yaml`);
      expect(es.spec.dataFrom[0].extract.key).toBe(databaseSecretName(platform(), env, { namespace: 'auth-service', service: 'keycloak' }));
    }
    for (const key of ['DB_HOST', 'DB_USER', 'DB_PASSWORD']) expect(BOOTSTRAP_SCRIPT).toContain(`${key}: $`);
  });

  test('the customers’ realm has one PKCE client per frontend with redirect URIs from the model’s hosts and one client per BFF', () => {
    for (const env of envs()) {
      const realm = realmImport(env.name, platform().identity.realm).spec.realm;
      const services = platform().teams.flatMap((t) => t.namespaces.flatMap((n) => n.services));
      const expected = services.filter((s) => s.kind === 'frontend' || s.kind === 'bff').map((s) => s.name).sort();
      expect(realm.clients.map((c: Loose) => c.clientId)).toEqual(expected);
      const pc = realm.clients.find((c: Loose) => c.clientId === 'pc-frontend');
      expect(pc).toMatchObject({ publicClient: true, standardFlowEnabled: true, implicitFlowEnabled: false, directAccessGrantsEnabled: false, redirectUris: [`https://${env.domains.web}/*`], attributes: { 'pkce.code.challenge.method': 'S256' } });
      expect(pc.protocolMappers.map((m: Loose) => m.config['included.client.audience'])).toEqual(['pc-bff']);
      expect(realm.clients.find((c: Loose) => c.clientId === 'partner-bff')).toMatchObject({ bearerOnly: true, standardFlowEnabled: false });
      for (const c of realm.clients) expect(c.secret).toBeUndefined();
    }
  });

  test('the staff realm holds the staff groups and the tools’ clients, whose secrets are placeholders filled from Secrets Manager', () => {
    for (const env of envs()) {
      const imp = realmImport(env.name, platform().identity.staffRealm).spec;
      expect(imp.realm.groups.map((g: Loose) => g.name)).toEqual([...platform().identity.staffGroups]);
      expect(imp.realm.registrationAllowed).toBe(false);
      const clients = imp.realm.clients;
      expect(clients.map((c: Loose) => c.clientId)).toEqual(['oauth2-proxy', 'temporal-ui']);
      const es = objectAt(`${dir(env.name)}/externalsecret-keycloak-staff-clients.yaml`);
      for (const c of clients) {
        const placeholder = /^\$\{([A-Z0-9_]+)\}$/.exec(c.secret)![1];
        expect(imp.placeholders[placeholder].secret).toEqual({ name: 'keycloak-staff-clients', key: c.clientId });
        expect(es.spec.data.find((d: Loose) => d.secretKey === c.clientId).remoteRef.key).toMatch(new RegExp(`^${platform().name}/${env.name}/`));
        expect(c.protocolMappers.find((m: Loose) => m.protocolMapper === 'oidc-group-membership-mapper').config['claim.name']).toBe('groups');
      }
      expect(clients[0].redirectUris).toEqual([`https://oauth2.${env.domains.internal}/oauth2/callback`]);
      expect(clients[1].redirectUris).toEqual([`https://temporal.${env.domains.internal}/auth/sso/callback`]);
    }
    // Secrets only by reference: no Secret object, no client secret value anywhere in the folder.
    expect(objectsWhere((o, p) => p.startsWith(`${dir('prd')}/`) && o.kind === 'Secret')).toEqual([]);
  });

  test('the clustering ports are admitted from Keycloak’s own identity only and bypass the sidecar (JGroups runs its own mTLS)', () => {
    const allow = objectAt(`${dir('dev')}/authorizationpolicy-keycloak-allow.yaml`);
    expect(allow.spec.rules).toContainEqual({ from: [{ source: { principals: [servicePrincipal({ namespace: 'auth-service', service: 'keycloak' })] } }], to: [{ operation: { ports: ['7800', '57800'] } }] });
    const pod = keycloak('dev').spec.unsupported.podTemplate;
    expect(pod.metadata.annotations).toEqual({ 'traffic.sidecar.istio.io/excludeInboundPorts': '7800,57800', 'traffic.sidecar.istio.io/excludeOutboundPorts': '7800,57800' });
    expect(pod.spec.serviceAccountName).toBe('keycloak');
  });

  test('a Keycloak service without a database is refused with its name', () => {
    const env = envs()[0];
    const ns = platform().teams.flatMap((t) => t.namespaces).find((n) => n.name === 'auth-service')!;
    expect(() => keycloakSpec(platform(), env, ns, { ...modelService(), database: undefined })).toThrow(/auth-service\/keycloak: Keycloak needs a database/);
  });
});
