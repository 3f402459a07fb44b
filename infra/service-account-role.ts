/**
 * An IAM role for one Kubernetes ServiceAccount (IRSA): only that ServiceAccount of that namespace,
 * presenting a token of the cluster's OIDC issuer for STS, may assume it. The ServiceAccount carries
 * the `eks.amazonaws.com/role-arn` annotation (rendered by the Kubernetes layer from the same name).
 */
import { Construct } from 'constructs';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import type { PolicyStatement } from './aws-grants';

/** A PolicyStatement as the aws_iam_policy_document data source takes it. */
export function policyStatement(s: PolicyStatement) {
  return {
    sid: s.sid,
    effect: s.effect ?? 'Allow',
    actions: [...s.actions],
    resources: [...s.resources],
    condition: s.conditions?.map((c) => ({ test: c.test, variable: c.variable, values: [...c.values] })),
  };
}

/** The cluster's IAM OIDC provider, as IRSA trust policies need it. */
export interface OidcProviderRef {
  /** ARN of the `aws_iam_openid_connect_provider`. */
  readonly arn: string;
  /** Issuer URL without "https://", the prefix of the `:sub`/`:aud` condition keys. */
  readonly issuer: string;
}

export interface ServiceAccountRoleProps {
  /** IAM role name (see `serviceRoleName`). */
  readonly roleName: string;
  /** Namespace of the ServiceAccount. */
  readonly namespace: string;
  /** Name of the ServiceAccount. */
  readonly serviceAccount: string;
  /** The cluster's OIDC provider. */
  readonly oidcProvider: OidcProviderRef;
  /**
   * Inline, least-privilege statements (one inline policy holds them all).
   * @default no inline policy
   */
  readonly statements?: readonly PolicyStatement[];
  /**
   * AWS managed policies to attach, by ARN.
   * @default none
   */
  readonly managedPolicyArns?: readonly string[];
  /** What the role is for, shown in the console. @default "IRSA role of <namespace>/<serviceAccount>" */
  readonly description?: string;
}

export class ServiceAccountRole extends Construct {
  public readonly role: IamRole;

  constructor(scope: Construct, id: string, props: ServiceAccountRoleProps) {
    super(scope, id);
    const trust = new DataAwsIamPolicyDocument(this, 'trust', {
      statement: [
        {
          sid: 'ServiceAccountWebIdentity',
          effect: 'Allow',
          actions: ['sts:AssumeRoleWithWebIdentity'],
          principals: [{ type: 'Federated', identifiers: [props.oidcProvider.arn] }],
          condition: [
            { test: 'StringEquals', variable: `${props.oidcProvider.issuer}:sub`, values: [`system:serviceaccount:${props.namespace}:${props.serviceAccount}`] },
            { test: 'StringEquals', variable: `${props.oidcProvider.issuer}:aud`, values: ['sts.amazonaws.com'] },
          ],
        },
      ],
    });
    this.role = new IamRole(this, 'role', {
      name: props.roleName,
      description: props.description ?? `IRSA role of ${props.namespace}/${props.serviceAccount}`,
      assumeRolePolicy: trust.json,
    });
    const statements = props.statements ?? [];
    if (statements.length > 0) {
      const policy = new DataAwsIamPolicyDocument(this, 'permissions', {
        statement: statements.map(policyStatement),
      });
      new IamRolePolicy(this, 'policy', { name: 'least-privilege', role: this.role.id, policy: policy.json });
    }
    for (const arn of props.managedPolicyArns ?? []) {
      new IamRolePolicyAttachment(this, `managed-${arn.split('/').pop()}`, { role: this.role.name, policyArn: arn });
    }
  }

  public get arn(): string {
    return this.role.arn;
  }
}
