/**
 * The NetworkPolicies of the namespaces outside the mesh and of the sidecar-less hook Jobs: the
 * address blocks they name are the ones the network stack lays out (one function,
 * platform/network.ts policyNetwork), the vpc-cni add-on enforces them, and each admits only
 * what its profile declares.
 */
import { HOOK_JOB_LABEL, hookJobPolicyName, urlEgress } from '../charts/network-policy/hook-job-network-policy';
import { NON_MESH_PROFILES, NOT_DEFAULT_DENIED } from '../charts/network-policy/non-mesh-profiles';
import { cidrContains, cidrHasAddress, kubernetesApiServiceAddress, kubernetesServiceCidr, publicInternet } from '../platform/network';
import { envNamed, platform, rendered, type Json } from './support/cdktf-jest';
import type { Loose } from './support/example';
import { objectAt, objectsWhere } from './support/rendered';

const tfJson = (env: string, stack: string): Json => JSON.parse(rendered(env).find((s) => s.stack === stack)!.json);
const subnetsOfTier = (env: string, tier: string): string[] =>
  Object.values(tfJson(env, 'network').resource.aws_subnet as Record<string, Json>).filter((s) => s.tags.tier === tier).map((s) => s.cidr_block).sort();
const ipBlocks = (rule: Loose): string[] => (rule.to ?? rule.from ?? []).flatMap((p: Loose) => (p.ipBlock ? [p.ipBlock.cidr] : []));
const policy = (env: string, ns: string, name: string): Loose => objectAt(`${env}/namespaces/${ns}/networkpolicy-${name}.yaml`);
const nonMeshNamespaces = platform.teams.flatMap((t) => t.namespaces).filter((n) => !n.mesh).map((n) => n.name);
const envs = platform.environments.map((e) => e.name);

describe('one address plan for both layers', () => {
  test.each(envs)('%s: the VPC HTTPS rule names exactly the Terraform private subnets, and the kubernetes Service address of the Service CIDR EKS picks for the Terraform VPC', (env) => {
    const cluster = Object.values(tfJson(env, 'cluster').resource.aws_eks_cluster as Record<string, Json>)[0];
    // Left to EKS (ForceNew): its rule, applied to the VPC the network stack creates.
    expect(cluster.kubernetes_network_config).toBeUndefined();
    const vpc = Object.values(tfJson(env, 'network').resource.aws_vpc as Record<string, Json>)[0];
    const serviceCidr = kubernetesServiceCidr(vpc.cidr_block);
    for (const ns of nonMeshNamespaces) {
      const [rule] = policy(env, ns, 'allow-vpc-https').spec.egress;
      const blocks = ipBlocks(rule);
      const api = blocks.filter((b) => b.endsWith('/32'));
      expect(api).toHaveLength(1);
      expect(cidrHasAddress(serviceCidr, api[0].replace('/32', ''))).toBe(true);
      expect(blocks.filter((b) => !b.endsWith('/32')).sort()).toEqual(subnetsOfTier(env, 'private'));
      expect(rule.ports).toEqual([{ protocol: 'TCP', port: 443 }]);
    }
  });

  test.each(envs)('%s: the Aurora rules name exactly the Terraform database subnets and the port its security group opens', (env) => {
    const sgRules = Object.values(tfJson(env, 'data').resource.aws_vpc_security_group_ingress_rule as Record<string, Json>);
    const auroraPort = sgRules.find((r) => /MySQL/.test(r.description ?? ''))!.from_port;
    const rules = [policy(env, 'database-infra', 'allow-aurora').spec.egress[0], policy(env, 'order-service', hookJobPolicyName('order-service-migrate')).spec.egress[1]];
    for (const rule of rules) {
      expect(ipBlocks(rule).sort()).toEqual(subnetsOfTier(env, 'database'));
      expect(rule.ports).toEqual([{ protocol: 'TCP', port: auroraPort }]);
    }
  });

  test('the vpc-cni add-on turns the network policy agent on, so the policies are enforced', () => {
    for (const env of envs) {
      const cni = Object.values(tfJson(env, 'cluster').resource.aws_eks_addon as Record<string, Json>).find((a) => a.addon_name === 'vpc-cni')!;
      expect(JSON.parse(cni.configuration_values)).toEqual({ enableNetworkPolicy: 'true' });
    }
  });
});

