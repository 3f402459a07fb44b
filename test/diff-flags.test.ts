import { compareTrees } from '../tools/diff/compare-trees';
import { meshPolicyFlags } from '../tools/diff/flags/mesh-policy';
import { pruneFlags } from '../tools/diff/flags/prune';
import { iamFlags } from '../tools/diff/flags/iam-policy';
import { stringify } from 'yaml';

const file = 'dist/prd/namespaces/order-service/authorizationpolicy-x.yaml';
const policy = (spec: object) => stringify({ apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'x', namespace: 'order-service', labels: { 'platform.ec/team': 'order' } }, spec });
const changes = (before: string | undefined, after: string | undefined, path = file) =>
  compareTrees('dist', new Map(before === undefined ? [] : [[path, before]]), new Map(after === undefined ? [] : [[path, after]])).changes;
const ids = (flags: { id: string; message: string }[]) => flags.map((f) => `${f.id}: ${f.message}`);
const selector = { matchLabels: { 'app.kubernetes.io/name': 'order-service' } };

describe('diff risk flags on small trees', () => {
  test('an ALLOW policy gaining a principal widens, and losing one narrows', () => {
    const a = policy({ selector, action: 'ALLOW', rules: [{ from: [{ source: { principals: ['cluster.local/ns/a/sa/a'] } }] }] });
    const b = policy({ selector, action: 'ALLOW', rules: [{ from: [{ source: { principals: ['cluster.local/ns/b/sa/b'] } }] }] });
    expect(ids(changes(a, b).flatMap(meshPolicyFlags))).toEqual(['mesh-widening: AuthorizationPolicy x adds: principal cluster.local/ns/b/sa/b', 'mesh-narrowing: AuthorizationPolicy x drops: principal cluster.local/ns/a/sa/a']);
  });

  test('removing a rule-less ALLOW policy (deny-all) widens access', () => {
    expect(ids(changes(policy({}), undefined).flatMap(meshPolicyFlags))).toEqual(['mesh-widening: AuthorizationPolicy x drops: deny-all']);
  });

  test('a DENY rule gaining a path narrows access', () => {
    const a = policy({ action: 'DENY', rules: [{ to: [{ operation: { paths: ['/admin'] } }] }] });
    const b = policy({ action: 'DENY', rules: [{ to: [{ operation: { paths: ['/admin', '/debug'] } }] }] });
    expect(ids(changes(a, b).flatMap(meshPolicyFlags))).toEqual(['mesh-narrowing: AuthorizationPolicy x adds: path /debug']);
  });

  test('a PeerAuthentication leaving STRICT widens', () => {
    const pa = (mode: string) => stringify({ kind: 'PeerAuthentication', metadata: { name: 'default', namespace: 'order-service' }, spec: { mtls: { mode } } });
    const path = 'dist/prd/namespaces/order-service/peerauthentication-default.yaml';
    expect(ids(changes(pa('STRICT'), pa('PERMISSIVE'), path).flatMap(meshPolicyFlags))).toEqual(['mesh-widening: PeerAuthentication default drops: mTLS STRICT']);
  });

  test('a Namespace carrying Prune=false is flagged loudly as left behind, not deleted', () => {
    const ns = stringify({ kind: 'Namespace', metadata: { name: 'order-service', annotations: { 'argocd.argoproj.io/sync-options': 'Prune=false' }, labels: { 'platform.ec/team': 'order' } } });
    const [flag] = changes(ns, undefined, 'dist/prd/cluster/namespace-order-service.yaml').flatMap(pruneFlags);
    expect(flag.id).toBe('prune-stateful');
    expect(flag.message).toMatch(/^Namespace order-service and everything in it: removed from Git; it carries Prune=false/);
    expect(flag.attribution).toBe('teams[order].namespaces[order-service] removed');
  });

  test('an IAM policy document gaining an action is widening; the same statements reordered are not', () => {
    const tf = (statements: object[]) => JSON.stringify({ data: { aws_iam_policy_document: { p: { statement: statements } } } });
    const path = 'dist/prd/terraform/cluster/cdk.tf.json';
    const s1 = { effect: 'Allow', actions: ['s3:GetObject'], resources: ['arn:aws:s3:::b/*'] };
    const s2 = { effect: 'Allow', actions: ['s3:PutObject'], resources: ['arn:aws:s3:::b/*'] };
    expect(ids(changes(tf([s1]), tf([s1, s2]), path).flatMap(iamFlags))).toEqual(['iam-widening: data.aws_iam_policy_document.p allows more: (role) s3:PutObject on arn:aws:s3:::b/*']);
    expect(changes(tf([s1, s2]), tf([s2, s1]), path).flatMap(iamFlags)).toEqual([]);
  });
});
