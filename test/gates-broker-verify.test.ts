import { contractBrokerUrl } from '../verify/bootstrap/contract-broker-url';
import { verifyEnvironment } from '../verify';
import { application, messages, SERVER, verifyTiny } from './support/verify-tree';

const brokerApp = (values: Record<string, unknown>, releaseName?: string) =>
  application('addon-pact-broker', {
    project: 'p',
    source: { repoURL: 'https://pact-foundation.github.io/pact-broker-chart/', chart: 'pact-broker', targetRevision: '5.5.1', helm: { ...(releaseName ? { releaseName } : {}), valuesObject: values } },
    destination: { server: SERVER, namespace: 'contract-infra' },
  });
const gateJob = (url: string) => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: 'order-can-i-deploy', namespace: 'order' },
  spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'job', image: 'r/pact-cli:1', env: [{ name: 'PACT_BROKER_BASE_URL', value: url }] }] } } },
});

describe('contract-broker-url', () => {
  test('a gate Job calling the Service the pact-broker chart creates (fullnameOverride, service.ports.http) passes', () => {
    const f = verifyTiny({ 'argocd/teams/application-addon-pact-broker.yaml': brokerApp({ fullnameOverride: 'pact-broker', service: { ports: { http: 80 } } }), 'namespaces/order/job-order-can-i-deploy.yaml': gateJob('http://pact-broker.contract-infra.svc.cluster.local:80') }, [contractBrokerUrl]);
    expect(f).toEqual([]);
  });

  test('without fullnameOverride the chart names the Service after the release: a Job calling "pact-broker" misses "broker-pact-broker"', () => {
    const f = verifyTiny({ 'argocd/teams/application-addon-pact-broker.yaml': brokerApp({}, 'broker'), 'namespaces/order/job-order-can-i-deploy.yaml': gateJob('http://pact-broker.contract-infra.svc.cluster.local') }, [contractBrokerUrl]);
    expect(messages(f)).toEqual([
      'namespaces/order/job-order-can-i-deploy.yaml: Job order-can-i-deploy calls the contract broker at http://pact-broker.contract-infra.svc.cluster.local, but no Service contract-infra/pact-broker on port 80 is rendered or created by a pact-broker Application of this environment',
    ]);
  });

  test('a broker outside the cluster over plain HTTP is refused', () => {
    const f = verifyTiny({ 'namespaces/order/job-order-can-i-deploy.yaml': gateJob('http://pact-broker.example.com') }, [contractBrokerUrl]);
    expect(messages(f)).toEqual(["namespaces/order/job-order-can-i-deploy.yaml: Job order-can-i-deploy sends the contract broker's credentials to http://pact-broker.example.com without TLS: outside the cluster the broker URL must be https"]);
  });

  test.each(['stg', 'prd'])('%s: the rendered gate Jobs call a broker that exists', (env) => {
    expect(verifyEnvironment(`dist/${env}`, [contractBrokerUrl]).map((f) => f.message)).toEqual([]);
  });
});
