/**
 * Retrying on 409 Conflict, as client-go's retry.RetryOnConflict: the write lost a race with
 * another writer, so the whole read-modify-write is run again on a fresh read. Any other error
 * is thrown at once; after `attempts` conflicts, the last one is thrown.
 */
import { isStatusError } from '../../api/status';
import { sleep } from '../../client/clock';

export interface RetryOptions {
  /** Attempts in all. Default 10. */
  readonly attempts?: number;
  /** Wait before the second attempt; doubles each time (±10% jitter), capped at 1 s. Default 10 ms. */
  readonly initialDelayMs?: number;
}

/** Whether `err` is a 409 Conflict on a stale resourceVersion (not an AlreadyExists). */
export function isConflict(err: unknown): boolean {
  return isStatusError(err, 409) && err.reason !== 'AlreadyExists';
}

/** Runs `fn` until it succeeds, retrying (after a growing delay) while `retriable` says so of its error. */
export async function retryOnConflict<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions = {}, retriable: (err: unknown) => boolean = isConflict): Promise<T> {
  const attempts = Math.max(1, options.attempts ?? 10);
  let delay = options.initialDelayMs ?? 10;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      if (!retriable(err) || attempt >= attempts) throw err;
    }
    await sleep(delay * (0.9 + 0.2 * Math.random()));
    delay = Math.min(delay * 2, 1000);
  }
}
