import { parsePlatform } from '../platform/validate';
import { exampleInput, mutated, serviceOf, type Loose, problemsOf } from './support/example';

const team = (input: Loose, name: string) => input.teams.find((t: Loose) => t.name === name);
const release = (input: Loose, env: string) => input.releases.find((r: Loose) => r.environment === env);

describe('the platform model', () => {
  test('the example platform is valid', () => {
    expect(problemsOf(exampleInput())).toEqual([]);
  });

  test('a dependency on an unknown service is rejected, naming the caller and the field', () => {
    const input = mutated((i) => serviceOf(i, 'pc-bff/pc-bff').dependencies.push({ service: 'order-service/ordr' }));
    expect(problemsOf(input)).toContainEqual(expect.stringMatching(/^teams\[pc\]\.namespaces\[pc-bff\]\.services\[pc-bff\]\.dependencies\[4\]: unknown service "order-service\/ordr"/));
  });

  test('a namespace named "sre" is rejected: it would own the SRE secrets\' prefix in Secrets Manager', () => {
    const input = mutated((i) => {
      team(i, 'order').namespaces[0].name = 'sre';
    });
    expect(problemsOf(input)).toContainEqual('teams[order].namespaces[sre]: namespace "sre" is reserved (prefix of the SRE secrets in Secrets Manager)');
  });

  test('a namespace whose secrets reader role name exceeds 64 characters is rejected', () => {
    const input = mutated((i) => {
      team(i, 'order').namespaces[0].name = `order-${'x'.repeat(50)}`;
    });
    expect(problemsOf(input)).toContainEqual(expect.stringMatching(/^teams\[order\]\.namespaces\[order-x+\]: IAM role name "ec-dev-order-x+-secrets" of the namespace's secrets reader is \d+ characters; AWS allows 64/));
  });

  test('a service defined twice in a namespace is rejected', () => {
    const input = mutated((i) => {
      const ns = team(i, 'order').namespaces[0];
      ns.services.push(structuredClone(ns.services[0]));
    });
    expect(problemsOf(input)).toContainEqual(expect.stringMatching(/services\[order-service\]: service "order-service" is defined more than once in namespace order-service/));
  });

  test('a name that is not a DNS-1123 label is rejected', () => {
    const input = mutated((i) => (serviceOf(i, 'shipping-service/shipping-service').name = 'Shipping_Service'));
    expect(problemsOf(input)).toContainEqual(expect.stringMatching(/services\[Shipping_Service\]\.name: service name must be a DNS-1123 label/));
  });

  test('a namespace claimed by two teams is rejected, naming both teams', () => {
    const input = mutated((i) => team(i, 'payment').namespaces.push({ name: 'order-service' }));
    expect(problemsOf(input)).toContainEqual(expect.stringMatching(/namespace "order-service" is claimed by more than one team \(order, payment\)/));
  });

  test('two ports with the same number on one service are rejected', () => {
    const input = mutated((i) => serviceOf(i, 'order-service/order-service').ports.push({ name: 'grpc-alt', port: 50051, protocol: 'grpc' }));
    expect(problemsOf(input)).toContainEqual(expect.stringMatching(/services\[order-service\]\.ports: port 50051 is declared more than once/));
  });

  test('a port inside the Istio sidecar range is rejected', () => {
    const input = mutated((i) => (serviceOf(i, 'order-service/order-service').ports[1].port = 15020));
    expect(problemsOf(input)).toContainEqual(expect.stringMatching(/ports\[1\]\.port: port 15020 clashes with the Istio sidecar's reserved range/));
  });

  test('a mutable tag in an environment that requires digests is rejected', () => {
    const input = mutated((i) => (release(i, 'prd').images['order-service/order-service'] = { tag: '3.7.2' }));
    expect(problemsOf(input)).toContainEqual(expect.stringMatching(/releases\[releases\/prd\.yaml\]\.images\[order-service\/order-service\]: prd requires an image digest/));
  });

  test('a release file for an unknown environment is rejected, naming the file', () => {
    const input = mutated((i) => i.releases.push({ ...structuredClone(release(i, 'dev')), source: 'releases/qa.yaml', environment: 'qa' }));
    expect(problemsOf(input)).toContainEqual('releases[releases/qa.yaml]: unknown environment "qa" (known: dev, stg, prd)');
  });

  test('a service without an image in a release file is rejected', () => {
    const input = mutated((i) => delete release(i, 'stg').images['saga-service/temporal-ui']);
    expect(problemsOf(input)).toContainEqual(expect.stringMatching(/releases\[releases\/stg\.yaml\]\.images: no image for service "saga-service\/temporal-ui"/));
  });

  test('an image for a service the model does not have is rejected', () => {
    const input = mutated((i) => (release(i, 'dev').images['order-service/legacy'] = { tag: '1.0.0' }));
    expect(problemsOf(input)).toContainEqual(expect.stringMatching(/images\[order-service\/legacy\]: unknown service "order-service\/legacy"/));
  });

  test('negative or zero resources are rejected', () => {
    const input = mutated((i) => {
      serviceOf(i, 'order-service/order-service').resources.cpu = '-250m';
      serviceOf(i, 'shipping-service/shipping-service').resources.memory = '0Mi';
    });
    const problems = problemsOf(input);
    expect(problems).toContainEqual(expect.stringMatching(/services\[order-service\]\.resources\.cpu: cpu must be a positive quantity/));
    expect(problems).toContainEqual(expect.stringMatching(/services\[shipping-service\]\.resources\.memory: memory must be a positive quantity/));
  });

  test('minReplicas greater than maxReplicas is rejected', () => {
    const input = mutated((i) => (serviceOf(i, 'account-service/account-service').scaling = { minReplicas: 5, maxReplicas: 3 }));
    expect(problemsOf(input)).toContainEqual(expect.stringMatching(/services\[account-service\]\.scaling: minReplicas \(5\) is greater than maxReplicas \(3\)/));
  });

  test('a single replica is rejected because no Pod would survive a drain', () => {
    const input = mutated((i) => (serviceOf(i, 'saga-service/temporal-ui').scaling.minReplicas = 1));
    expect(problemsOf(input)).toContainEqual(expect.stringMatching(/services\[temporal-ui\]\.scaling\.minReplicas: minReplicas must be at least 2/));
  });

  test('a maxReplicas below an environment replica floor is rejected, naming the environment', () => {
    const input = mutated((i) => (serviceOf(i, 'saga-service/temporal-ui').scaling.maxReplicas = 2));
    expect(problemsOf(input)).toContainEqual(expect.stringMatching(/services\[temporal-ui\]\.scaling\.maxReplicas: maxReplicas \(2\) is below the prd replica floor \(3\)/));
  });

  test('a cycle of service dependencies is rejected, showing the cycle', () => {
    const input = mutated((i) => serviceOf(i, 'order-service/order-service').dependencies = [{ service: 'saga-service/saga-orchestrator' }]);
    expect(problemsOf(input)).toContainEqual(expect.stringMatching(/dependency cycle: .*order-service\/order-service -> saga-service\/saga-orchestrator -> order-service\/order-service|dependency cycle: saga-service\/saga-orchestrator -> order-service\/order-service -> saga-service\/saga-orchestrator/));
  });

  test('a service outside the mesh cannot depend on a service inside it', () => {
    const input = mutated((i) => {
      const ns = team(i, 'sre').namespaces.find((n: Loose) => n.name === 'monitoring-infra');
      ns.services = [{ ...structuredClone(serviceOf(i, 'saga-service/temporal-ui')), name: 'probe', dependencies: [{ service: 'order-service/order-service' }] }];
      for (const r of i.releases) r.images['monitoring-infra/probe'] = r.environment === 'prd' ? { digest: `sha256:${'a'.repeat(64)}` } : { tag: '1.0.0' };
    });
    expect(problemsOf(input)).toContainEqual(expect.stringMatching(/services\[probe\]\.dependencies\[0\]: "order-service\/order-service" is in the mesh with STRICT mTLS/));
  });

  test('a health port that the service does not expose is rejected', () => {
    const input = mutated((i) => (serviceOf(i, 'order-service/order-service').health = { port: 'admin' }));
    expect(problemsOf(input)).toContainEqual(expect.stringMatching(/services\[order-service\]\.health\.port: port "admin" is not one of the service's ports/));
  });

  test('two services claiming the same public route are rejected', () => {
    const input = mutated((i) => (serviceOf(i, 'sp-frontend/sp-frontend').exposure.public[0].userAgent = undefined));
    expect(problemsOf(input)).toContainEqual(expect.stringMatching(/route "web \/ \*" is also claimed by teams\[pc\]/));
  });

  test('a microservice exposed publicly is rejected', () => {
    const input = mutated((i) => (serviceOf(i, 'payment-service/payment-service').exposure = { public: [{ host: 'api', pathPrefix: '/pay/' }] }));
    expect(problemsOf(input)).toContainEqual(expect.stringMatching(/services\[payment-service\]\.exposure\.public\[0\]: a microservice is never exposed publicly/));
  });

  test('an IAM role name longer than AWS allows is rejected', () => {
    const input = mutated((i) => {
      const svc = serviceOf(i, 'account-service/account-service');
      svc.name = 'account-notification-and-preferences-service';
      for (const r of i.releases) {
        r.images['account-service/account-notification-and-preferences-service'] = r.images['account-service/account-service'];
        delete r.images['account-service/account-service'];
      }
    });
    expect(problemsOf(input)).toContainEqual(expect.stringMatching(/IAM role name "ec-dev-account-service-account-notification-and-preferences-service" is 67 characters; AWS allows 64/));
  });

  test('an unknown field is rejected rather than ignored', () => {
    const input = mutated((i) => (serviceOf(i, 'order-service/order-service').replicas = 3));
    expect(problemsOf(input)).toContainEqual('teams[order].namespaces[order-service].services[order-service]: unknown field(s) "replicas"');
  });

  test('a model without the sre team is rejected', () => {
    const input = mutated((i) => (team(i, 'sre').name = 'platform'));
    expect(problemsOf(input)).toContainEqual(expect.stringMatching(/^teams: a team named "sre" must own/));
  });

  test('a termination grace period shorter than the preStop sleep is rejected', () => {
    const input = mutated((i) => (serviceOf(i, 'order-service/order-service').shutdown = { preStopSleepSeconds: 30, terminationGracePeriodSeconds: 20 }));
    expect(problemsOf(input)).toContainEqual(expect.stringMatching(/services\[order-service\]\.shutdown: terminationGracePeriodSeconds \(20\) must exceed preStopSleepSeconds \(30\)/));
  });

  test('a per-try timeout longer than the whole request timeout is rejected', () => {
    const input = mutated((i) => (serviceOf(i, 'order-service/order-service').traffic = { timeoutSeconds: 3, perTryTimeoutSeconds: 5 }));
    expect(problemsOf(input)).toContainEqual(expect.stringMatching(/traffic\.perTryTimeoutSeconds: a try \(5s\) cannot outlast the whole request timeout \(3s\)/));
  });

  test('a service without an HTTP port for metrics is rejected', () => {
    const input = mutated((i) => (serviceOf(i, 'order-service/order-service').ports = [{ name: 'grpc', port: 50051, protocol: 'grpc' }]));
    expect(problemsOf(input)).toContainEqual(expect.stringMatching(/services\[order-service\]\.ports: a service needs an HTTP port Prometheus can scrape/));
  });

  test('an identity provider that is not a declared, publicly exposed service is rejected', () => {
    expect(problemsOf(mutated((i) => (i.identity.service = 'auth-service/keycloack')))).toContainEqual('identity.service: unknown service "auth-service/keycloack"');
    expect(problemsOf(mutated((i) => (i.identity.service = 'order-service/order-service')))).toContainEqual(
      'identity.service: "order-service/order-service" must be exposed publicly so browsers can log in',
    );
  });

  test('the sre team must own the namespaces the platform components run in', () => {
    const input = mutated((i) => (team(i, 'sre').namespaces = team(i, 'sre').namespaces.filter((n: Loose) => n.name !== 'secrets-infra')));
    expect(problemsOf(input)).toContainEqual('teams[sre].namespaces: the sre team must own namespace "secrets-infra" (runs externalSecrets)');
  });

  test('a weaker Pod Security level than the known ones is rejected', () => {
    const input = mutated((i) => (team(i, 'order').namespaces[0].podSecurity = 'none'));
    expect(problemsOf(input)).toContainEqual(expect.stringMatching(/namespaces\[order-service\]\.podSecurity: Invalid option/));
  });

  test('every problem of a broken model is reported at once', () => {
    const input = mutated((i) => {
      serviceOf(i, 'pc-bff/pc-bff').dependencies.push({ service: 'nowhere/nothing' });
      serviceOf(i, 'account-service/account-service').scaling = { minReplicas: 6, maxReplicas: 4 };
      release(i, 'prd').images['order-service/order-service'] = { tag: 'latest' };
      team(i, 'payment').namespaces.push({ name: 'order-service' });
    });
    const problems = problemsOf(input);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/unknown service "nowhere\/nothing"/),
        expect.stringMatching(/minReplicas \(6\) is greater than maxReplicas \(4\)/),
        expect.stringMatching(/prd requires an image digest/),
        expect.stringMatching(/claimed by more than one team/),
      ]),
    );
  });

  test('the error message lists each problem on its own line', () => {
    const input = mutated((i) => {
      serviceOf(i, 'pc-bff/pc-bff').dependencies.push({ service: 'nowhere/nothing' });
      serviceOf(i, 'account-service/account-service').scaling = { minReplicas: 6, maxReplicas: 4 };
    });
    expect(() => parsePlatform(input)).toThrow(/The platform model is invalid \(2 problems\):\n {2}- .*nowhere\/nothing.*\n {2}- .*minReplicas \(6\)/);
  });
});

describe('tool images come from the release files, pinned by plausible digests (issue 7)', () => {
  test('a repeated-byte tool digest is refused, naming the release file and tool', () => {
    const input = mutated((i) => (release(i, 'stg').tools.dbBootstrap.digest = `sha256:${'d6'.repeat(32)}`));
    expect(problemsOf(input)).toContainEqual(expect.stringMatching(/^releases\[releases\/stg\.yaml\]\.tools\[dbBootstrap\]: digest sha256:d6d6.* is a placeholder \(one byte repeated\)/));
  });

  test('a repeated-byte service digest is refused too', () => {
    const input = mutated((i) => (release(i, 'prd').images['order-service/order-service'] = { digest: `sha256:${'5f'.repeat(32)}` }));
    expect(problemsOf(input)).toContainEqual(expect.stringMatching(/^releases\[releases\/prd\.yaml\]\.images\[order-service\/order-service\]: digest sha256:5f5f.* is a placeholder/));
  });

  test('a release file without a tool version is refused', () => {
    const input = mutated((i) => delete release(i, 'dev').tools.ksops);
    expect(problemsOf(input)).toContainEqual('releases[releases/dev.yaml].tools: no version for tool image "ksops" (docker.io/viaductoss/ksops)');
  });
});
