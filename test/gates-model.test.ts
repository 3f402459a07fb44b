import { contractParticipants, e2eTargetUrls, isProduction, pacticipantName } from '../platform/gates';
import { examplePlatform, exampleInput, mutated, serviceOf, type Loose, problemsOf } from './support/example';

const env = (input: Loose, name: string) => input.environments.find((e: Loose) => e.name === name);

describe('delivery gates in the model', () => {
  test('every gate is off unless the environment turns it on', () => {
    const dev = examplePlatform().environments.find((e) => e.name === 'dev')!;
    expect(dev.gates).toEqual({ contract: false, e2e: false, load: false });
    expect(dev.allowFaultsInProduction).toBe(false);
  });

  test('the production environment is the last one in promotion order', () => {
    const platform = examplePlatform();
    expect(platform.environments.filter((e) => isProduction(platform, e)).map((e) => e.name)).toEqual(['prd']);
  });

  test('E2E tests declared on a microservice are refused, naming the service and the kind', () => {
    const input = mutated((i) => (serviceOf(i, 'order-service/order-service').e2e = { imageRepository: 'e2e/order', command: ['run'] }));
    expect(problemsOf(input)).toContainEqual(expect.stringMatching(/services\[order-service\]\.e2e: .*only a frontend or a BFF declares them, not a microservice/));
  });

  test('E2E tests on a frontend without public routes are refused', () => {
    const input = mutated((i) => (serviceOf(i, 'pc-frontend/pc-frontend').exposure = { public: [] }));
    expect(problemsOf(input)).toContainEqual(expect.stringMatching(/services\[pc-frontend\]\.e2e: E2E tests target the service's public routes, and pc-frontend has none/));
  });

  test('load tests in the production environment are refused', () => {
    const input = mutated((i) => (env(i, 'prd').gates = { contract: true, load: true }));
    expect(problemsOf(input)).toContainEqual(expect.stringMatching(/^environments\[prd\]\.gates\.load: load tests run in staging, never in the production environment prd/));
  });

  test('the contract gate without a broker is refused', () => {
    const input = mutated((i) => delete i.contractBroker);
    expect(problemsOf(input)).toContainEqual('environments[stg].gates.contract: the contract gate asks a broker: set contractBroker.environment (the environment whose cluster runs it)');
  });

  test('the E2E gate in an environment that pins an E2E service by digest only is refused', () => {
    const input = mutated((i) => (env(i, 'prd').gates = { e2e: true }));
    expect(problemsOf(input)).toContainEqual(expect.stringMatching(/^environments\[prd\]\.gates\.e2e: the E2E image of pc-frontend\/pc-frontend takes the service's release tag, but .* pins it by digest only/));
  });

  test('faults in the production environment are refused unless allowFaultsInProduction names the choice', () => {
    const fault = { from: 'pc-bff/pc-bff', to: 'order-service/order-service', abort: { percent: 1, httpStatus: 503 } };
    const refused = mutated((i) => (env(i, 'prd').faults = [fault]));
    expect(problemsOf(refused)).toContainEqual(expect.stringMatching(/^environments\[prd\]\.faults: 1 fault\(s\) declared in the production environment prd: set allowFaultsInProduction: true/));
    const allowed = mutated((i) => Object.assign(env(i, 'prd'), { faults: [fault], allowFaultsInProduction: true }));
    expect(problemsOf(allowed)).toEqual([]);
  });

  test('a fault on a pair that is not a declared dependency edge is refused', () => {
    const input = mutated((i) => (env(i, 'dev').faults = [{ from: 'order-service/order-service', to: 'pc-bff/pc-bff', delay: { percent: 5, fixedDelaySeconds: 1 } }]));
    expect(problemsOf(input)).toContainEqual('environments[dev].faults[0].to: "pc-bff/pc-bff" is not a declared dependency of "order-service/order-service": faults apply to dependency edges only');
  });

  test('a fault with neither delay nor abort is refused', () => {
    const input = mutated((i) => (env(i, 'dev').faults = [{ from: 'pc-bff/pc-bff', to: 'order-service/order-service' }]));
    expect(problemsOf(input).join('\n')).toMatch(/a fault needs a delay, an abort or both/);
  });

  test('E2E target URLs are the public hosts with the path prefixes of the service routes', () => {
    const platform = examplePlatform();
    const stg = platform.environments.find((e) => e.name === 'stg')!;
    const bff = platform.teams.flatMap((t) => t.namespaces).find((n) => n.name === 'pc-bff')!.services[0];
    expect(e2eTargetUrls(stg, bff)).toEqual(['https://stg.shop.example.com/api/']);
  });

  test('contract participants are both ends of every service dependency and nothing else', () => {
    const participants = contractParticipants(examplePlatform());
    expect(participants.has('pc-bff/pc-bff')).toBe(true);
    expect(participants.has('order-service/order-service')).toBe(true);
    expect(participants.has('pc-frontend/pc-frontend')).toBe(false);
    expect(pacticipantName({ namespace: 'order-service', service: 'order-service' })).toBe('order-service.order-service');
  });

  test('the example platform with its gates is valid', () => {
    expect(problemsOf(exampleInput())).toEqual([]);
  });
});

describe('faults by callee', () => {
  test('faultsInto returns the faults on calls into one service, in model order, and none for others', () => {
    const { faultsInto } = jest.requireActual('../platform/gates') as typeof import('../platform/gates');
    const dev = examplePlatform().environments.find((e) => e.name === 'dev')!;
    expect(faultsInto(dev, { namespace: 'order-service', service: 'order-service' }).map((f) => f.from)).toEqual(['pc-bff/pc-bff']);
    expect(faultsInto(dev, { namespace: 'shipping-service', service: 'shipping-service' })).toEqual([]);
  });
});
