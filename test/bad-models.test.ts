/**
 * A battery of bad models, as a user would write them: each one is rejected before anything is
 * rendered, with a message naming the team/namespace/service/field (or release file) it is about.
 */
import { ADDONS_PROJECT } from '../apps-of-apps/app-of-apps';
import { RESERVED_TEAM_NAMES } from '../platform/validate';
import { exampleInput, mutated, serviceOf, type Loose, problemsOf } from './support/example';

const team = (i: Loose, name: string) => i.teams.find((t: Loose) => t.name === name);
const release = (i: Loose, env: string) => i.releases.find((r: Loose) => r.environment === env);
const svc = (t: string, ns: string, s: string) => `teams\\[${t}\\]\\.namespaces\\[${ns}\\]\\.services\\[${s}\\]`;
/** The dependencies of a service of the raw input (created when it declares none). */
const deps = (i: Loose, key: string): Loose[] => (serviceOf(i, key).dependencies ??= []);
const ORDER = svc('order', 'order-service', 'order-service');

/** A copy of order-service under another name, with an image in every release file. */
function addService(i: Loose, teamName: string, namespace: string, name: string, change: (s: Loose) => void = () => {}): Loose {
  let t = team(i, teamName);
  if (!t) {
    t = { name: teamName, owners: [`${teamName}@shop.example.com`], repo: `https://github.com/example-shop/${teamName}.git`, namespaces: [] };
    i.teams.push(t);
  }
  let ns = t.namespaces.find((n: Loose) => n.name === namespace);
  if (!ns) {
    ns = { name: namespace, services: [] };
    t.namespaces.push(ns);
  }
  const s = { ...structuredClone(serviceOf(i, 'order-service/order-service')), name, exposure: undefined, dependencies: [] };
  delete s.exposure;
  change(s);
  ns.services.push(s);
  for (const r of i.releases) r.images[`${namespace}/${name}`] = structuredClone(r.images['order-service/order-service']);
  return s;
}

/** A team owning one namespace with one service (all that is needed for a name to count). */
const addTeam = (i: Loose, name: string) => addService(i, name, `${name}-ns`, `${name}-svc`);

type Case = readonly [string, (i: Loose) => void, RegExp];

