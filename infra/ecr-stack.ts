/**
 * `<env>-ecr`: one ECR repository per service whose image we build (services without an
 * `imageRepository` override). Tags are immutable (a tag names one image forever, so the release
 * files are reproducible), images are scanned on push and encrypted with KMS, and a lifecycle
 * policy bounds what is kept.
 */
import type { Construct } from 'constructs';
import { EcrLifecyclePolicy } from '@cdktf/provider-aws/lib/ecr-lifecycle-policy';
import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository';
import { ecrRepositoryName, serviceKey } from '../platform/naming';
import { listServices } from '../platform/validate';
import { PlatformStack, type PlatformStackProps } from './platform-stack';

/** Short name of the stack (state key, dist directory). */
export const ECR_STACK = 'ecr';

export interface EcrStackProps extends PlatformStackProps {
  /**
   * Tagged images kept per repository (older ones expire). Must cover every image a release file
   * of the environment can still roll back to.
   * @default 100
   */
  readonly keepTaggedImages?: number;
  /**
   * Days after which untagged images (superseded pushes, build layers) expire.
   * @default 14
   */
  readonly untaggedExpiryDays?: number;
}

export class EcrStack extends PlatformStack {
  /** Repositories keyed by "<namespace>/<service>". */
  public readonly repositories: ReadonlyMap<string, EcrRepository>;

  constructor(scope: Construct, props: EcrStackProps) {
    super(scope, ECR_STACK, props);
    const lifecyclePolicy = JSON.stringify(ecrLifecyclePolicy(props.keepTaggedImages ?? 100, props.untaggedExpiryDays ?? 14));
    const repositories = new Map<string, EcrRepository>();
    for (const { namespace, service } of listServices(this.platform)) {
      if (service.imageRepository !== undefined) continue;
      const ref = { namespace: namespace.name, service: service.name };
      const repository = new EcrRepository(this, `repository-${ref.namespace}-${ref.service}`, {
        name: ecrRepositoryName(this.platform, ref),
        imageTagMutability: 'IMMUTABLE',
        imageScanningConfiguration: { scanOnPush: true },
        // AWS-managed ECR key (aws/ecr): image pulls need no key grants on the node role.
        encryptionConfiguration: [{ encryptionType: 'KMS' }],
        forceDelete: false,
      });
      new EcrLifecyclePolicy(this, `lifecycle-${ref.namespace}-${ref.service}`, { repository: repository.name, policy: lifecyclePolicy });
      repositories.set(serviceKey(ref), repository);
    }
    this.repositories = repositories;
  }
}

/** ECR lifecycle policy: expire untagged images after `untaggedDays`, keep the newest `keepTagged` tagged ones. */
export function ecrLifecyclePolicy(keepTagged: number, untaggedDays: number): Record<string, unknown> {
  return {
    rules: [
      {
        rulePriority: 1,
        description: `Expire untagged images after ${untaggedDays} days`,
        selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: untaggedDays },
        action: { type: 'expire' },
      },
      {
        rulePriority: 2,
        description: `Keep the newest ${keepTagged} tagged images`,
        selection: { tagStatus: 'tagged', tagPatternList: ['*'], countType: 'imageCountMoreThan', countNumber: keepTagged },
        action: { type: 'expire' },
      },
    ],
  };
}
