/**
 * Expectations, as Kubernetes' controller.ControllerExpectations and the Job controller's
 * uidTrackingExpectations: what a controller has asked the API server to do and has not yet seen
 * in its informer cache. Until its pods' creations and deletions show up, a Job is not scaled
 * again (so no duplicates are created from a stale cache); until a finalizer removal shows up, the
 * pod is not counted again.
 */
import { realClock, type Clock } from '../../client/clock';

/** After this long, expectations that never showed up are given up on (Kubernetes: 5 minutes). */
export const expectationsTimeoutMs = 5 * 60_000;

interface Record {
  add: number;
  del: number;
  readonly timestamp: number;
}

export class ControllerExpectations {
  private readonly records = new Map<string, Record>();

  constructor(
    private readonly clock: Clock = realClock,
    private readonly timeoutMs = expectationsTimeoutMs,
  ) {}

  /** Nothing pending for `key` (or what is pending has expired). */
  satisfied(key: string): boolean {
    const r = this.records.get(key);
    if (!r) return true;
    if (r.add <= 0 && r.del <= 0) return true;
    return this.clock.now() - r.timestamp > this.timeoutMs;
  }

  expectCreations(key: string, count: number): void {
    this.records.set(key, { add: count, del: 0, timestamp: this.clock.now() });
  }

  expectDeletions(key: string, count: number): void {
    this.records.set(key, { add: 0, del: count, timestamp: this.clock.now() });
  }

  creationObserved(key: string): void {
    const r = this.records.get(key);
    if (r) r.add--;
  }

  deletionObserved(key: string): void {
    const r = this.records.get(key);
    if (r) r.del--;
  }

  delete(key: string): void {
    this.records.delete(key);
  }

  /** For tests and logs: what is still expected. */
  pending(key: string): { add: number; del: number } | undefined {
    const r = this.records.get(key);
    return r && { add: r.add, del: r.del };
  }
}

/** Pod UIDs, per Job, whose tracking-finalizer removal was sent but not yet observed. */
export class UidTrackingExpectations {
  private readonly uids = new Map<string, Set<string>>();

  expectFinalizersRemoved(key: string, uids: readonly string[]): void {
    if (uids.length === 0) return;
    let set = this.uids.get(key);
    if (!set) this.uids.set(key, (set = new Set()));
    for (const uid of uids) set.add(uid);
  }

  finalizerRemovalObserved(key: string, uid: string): void {
    const set = this.uids.get(key);
    if (!set) return;
    set.delete(uid);
    if (set.size === 0) this.uids.delete(key);
  }

  expectedUids(key: string): ReadonlySet<string> {
    return new Set(this.uids.get(key) ?? []);
  }

  delete(key: string): void {
    this.uids.delete(key);
  }
}
