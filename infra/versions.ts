/**
 * Every pinned version of the AWS layer, in one place. Bump here, re-render, review the diff.
 */

/** EKS managed add-ons this platform installs. */
export type EksAddonName = 'vpc-cni' | 'kube-proxy' | 'coredns' | 'metrics-server' | 'aws-ebs-csi-driver';

/**
 * Add-on versions per Kubernetes minor version (`aws eks describe-addon-versions
 * --kubernetes-version <v> --addon-name <name>`). An environment whose `kubernetesVersion` has no
 * row fails validation instead of silently getting EKS's default version.
 */
export const EKS_ADDON_VERSIONS: Readonly<Record<string, Readonly<Record<EksAddonName, string>>>> = {
  '1.33': {
    'vpc-cni': 'v1.20.0-eksbuild.1',
    'kube-proxy': 'v1.33.5-eksbuild.2',
    coredns: 'v1.12.4-eksbuild.1',
    // EKS community add-on (HPA's resource metrics).
    'metrics-server': 'v0.8.0-eksbuild.1',
    // Persistent volumes (VictoriaMetrics), encrypted with the environment's EBS key.
    'aws-ebs-csi-driver': 'v1.48.0-eksbuild.2',
  },
};

/** Add-on versions of a Kubernetes version, or undefined when none are pinned. */
export function eksAddonVersions(kubernetesVersion: string): Readonly<Record<EksAddonName, string>> | undefined {
  return Object.prototype.hasOwnProperty.call(EKS_ADDON_VERSIONS, kubernetesVersion) ? EKS_ADDON_VERSIONS[kubernetesVersion] : undefined;
}

/**
 * Aurora MySQL engine version of the shared cluster (`aws rds describe-db-engine-versions --engine
 * aurora-mysql`), and the parameter-group family it belongs to.
 */
export const AURORA_MYSQL = { engineVersion: '8.0.mysql_aurora.3.08.2', parameterGroupFamily: 'aurora-mysql8.0' } as const;

/**
 * Aurora PostgreSQL engine version of the contract broker's database (`aws rds
 * describe-db-engine-versions --engine aurora-postgresql`; Serverless v2 capable), and its family.
 */
export const AURORA_POSTGRESQL = { engineVersion: '16.6', parameterGroupFamily: 'aurora-postgresql16' } as const;
