/**
 * What each service gets beyond its Deployment: secrets from AWS, sync-hook Jobs, nodes,
 * monitoring and, for BFFs, their Nginx routing.
 */
import { parse } from 'yaml';
import { cdnDistributionIdParameter, databaseSecretName, karpenterDiscoveryTag, karpenterNodeRoleName, serviceSecretName } from '../platform/naming';
import { examplePlatform, type Loose } from './support/example';
import { exampleFiles, objectAt, objectsWhere } from './support/rendered';

const env = (name: string) => examplePlatform().environments.find((e) => e.name === name)!;
const container = (obj: Loose) => obj.spec.template.spec.containers[0];

describe('secrets', () => {
  test('a service’s Secrets Manager secrets arrive through one ExternalSecret on its namespace’s store, naming the derived secret and each key', () => {
    const es = objectAt('stg/namespaces/payment-service/externalsecret-payment-service-app.yaml');
    expect(es.spec.secretStoreRef).toEqual({ kind: 'SecretStore', name: 'aws-secrets-manager' });
    expect(es.spec.data).toEqual([
      { secretKey: 'PROVIDER_API_KEY', remoteRef: { key: serviceSecretName(examplePlatform(), env('stg'), { namespace: 'payment-service', service: 'payment-service' }), property: 'provider-api-key' } },
    ]);
  });

  test('database credentials come from the derived database secret, synced in the wave before the migration', () => {
    const es = objectAt('prd/namespaces/order-service/externalsecret-order-service-database.yaml');
    expect(es.spec.dataFrom).toEqual([{ extract: { key: databaseSecretName(examplePlatform(), env('prd'), { namespace: 'order-service', service: 'order-service' }) } }]);
    expect(es.metadata.annotations['argocd.argoproj.io/hook']).toBeUndefined();
    const job = objectAt('prd/namespaces/order-service/job-order-service-migrate.yaml');
    expect(Number(job.metadata.annotations['argocd.argoproj.io/sync-wave'])).toBeGreaterThan(Number(es.metadata.annotations['argocd.argoproj.io/sync-wave']));
  });

  test('the Deployment loads its config and every secret it owns', () => {
    expect(container(objectAt('dev/namespaces/order-service/deployment-order-service.yaml')).envFrom).toEqual([
      { configMapRef: { name: 'order-service-config' } },
      { secretRef: { name: 'order-service-app' } },
      { secretRef: { name: 'order-service-database' } },
    ]);
  });

  test('each namespace with secrets gets its own store, authenticating as its own reader ServiceAccount; namespaces without secrets get none', () => {
    const store = objectAt('dev/namespaces/order-service/secretstore-aws-secrets-manager.yaml');
    expect(store.spec.provider.aws).toEqual({ service: 'SecretsManager', region: 'ap-northeast-1', auth: { jwt: { serviceAccountRef: { name: 'external-secrets-reader' } } } });
    const reader = objectAt('dev/namespaces/order-service/serviceaccount-external-secrets-reader.yaml');
    expect(reader.metadata.annotations['eks.amazonaws.com/role-arn']).toBe('arn:aws:iam::111111111111:role/ec-dev-order-service-secrets');
    expect(reader.automountServiceAccountToken).toBe(false);
    expect(exampleFiles().has('dev/namespaces/pc-frontend/secretstore-aws-secrets-manager.yaml')).toBe(false);
  });
});

describe('sync-hook Jobs', () => {
  test('a microservice with a migration command gets a Sync-hook Job running that command in its own image', () => {
    const job = objectAt('stg/namespaces/order-service/job-order-service-migrate.yaml');
    const deployment = objectAt('stg/namespaces/order-service/deployment-order-service.yaml');
    expect(job.metadata.annotations['argocd.argoproj.io/hook']).toBe('Sync');
    expect(container(job).image).toBe(container(deployment).image);
    expect(container(job).command).toEqual(['/app/migrate', 'up']);
    expect(container(job).envFrom).toContainEqual({ secretRef: { name: 'order-service-database' } });
    expect(job.spec.template.metadata.annotations['sidecar.istio.io/inject']).toBe('false');
  });

  test('a service whose database migrates itself on start gets no migration Job', () => {
    expect(exampleFiles().has('dev/namespaces/auth-service/job-keycloak-migrate.yaml')).toBe(false);
    expect(exampleFiles().has('dev/namespaces/auth-service/externalsecret-keycloak-database.yaml')).toBe(true);
  });

  test('a frontend behind the CDN gets a PostSync Job that purges it, reading the distribution id from the derived SSM parameter', () => {
    const job = objectAt('prd/namespaces/sp-frontend/job-sp-frontend-cdn-purge.yaml');
    expect(job.metadata.annotations['argocd.argoproj.io/hook']).toBe('PostSync');
    expect(container(job).env).toContainEqual({ name: 'DISTRIBUTION_ID_PARAMETER', value: cdnDistributionIdParameter(examplePlatform(), env('prd')) });
    expect(container(job).image).toMatch(/@sha256:[a-f0-9]{64}$/);
    expect(job.spec.template.spec.serviceAccountName).toBe('sp-frontend');
  });

  test('hook Jobs are bounded in time and retries and are replaced on the next sync', () => {
    for (const { obj } of objectsWhere((o) => o.kind === 'Job')) {
      expect(obj.spec.activeDeadlineSeconds).toBeLessThanOrEqual(600);
      expect(obj.spec.backoffLimit).toBeLessThanOrEqual(2);
      expect(obj.metadata.annotations['argocd.argoproj.io/hook-delete-policy']).toBe('BeforeHookCreation');
    }
  });
});