describe('address functions', () => {
  test('the Service CIDR is the block EKS would pick: 172.20.0.0/16 for a VPC in 10/8, else 10.100.0.0/16', () => {
    expect(kubernetesServiceCidr('10.10.0.0/16')).toBe('172.20.0.0/16');
    expect(kubernetesServiceCidr('192.168.0.0/16')).toBe('10.100.0.0/16');
    expect(kubernetesApiServiceAddress('10.10.0.0/16')).toBe('172.20.0.1');
  });

  test('public internet excludes every private range, and the VPC when it lies outside them', () => {
    expect(publicInternet('10.10.0.0/16').except).not.toContain('10.10.0.0/16');
    expect(publicInternet('100.127.0.0/16').except).toContain('100.64.0.0/10');
    expect(publicInternet('11.0.0.0/16').except).toContain('11.0.0.0/16');
    expect(cidrContains('10.0.0.0/8', '10.10.64.0/18')).toBe(true);
    expect(cidrContains('10.10.0.0/18', '10.10.64.0/18')).toBe(false);
  });

  test('a Job reaches an internal host through the VPC and any other host through NAT', () => {
    const env = envNamed('stg');
    expect(urlEgress(env, `https://pact-broker.${env.domains.internal}/`)).toBe('vpc-https');
    expect(urlEgress(env, `https://${env.domains.web}/`)).toBe('internet-https');
  });
});

describe('namespaces outside the mesh', () => {
  test.each(nonMeshNamespaces)('%s is default-deny for ingress and egress', (ns) => {
    for (const env of envs) {
      expect(policy(env, ns, 'default-deny').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'], ingress: [], egress: [] });
      const dns = policy(env, ns, 'allow-dns').spec.egress[0];
      expect(dns.to).toEqual([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }]);
      expect(dns.ports).toEqual([{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }]);
    }
  });

  test('every profile names a namespace of the model outside the mesh, and the excluded ones are not model namespaces', () => {
    expect(Object.keys(NON_MESH_PROFILES).filter((ns) => !nonMeshNamespaces.includes(ns))).toEqual([]);
    const all = platform.teams.flatMap((t) => t.namespaces).map((n) => n.name);
    expect(Object.keys(NOT_DEFAULT_DENIED).filter((ns) => all.includes(ns))).toEqual([]);
  });

  test("the contract broker admits ingress-nginx and the gate Jobs on its container port and reaches only its PostgreSQL cluster; the load test writes to VictoriaMetrics, which admits it", () => {
    const nsPeer = (ns: string) => ({ 'kubernetes.io/metadata.name': ns });
    const fromIngress = policy('prd', 'contract-infra', 'allow-broker-from-ingress').spec;
    expect(fromIngress.ingress[0].from[0].namespaceSelector.matchLabels).toEqual(nsPeer('ingress-infra'));
    expect(fromIngress.ingress[0].ports).toEqual([{ protocol: 'TCP', port: 9292 }]);
    expect(policy('prd', 'contract-infra', 'allow-broker-from-gate-jobs').spec.ingress[0].ports).toEqual([{ protocol: 'TCP', port: 9292 }]);
    const db = policy('prd', 'contract-infra', 'allow-broker-database').spec.egress;
    expect(db).toHaveLength(1);
    expect(db[0].ports).toEqual([{ protocol: 'TCP', port: 5432 }]);
    expect(ipBlocks(db[0]).sort()).toEqual(subnetsOfTier('prd', 'database'));
    const bootstrap = policy('prd', 'database-infra', 'allow-aurora').spec.egress.map((r: Loose) => r.ports[0].port);
    expect(bootstrap).toEqual([3306, 5432]);
    const write = policy('stg', 'load-infra', 'allow-remote-write').spec.egress[0];
    expect(write.to[0].namespaceSelector.matchLabels).toEqual(nsPeer('monitoring-infra'));
    expect(write.ports).toEqual([{ protocol: 'TCP', port: 8428 }]);
    const admit = policy('stg', 'monitoring-infra', 'allow-remote-write-from-load-test').spec.ingress[0];
    expect(admit.from[0].namespaceSelector.matchLabels).toEqual(nsPeer('load-infra'));
    expect(admit.ports).toEqual([{ protocol: 'TCP', port: 8428 }]);
  });

  test('webhooks are open to the control-plane subnets on their own ports only', () => {
    const rule = policy('prd', 'ingress-infra', 'allow-webhooks-from-control-plane').spec.ingress[0];
    expect(rule.ports).toEqual([{ protocol: 'TCP', port: 8443 }]);
    expect(ipBlocks(rule).sort()).toEqual(subnetsOfTier('prd', 'private'));
    expect(policy('prd', 'secrets-infra', 'allow-webhooks-from-control-plane').spec.ingress[0].ports).toEqual([{ protocol: 'TCP', port: 10250 }]);
    expect(policy('prd', 'istio-system', 'allow-webhooks-from-control-plane').spec.ingress[0].ports).toEqual([{ protocol: 'TCP', port: 15017 }]);
  });

  test('public HTTPS is opened per workload where it is needed and never reaches inside the VPC or the metadata service', () => {
    const internet = objectsWhere((o, p) => p.startsWith('prd/') && o.kind === 'NetworkPolicy' && /allow-internet-/.test(o.metadata.name));
    expect(internet.map((x) => `${x.obj.metadata.namespace}/${x.obj.metadata.name}`).sort()).toEqual([
      'ingress-infra/allow-internet-staff-issuer',
      'karpenter-infra/allow-internet-aws-apis',
      'load-infra/allow-internet-public-hosts',
      'monitoring-infra/allow-internet-incident-webhook',
      'monitoring-infra/allow-internet-staff-jwks',
      'tracing-infra/allow-internet-xray',
    ]);
    for (const { obj } of internet) {
      const block = obj.spec.egress[0].to[0].ipBlock;
      expect(block.cidr).toBe('0.0.0.0/0');
      expect(block.except).toEqual(expect.arrayContaining(['10.0.0.0/8', '169.254.0.0/16']));
      expect(obj.spec.egress[0].ports).toEqual([{ protocol: 'TCP', port: 443 }]);
    }
    expect(policy('prd', 'monitoring-infra', 'allow-internet-incident-webhook').spec.podSelector).toEqual({ matchExpressions: [{ key: 'app.kubernetes.io/name', operator: 'In', values: ['alertmanager'] }] });
  });
});

