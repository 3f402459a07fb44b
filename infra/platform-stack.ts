/**
 * Base of every stack of the AWS layer: one stack = one Terraform state = one environment's slice
 * of the platform. It owns the stack's AWS provider (the environment's region) and S3 backend, and,
 * for stacks that need it, the `us-east-1` alias (CloudFront's certificates and web ACLs live
 * there); the resources themselves live in the concrete stacks.
 */
import { S3Backend, TerraformElement, TerraformStack } from 'cdktf';
import type { Construct, Node } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { awsPrefix, terraformStackName } from '../platform/naming';
import type { Environment, Platform } from '../platform/types';
import { defaultTags } from './names';
import { stackStateBackend } from './state';

/** Terraform versions the rendered JSON needs (S3 lock files arrived in 1.10). */
export const TERRAFORM_REQUIRED_VERSION = '>= 1.10.0, < 2.0.0';

/** Region of CloudFront's ACM certificates, CLOUDFRONT-scoped web ACLs and their log groups. */
export const GLOBAL_REGION = 'us-east-1';

export interface PlatformStackProps {
  /** The resolved, validated platform model. */
  readonly platform: Platform;
  /** The environment the stack belongs to (account, region, sizing ...). */
  readonly env: Environment;
}

export abstract class PlatformStack extends TerraformStack {
  /** Short name of the stack ("network"): its state key and its directory under dist/<env>/terraform/. */
  public readonly stackName: string;
  public readonly platform: Platform;
  public readonly env: Environment;
  /** Prefix of the environment's AWS names, e.g. "ec-dev". */
  public readonly prefix: string;
  private usEast1?: AwsProvider;

  protected constructor(scope: Construct, stackName: string, props: PlatformStackProps) {
    super(scope, terraformStackName(props.env, stackName));
    this.stackName = stackName;
    this.platform = props.platform;
    this.env = props.env;
    this.prefix = awsPrefix(props.platform, props.env);

    new AwsProvider(this, 'aws', {
      region: props.env.region,
      // Refuse to run with credentials of another environment's account.
      allowedAccountIds: [props.env.account],
      defaultTags: [{ tags: defaultTags(props.platform, props.env) }],
    });
    new S3Backend(this, stackStateBackend(props.platform, props.env, stackName));
    this.addOverride('terraform.backend.s3.use_lockfile', true);
    // S3-native state locking (use_lockfile) needs Terraform 1.10; older versions fail on the key.
    this.addOverride('terraform.required_version', TERRAFORM_REQUIRED_VERSION);
  }

  /**
   * Terraform addresses are the construct path below the stack, joined by "_", with no hash suffix:
   * readable in a plan and stable as long as the construct ids are. Duplicates fail validation.
   */
  protected allocateLogicalId(element: TerraformElement | Node): string {
    const node = TerraformElement.isTerraformElement(element) ? element.node : element;
    const scopes = node.scopes;
    return scopes
      .slice(scopes.indexOf(this) + 1)
      .map((c) => c.node.id.replace(/[^A-Za-z0-9_-]/g, '_'))
      .join('_');
  }

  /** The provider alias "us-east-1" (same account guard and tags), created on first use. */
  protected globalProvider(): AwsProvider {
    this.usEast1 ??= new AwsProvider(this, 'aws-us-east-1', {
      alias: GLOBAL_REGION,
      region: GLOBAL_REGION,
      allowedAccountIds: [this.env.account],
      defaultTags: [{ tags: defaultTags(this.platform, this.env) }],
    });
    return this.usEast1;
  }

  /** Registers a validation on this stack: `check` returns the problems found (empty when fine). */
  protected validateWith(check: () => string[]): void {
    this.node.addValidation({ validate: check });
  }
}