describe('nodes', () => {
  test('a high-impact service runs only on its own dedicated, tainted NodePool', () => {
    const pod = objectAt('prd/namespaces/payment-service/deployment-payment-service.yaml').spec.template.spec;
    const pool = objectAt('prd/cluster-nodes/nodepool-dedicated-payment-service-payment-service.yaml');
    const [key, value] = Object.entries(pod.nodeSelector)[0] as [string, string];
    expect(pool.spec.template.metadata.labels[key]).toBe(value);
    expect(pool.spec.template.spec.taints).toEqual([{ key, value, effect: 'NoSchedule' }]);
    expect(pod.tolerations).toEqual([{ key, operator: 'Equal', value, effect: 'NoSchedule' }]);
    expect(pool.spec.template.spec.requirements).toContainEqual({ key: 'karpenter.sh/capacity-type', operator: 'In', values: ['on-demand'] });
  });

  test('everyone else lands on the shared pool: no node selector or toleration', () => {
    const pod = objectAt('prd/namespaces/shipping-service/deployment-shipping-service.yaml').spec.template.spec;
    expect(pod.nodeSelector).toBeUndefined();
    expect(pod.tolerations).toBeUndefined();
    expect(objectAt('prd/cluster-nodes/nodepool-shared.yaml').spec.template.spec.taints).toBeUndefined();
  });

  test('Spot capacity is used only where the environment allows it', () => {
    const capacity = (e: string) => objectAt(`${e}/cluster-nodes/nodepool-shared.yaml`).spec.template.spec.requirements.find((r: Loose) => r.key === 'karpenter.sh/capacity-type').values;
    expect(capacity('dev')).toEqual(['spot', 'on-demand']);
    expect(capacity('prd')).toEqual(['on-demand']);
  });

  test('the EC2NodeClass finds subnets and security groups by the discovery tag and uses the Karpenter node role with IMDSv2', () => {
    const nodeClass = objectAt('stg/cluster-nodes/ec2nodeclass-default.yaml');
    const tag = karpenterDiscoveryTag(examplePlatform(), env('stg'));
    expect(nodeClass.spec.subnetSelectorTerms).toEqual([{ tags: { [tag.key]: tag.value } }]);
    expect(nodeClass.spec.securityGroupSelectorTerms).toEqual([{ tags: { [tag.key]: tag.value } }]);
    expect(nodeClass.spec.role).toBe(karpenterNodeRoleName(examplePlatform(), env('stg')));
    expect(nodeClass.spec.metadataOptions).toMatchObject({ httpTokens: 'required', httpPutResponseHopLimit: 1 });
    expect(nodeClass.spec.blockDeviceMappings[0].ebs.encrypted).toBe(true);
    expect(nodeClass.spec.amiSelectorTerms[0].alias).not.toMatch(/latest/);
  });

  test('Karpenter runs on the managed node group with its IRSA role and interruption queue', () => {
    const values = objectAt('prd/argocd/children/sre/application-addon-karpenter.yaml').spec.source.helm.valuesObject;
    expect(values.settings).toEqual({ clusterName: 'ec-prd', interruptionQueue: 'ec-prd-karpenter' });
    expect(values.serviceAccount.annotations['eks.amazonaws.com/role-arn']).toBe('arn:aws:iam::333333333333:role/ec-prd-karpenter');
    expect(values.nodeSelector).toEqual({ 'platform.ec/node-group': 'system' });
  });
});

describe('storage', () => {
  test('persistent volumes are gp3 through the EBS CSI driver, encrypted with the EBS key the cluster stack creates, and retained', () => {
    const sc = objectAt('prd/cluster/storageclass-gp3.yaml');
    expect(sc).toMatchObject({ provisioner: 'ebs.csi.aws.com', reclaimPolicy: 'Retain', volumeBindingMode: 'WaitForFirstConsumer', parameters: { type: 'gp3', encrypted: 'true' } });
    const alias = sc.parameters.kmsKeyId.split(':').pop();
    const cluster = JSON.parse(exampleFiles().get('prd/terraform/cluster/cdk.tf.json')!);
    expect(Object.values(cluster.resource.aws_kms_alias).map((a: Loose) => a.name)).toContain(alias);
    expect(Object.values(cluster.resource.aws_eks_addon).map((a: Loose) => a.addon_name)).toContain('aws-ebs-csi-driver');
  });
});

