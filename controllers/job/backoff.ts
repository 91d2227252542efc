/**
 * The delay before a Job replaces failed pods (Kubernetes' backoff_utils.go): each Job has a
 * record of the failures since its last success and the time of the last one; pod creation waits
 * `base * 2^(failures-1)` (capped) after that failure. Records live in memory, as in Kubernetes.
 */
import type { Pod } from '../../api/kinds/core/pod';
import type { ContainerStatus } from '../../api/kinds/core/podStatus';

export interface BackoffRecord {
  readonly key: string;
  readonly failuresAfterLastSuccess: number;
  /** ms since the epoch, when there are failures. */
  readonly lastFailureTime?: number;
}

export class BackoffStore {
  private readonly records = new Map<string, BackoffRecord>();

  /** The record `key` would have after these newly finished pods (not stored: see update). */
  newRecord(key: string, newSucceeded: readonly Pod[], newFailed: readonly Pod[]): BackoffRecord {
    const old = this.records.get(key) ?? { key, failuresAfterLastSuccess: 0 };
    return nextBackoffRecord(old, newSucceeded, newFailed);
  }

  update(record: BackoffRecord): void {
    this.records.set(record.key, record);
  }

  remove(key: string): void {
    this.records.delete(key);
  }

  get(key: string): BackoffRecord | undefined {
    return this.records.get(key);
  }
}

export function nextBackoffRecord(old: BackoffRecord, newSucceeded: readonly Pod[], newFailed: readonly Pod[]): BackoffRecord {
  const byFinish = (pods: readonly Pod[]) => [...pods].sort((a, b) => finishedTime(a) - finishedTime(b));
  const succeeded = byFinish(newSucceeded);
  const failed = byFinish(newFailed);
  if (succeeded.length === 0) {
    if (failed.length === 0) return old;
    return { key: old.key, failuresAfterLastSuccess: old.failuresAfterLastSuccess + failed.length, lastFailureTime: finishedTime(failed[failed.length - 1]!) };
  }
  // Failures that finished after the last success still count.
  const lastSuccess = finishedTime(succeeded[succeeded.length - 1]!);
  let failures = 0;
  let lastFailureTime: number | undefined;
  for (let i = failed.length - 1; i >= 0; i--) {
    const t = finishedTime(failed[i]!);
    if (t <= lastSuccess) break;
    lastFailureTime ??= t;
    failures++;
  }
  return lastFailureTime === undefined ? { key: old.key, failuresAfterLastSuccess: 0 } : { key: old.key, failuresAfterLastSuccess: failures, lastFailureTime };
}

/** How long pod creation must still wait (0: not at all). */
export function remainingBackoffMs(record: BackoffRecord, now: number, baseMs: number, maxMs: number): number {
  if (record.failuresAfterLastSuccess === 0 || record.lastFailureTime === undefined) return 0;
  let backoff = baseMs;
  for (let i = 1; i < record.failuresAfterLastSuccess; i++) {
    backoff *= 2;
    if (backoff >= maxMs) {
      backoff = maxMs;
      break;
    }
  }
  const elapsed = now - record.lastFailureTime;
  return backoff < elapsed ? 0 : backoff - elapsed;
}

/**
 * When a pod finished: its containers' (and sidecars') last finishedAt, else when its Ready
 * condition became False, else its deletion time less the grace period, else its creation.
 */
export function finishedTime(pod: Pod): number {
  return fromContainers(pod) ?? fromReadyFalse(pod) ?? fromDeletion(pod) ?? parseTime(pod.metadata?.creationTimestamp) ?? 0;
}

function fromContainers(pod: Pod): number | undefined {
  const main = latestFinish(undefined, pod.status?.containerStatuses ?? [], undefined);
  // Sidecars (restartable init containers) finish after the main containers.
  const sidecars = new Set((pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always').map((c) => c.name));
  return latestFinish(main, pod.status?.initContainerStatuses ?? [], (cs) => sidecars.has(cs.name));
}

/** The latest finishedAt after `prev`; undefined when a considered container has not finished. */
function latestFinish(prev: number | undefined, statuses: readonly ContainerStatus[], check: ((cs: ContainerStatus) => boolean) | undefined): number | undefined {
  let latest = prev;
  for (const cs of statuses) {
    if (check && !check(cs)) continue;
    const at = parseTime(cs.state?.terminated?.finishedAt);
    if (at === undefined) return undefined;
    if (latest === undefined || latest < at) latest = at;
  }
  return latest;
}

function fromReadyFalse(pod: Pod): number | undefined {
  const c = (pod.status?.conditions ?? []).find((x) => x.type === 'Ready');
  return c && c.status === 'False' ? parseTime(c.lastTransitionTime) : undefined;
}

function fromDeletion(pod: Pod): number | undefined {
  const at = parseTime(pod.metadata?.deletionTimestamp);
  return at === undefined ? undefined : at - (pod.metadata?.deletionGracePeriodSeconds ?? 0) * 1000;
}

function parseTime(s: string | undefined): number | undefined {
  if (!s) return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : t;
}
