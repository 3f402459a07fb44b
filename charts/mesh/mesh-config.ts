import type { ApiObject } from 'cdk8s';
import { CRD_PENDING } from '../nodes/node-pools';

/**
 * Marks an Istio configuration object: synced in the platform-config wave, before the workloads of
 * its namespace (a Pod never starts without its mTLS, authorization and routing rules), and
 * skipping Argo CD's dry run while the Istio CRDs (istio-base add-on) are not installed yet.
 */
export function meshConfig<T extends ApiObject>(obj: T): T {
  for (const [key, value] of Object.entries(CRD_PENDING)) obj.metadata.addAnnotation(key, value);
  return obj;
}
