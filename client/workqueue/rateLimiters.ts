/**
 * How long a key should wait before it is retried, as client-go's workqueue rate limiters:
 *
 *   ItemExponentialFailureRateLimiter  per key: base·2^failures, capped (5 ms → 1000 s by default)
 *   BucketRateLimiter                  overall: a token bucket (10 qps, burst 100 by default)
 *   ItemFastSlowRateLimiter            per key: fast delay for the first N tries, then slow
 *   MaxOfRateLimiter                   the longest of several
 *
 * defaultControllerRateLimiter() is client-go's DefaultControllerRateLimiter: the max of the
 * per-key exponential one and the overall bucket, so one failing key backs off on its own while a
 * storm of failures cannot exceed the bucket's rate.
 */
import { realClock, type Clock } from '../clock';
import { TokenBucket } from '../tokenBucket';

export interface RateLimiter<T> {
  /** How long (ms) `key` should wait now; counts as one more failure of it. */
  when(key: T): number;
  /** Stops tracking `key` (it succeeded): its next failure starts from the base delay. */
  forget(key: T): void;
  /** Failures of `key` since it was last forgotten. */
  numRequeues(key: T): number;
}

export class ItemExponentialFailureRateLimiter<T> implements RateLimiter<T> {
  private readonly failures = new Map<T, number>();

  /** Defaults: 5 ms base, 1000 s cap. */
  constructor(
    readonly baseDelayMs = 5,
    readonly maxDelayMs = 1_000_000,
  ) {}

  when(key: T): number {
    const exp = this.failures.get(key) ?? 0;
    this.failures.set(key, exp + 1);
    const delay = this.baseDelayMs * 2 ** exp;
    return Number.isFinite(delay) ? Math.min(delay, this.maxDelayMs) : this.maxDelayMs;
  }

  forget(key: T): void {
    this.failures.delete(key);
  }

  numRequeues(key: T): number {
    return this.failures.get(key) ?? 0;
  }
}

export class ItemFastSlowRateLimiter<T> implements RateLimiter<T> {
  private readonly failures = new Map<T, number>();

  constructor(
    readonly fastDelayMs: number,
    readonly slowDelayMs: number,
    readonly maxFastAttempts: number,
  ) {}

  when(key: T): number {
    const attempts = (this.failures.get(key) ?? 0) + 1;
    this.failures.set(key, attempts);
    return attempts <= this.maxFastAttempts ? this.fastDelayMs : this.slowDelayMs;
  }

  forget(key: T): void {
    this.failures.delete(key);
  }

  numRequeues(key: T): number {
    return this.failures.get(key) ?? 0;
  }
}

/** Every call takes a token from one bucket shared by all keys; keys are not tracked. */
export class BucketRateLimiter<T> implements RateLimiter<T> {
  private readonly bucket: TokenBucket;

  /** Defaults: 10 qps, burst 100. */
  constructor(qps = 10, burst = 100, clock: Clock = realClock) {
    this.bucket = new TokenBucket({ qps, burst }, clock);
  }

  when(_key: T): number {
    return this.bucket.reserve();
  }

  forget(_key: T): void {}

  numRequeues(_key: T): number {
    return 0;
  }
}

export class MaxOfRateLimiter<T> implements RateLimiter<T> {
  private readonly limiters: readonly RateLimiter<T>[];

  constructor(...limiters: RateLimiter<T>[]) {
    this.limiters = limiters;
  }

  /** Asks every limiter (so each records the failure) and waits the longest. */
  when(key: T): number {
    let max = 0;
    for (const l of this.limiters) max = Math.max(max, l.when(key));
    return max;
  }

  forget(key: T): void {
    for (const l of this.limiters) l.forget(key);
  }

  numRequeues(key: T): number {
    let max = 0;
    for (const l of this.limiters) max = Math.max(max, l.numRequeues(key));
    return max;
  }
}

/** client-go's default: max(per-key exponential 5 ms → 1000 s, overall bucket 10 qps / burst 100). */
export function defaultControllerRateLimiter<T>(clock: Clock = realClock): RateLimiter<T> {
  return new MaxOfRateLimiter<T>(new ItemExponentialFailureRateLimiter<T>(5, 1_000_000), new BucketRateLimiter<T>(10, 100, clock));
}