describe('sidecar-less hook Jobs', () => {
  const jobs = objectsWhere((o) => o.kind === 'Job');

  test('every rendered Job carries its name label and is selected by its own egress policy, with no ingress', () => {
    expect(jobs.length).toBeGreaterThan(20);
    for (const { path, obj } of jobs) {
      const env = path.split('/')[0];
      expect(obj.spec.template.metadata.labels[HOOK_JOB_LABEL]).toBe(obj.metadata.name);
      const p = policy(env, obj.metadata.namespace, hookJobPolicyName(obj.metadata.name));
      expect(p.spec.podSelector).toEqual({ matchLabels: { [HOOK_JOB_LABEL]: obj.metadata.name } });
      expect(p.spec.policyTypes).toEqual(['Ingress', 'Egress']);
      expect(p.spec.ingress).toEqual([]);
      expect(Number(p.metadata.annotations['argocd.argoproj.io/sync-wave'])).toBeLessThan(Number(obj.metadata.annotations['argocd.argoproj.io/sync-wave'] ?? 0) + (obj.metadata.annotations['argocd.argoproj.io/hook'] === 'PostSync' ? 1 : 0));
    }
  });

  test("a migration reaches only DNS and Aurora; a contract gate reaches the broker's Pods in the broker's environment and its VPC's private subnets from the others; E2E tests reach public hosts", () => {
    const migrate = policy('stg', 'order-service', hookJobPolicyName('order-service-migrate')).spec.egress;
    expect(migrate).toHaveLength(2);
    expect(migrate[1].ports).toEqual([{ protocol: 'TCP', port: 3306 }]);
    const brokerEnv = platform.contractBroker!.environment;
    // In the broker's environment: the in-cluster Service, i.e. the broker Pods on their container port.
    const local = policy(brokerEnv, 'order-service', hookJobPolicyName('order-service-can-i-deploy')).spec.egress;
    expect(local[1]).toEqual({
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'contract-infra' } }, podSelector: { matchExpressions: [{ key: 'app.kubernetes.io/name', operator: 'In', values: ['pact-broker'] }] } }],
      ports: [{ protocol: 'TCP', port: 9292 }],
    });
    // Elsewhere: HTTPS to the broker environment's private subnets (its internal ALB), nothing public.
    const remote = policy('stg', 'order-service', hookJobPolicyName('order-service-can-i-deploy')).spec.egress;
    expect(ipBlocks(remote[1]).sort()).toEqual(subnetsOfTier(brokerEnv, 'private'));
    expect(remote[1].ports).toEqual([{ protocol: 'TCP', port: 443 }]);
    expect(() => urlEgress(envNamed('stg'), 'http://x.other-ns.svc.cluster.local')).toThrow(/no egress rule for the in-cluster host x.other-ns.svc.cluster.local/);
    const e2e = policy('stg', 'pc-bff', hookJobPolicyName('pc-bff-e2e')).spec.egress;
    expect(e2e[1].to[0].ipBlock.cidr).toBe('0.0.0.0/0');
  });
});
