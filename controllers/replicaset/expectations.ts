/**
 * Expectations, as Kubernetes' UIDTrackingControllerExpectations (pkg/controller): what a
 * controller has asked the API server to create or delete and not yet seen in its informer's
 * cache. While a controller still expects to see its own writes, its cache is behind them, and
 * counting pods from it would create (or delete) the same pods twice; so it waits — the informer
 * events that lower the expectations re-queue it.
 *
 * Invariants:
 *   - a key with no record, or whose record is fulfilled (nothing pending) or older than the
 *     timeout (a watch event was lost: better to act than to wait forever), is satisfied;
 *   - deletions are tracked by pod key, so seeing the same pod deleted twice (its deletion
 *     timestamp, then its removal) lowers the count once;
 *   - a count may go below zero (pods seen that were not expected), which reads as fulfilled.
 */
import { realClock, type Clock } from '../../client/clock';

/** Kubernetes' ExpectationsTimeout: 5 minutes. */
export const expectationsTimeoutMs = 5 * 60_000;

interface ExpectationRecord {
  add: number;
  del: number;
  /** Keys of pods whose deletion is expected. */
  readonly deleting: Set<string>;
  readonly timestamp: number;
}

export class ControllerExpectations {
  private readonly records = new Map<string, ExpectationRecord>();

  constructor(
    private readonly clock: Clock = realClock,
    private readonly timeoutMs: number = expectationsTimeoutMs,
  ) {}

  /** Whether the controller may act on `key`: nothing pending, or the record expired. */
  satisfied(key: string): boolean {
    const r = this.records.get(key);
    if (!r) return true;
    if (r.add <= 0 && r.del <= 0) return true;
    return this.clock.now() - r.timestamp > this.timeoutMs;
  }

  /** Expect `count` creations (replacing any record). */
  expectCreations(key: string, count: number): void {
    this.records.set(key, { add: count, del: 0, deleting: new Set(), timestamp: this.clock.now() });
  }

  /** Expect the deletion of these pods (by pod key; replacing any record). */
  expectDeletions(key: string, podKeys: readonly string[]): void {
    this.records.set(key, { add: 0, del: podKeys.length, deleting: new Set(podKeys), timestamp: this.clock.now() });
  }

  /** A pod of `key` appeared (or a create was given up on). */
  creationObserved(key: string): void {
    const r = this.records.get(key);
    if (r) r.add--;
  }

  /** A pod of `key` was deleted (or a delete was given up on): counted once per expected pod. */
  deletionObserved(key: string, podKey: string): void {
    const r = this.records.get(key);
    if (!r || !r.deleting.delete(podKey)) return;
    r.del--;
  }

  /** Forgets `key` (its controller object is gone). */
  delete(key: string): void {
    this.records.delete(key);
  }

  /** What is still expected, for logs and tests. */
  pending(key: string): { add: number; del: number } | undefined {
    const r = this.records.get(key);
    return r && { add: r.add, del: r.del };
  }
}
