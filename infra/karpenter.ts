/**
 * What Karpenter needs from AWS besides its controller role: the role of the nodes it launches
 * (Karpenter v1 creates their instance profile itself from the EC2NodeClass's `role`), an EKS access
 * entry so those nodes may join, and the interruption queue fed by EventBridge rules (Spot
 * interruptions, rebalance recommendations, scheduled health events, instance state changes) so
 * Karpenter drains a node before AWS takes it away.
 */
import { Construct } from 'constructs';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { EksAccessEntry } from '@cdktf/provider-aws/lib/eks-access-entry';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { SqsQueuePolicy } from '@cdktf/provider-aws/lib/sqs-queue-policy';
import { awsServicePrincipal } from '../platform/aws-names';
import { karpenterInterruptionQueueName, karpenterNodeRoleName } from '../platform/naming';
import type { Environment, Platform } from '../platform/types';
import { awsManagedPolicyArn } from './names';

/** EventBridge events Karpenter handles (its reference interruption rules). */
export const INTERRUPTION_EVENTS: readonly { readonly id: string; readonly source: string; readonly detailType: string }[] = [
  { id: 'scheduled-change', source: 'aws.health', detailType: 'AWS Health Event' },
  { id: 'spot-interruption', source: 'aws.ec2', detailType: 'EC2 Spot Instance Interruption Warning' },
  { id: 'rebalance', source: 'aws.ec2', detailType: 'EC2 Instance Rebalance Recommendation' },
  { id: 'instance-state-change', source: 'aws.ec2', detailType: 'EC2 Instance State-change Notification' },
];

export interface KarpenterResourcesProps {
  readonly platform: Platform;
  readonly env: Environment;
  /** Name of the EKS cluster (a token of the cluster resource). */
  readonly clusterName: string;
}

export class KarpenterResources extends Construct {
  public readonly nodeRole: IamRole;
  public readonly interruptionQueue: SqsQueue;

  constructor(scope: Construct, id: string, props: KarpenterResourcesProps) {
    super(scope, id);
    const { platform, env } = props;

    const trust = new DataAwsIamPolicyDocument(this, 'node-trust', {
      statement: [{ sid: 'Ec2Instances', effect: 'Allow', actions: ['sts:AssumeRole'], principals: [{ type: 'Service', identifiers: [awsServicePrincipal(env, 'ec2')] }] }],
    });
    this.nodeRole = new IamRole(this, 'node-role', {
      name: karpenterNodeRoleName(platform, env),
      description: 'Nodes Karpenter launches (its EC2NodeClass names this role)',
      assumeRolePolicy: trust.json,
    });
    // Like the system nodes: the VPC CNI's permissions live on aws-node's own IRSA role.
    for (const policy of ['AmazonEKSWorkerNodePolicy', 'AmazonEC2ContainerRegistryPullOnly', 'AmazonSSMManagedInstanceCore']) {
      new IamRolePolicyAttachment(this, `node-role-${policy}`, { role: this.nodeRole.name, policyArn: awsManagedPolicyArn(env, policy) });
    }
    // API authentication mode: nodes join through an access entry of type EC2_LINUX (managed node
    // groups get theirs from EKS; Karpenter's nodes need this one).
    new EksAccessEntry(this, 'node-access-entry', { clusterName: props.clusterName, principalArn: this.nodeRole.arn, type: 'EC2_LINUX' });

    this.interruptionQueue = new SqsQueue(this, 'interruption-queue', {
      name: karpenterInterruptionQueueName(platform, env),
      // Events older than five minutes are stale: the instance is gone or the notice has passed.
      messageRetentionSeconds: 300,
      sqsManagedSseEnabled: true,
    });
    const rules = INTERRUPTION_EVENTS.map((event) => {
      const rule = new CloudwatchEventRule(this, `rule-${event.id}`, {
        name: `${karpenterInterruptionQueueName(platform, env)}-${event.id}`,
        description: `${event.detailType} -> Karpenter interruption queue`,
        eventPattern: JSON.stringify({ source: [event.source], 'detail-type': [event.detailType] }),
      });
      new CloudwatchEventTarget(this, `target-${event.id}`, { rule: rule.name, targetId: 'KarpenterInterruptionQueue', arn: this.interruptionQueue.arn });
      return rule;
    });
    const queuePolicy = new DataAwsIamPolicyDocument(this, 'interruption-queue-policy-document', {
      statement: [
        {
          sid: 'EventBridgeRulesOnly',
          effect: 'Allow',
          actions: ['sqs:SendMessage'],
          resources: [this.interruptionQueue.arn],
          principals: [{ type: 'Service', identifiers: [awsServicePrincipal(env, 'events')] }],
          condition: [{ test: 'ArnEquals', variable: 'aws:SourceArn', values: rules.map((r) => r.arn) }],
        },
        {
          sid: 'DenyInsecureTransport',
          effect: 'Deny',
          actions: ['sqs:*'],
          resources: [this.interruptionQueue.arn],
          principals: [{ type: 'AWS', identifiers: ['*'] }],
          condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
        },
      ],
    });
    new SqsQueuePolicy(this, 'interruption-queue-policy', { queueUrl: this.interruptionQueue.url, policy: queuePolicy.json });
  }
}
