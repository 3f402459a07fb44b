/**
 * The VPC's flow log: every accepted and rejected flow (1-minute aggregation) into a KMS-encrypted,
 * bounded CloudWatch log group, delivered by VPC Flow Logs through a role only that service (for
 * this account's flow logs) may assume.
 */
import { Construct } from 'constructs';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { awsServicePrincipal, regionalArn, vpcFlowLogGroupName } from '../platform/aws-names';
import { awsPrefix } from '../platform/naming';
import type { Environment, Platform } from '../platform/types';

export interface VpcFlowLogProps {
  readonly platform: Pick<Platform, 'name'>;
  readonly env: Environment;
  /** The VPC (a reference to the network stack's output). */
  readonly vpcId: string;
  /** The environment's CloudWatch Logs key. */
  readonly logsKeyArn: string;
}

export class VpcFlowLog extends Construct {
  public readonly flowLog: FlowLog;

  constructor(scope: Construct, id: string, props: VpcFlowLogProps) {
    super(scope, id);
    const { platform, env } = props;
    const group = new CloudwatchLogGroup(this, 'log-group', { name: vpcFlowLogGroupName(platform, env), retentionInDays: env.logRetentionDays, kmsKeyId: props.logsKeyArn });
    const trust = new DataAwsIamPolicyDocument(this, 'trust', {
      statement: [
        {
          sid: 'VpcFlowLogsOfThisAccount',
          effect: 'Allow',
          actions: ['sts:AssumeRole'],
          principals: [{ type: 'Service', identifiers: [awsServicePrincipal(env, 'vpc-flow-logs')] }],
          condition: [
            { test: 'StringEquals', variable: 'aws:SourceAccount', values: [env.account] },
            { test: 'ArnLike', variable: 'aws:SourceArn', values: [regionalArn(env, 'ec2', 'vpc-flow-log/*')] },
          ],
        },
      ],
    });
    const role = new IamRole(this, 'role', { name: `${awsPrefix(platform, env)}-vpc-flow-logs`, description: 'VPC Flow Logs delivery', assumeRolePolicy: trust.json });
    const permissions = new DataAwsIamPolicyDocument(this, 'permissions', {
      statement: [
        { sid: 'WriteFlowLogGroup', effect: 'Allow', actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'], resources: [group.arn, `${group.arn}:log-stream:*`] },
        // Flow Logs checks the group exists before delivering; Describe* has no resource scope below the account.
        { sid: 'FindFlowLogGroup', effect: 'Allow', actions: ['logs:DescribeLogGroups'], resources: [regionalArn(env, 'logs', 'log-group:*')] },
      ],
    });
    new IamRolePolicy(this, 'policy', { name: 'deliver-flow-logs', role: role.id, policy: permissions.json });
    this.flowLog = new FlowLog(this, 'flow-log', {
      vpcId: props.vpcId,
      trafficType: 'ALL',
      logDestinationType: 'cloud-watch-logs',
      logDestination: group.arn,
      iamRoleArn: role.arn,
      maxAggregationInterval: 60,
      tags: { Name: `${awsPrefix(platform, env)}-vpc` },
    });
  }
}