describe('monitoring', () => {
  test('exactly the services that declare a metrics endpoint have a ServiceMonitor, selecting their Service on that port', () => {
    for (const { path, obj } of objectsWhere((o) => o.kind === 'ServiceMonitor')) {
      // A tool whose Pods an installer creates is scraped through its headless `<service>-metrics` Service (every Pod).
      const metrics = path.replace(/servicemonitor-(.*)\.yaml$/, 'service-$1-metrics.yaml');
      const svc = objectAt(exampleFiles().has(metrics) ? metrics : path.replace(/servicemonitor-/, 'service-'));
      expect(svc.metadata.labels).toMatchObject(obj.spec.selector.matchLabels);
      expect(svc.spec.ports.map((p: Loose) => p.name)).toContain(obj.spec.endpoints[0].port);
    }
    const declared = examplePlatform().teams.flatMap((t) => t.namespaces.flatMap((n) => n.services.filter((s) => s.metrics).map((s) => `${n.name}/${s.name}`)));
    const monitored = objectsWhere((o, p) => o.kind === 'ServiceMonitor' && p.startsWith('dev/')).map(({ obj }) => `${obj.metadata.namespace}/${obj.metadata.name}`);
    expect(monitored.sort()).toEqual(declared.sort());
    // Without a scrape target, availability comes from the callers' Istio metrics (no permanent ServiceUnavailable).
    const rule = objectAt('dev/namespaces/pc-bff/prometheusrule-pc-bff.yaml').spec.groups[0].rules.find((r: Loose) => r.alert === 'ServiceUnavailable');
    expect(rule.expr).toContain('istio_requests_total{reporter="source",destination_service="pc-bff.pc-bff.svc.cluster.local"');
    expect(rule.expr).not.toContain('up{');
  });

  test('in-mesh services are scraped over Istio mutual TLS, so STRICT needs no exception', () => {
    const endpoint = objectAt('dev/namespaces/order-service/servicemonitor-order-service.yaml').spec.endpoints[0];
    expect(endpoint).toMatchObject({ port: 'http-metrics', scheme: 'https', tlsConfig: { certFile: '/etc/prom-certs/cert-chain.pem' } });
  });

  test('every service has availability, error-rate and latency alerts labelled with its team', () => {
    const rules = objectAt('prd/namespaces/order-service/prometheusrule-order-service.yaml').spec.groups[0].rules;
    expect(rules.map((r: Loose) => r.alert)).toEqual(['ServiceUnavailable', 'ServiceHighErrorRate', 'ServiceHighLatency']);
    for (const r of rules) expect(r.labels).toMatchObject({ team: 'order', severity: 'critical', service: 'order-service' });
    expect(rules[2].expr).toMatch(/> 4000$/); // 80% of the 5 s timeout
  });
});

describe('BFFs', () => {
  test('a BFF’s Nginx routes each declared upstream, gRPC ones through grpc_pass', () => {
    const config = objectAt('dev/namespaces/partner-bff/configmap-partner-bff-nginx.yaml').data['nginx.conf'];
    expect(config).toContain('server order-service.order-service.svc.cluster.local:50051;');
    expect(config).toContain('grpc_pass grpc://shipping-service;');
    expect(config).not.toContain('account-service'); // not a declared upstream of the partner BFF
    expect(config).toMatch(/location = \/healthcheck \{/);
  });

  test('the config is mounted over nginx.conf and a change of it rolls the Pods', () => {
    const deployment = objectAt('dev/namespaces/pc-bff/deployment-pc-bff.yaml');
    expect(container(deployment).volumeMounts).toContainEqual({ mountPath: '/etc/nginx/nginx.conf', name: 'nginx-conf', subPath: 'nginx.conf', readOnly: true });
    expect(deployment.spec.template.spec.volumes).toContainEqual({ name: 'nginx-conf', configMap: { name: 'pc-bff-nginx' } });
    expect(deployment.spec.template.metadata.annotations['platform.ec/config-hash']).toMatch(/^[a-f0-9]{16}$/);
  });

  test('BFF readiness is the Nginx health endpoint', () => {
    // On the HTTP/1.1 health port: the API port speaks gRPC (HTTP/2).
    expect(container(objectAt('dev/namespaces/sp-bff/deployment-sp-bff.yaml')).readinessProbe.httpGet).toMatchObject({ path: '/healthcheck', port: 8081 });
  });
});

test('no rendered YAML is anything but a single document', () => {
  for (const [path, content] of exampleFiles()) if (path.endsWith('.yaml')) expect(() => parse(content)).not.toThrow();
});
