/**
 * A delaying workqueue with per-key retry backoff, as client-go's rate-limiting queue. The usual
 * worker loop:
 *
 *   for (let key; (key = await queue.get()) !== undefined; ) {
 *     try { await reconcile(key); queue.forget(key); }          // success: reset its backoff
 *     catch (err) { log(err); queue.addRateLimited(key); }       // failure: retry later
 *     finally { queue.done(key); }
 *   }
 */
import { DelayingQueue } from './delayingQueue';
import type { QueueKey, WorkQueueOptions } from './queue';
import { defaultControllerRateLimiter, type RateLimiter } from './rateLimiters';

export interface RateLimitingQueueOptions<T> extends WorkQueueOptions {
  /** Default: defaultControllerRateLimiter() (on the queue's clock). */
  readonly rateLimiter?: RateLimiter<T>;
}

export class RateLimitingQueue<T extends QueueKey = string> extends DelayingQueue<T> {
  readonly rateLimiter: RateLimiter<T>;

  constructor(options: RateLimitingQueueOptions<T> = {}) {
    super(options);
    this.rateLimiter = options.rateLimiter ?? defaultControllerRateLimiter<T>(this.clock);
  }

  /** Adds `key` once the rate limiter allows (counts as one more failure of it). */
  addRateLimited(key: T): void {
    if (this.isShuttingDown) return;
    this.metrics.retried();
    this.addAfter(key, this.rateLimiter.when(key));
  }

  /** `key` succeeded: its next failure backs off from the start again. Does not unqueue it. */
  forget(key: T): void {
    this.rateLimiter.forget(key);
  }

  numRequeues(key: T): number {
    return this.rateLimiter.numRequeues(key);
  }
}
