/**
 * Facts about the committed dist/ tree as ArgoCD and Terraform will read it: every object valid
 * against its schema, cross-file references resolving, and the two layers agreeing.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { PLATFORM_IDENTITIES } from '../platform/naming';
import { examplePlatform } from './support/example';
import { exampleFiles, renderedPath } from './support/rendered';
import { validateTree } from './support/schema';
import { readTree } from './support/tree';

const DIST = path.resolve(__dirname, '..', 'dist');

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = any;
const files = readTree(DIST);
const yamlObjects = [...files].filter(([p]) => p.endsWith('.yaml') && !path.basename(p).startsWith('.')).map(([p, c]) => ({ path: p, obj: parse(c) as Obj }));
const terraform = (env: string, stack: string): Obj => JSON.parse(files.get(`${env}/terraform/${stack}/cdk.tf.json`)!);

/** IAM roles of a stack with their trust policy resolved (inline JSON or an aws_iam_policy_document). */
function rolesWithTrust(stack: Obj): { name: string; trust: string }[] {
  return (Object.values(stack.resource.aws_iam_role) as Obj[]).map((role) => {
    const ref = /^\$\{data\.aws_iam_policy_document\.([\w-]+)\.json\}$/.exec(role.assume_role_policy);
    return { name: role.name, trust: ref ? JSON.stringify(stack.data.aws_iam_policy_document[ref[1]]) : String(role.assume_role_policy) };
  });
}

