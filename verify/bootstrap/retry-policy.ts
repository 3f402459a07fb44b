/**
 * Every automated Application must keep retrying through a cold bootstrap. On a new cluster an
 * Application can fail for many minutes while what it needs comes up elsewhere (nodes from
 * Karpenter, CRDs from an add-on, Secrets from External Secrets); once `retry.limit` attempts are
 * spent, Argo CD stops and waits for the next Git change (argo-cd `pkg/apis/application/v1alpha1/
 * types.go` RetryStrategy: "Limit is the maximum number of attempts ... negative means unlimited";
 * backoff: duration * factor^n capped at maxDuration, controller/appcontroller.go).
 */
import type { Check } from '../registry';

/** How long retries must keep going: the time a cold bootstrap may take before everything is up. */
export const COLD_BOOTSTRAP_MINUTES = 30;

const seconds = (d: string | number | undefined, fallback: number): number => {
  if (d === undefined) return fallback;
  if (typeof d === 'number') return d;
  let total = 0;
  for (const m of d.matchAll(/(\d+)(h|m|s)/g)) total += Number(m[1]) * { h: 3600, m: 60, s: 1 }[m[2] as 'h' | 'm' | 's'];
  return /^\d+$/.test(d) ? Number(d) : total;
};

/** Seconds the retries of a RetryStrategy cover (Infinity when unlimited). */
export function retryWindowSeconds(retry: { limit?: number; backoff?: { duration?: string; factor?: number; maxDuration?: string } } | undefined): number {
  const limit = retry?.limit ?? 0;
  if (limit < 0) return Infinity;
  const duration = seconds(retry?.backoff?.duration, 5);
  const factor = retry?.backoff?.factor ?? 2;
  const max = seconds(retry?.backoff?.maxDuration, 180);
  let total = 0;
  for (let i = 0; i < limit; i++) total += Math.min(duration * factor ** i, max);
  return total;
}

export const retryPolicy: Check = {
  id: 'retry-policy',
  description: `every automated Application retries for at least ${COLD_BOOTSTRAP_MINUTES} minutes`,
  run: (sim) =>
    sim.apps
      .filter((a) => a.app.doc.spec?.syncPolicy?.automated)
      .flatMap((a) => {
        const retry = a.app.doc.spec.syncPolicy.retry;
        const window = retryWindowSeconds(retry);
        if (window >= COLD_BOOTSTRAP_MINUTES * 60) return [];
        return [{ file: a.app.file, message: `Application ${a.name}: retry.limit ${retry?.limit ?? 0} gives up after ~${Math.round(window / 60)} minutes, less than the ${COLD_BOOTSTRAP_MINUTES} minutes of a cold bootstrap` }];
      }),
};
