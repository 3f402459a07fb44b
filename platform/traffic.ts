/**
 * Resilience of one dependency edge, computed once from the model: the mesh VirtualService of the
 * target (per-caller routes) and the caller BFF's Nginx read the same numbers.
 */
import type { Service, ServiceDependency } from './types';

/** Default timeout of a `longPoll` edge: above the ~60-70 s a Temporal worker's poll is held open. */
export const LONG_POLL_TIMEOUT_SECONDS = 90;

export interface EdgeTraffic {
  /** Request timeout, seconds; 0 = none (streaming). */
  readonly timeoutSeconds: number;
  readonly retryAttempts: number;
  /** Timeout of each try, seconds; 0 = none. */
  readonly perTryTimeoutSeconds: number;
}

export function edgeTraffic(dep: Pick<ServiceDependency, 'call' | 'timeoutSeconds' | 'retryAttempts' | 'perTryTimeoutSeconds'>, target: Pick<Service, 'traffic'>): EdgeTraffic {
  if (dep.call === 'streaming') return { timeoutSeconds: 0, retryAttempts: dep.retryAttempts ?? 0, perTryTimeoutSeconds: 0 };
  if (dep.call === 'longPoll') {
    const timeout = dep.timeoutSeconds ?? LONG_POLL_TIMEOUT_SECONDS;
    return { timeoutSeconds: timeout, retryAttempts: dep.retryAttempts ?? 0, perTryTimeoutSeconds: dep.perTryTimeoutSeconds ?? timeout };
  }
  return {
    timeoutSeconds: dep.timeoutSeconds ?? target.traffic.timeoutSeconds,
    retryAttempts: dep.retryAttempts ?? target.traffic.retryAttempts,
    perTryTimeoutSeconds: dep.perTryTimeoutSeconds ?? target.traffic.perTryTimeoutSeconds,
  };
}

/** Whether an edge needs its own route (its settings differ from the target's defaults). */
export function edgeIsSpecial(dep: Parameters<typeof edgeTraffic>[0], target: Pick<Service, 'traffic'>): boolean {
  const e = edgeTraffic(dep, target);
  const t = target.traffic;
  return e.timeoutSeconds !== t.timeoutSeconds || e.retryAttempts !== t.retryAttempts || e.perTryTimeoutSeconds !== t.perTryTimeoutSeconds;
}