describe('the committed dist/ tree', () => {
  test('is exactly what the model renders today (not stale)', () => {
    expect([...files.keys()].sort()).toEqual([...exampleFiles().keys()].sort());
    for (const [p, content] of exampleFiles()) expect({ path: p, content: files.get(p) }).toEqual({ path: p, content });
  });

  test('every Kubernetes object validates against its schema (built-in OpenAPI or pinned CRD)', () => {
    expect(validateTree(DIST)).toEqual([]);
  });

  test('holds one object per file, named <kind>-<name>.yaml', () => {
    for (const { path: p, obj } of yamlObjects) {
      expect(path.basename(p)).toBe(`${obj.kind.toLowerCase()}-${obj.metadata.name}.yaml`);
    }
  });

  test('every Application source path is a folder of dist/ that holds at least one object', () => {
    // Add-ons are Helm charts (source.chart); everything else points into dist/.
    const apps = yamlObjects.filter(({ obj }) => obj.kind === 'Application' && renderedPath(obj, examplePlatform().repo) !== undefined);
    expect(apps.length).toBeGreaterThan(0);
    for (const { obj } of apps) {
      const dir = path.resolve(__dirname, '..', renderedPath(obj, examplePlatform().repo)!);
      expect(fs.existsSync(dir)).toBe(true);
      expect(fs.readdirSync(dir).filter((f) => f.endsWith('.yaml')).length).toBeGreaterThan(0);
    }
  });

  test('every Application names an AppProject that is rendered for the same environment', () => {
    for (const { path: p, obj } of yamlObjects.filter(({ obj }) => obj.kind === 'Application')) {
      const env = p.split('/')[0];
      const projects = yamlObjects.filter(({ path: q, obj: o }) => q.startsWith(`${env}/`) && o.kind === 'AppProject').map(({ obj: o }) => o.metadata.name);
      expect(projects).toContain(obj.spec.project);
    }
  });

  test('every child Application destination is a namespace its project admits and that is rendered under cluster/', () => {
    for (const { path: p, obj } of yamlObjects.filter(({ path: q, obj: o }) => o.kind === 'Application' && q.includes('/argocd/children/'))) {
      const env = p.split('/')[0];
      const ns = obj.spec.destination.namespace;
      // Argo CD's own namespace (its add-on) exists before anything syncs.
      if (ns !== 'argocd') expect(files.has(`${env}/cluster/namespace-${ns}.yaml`)).toBe(true);
      const project = parse(files.get(`${env}/argocd/teams/appproject-${obj.spec.project}.yaml`)!);
      expect(project.spec.destinations.map((d: Obj) => d.namespace)).toContain(ns);
    }
  });

  test('every object in a namespace folder is a kind its team project admits', () => {
    for (const { path: p, obj } of yamlObjects.filter(({ path: q }) => q.includes('/namespaces/'))) {
      const [env, , ns] = p.split('/');
      const child = yamlObjects.find(({ path: q, obj: o }) => q.startsWith(`${env}/argocd/children/`) && o.kind === 'Application' && renderedPath(o, examplePlatform().repo) !== undefined && o.spec.destination.namespace === ns)!;
      const project = parse(files.get(`${env}/argocd/teams/appproject-${child.obj.spec.project}.yaml`)!);
      const group = obj.apiVersion.includes('/') ? obj.apiVersion.split('/')[0] : '';
      expect(project.spec.namespaceResourceWhitelist).toContainEqual({ group, kind: obj.kind });
    }
  });

  test('every Terraform stack is valid JSON with an encrypted S3 backend', () => {
    const stacks = [...files.keys()].filter((p) => p.endsWith('/cdk.tf.json'));
    expect(stacks.length).toBeGreaterThanOrEqual(9);
    for (const p of stacks) {
      const json = JSON.parse(files.get(p)!);
      expect(json.terraform.backend.s3).toMatchObject({ encrypt: true, key: `${p.split('/')[2]}/terraform.tfstate` });
    }
  });

  test('the ServiceAccount a chart renders is the one its IAM role trusts, and its annotation names that role', () => {
    let checked = 0;
    for (const { path: p, obj } of yamlObjects.filter(({ obj: o }) => o.kind === 'ServiceAccount')) {
      const arn = obj.metadata.annotations?.['eks.amazonaws.com/role-arn'];
      if (arn === undefined) continue;
      const env = p.split('/')[0];
      const roleName = arn.split('/').pop();
      const role = rolesWithTrust(terraform(env, 'cluster')).find((r) => r.name === roleName);
      expect(role).toBeDefined();
      expect(role!.trust).toContain(`"system:serviceaccount:${obj.metadata.namespace}:${obj.metadata.name}"`);
      checked++;
    }
    expect(checked).toBeGreaterThan(0);
  });

  test('every service role in Terraform trusts a ServiceAccount that the charts render', () => {
    for (const env of examplePlatform().environments) {
      const roles = rolesWithTrust(terraform(env.name, 'cluster'));
      const subjects = roles.flatMap((r) => [...r.trust.matchAll(/system:serviceaccount:([a-z0-9-]+):([a-z0-9-]+)/g)].map((m) => ({ role: r.name, ns: m[1], sa: m[2] })));
      expect(subjects.length).toBeGreaterThan(3);
      for (const { role, ns, sa } of subjects) {
        // kube-system/aws-node is the VPC CNI's own ServiceAccount, created by the EKS add-on.
        if (ns === 'kube-system') continue;
        // Platform components' ServiceAccounts come with their Helm charts; the contract checks the add-on values.
        if (Object.values(PLATFORM_IDENTITIES).some((i) => i.namespace === ns && i.serviceAccount === sa) && !files.has(`${env.name}/namespaces/${ns}/serviceaccount-${sa}.yaml`)) continue;
        const rendered = files.get(`${env.name}/namespaces/${ns}/serviceaccount-${sa}.yaml`);
        expect({ role, rendered: rendered !== undefined }).toEqual({ role, rendered: true });
        expect(parse(rendered!).metadata.annotations['eks.amazonaws.com/role-arn']).toBe(`arn:aws:iam::${env.account}:role/${role}`);
      }
    }
  });

  test('every image the charts reference from ECR has a repository in the ecr stack', () => {
    for (const { path: p, obj } of yamlObjects.filter(({ obj: o }) => o.kind === 'Deployment')) {
      const env = p.split('/')[0];
      const image: string = obj.spec.template.spec.containers[0].image;
      if (!image.includes('.dkr.ecr.')) continue;
      const repo = image.split('/').slice(1).join('/').split(/[@:]/)[0];
      const repos = (Object.values(terraform(env, 'ecr').resource.aws_ecr_repository) as Obj[]).map((r) => r.name);
      expect(repos).toContain(repo);
    }
  });

  test('contract.json lists each shared value with its producer and consumers, and they agree', () => {
    for (const env of examplePlatform().environments) {
      const contract = JSON.parse(files.get(`${env.name}/contract.json`)!);
      expect(contract.entries.length).toBeGreaterThan(0);
      for (const entry of contract.entries) {
        expect(files.has(`${env.name}/terraform/${entry.producer.stack}/cdk.tf.json`)).toBe(true);
        for (const consumer of entry.consumers) expect(files.get(consumer.file.replace(/^dist\//, ''))).toContain(entry.value);
      }
    }
  });

  test('no rendered file holds a secret value', () => {
    for (const [p, content] of files) {
      expect({ p, hit: /(BEGIN [A-Z ]*PRIVATE KEY|aws_secret_access_key|AKIA[0-9A-Z]{16})/.exec(content)?.[0] }).toEqual({ p, hit: undefined });
    }
    for (const { obj } of yamlObjects.filter(({ obj: o }) => o.kind === 'Secret')) {
      expect(obj.data).toBeUndefined();
      expect(obj.stringData).toBeUndefined();
    }
  });
});
