/**
 * Secrets isolation (issue 10, item 1): each namespace reads AWS Secrets Manager through its own
 * SecretStore, as its own IRSA role, and that role may read only that namespace's secrets. The
 * rendered IAM policies are evaluated with @cloud-copilot/iam-simulate (an IAM policy evaluator),
 * never re-derived from the model.
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { secretsReaderRoleName, secretsReaders, SECRETS_READER_SERVICE_ACCOUNT } from '../platform/aws-names';
import { iamRoleArn, platformRoleName, serviceRoleName } from '../platform/naming';
import { listServices } from '../platform/validate';
import { blocksOf, rolesOf, type RenderedRole, type StackJson } from '../verify/security/terraform-json';
import { envNamed, platform, rendered } from './support/cdktf-jest';
import { objectsWhere } from './support/rendered';

const stackOf = (env: string, stack: string): StackJson => {
  const found = rendered(env).find((s) => s.stack === stack);
  if (!found) throw new Error(`no stack ${stack} in ${env}`);
  return { env, stack, json: JSON.parse(found.json) };
};

/** What AWS answers when a role asks for an action on a resource. */
async function decide(role: RenderedRole, action: string, resource: string, account: string, context: Record<string, string> = {}): Promise<string> {
  const result = await runSimulation(
    {
      request: { principal: `arn:aws:iam::${account}:role/${role.name}`, action, resource: { resource, accountId: account }, contextVariables: context },
      identityPolicies: role.inline.map((p) => ({ name: p.name, policy: p.policy })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    },
    {},
  );
  if (result.resultType === 'error') throw new Error(`simulation of ${action} on ${resource} failed: ${JSON.stringify(result.errors)}`);
  return result.overallResult;
}

describe.each(['dev', 'prd'])('secrets isolation in %s', (envName) => {
  const env = envNamed(envName);
  const readers = secretsReaders(platform, env);
  const cluster = () => stackOf(envName, 'cluster');
  const roleNamed = (name: string) => {
    const role = rolesOf(cluster()).find((r) => r.name === name);
    if (!role) throw new Error(`role ${name} is not rendered`);
    return role;
  };
  /** Every secret the data stack creates, as the ARN AWS gives it (name + "-" + 6 characters). */
  const renderedSecrets = () => blocksOf(stackOf(envName, 'data'), 'aws_secretsmanager_secret').map(([, s]) => s.name as string);
  const arnOf = (name: string) => `arn:aws:secretsmanager:${env.region}:${env.account}:secret:${name}-AbC123`;

  it('renders no ClusterSecretStore, and no AppProject admits one', () => {
    expect(objectsWhere((o, p) => p.startsWith(`${envName}/`) && o.kind === 'ClusterSecretStore')).toEqual([]);
    for (const { obj } of objectsWhere((o, p) => p.startsWith(`${envName}/`) && o.kind === 'AppProject')) {
      expect((obj.spec.clusterResourceWhitelist ?? []).map((k: { kind: string }) => k.kind)).not.toContain('ClusterSecretStore');
    }
  });

  it('points every ExternalSecret at the SecretStore of its own namespace, which authenticates as that namespace\'s reader role', () => {
    const objects = objectsWhere((o, p) => p.startsWith(`${envName}/namespaces/`) && ['ExternalSecret', 'SecretStore', 'ServiceAccount'].includes(o.kind)).map((x) => x.obj);
    const externalSecrets = objects.filter((o) => o.kind === 'ExternalSecret');
    expect(externalSecrets.length).toBeGreaterThan(0);
    for (const obj of externalSecrets) {
      const ns = obj.metadata.namespace;
      expect(obj.spec.secretStoreRef).toEqual({ kind: 'SecretStore', name: 'aws-secrets-manager' });
      const store = objects.find((o) => o.kind === 'SecretStore' && o.metadata.namespace === ns && o.metadata.name === 'aws-secrets-manager');
      expect(store.spec.provider.aws.auth.jwt.serviceAccountRef).toEqual({ name: SECRETS_READER_SERVICE_ACCOUNT });
      const sa = objects.find((o) => o.kind === 'ServiceAccount' && o.metadata.namespace === ns && o.metadata.name === SECRETS_READER_SERVICE_ACCOUNT);
      const roleName = secretsReaderRoleName(platform, env, ns);
      expect(sa.metadata.annotations['eks.amazonaws.com/role-arn']).toBe(iamRoleArn(env, roleName));
      const trust = roleNamed(roleName).trust!.Statement[0];
      expect(Object.values(trust.Condition!.StringEquals)).toContainEqual([`system:serviceaccount:${ns}:${SECRETS_READER_SERVICE_ACCOUNT}`]);
    }
  });

  it('lets each namespace\'s reader role read exactly its own secrets and denies every other team\'s', async () => {
    const all = renderedSecrets();
    // Who may read each secret: its namespace's reader, or (the contract broker's client credentials)
    // every namespace whose gate reads it.
    const owners = new Map<string, (typeof readers)[number][]>();
    for (const r of readers) for (const s of r.secrets) owners.set(s, [...(owners.get(s) ?? []), r]);
    // Every secret someone reads is rendered.
    for (const r of readers) for (const s of r.secrets) expect(all).toContain(s);
    for (const reader of readers) {
      const role = roleNamed(secretsReaderRoleName(platform, env, reader.namespace));
      for (const secret of all) {
        const decision = await decide(role, 'secretsmanager:GetSecretValue', arnOf(secret), env.account);
        const readersOf = owners.get(secret) ?? [];
        if (readersOf.some((o) => o.namespace === reader.namespace)) expect([reader.namespace, secret, decision]).toEqual([reader.namespace, secret, 'Allowed']);
        else if (readersOf.length > 0 && readersOf.every((o) => o.team !== reader.team)) expect([reader.namespace, secret, decision]).toEqual([reader.namespace, secret, 'ImplicitlyDenied']);
      }
      // The master secret RDS manages is never readable.
      expect(await decide(role, 'secretsmanager:GetSecretValue', arnOf('rds!cluster-0123'), env.account)).not.toBe('Allowed');
    }
  });

  it('gives neither the External Secrets controller nor any service role a secret to read', async () => {
    const someSecret = arnOf(readers[0].secrets[0]);
    const controller = roleNamed(platformRoleName(platform, env, 'externalSecrets'));
    expect(await decide(controller, 'secretsmanager:GetSecretValue', someSecret, env.account)).toBe('ImplicitlyDenied');
    for (const { namespace, service } of listServices(platform).filter((e) => e.service.aws.length > 0)) {
      const role = roleNamed(serviceRoleName(platform, env, { namespace: namespace.name, service: service.name }));
      for (const r of readers) expect(await decide(role, 'secretsmanager:GetSecretValue', arnOf(r.secrets[0]), env.account)).toBe('ImplicitlyDenied');
    }
  });
});
