/**
 * The bootstrap simulator covers the delivery gates' objects: every Job and CronJob of the gates
 * finds the Secrets and ConfigMaps it references at its phase and wave (rendered trees), and a
 * gate CronJob whose ConfigMap is missing is reported (small tree).
 */
import { parse } from 'yaml';
import { readFileSync } from 'fs';
import { referenceAvailability, referencesOf } from '../verify/bootstrap/reference-availability';
import { verifyEnvironment } from '../verify';
import type { RenderedObject } from '../verify/tree';
import { application, dirSource, messages, SERVER, verifyTiny } from './support/verify-tree';

const rendered = (path: string): RenderedObject => {
  const doc = parse(readFileSync(`dist/${path}`, 'utf8'));
  return { file: path, apiVersion: doc.apiVersion, kind: doc.kind, name: doc.metadata.name, namespace: doc.metadata.namespace, annotations: doc.metadata.annotations ?? {}, doc };
};

describe('the gates in the bootstrap simulator', () => {
  test('the load test CronJob, the gate Jobs and the DB bootstrap reference what the simulator checks', () => {
    expect(referencesOf(rendered('stg/namespaces/load-infra/cronjob-load-test.yaml'))).toEqual([expect.objectContaining({ kind: 'ConfigMap', name: 'load-test' })]);
    expect(referencesOf(rendered('stg/namespaces/order-service/job-order-service-can-i-deploy.yaml'))).toEqual([expect.objectContaining({ kind: 'Secret', name: 'contract-broker-client' })]);
    expect(referencesOf(rendered('prd/namespaces/database-infra/job-db-bootstrap.yaml')).map((r) => `${r.kind} ${r.name}`)).toEqual(expect.arrayContaining(['ConfigMap db-bootstrap', 'ServiceAccount db-bootstrap']));
  });

  test.each(['dev', 'stg', 'prd'])('%s: every reference of the rendered tree is available at its phase (no finding)', (env) => {
    const findings = verifyEnvironment(`dist/${env}`, [referenceAvailability]);
    expect(findings.map((f) => f.message)).toEqual([]);
  });

  test("a gate CronJob whose ConfigMap no Application renders is reported, naming the CronJob and the ConfigMap", () => {
    const app = { 'argocd/teams/application-app.yaml': application('app', { project: 'p', source: dirSource('namespaces/app'), destination: { server: SERVER, namespace: 'app' } }) };
    const cron = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'load-test', namespace: 'app' },
      spec: { schedule: '0 18 * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'k6', image: 'r/k6:1' }], volumes: [{ name: 'config', configMap: { name: 'load-test' } }] } } } } },
    };
    const f = verifyTiny({ ...app, 'namespaces/app/cronjob-load-test.yaml': cron }, [referenceAvailability]);
    expect(messages(f)).toEqual([expect.stringMatching(/^namespaces\/app\/cronjob-load-test\.yaml: CronJob load-test \(Sync, wave 0\) references ConfigMap load-test in volumes\[config\], which no Application of this environment creates/)]);
  });
});
