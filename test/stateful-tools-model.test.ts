/**
 * The model fields of the stateful tools (issue 9): what the installers can run is checked before
 * anything renders, every problem naming its service and field; Grafana keeps its state on a volume.
 */
import { GRAFANA_REPLICAS } from '../charts/addons/kube-prometheus-stack';
import { customerRealmClients, keycloakIssuer } from '../platform/identity';
import { oidcIssuer, staffIssuer } from '../platform/naming';
import { parsePlatform } from '../platform/validate';
import { examplePlatform, mutated, serviceOf, type Loose, problemsOf } from './support/example';
import { objectAt } from './support/rendered';

describe('stateful tools in the model', () => {
  test('the example model is valid with Keycloak and Temporal handed to their installers', () => {
    expect(problemsOf(mutated(() => undefined))).toEqual([]);
  });

  test('a Temporal server without a visibility schema is refused, naming the service and field', () => {
    const input = mutated((i) => (serviceOf(i, 'saga-service/temporal').database.extraSchemas = []));
    expect(problemsOf(input)).toContainEqual(expect.stringMatching(/services\[temporal\]\.database: Temporal needs a persistence schema and exactly one extraSchemas entry/));
  });

  test('a Temporal UI that does not run as its server’s account is refused', () => {
    const input = mutated((i) => delete serviceOf(i, 'saga-service/temporal-ui').serviceAccount);
    expect(problemsOf(input)).toContainEqual(expect.stringMatching(/services\[temporal-ui\]\.serviceAccount: the Temporal chart runs its UI as the server's account: set it to the temporal-server service of namespace saga-service \(temporal\)/));
  });

  test('the Keycloak Operator runs only the platform IdP, and only with a schema', () => {
    const input = mutated((i) => {
      const kc = serviceOf(i, 'auth-service/keycloak');
      delete kc.database;
      serviceOf(i, 'order-service/order-service').runtime = 'keycloak-operator';
    });
    const problems = problemsOf(input);
    expect(problems).toContainEqual(expect.stringMatching(/services\[keycloak\]\.database: Keycloak needs a database schema/));
    expect(problems).toContainEqual(expect.stringMatching(/services\[order-service\]\.runtime: the Keycloak Operator runs the platform IdP only \(identity\.service is "auth-service\/keycloak"\)/));
  });

  test('a schema owned twice (an extra schema included) is refused, naming both services', () => {
    const input = mutated((i) => (serviceOf(i, 'saga-service/temporal').database.extraSchemas = ['keycloak']));
    expect(problemsOf(input)).toContainEqual(expect.stringMatching(/services\[keycloak\].*services\[temporal\]: database schema "keycloak" is owned by more than one service/));
  });

  test('peer ports in the sidecar’s reserved range are refused', () => {
    const input = mutated((i) => serviceOf(i, 'auth-service/keycloak').peerPorts.push(15001));
    expect(problemsOf(input)).toContainEqual(expect.stringMatching(/services\[keycloak\]\.peerPorts\[2\]: port 15001 clashes with the Istio sidecar's reserved range/));
  });

  test('one pure function gives every realm’s issuer; customers and staff are different realms', () => {
    for (const env of examplePlatform().environments) {
      expect(oidcIssuer(examplePlatform(), env)).toBe(keycloakIssuer(env, 'shop'));
      expect(staffIssuer(examplePlatform(), env)).toBe(keycloakIssuer(env, 'staff'));
      expect(keycloakIssuer(env, 'shop')).toBe(`https://${env.domains.web}/auth/realms/shop`);
    }
    // Customer clients come from the model: a new frontend is a new client.
    const more = parsePlatform(
      mutated((i: Loose) => {
        const ns = i.teams.find((t: Loose) => t.name === 'pc').namespaces.find((n: Loose) => n.name === 'pc-frontend');
        ns.services.push({ ...structuredClone(ns.services[0]), name: 'pc-admin', exposure: { public: [{ host: 'web', pathPrefix: '/admin/' }] } });
        for (const r of i.releases) r.images['pc-frontend/pc-admin'] = structuredClone(r.images['pc-frontend/pc-frontend']);
      }),
    );
    const env = more.environments[0];
    expect(customerRealmClients(more, env).find((c) => c.clientId === 'pc-admin')?.redirectUris).toEqual([`https://${env.domains.web}/admin/*`]);
  });

  test('Grafana runs one replica on an encrypted, retained volume instead of per-Pod SQLite', () => {
    for (const env of examplePlatform().environments) {
      const grafana = objectAt(`${env.name}/argocd/children/sre/application-addon-kube-prometheus-stack.yaml`).spec.source.helm.valuesObject.grafana;
      expect(grafana.replicas).toBe(GRAFANA_REPLICAS);
      expect(GRAFANA_REPLICAS).toBe(1);
      expect(grafana.persistence).toMatchObject({ enabled: true, type: 'pvc', storageClassName: 'gp3', accessModes: ['ReadWriteOnce'] });
      expect(grafana.deploymentStrategy).toEqual({ type: 'Recreate' });
      const sc = objectAt(`${env.name}/cluster/storageclass-gp3.yaml`);
      expect(sc.parameters.encrypted).toBe('true');
      expect(sc.reclaimPolicy).toBe('Retain');
    }
  });
});
