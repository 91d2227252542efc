/** Per-pod backoff: 1 s after the first failed attempt, doubling per attempt, at most 10 s. */
export interface BackoffConfig {
  readonly initialMs: number;
  readonly maxMs: number;
}

export const defaultBackoff: BackoffConfig = { initialMs: 1000, maxMs: 10_000 };

/** The backoff after `attempts` attempts (calculateBackoffDuration). */
export function backoffDuration(attempts: number, config: BackoffConfig = defaultBackoff): number {
  let d = config.initialMs;
  for (let i = 1; i < attempts; i++) {
    d *= 2;
    if (d >= config.maxMs) return config.maxMs;
  }
  return Math.min(d, config.maxMs);
}
