/**
 * slowStartBatch, as Kubernetes' controllers create pods: `count` calls of `fn` in batches of
 * 1, 2, 4, 8... run in parallel; after a batch with any failure, no further batch starts. So a
 * template that can never be created (quota, admission, validation) costs one request, not
 * hundreds, while a good one reaches full size in log2(count) rounds.
 */

export interface SlowStartResult {
  /** Calls that succeeded. */
  readonly successes: number;
  /** The first error of the batch that stopped it, if any. */
  readonly error?: unknown;
  /** Sizes of the batches run, in order (for tests and logs). */
  readonly batches: readonly number[];
}

export const slowStartInitialBatchSize = 1;

export async function slowStartBatch(count: number, initialBatchSize: number, fn: () => Promise<void>): Promise<SlowStartResult> {
  let remaining = count;
  let successes = 0;
  const batches: number[] = [];
  for (let size = Math.min(remaining, initialBatchSize); size > 0; size = Math.min(2 * size, remaining)) {
    batches.push(size);
    const results = await Promise.allSettled(Array.from({ length: size }, () => fn()));
    let error: unknown;
    let failed = false;
    for (const r of results) {
      if (r.status === 'fulfilled') successes++;
      else if (!failed) {
        failed = true;
        error = r.reason;
      }
    }
    if (failed) return { successes, error, batches };
    remaining -= size;
  }
  return { successes, batches };
}
