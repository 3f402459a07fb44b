/**
 * Where each stack keeps its Terraform state. The stack that owns a state (its S3 backend) and
 * every stack that reads it (`DataTerraformRemoteStateS3`) derive the location from the same
 * function, so the two can never disagree.
 */
import type { DataTerraformRemoteStateS3Config, S3BackendConfig } from 'cdktf';
import { terraformBackend } from '../platform/naming';
import type { Environment, Platform } from '../platform/types';

/**
 * S3 backend of one stack of one environment: the model's bucket/key/region/encrypt. Locking uses
 * S3 native lock files (`use_lockfile`, Terraform >= 1.10), which PlatformStack adds as an override
 * because cdktf 0.21's S3BackendConfig predates it; no DynamoDB table is needed.
 */
export function stackStateBackend(
  platform: Pick<Platform, 'terraformStateBucketPrefix'>,
  env: Pick<Environment, 'name' | 'region'>,
  stack: string,
): S3BackendConfig {
  return { ...terraformBackend(platform, env, stack) };
}

/** Config of a `terraform_remote_state` reading another stack's state: exactly that stack's backend. */
export function stackRemoteState(
  platform: Pick<Platform, 'terraformStateBucketPrefix'>,
  env: Pick<Environment, 'name' | 'region'>,
  stack: string,
): DataTerraformRemoteStateS3Config {
  return stackStateBackend(platform, env, stack);
}
