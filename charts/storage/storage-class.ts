import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { kmsAliasArn } from '../../platform/aws-names';
import { EBS_STORAGE_CLASS } from '../../platform/naming';
import type { Environment, Platform } from '../../platform/types';
import { preventPrune } from '../sync-options';

export interface EncryptedStorageProps {
  readonly platform: Platform;
  readonly env: Environment;
}

/**
 * The only StorageClass: gp3 volumes through the EBS CSI driver (an EKS managed add-on of the
 * cluster stack), encrypted with the environment's EBS key, kept when their claim goes
 * (reclaimPolicy Retain: data is never deleted by a sync), bound in the zone of their Pod.
 */
export class EncryptedStorage extends Construct {
  constructor(scope: Construct, id: string, props: EncryptedStorageProps) {
    super(scope, id);
    const storageClass = new kplus.k8s.KubeStorageClass(this, 'gp3', {
      metadata: { name: EBS_STORAGE_CLASS, annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
      provisioner: 'ebs.csi.aws.com',
      parameters: { type: 'gp3', encrypted: 'true', kmsKeyId: kmsAliasArn(props.platform, props.env, 'ebs'), 'csi.storage.k8s.io/fstype': 'ext4' },
      reclaimPolicy: 'Retain',
      volumeBindingMode: 'WaitForFirstConsumer',
      allowVolumeExpansion: true,
    });
    preventPrune(ApiObject.of(storageClass));
  }
}
