/**
 * StatusPacer: keeps a controller from writing an object's status on every event when the status
 * moves step by step (1,000 pods becoming ready one after another would otherwise mean a status
 * write per pod, and a conflict whenever the informer's copy lags behind the last write).
 *
 * Per object key it remembers the last status this controller wrote and the resourceVersion the
 * write produced. decide() then says:
 *   - 'skip': the cached object predates our last write (the watch has not delivered it yet) and
 *     the status is what we wrote, so there is nothing new to say;
 *   - a number of ms: wait that long, then reconcile again — the cache is stale and the status
 *     changed meanwhile (writing now would conflict), or the last write was less than
 *     `minIntervalMs` ago and the new status is not urgent;
 *   - 'write': write it now.
 * Urgent statuses (the caller decides: e.g. the desired state is reached, or a new generation is
 * observed) are written at once, so `rollout status` and tests never wait on the pacing.
 *
 * Invariant: a status is never dropped, only delayed by at most `minIntervalMs` (the caller
 * requeues after the returned delay). resourceVersions are compared as numbers: in Marina they
 * are etcd revisions, which only grow.
 */
import { equalJson } from './json';

export type StatusDecision = 'write' | 'skip' | number;

export interface StatusPacerOptions {
  /** Least time between two non-urgent status writes of one object. Default 1000 ms. */
  readonly minIntervalMs?: number;
  /** Wait before looking again while the cache is behind our last write. Default 100 ms. */
  readonly staleCacheRetryMs?: number;
}

interface Written {
  readonly status: unknown;
  readonly resourceVersion: number;
  readonly atMs: number;
}

export class StatusPacer {
  private readonly minIntervalMs: number;
  private readonly staleCacheRetryMs: number;
  private readonly written = new Map<string, Written>();

  constructor(options: StatusPacerOptions = {}) {
    this.minIntervalMs = options.minIntervalMs ?? 1000;
    this.staleCacheRetryMs = options.staleCacheRetryMs ?? 100;
  }

  decide(key: string, cachedResourceVersion: string | undefined, status: unknown, urgent: boolean, nowMs: number): StatusDecision {
    const last = this.written.get(key);
    if (!last) return 'write';
    if (Number(cachedResourceVersion ?? 0) < last.resourceVersion) {
      return equalJson(status, last.status) ? 'skip' : this.staleCacheRetryMs;
    }
    if (urgent) return 'write';
    const since = nowMs - last.atMs;
    return since >= this.minIntervalMs ? 'write' : this.minIntervalMs - since;
  }

  /** Records a successful write (`resourceVersion`: the written object's). */
  wrote(key: string, status: unknown, resourceVersion: string | undefined, nowMs: number): void {
    this.written.set(key, { status, resourceVersion: Number(resourceVersion ?? 0), atMs: nowMs });
  }

  /** Forgets an object (deleted). */
  forget(key: string): void {
    this.written.delete(key);
  }
}