const cases: Case[] = [
  // ---- names that collide with Argo CD, Kubernetes or the platform --------------------------------
  ["a contract broker that names no reason for its unrotated PostgreSQL password", (i) => { delete i.contractBroker.databaseRotationExemption; }, /^contractBroker\.databaseRotationExemption: the broker's PostgreSQL password cannot rotate/],
  ['a broker rotation exemption that is no AWS tag value', (i) => { i.contractBroker.databaseRotationExemption = 'because, well'; }, /contractBroker\.databaseRotationExemption.*AWS tag value/],
  ['a team named "platform" (the root AppProject)', (i) => addTeam(i, 'platform'), /^teams\[platform\]\.name: team name "platform" is reserved/],
  ['a team named "default" (Argo CD’s built-in project)', (i) => addTeam(i, 'default'), /^teams\[default\]\.name: team name "default" is reserved/],
  ['a team named "argocd"', (i) => addTeam(i, 'argocd'), /^teams\[argocd\]\.name: team name "argocd" is reserved/],
  ['a team named "kube-ops"', (i) => addTeam(i, 'kube-ops'), /^teams\[kube-ops\]\.name: team name "kube-ops" is reserved.*kube-\*/],
  ['a team named after the add-ons project', (i) => addTeam(i, ADDONS_PROJECT), /^teams\[sre-addons\]\.name: team name "sre-addons" is reserved/],
  ['a team named after a renamed Argo CD namespace', (i) => ((i.argocdNamespace = 'gitops'), addTeam(i, 'gitops')), /^teams\[gitops\]\.name: team name "gitops" is reserved/],
  ['a namespace named kube-tools', (i) => addService(i, 'order', 'kube-tools', 'tool-svc'), /^teams\[order\]\.namespaces\[kube-tools\]: namespace "kube-tools" is reserved/],
  ['a namespace named default', (i) => addService(i, 'order', 'default', 'tool-svc'), /^teams\[order\]\.namespaces\[default\]: namespace "default" is reserved/],
  ['a namespace named argocd', (i) => addService(i, 'order', 'argocd', 'tool-svc'), /^teams\[order\]\.namespaces\[argocd\]: namespace "argocd" is reserved/],
  ['a team defined twice', (i) => i.teams.push(structuredClone(team(i, 'pc'))), /^teams\[pc\]: team "pc" is defined more than once/],
  ['a namespace claimed by two teams', (i) => team(i, 'payment').namespaces.push({ name: 'order-service' }), /^teams\[order,payment\]\.namespaces\[order-service\]: namespace "order-service" is claimed by more than one team \(order, payment\)/],
  ['no sre team', (i) => (i.teams = i.teams.filter((t: Loose) => t.name !== 'sre')), /^teams: a team named "sre" must own/],

  // ---- derived-name collisions, naming both services ----------------------------------------------
  [
    'two services whose AWS names derive to the same "<namespace>-<service>"',
    (i) => addService(i, 'order', 'order', 'service-order-service'),
    new RegExp(`^${svc('order', 'order', 'service-order-service')}\\.name: its AWS resources \\(ECR repository, secrets, IAM role\\) are named after "order-service-order-service", as are those of ${ORDER}`),
  ],
  [
    'a service whose IAM role is the name of a platform role',
    (i) => addService(i, 'order', 'external', 'secrets', (s) => (s.aws = ['email-send'])),
    new RegExp(`^${svc('order', 'external', 'secrets')}\\.name: its IAM role "ec-dev-external-secrets" is the name of the platform's own role for externalSecrets`),
  ],
  [
    'two services whose derived schema and user are the same',
    (i) => (addService(i, 'order', 'ledger-a', 'ledger'), addService(i, 'order', 'ledger-b', 'ledger')),
    new RegExp(`^${svc('order', 'ledger-b', 'ledger')}\\.database\\.schema: its schema and user "ledger" \\(derived from the name\\) are also those of ${svc('order', 'ledger-a', 'ledger')}`),
  ],
  [
    'a service declaring another service’s schema',
    (i) => (serviceOf(i, 'payment-service/payment-service').database.schema = 'order_service'),
    new RegExp(`^${svc('payment', 'payment-service', 'payment-service')}\\.database\\.schema: declares schema "order_service", which is the schema of ${ORDER}; each service owns its own schema and user`),
  ],
  [
    'two long names whose schemas are cut to the same 32 characters',
    (i) => (addService(i, 'order', 'billing', 'billing-reconciliation-worker-eu-west'), addService(i, 'order', 'billing', 'billing-reconciliation-worker-eu-east')),
    /services\[billing-reconciliation-worker-eu-east\]\.database\.schema: its schema and user "billing_reconciliation_worker_eu" \(derived from the name\) are also those of .*services\[billing-reconciliation-worker-eu-west\]/,
  ],
  ['an IAM role name over 64 characters', (i) => addService(i, 'order', 'a-very-long-namespace-name-for-roles', 'a-rather-long-service-name', (s) => (s.aws = ['email-send'])), /services\[a-rather-long-service-name\]\.name: IAM role name "ec-dev-a-very-long-namespace-name-for-roles-a-rather-long-service-name" is \d+ characters; AWS allows 64/],

  // ---- resources no node can hold -----------------------------------------------------------------
  ['cpu "0"', (i) => (serviceOf(i, 'order-service/order-service').resources.cpu = '0'), new RegExp(`^${ORDER}\\.resources\\.cpu: cpu must be at least "1m"`)],
  ['cpu "0.0"', (i) => (serviceOf(i, 'order-service/order-service').resources.cpu = '0.0'), new RegExp(`^${ORDER}\\.resources\\.cpu: cpu must be at least "1m"`)],
  ['cpu "0.0001" (below a millicore)', (i) => (serviceOf(i, 'order-service/order-service').resources.cpu = '0.0001'), new RegExp(`^${ORDER}\\.resources\\.cpu: cpu must be at least "1m"`)],
  ['cpu "500" cores', (i) => (serviceOf(i, 'order-service/order-service').resources.cpu = '500'), new RegExp(`^${ORDER}\\.resources\\.cpu: cpu "500" is more than the largest node Karpenter may launch in dev \\(m7i\\.48xlarge: 192 vCPU, 768 GiB; categories c, m\\) holds`)],
  ['cpu "200000m"', (i) => (serviceOf(i, 'order-service/order-service').resources.cpu = '200000m'), new RegExp(`^${ORDER}\\.resources\\.cpu: cpu "200000m" is more than the largest node`)],
  ['memory beyond the largest r instance', (i) => (serviceOf(i, 'order-service/order-service').resources.memory = '2048Gi'), new RegExp(`^${ORDER}\\.resources\\.memory: memory "2048Gi" is more than the largest node Karpenter may launch in prd \\(r7i\\.48xlarge: 192 vCPU, 1536 GiB; categories c, m, r\\)`)],
  ['memory that fits stg’s r nodes but not dev’s c/m nodes', (i) => (serviceOf(i, 'order-service/order-service').resources.memory = '800Gi'), new RegExp(`^${ORDER}\\.resources\\.memory: memory "800Gi" is more than the largest node Karpenter may launch in dev \\(m7i\\.48xlarge: 192 vCPU, 768 GiB; categories c, m\\)`)],
  ['a cpu that is not a quantity', (i) => (serviceOf(i, 'order-service/order-service').resources.cpu = 'two'), new RegExp(`^${ORDER}\\.resources\\.cpu: cpu must be a positive quantity`)],
  ['memory in MB', (i) => (serviceOf(i, 'order-service/order-service').resources.memory = '256MB'), new RegExp(`^${ORDER}\\.resources\\.memory: memory must be a positive quantity in Mi or Gi`)],

  // ---- replica bounds -----------------------------------------------------------------------------
  ['maxReplicas 100000', (i) => (serviceOf(i, 'order-service/order-service').scaling.maxReplicas = 100000), new RegExp(`^${ORDER}\\.scaling\\.maxReplicas: maxReplicas must be at most 1000`)],
  ['minReplicas 5000', (i) => (serviceOf(i, 'order-service/order-service').scaling = { minReplicas: 5000, maxReplicas: 6000 }), new RegExp(`^${ORDER}\\.scaling\\.minReplicas: minReplicas must be at most 1000`)],
  ['minReplicas above maxReplicas', (i) => (serviceOf(i, 'order-service/order-service').scaling = { minReplicas: 8, maxReplicas: 4 }), new RegExp(`^${ORDER}\\.scaling: minReplicas \\(8\\) is greater than maxReplicas \\(4\\)`)],
  ['minReplicas 1', (i) => (serviceOf(i, 'order-service/order-service').scaling.minReplicas = 1), new RegExp(`^${ORDER}\\.scaling\\.minReplicas: minReplicas must be at least 2`)],
  ['maxReplicas below the prd floor', (i) => (serviceOf(i, 'order-service/order-service').scaling = { minReplicas: 2, maxReplicas: 2 }), new RegExp(`^${ORDER}\\.scaling\\.maxReplicas: maxReplicas \\(2\\) is below the prd replica floor \\(3\\)`)],
  ['a fractional replica count', (i) => (serviceOf(i, 'order-service/order-service').scaling.maxReplicas = 4.5), new RegExp(`^${ORDER}\\.scaling\\.maxReplicas: `)],
  ['a CPU target of 5 %', (i) => (serviceOf(i, 'order-service/order-service').scaling.targetCpuUtilization = 5), new RegExp(`^${ORDER}\\.scaling\\.targetCpuUtilization: `)],

  // ---- public config ------------------------------------------------------------------------------
  ['a ConfigMap over 1 MiB', (i) => (serviceOf(i, 'order-service/order-service').config.BIG_BLOB = 'x'.repeat(1024 * 1024)), new RegExp(`^${ORDER}\\.config: the ConfigMap would hold \\d+ bytes of config; Kubernetes rejects a ConfigMap over 1 MiB \\(1048576 bytes\\)`)],
  ['a password in public config', (i) => (serviceOf(i, 'order-service/order-service').config.DB_PASSWORD = 'hunter2'), new RegExp(`^${ORDER}\\.config\\.DB_PASSWORD: "DB_PASSWORD" looks like a credential \\(PASSWORD\\).*declare it under secrets`)],
  ['a token in public config', (i) => (serviceOf(i, 'order-service/order-service').config.GITHUB_TOKEN = 'ghp_x'), new RegExp(`^${ORDER}\\.config\\.GITHUB_TOKEN: "GITHUB_TOKEN" looks like a credential \\(TOKEN\\)`)],
  ['a secret in public config', (i) => (serviceOf(i, 'order-service/order-service').config.CLIENT_SECRET = 's'), new RegExp(`^${ORDER}\\.config\\.CLIENT_SECRET: "CLIENT_SECRET" looks like a credential \\(SECRET\\)`)],
  ['an API key in public config', (i) => (serviceOf(i, 'order-service/order-service').config.STRIPE_KEY = 'sk_live'), new RegExp(`^${ORDER}\\.config\\.STRIPE_KEY: "STRIPE_KEY" looks like a credential \\(KEY\\)`)],
  ['a private key in public config', (i) => (serviceOf(i, 'order-service/order-service').config.TLS_PRIVATE_PEM = '---'), new RegExp(`^${ORDER}\\.config\\.TLS_PRIVATE_PEM: "TLS_PRIVATE_PEM" looks like a credential \\(PRIVATE\\)`)],
  ['a lower-case config key', (i) => (serviceOf(i, 'order-service/order-service').config.log_level = 'debug'), new RegExp(`^${ORDER}\\.config\\.log_level: config key must be an environment variable name`)],
  ['a config value that is not a string', (i) => (serviceOf(i, 'order-service/order-service').config.WORKERS = 4), new RegExp(`^${ORDER}\\.config\\.WORKERS: `)],
  ['a name set in both config and secrets', (i) => (serviceOf(i, 'order-service/order-service').config[serviceOf(i, 'order-service/order-service').secrets[0].name] = 'x'), new RegExp(`^${ORDER}\\.secrets: ".*" is set more than once across config and secrets`)],

  // ---- releases -----------------------------------------------------------------------------------
  ['tag "LATEST"', (i) => (release(i, 'dev').images['order-service/order-service'] = { tag: 'LATEST' }), /^releases\[releases\/dev\.yaml\]\.images\[order-service\/order-service\]\.tag: tag "LATEST" is mutable \("latest" in any case\)/],
  ['tag "Latest"', (i) => (release(i, 'stg').images['order-service/order-service'] = { tag: 'Latest' }), /^releases\[releases\/stg\.yaml\]\.images\[order-service\/order-service\]\.tag: tag "Latest" is mutable \("latest" in any case\)/],
  ['tag "latest"', (i) => (release(i, 'dev').images['pc-bff/pc-bff'] = { tag: 'latest' }), /^releases\[releases\/dev\.yaml\]\.images\[pc-bff\/pc-bff\]\.tag: tag "latest" is mutable \("latest" in any case\); release a version tag or a digest/],
  ['a tag where prd requires a digest', (i) => (release(i, 'prd').images['order-service/order-service'] = { tag: '3.7.2' }), /^releases\[releases\/prd\.yaml\]\.images\[order-service\/order-service\]: prd requires an image digest \(sha256:\.\.\.\), not the mutable tag "3\.7\.2"/],
  ['a malformed digest', (i) => (release(i, 'prd').images['order-service/order-service'] = { digest: 'sha256:abc' }), /^releases\[releases\/prd\.yaml\]\.images\.order-service\/order-service\.digest: digest must be sha256:<64 hex>/],
  ['both a tag and a digest', (i) => (release(i, 'dev').images['order-service/order-service'] = { tag: '1.0.0', digest: `sha256:${'a'.repeat(64)}` }), /^releases\[releases\/dev\.yaml\]\.images\.order-service\/order-service: give exactly one of tag or digest/],
  ['a release file for an unknown environment', (i) => (release(i, 'dev').environment = 'qa'), /^releases\[releases\/dev\.yaml\]: unknown environment "qa" \(known: dev, stg, prd\)/],
  ['an image for an unknown service', (i) => (release(i, 'dev').images['order-service/ordr'] = { tag: '1.0.0' }), /^releases\[releases\/dev\.yaml\]\.images\[order-service\/ordr\]: unknown service "order-service\/ordr"/],
  ['no image for a service', (i) => delete release(i, 'stg').images['order-service/order-service'], /^releases\[releases\/stg\.yaml\]\.images: no image for service "order-service\/order-service" \(teams\[order\]/],
  ['two release files for one environment', (i) => i.releases.push({ ...structuredClone(release(i, 'dev')), source: 'releases/dev-copy.yaml' }), /^releases\[releases\/dev-copy\.yaml\]: a second release file for environment dev/],
  ['no release file for an environment', (i) => (i.releases = i.releases.filter((r: Loose) => r.environment !== 'stg')), /^releases: no release file for environment stg/],
  ['a tag with a slash', (i) => (release(i, 'dev').images['order-service/order-service'] = { tag: 'v1/2' }), /^releases\[releases\/dev\.yaml\]\.images\.order-service\/order-service\.tag: tag must be a valid image tag/],

  // ---- ports and health ---------------------------------------------------------------------------
  ['two ports with one number', (i) => serviceOf(i, 'order-service/order-service').ports.push({ name: 'grpc-alt', port: 50051, protocol: 'grpc' }), new RegExp(`^${ORDER}\\.ports: port 50051 is declared more than once`)],
  ['two ports with one name', (i) => serviceOf(i, 'order-service/order-service').ports.push({ name: 'grpc', port: 50052, protocol: 'grpc' }), new RegExp(`^${ORDER}\\.ports: port name "grpc" is declared more than once`)],
  ['a port in the Istio sidecar range', (i) => (serviceOf(i, 'order-service/order-service').ports[0].port = 15001), new RegExp(`^${ORDER}\\.ports\\[0\\]\\.port: port 15001 clashes with the Istio sidecar's reserved range`)],
  ['no HTTP port to scrape', (i) => (serviceOf(i, 'order-service/order-service').ports = serviceOf(i, 'order-service/order-service').ports.filter((p: Loose) => p.protocol !== 'http')), new RegExp(`^${ORDER}\\.ports: a service needs an HTTP port Prometheus can scrape`)],
  ['a health port that is not a port', (i) => (serviceOf(i, 'order-service/order-service').health = { port: 'nope' }), new RegExp(`^${ORDER}\\.health\\.port: port "nope" is not one of the service's ports`)],
  ['port 70000', (i) => (serviceOf(i, 'order-service/order-service').ports[0].port = 70000), new RegExp(`^${ORDER}\\.ports\\[grpc\\]\\.port: `)],
  ['a port name over 15 characters', (i) => (serviceOf(i, 'order-service/order-service').ports[0].name = 'grpc-very-long-name'), new RegExp(`^${ORDER}\\.ports\\[grpc-very-long-name\\]\\.name: port name must be at most 15 characters`)],
  ['no ports at all', (i) => (serviceOf(i, 'order-service/order-service').ports = []), new RegExp(`^${ORDER}\\.ports: a service needs at least one port`)],

  // ---- dependencies -------------------------------------------------------------------------------
  ['a service depending on itself', (i) => deps(i, 'order-service/order-service').push({ service: 'order-service/order-service' }), new RegExp(`^${ORDER}\\.dependencies\\[\\d+\\]: a service cannot depend on itself`)],
  ['a dependency on an unknown service', (i) => serviceOf(i, 'pc-bff/pc-bff').dependencies.push({ service: 'order-service/ordr' }), /^teams\[pc\]\.namespaces\[pc-bff\]\.services\[pc-bff\]\.dependencies\[\d+\]: unknown service "order-service\/ordr"/],
  ['a dependency cycle', (i) => deps(i, 'order-service/order-service').push({ service: 'pc-bff/pc-bff' }), /dependencies: dependency cycle: .*pc-bff\/pc-bff.*order-service\/order-service|dependency cycle: .*order-service\/order-service.*pc-bff\/pc-bff/],
  ['a dependency declared twice', (i) => serviceOf(i, 'pc-bff/pc-bff').dependencies.push(structuredClone(serviceOf(i, 'pc-bff/pc-bff').dependencies[0])), /^teams\[pc\]\.namespaces\[pc-bff\]\.services\[pc-bff\]\.dependencies: ".*" is declared more than once/],
  ['a dependency without its namespace', (i) => serviceOf(i, 'pc-bff/pc-bff').dependencies.push({ service: 'order-service' }), /^teams\[pc\]\.namespaces\[pc-bff\]\.services\[pc-bff\]\.dependencies\[\d+\](\.service)?: /],
  ['an out-of-mesh caller of an in-mesh service', (i) => addService(i, 'order', 'legacy', 'legacy-batch', (s) => s.dependencies.push({ service: 'order-service/order-service' })) && (team(i, 'order').namespaces.find((n: Loose) => n.name === 'legacy').mesh = false), /services\[legacy-batch\]\.dependencies\[0\]: "order-service\/order-service" is in the mesh with STRICT mTLS; legacy is outside the mesh/],
  ['an external dependency that is not a host', (i) => deps(i, 'order-service/order-service').push({ external: 'not a host' }), new RegExp(`^${ORDER}\\.dependencies\\[\\d+\\]`)],

  // ---- exposure -----------------------------------------------------------------------------------
  ['a microservice exposed publicly', (i) => (serviceOf(i, 'order-service/order-service').exposure = { public: [{ host: 'api', pathPrefix: '/orders' }] }), new RegExp(`^${ORDER}\\.exposure\\.public\\[0\\]: a microservice is never exposed publicly`)],
  ['a public route claimed twice', (i) => (serviceOf(i, 'sp-bff/sp-bff').exposure = structuredClone(serviceOf(i, 'pc-bff/pc-bff').exposure)), /exposure\.public: route ".*" is also claimed by teams\[pc\]/],
  ['a User-Agent that is not a regular expression', (i) => (serviceOf(i, 'pc-bff/pc-bff').exposure.public[0].userAgent = '(unclosed'), /^teams\[pc\]\.namespaces\[pc-bff\]\.services\[pc-bff\]\.exposure\.public\[0\]\.userAgent: "\(unclosed" is not a valid regular expression/],
  ['an internal host claimed twice', (i) => ((serviceOf(i, 'pc-bff/pc-bff').exposure.internal = [{ subdomain: 'tools' }]), (serviceOf(i, 'sp-bff/sp-bff').exposure.internal = [{ subdomain: 'tools' }])), /exposure\.internal: internal host "tools" is also claimed by teams\[/],

  // ---- kinds, grants, timing ----------------------------------------------------------------------
  ['a database on a frontend', (i) => (serviceOf(i, 'pc-frontend/pc-frontend').database = {}), /^teams\[pc\]\.namespaces\[pc-frontend\]\.services\[pc-frontend\]\.database: a frontend cannot own a database schema/],
  ['CDN invalidation for a microservice', (i) => serviceOf(i, 'order-service/order-service').aws?.push?.('cdn-invalidation') ?? (serviceOf(i, 'order-service/order-service').aws = ['cdn-invalidation']), new RegExp(`^${ORDER}\\.aws: only a frontend may invalidate the CDN`)],
  ['an unknown AWS grant', (i) => (serviceOf(i, 'order-service/order-service').aws = ['s3-admin']), new RegExp(`^${ORDER}\\.aws\\[0\\]: `)],
  ['a grace period shorter than the preStop sleep', (i) => (serviceOf(i, 'order-service/order-service').shutdown = { preStopSleepSeconds: 30, terminationGracePeriodSeconds: 20 }), new RegExp(`^${ORDER}\\.shutdown: terminationGracePeriodSeconds \\(20\\) must exceed preStopSleepSeconds \\(30\\)`)],
  ['a try outlasting the request timeout', (i) => (serviceOf(i, 'order-service/order-service').traffic = { timeoutSeconds: 2, perTryTimeoutSeconds: 5 }), new RegExp(`^${ORDER}\\.traffic\\.perTryTimeoutSeconds: a try \\(5s\\) cannot outlast the whole request timeout \\(2s\\)`)],
  ['an unknown service field', (i) => (serviceOf(i, 'order-service/order-service').replicas = 3), new RegExp(`^${ORDER}: unknown field\\(s\\) "replicas"`)],
  ['an unknown service kind', (i) => (serviceOf(i, 'order-service/order-service').kind = 'worker'), new RegExp(`^${ORDER}\\.kind: `)],
  ['a service name that is not a DNS label', (i) => (serviceOf(i, 'order-service/order-service').name = 'Order_Service'), /^teams\[order\]\.namespaces\[order-service\]\.services\[Order_Service\]\.name: service name must be a DNS-1123 label/],

  // ---- platform and environments ------------------------------------------------------------------
  ['an unknown identity service', (i) => (i.identity.service = 'auth-service/kc'), /^identity\.service: unknown service "auth-service\/kc"/],
  ['a platform name over 8 characters', (i) => (i.name = 'ecommerce'), /^name: platform name must be at most 8 characters/],
  ['a zone outside the region', (i) => (i.environments[0].availabilityZones[2] = 'us-east-1a'), /^environments\[dev\]\.availabilityZones: zone "us-east-1a" is not in region/],
  ['system nodes with min above desired', (i) => (i.environments[0].sizing.systemNodes = { min: 5, desired: 2, max: 6 }), /^environments\[dev\]\.sizing\.systemNodes: needs min <= desired <= max/],
  ['one NodePort used twice', (i) => (i.nodePorts.ingressNginxHttp = i.nodePorts.istioIngressHttp), /^nodePorts: NodePort \d+ is used twice/],
  ['an environment defined twice', (i) => i.environments.push(structuredClone(i.environments[0])), /^environments\[dev\]: environment "dev" is defined more than once/],
  ['an account id that is not 12 digits', (i) => (i.environments[0].account = '1234'), /^environments\[dev\]\.account: account must be a 12-digit AWS account id/],
];

describe('a battery of bad models', () => {
  test('holds at least 60 bad models', () => {
    expect(cases.length).toBeGreaterThanOrEqual(60);
  });

  test('the example itself is valid (so each case fails for its own reason)', () => {
    expect(problemsOf(exampleInput())).toEqual([]);
  });

  test.each(cases)('%s is rejected with a message naming where', (_name, change, message) => {
    expect(problemsOf(mutated(change))).toContainEqual(expect.stringMatching(message));
  });
});

describe('reserved names stay in step with what they protect', () => {
  test('the add-ons AppProject name is reserved for teams', () => {
    expect(RESERVED_TEAM_NAMES).toContain(ADDONS_PROJECT);
  });
});
