/**
 * Kubernetes API access from the model (EKS access entries, authentication mode API): the
 * environment's admins get AmazonEKSClusterAdminPolicy on the whole cluster, each team's viewers
 * AmazonEKSViewPolicy on that team's namespaces only.
 */
import { Construct } from 'constructs';
import { EksAccessEntry } from '@cdktf/provider-aws/lib/eks-access-entry';
import { EksAccessPolicyAssociation } from '@cdktf/provider-aws/lib/eks-access-policy-association';
import { awsPartition } from '../platform/aws-names';
import type { Environment, Platform } from '../platform/types';

export interface ClusterAccessProps {
  readonly platform: Pick<Platform, 'teams'>;
  readonly env: Environment;
  /** The cluster's name (a reference, so entries wait for the cluster). */
  readonly clusterName: string;
}

const policy = (env: Environment, name: string) => `arn:${awsPartition(env.region)}:eks::aws:cluster-access-policy/${name}`;
const idOf = (arn: string) => arn.split(':').pop()!.replace(/[^A-Za-z0-9-]/g, '-');

export class ClusterAccess extends Construct {
  constructor(scope: Construct, id: string, props: ClusterAccessProps) {
    super(scope, id);
    const { env, clusterName } = props;
    const entry = (key: string, principalArn: string) => new EksAccessEntry(this, `entry-${key}`, { clusterName, principalArn, type: 'STANDARD' });
    for (const arn of env.clusterAccess.admins) {
      const e = entry(`admin-${idOf(arn)}`, arn);
      new EksAccessPolicyAssociation(this, `admin-${idOf(arn)}`, { clusterName, principalArn: e.principalArn, policyArn: policy(env, 'AmazonEKSClusterAdminPolicy'), accessScope: { type: 'cluster' } });
    }
    for (const team of props.platform.teams) {
      for (const arn of env.clusterAccess.teamViewers[team.name] ?? []) {
        const e = entry(`view-${team.name}-${idOf(arn)}`, arn);
        new EksAccessPolicyAssociation(this, `view-${team.name}-${idOf(arn)}`, {
          clusterName,
          principalArn: e.principalArn,
          policyArn: policy(env, 'AmazonEKSViewPolicy'),
          accessScope: { type: 'namespace', namespaces: team.namespaces.map((n) => n.name) },
        });
      }
    }
  }
}
