/**
 * A token bucket, as golang.org/x/time/rate's Limiter: tokens accrue at `qps` per second up to
 * `burst`; each event takes one. Used by the REST client (client-side QPS limit) and by the
 * workqueue's overall rate limiter.
 *
 * Invariants:
 *   - tokens <= burst at all times; tokens may go negative, which is debt: a reservation always
 *     takes its token at once and is told how long to wait until that token has accrued, so
 *     callers waiting in turn are spaced 1/qps apart and served in the order they asked.
 *   - a bucket with qps <= 0 never limits (every reservation waits 0).
 */
import { realClock, sleep, type Clock } from './clock';

export interface RateLimit {
  /** Sustained events per second; <= 0 means unlimited. */
  readonly qps: number;
  /** Events allowed at once after a quiet period (>= 1). */
  readonly burst: number;
}

export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    readonly limit: RateLimit,
    private readonly clock: Clock = realClock,
  ) {
    this.tokens = Math.max(1, limit.burst);
    this.last = clock.now();
  }

  /** Takes a token now; returns how many ms the caller must wait before acting on it. */
  reserve(): number {
    if (this.limit.qps <= 0) return 0;
    this.refill();
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : (-this.tokens * 1000) / this.limit.qps;
  }

  /** Takes a token only if one is available now. */
  tryTake(): boolean {
    if (this.limit.qps <= 0) return true;
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Waits for a token. If the signal aborts the wait, the token is given back and the reason thrown. */
  async take(signal?: AbortSignal): Promise<void> {
    const wait = this.reserve();
    if (wait <= 0) return;
    try {
      await sleep(wait, signal, this.clock);
    } catch (err) {
      this.tokens = Math.min(Math.max(1, this.limit.burst), this.tokens + 1);
      throw err;
    }
  }

  private refill(): void {
    const now = this.clock.now();
    const elapsed = Math.max(0, now - this.last);
    this.last = now;
    this.tokens = Math.min(Math.max(1, this.limit.burst), this.tokens + (elapsed * this.limit.qps) / 1000);
  }
}
