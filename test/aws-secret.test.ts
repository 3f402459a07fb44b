import { Chart, Testing } from 'cdk8s';
import { AwsSecret } from '../charts/secrets/aws-secret';

const synth = (props: ConstructorParameters<typeof AwsSecret>[2]) => {
  const chart = new Chart(Testing.app(), 'test');
  new AwsSecret(chart, 'secret', props);
  return Testing.synth(chart);
};

describe('AwsSecret (every ExternalSecret of the platform)', () => {
  test('reads named properties through the namespace store, owns its Secret and keeps it when the AWS secret goes', () => {
    const [es] = synth({ name: 'svc-app', keys: [{ secretKey: 'API_KEY', key: 'ec/dev/ns/svc', property: 'api-key' }], syncWave: -2 });
    expect(es.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '-2' });
    expect(es.spec).toEqual({
      refreshInterval: '1h',
      secretStoreRef: { kind: 'SecretStore', name: 'aws-secrets-manager' },
      target: { name: 'svc-app', creationPolicy: 'Owner', deletionPolicy: 'Retain' },
      data: [{ secretKey: 'API_KEY', remoteRef: { key: 'ec/dev/ns/svc', property: 'api-key' } }],
    });
  });

  test('extract takes every property of one AWS secret', () => {
    const [es] = synth({ name: 'svc-database', extract: 'ec/dev/ns/svc/database' });
    expect(es.spec.dataFrom).toEqual([{ extract: { key: 'ec/dev/ns/svc/database' } }]);
    expect(es.spec.data).toBeUndefined();
  });

  test('needs exactly one of keys and extract', () => {
    expect(() => synth({ name: 'both', keys: [], extract: 'x' })).toThrow(/AwsSecret both: give exactly one of keys and extract/);
    expect(() => synth({ name: 'none' })).toThrow(/AwsSecret none: give exactly one of keys and extract/);
  });
});
