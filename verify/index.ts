/**
 * `npm run verify`: reads each rendered environment and reports, per file, what would stop a fresh
 * cluster from reaching all Healthy from its root Application (verify/bootstrap/) and which declared
 * route would not reach its workload (verify/declared-routes.ts, through the request tracer), and
 * what the AWS security rule set finds in the rendered Terraform JSON (verify/terraform-security.ts).
 */
import { argocdInstallation } from './bootstrap/argocd-installation';
import { chartValuesKeys } from './bootstrap/chart-values-keys';
import { crdAddonPrune } from './bootstrap/crd-addon-prune';
import { crdArrival } from './bootstrap/crd-arrival';
import { databaseRotationCoverage } from './bootstrap/database-rotation-coverage';
import { eksAddonTolerations } from './bootstrap/eks-addon-tolerations';
import { contractBrokerUrl } from './bootstrap/contract-broker-url';
import { faultCallerSidecar } from './bootstrap/fault-caller-sidecar';
import { hookExternalSecret } from './bootstrap/hook-external-secret';
import { imageDigest } from './bootstrap/image-digest';
import { projectDestination } from './bootstrap/project-destination';
import { projectResources } from './bootstrap/project-resources';
import { projectSource } from './bootstrap/project-source';
import { referenceAvailability } from './bootstrap/reference-availability';
import { retryPolicy } from './bootstrap/retry-policy';
import { systemNodeCapacity } from './bootstrap/system-node-capacity';
import { declaredRoutes } from './declared-routes';
import { hookJobEgress } from './network/hook-job-egress';
import { nonMeshDefaultDeny } from './network/non-mesh-default-deny';
import { runChecks, type Check, type Finding } from './registry';
import { terraformSecurity } from './terraform-security';
import { simulate } from './simulation';
import { environmentDirs, readEnvTree } from './tree';

/** Every registered check, in report order. */
export const CHECKS: readonly Check[] = [
  projectDestination,
  projectSource,
  projectResources,
  crdArrival,
  referenceAvailability,
  hookExternalSecret,
  imageDigest,
  crdAddonPrune,
  argocdInstallation,
  retryPolicy,
  eksAddonTolerations,
  systemNodeCapacity,
  declaredRoutes,
  terraformSecurity,
  faultCallerSidecar,
  nonMeshDefaultDeny,
  hookJobEgress,
  chartValuesKeys,
  databaseRotationCoverage,
  contractBrokerUrl,
];

/** Findings of one environment folder (`dist/<env>`). */
export function verifyEnvironment(dir: string, checks: readonly Check[] = CHECKS): Finding[] {
  return runChecks(simulate(readEnvTree(dir)), checks);
}

/** Findings of every environment of a dist tree, keyed by environment name. */
export function verifyDist(distDir: string, checks: readonly Check[] = CHECKS): Map<string, Finding[]> {
  return new Map(environmentDirs(distDir).map((dir) => [dir.split(/[\\/]/).pop()!, verifyEnvironment(dir, checks)]));
}

export type { Check, Finding };
