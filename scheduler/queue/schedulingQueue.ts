/**
 * The scheduling queue (internal/queue.PriorityQueue): pods waiting to be scheduled, in
 *   - activeQ: ready now, highest priority first, then oldest (creationTimestamp), then arrival;
 *   - backoffQ: failed recently, ordered by the end of their backoff (1 s doubling per attempt up
 *     to 10 s); moved to activeQ once it ends (checked every second);
 *   - unschedulable: rejected by some plugins; moved back (to backoffQ while still backing off,
 *     else activeQ) when a cluster event happens that one of those plugins registered, or after
 *     5 minutes as a safety net (checked every 30 s);
 *   - gated: pods with spec.schedulingGates, until an update removes them.
 *
 * Invariants:
 * - a pod (by namespace/name) is in at most one of the four, and never while it is being
 *   scheduled (popped), unless it was updated meanwhile (then it is in activeQ again);
 * - an event that arrives while a pod is being scheduled is not lost: the moveRequestCycle is
 *   raised to the current cycle, and a pod whose attempt started at or before it goes to backoffQ
 *   instead of unschedulable when that attempt fails;
 * - pop() hands out each queued pod once, and waits (without polling) while activeQ is empty.
 */
import type { Pod } from '../../api/kinds/core/pod';
import { realClock, type Cancel, type Clock } from '../../client/clock';
import type { ClusterEvent } from '../framework/interfaces';
import { podName, podPriority } from '../framework/podKey';
import { backoffDuration, defaultBackoff, type BackoffConfig } from './backoff';
import { isPodUpdated, worthRetrying } from './clusterEvents';
import { KeyedHeap } from './keyedHeap';
import { Nominator } from './nominator';
import { isGated, type QueuedPod } from './queuedPod';

export interface PendingCounts {
  readonly active: number;
  readonly backoff: number;
  readonly unschedulable: number;
  readonly gated: number;
}

export interface SchedulingQueueOptions {
  readonly clock?: Clock;
  readonly backoff?: BackoffConfig;
  /** Unschedulable pods older than this are retried anyway. Default 5 minutes. */
  readonly maxUnschedulableMs?: number;
  /** How often backoffQ is checked for pods whose backoff ended. Default 1 s. */
  readonly flushBackoffIntervalMs?: number;
  /** How often unschedulable pods are checked against maxUnschedulableMs. Default 30 s. */
  readonly flushUnschedulableIntervalMs?: number;
  /** The events a plugin registered (EnqueueExtensions); undefined: every event. */
  readonly interest?: (plugin: string) => ReadonlySet<ClusterEvent> | undefined;
  /** Called after every change of the counts (metrics). */
  readonly onChange?: (counts: PendingCounts) => void;
}

function created(pod: Pod): number {
  const t = pod.metadata?.creationTimestamp;
  const ms = t ? Date.parse(t) : NaN;
  return Number.isNaN(ms) ? 0 : ms;
}

export class SchedulingQueue {
  readonly nominator = new Nominator();
  private readonly clock: Clock;
  private readonly backoff: BackoffConfig;
  private readonly maxUnschedulableMs: number;
  private readonly flushBackoffIntervalMs: number;
  private readonly flushUnschedulableIntervalMs: number;
  private readonly interest: (plugin: string) => ReadonlySet<ClusterEvent> | undefined;
  private readonly onChange: ((counts: PendingCounts) => void) | undefined;

  private readonly activeQ = new KeyedHeap<QueuedPod>(
    (q) => q.key,
    (a, b) => {
      const pa = podPriority(a.pod);
      const pb = podPriority(b.pod);
      if (pa !== pb) return pa > pb;
      if (a.created !== b.created) return a.created < b.created;
      return a.seq < b.seq;
    },
  );
  private readonly backoffQ = new KeyedHeap<QueuedPod>(
    (q) => q.key,
    (a, b) => this.backoffExpiry(a) < this.backoffExpiry(b),
  );
  private readonly unschedulable = new Map<string, QueuedPod>();
  private readonly gated = new Map<string, QueuedPod>();
  private waiters: ((q: QueuedPod | undefined) => void)[] = [];
  private seq = 0;
  private closed = false;
  private timers: Cancel[] = [];

  /** Incremented by every pop: the attempt number of the pod popped last. */
  schedulingCycle = 0;
  /** The cycle in which the last move request (cluster event) happened. */
  private moveRequestCycle = -1;

  constructor(options: SchedulingQueueOptions = {}) {
    this.clock = options.clock ?? realClock;
    this.backoff = options.backoff ?? defaultBackoff;
    this.maxUnschedulableMs = options.maxUnschedulableMs ?? 5 * 60_000;
    this.flushBackoffIntervalMs = options.flushBackoffIntervalMs ?? 1000;
    this.flushUnschedulableIntervalMs = options.flushUnschedulableIntervalMs ?? 30_000;
    this.interest = options.interest ?? (() => undefined);
    this.onChange = options.onChange;
  }

  /** Starts the periodic flushes. */
  run(): void {
    const every = (ms: number, fn: () => void) => {
      const tick = () => {
        if (this.closed) return;
        fn();
        this.timers.push(this.clock.after(ms, tick));
      };
      this.timers.push(this.clock.after(ms, tick));
    };
    every(this.flushBackoffIntervalMs, () => this.flushBackoffCompleted());
    every(this.flushUnschedulableIntervalMs, () => this.flushUnschedulableLeftover());
  }

  /** Stops the flushes; pending and later pop() calls resolve undefined. */
  close(): void {
    this.closed = true;
    for (const cancel of this.timers) cancel();
    this.timers = [];
    for (const w of this.waiters.splice(0)) w(undefined);
  }

  // ---- informer-driven changes ---------------------------------------------------------------

  /** A new unassigned pod. */
  add(pod: Pod): void {
    const key = podName(pod);
    this.removeEverywhere(key);
    const q = this.newQueuedPod(pod);
    if (isGated(pod)) this.gated.set(key, q);
    else this.pushActive(q);
    this.nominator.add(pod);
    this.changed();
  }

  /** An unassigned pod changed. */
  update(oldPod: Pod, newPod: Pod): void {
    const key = podName(newPod);
    this.nominator.update(oldPod, newPod);
    const inActive = this.activeQ.get(key);
    if (inActive) {
      inActive.pod = newPod;
      this.activeQ.addOrUpdate(inActive);
      return this.changed();
    }
    const inBackoff = this.backoffQ.get(key);
    if (inBackoff) {
      inBackoff.pod = newPod;
      this.backoffQ.addOrUpdate(inBackoff);
      return this.changed();
    }
    const inGated = this.gated.get(key);
    if (inGated) {
      inGated.pod = newPod;
      if (!isGated(newPod)) {
        this.gated.delete(key);
        inGated.timestamp = this.clock.now();
        this.pushActive(inGated);
      }
      return this.changed();
    }
    const waiting = this.unschedulable.get(key);
    if (waiting) {
      waiting.pod = newPod;
      if (isPodUpdated(oldPod, newPod)) {
        this.unschedulable.delete(key);
        this.requeue(waiting);
      }
      return this.changed();
    }
    // Not queued (being scheduled right now): queue it again, as Kubernetes does.
    const q = this.newQueuedPod(newPod);
    if (isGated(newPod)) this.gated.set(key, q);
    else this.pushActive(q);
    this.changed();
  }

  /** An unassigned pod was deleted, or got assigned (bound). */
  delete(pod: Pod): void {
    this.removeEverywhere(podName(pod));
    this.nominator.delete(pod);
    this.changed();
  }

  /**
   * A cluster event: unschedulable pods that one of their rejecting plugins is interested in
   * move to activeQ (or backoffQ while backing off). `filter` can exclude pods.
   */
  moveAllToActiveOrBackoff(events: readonly ClusterEvent[], filter?: (pod: Pod) => boolean): void {
    if (events.length === 0) return;
    let moved = false;
    for (const [key, q] of this.unschedulable) {
      if (filter && !filter(q.pod)) continue;
      if (!worthRetrying(q.unschedulablePlugins, events, this.interest)) continue;
      this.unschedulable.delete(key);
      this.requeue(q);
      moved = true;
    }
    this.moveRequestCycle = this.schedulingCycle;
    if (moved) this.changed();
  }

  /** Moves these pods to activeQ at once (wherever they wait). */
  activate(pods: readonly Pod[]): void {
    for (const pod of pods) {
      const key = podName(pod);
      const q = this.unschedulable.get(key) ?? this.backoffQ.get(key);
      if (!q) continue;
      this.unschedulable.delete(key);
      this.backoffQ.delete(key);
      this.pushActive(q);
    }
    this.changed();
  }

  // ---- the scheduling loop's side --------------------------------------------------------------

  /** The next pod to schedule: waits while activeQ is empty; undefined once closed or aborted. */
  pop(signal?: AbortSignal): Promise<QueuedPod | undefined> {
    if (this.closed || signal?.aborted) return Promise.resolve(undefined);
    const q = this.activeQ.pop();
    if (q) return Promise.resolve(this.handOut(q));
    return new Promise((resolve) => {
      const onAbort = () => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve(undefined);
      };
      const waiter = (item: QueuedPod | undefined) => {
        signal?.removeEventListener('abort', onAbort);
        resolve(item);
      };
      this.waiters.push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /**
   * A pod whose attempt (started in `podCycle`) failed: to unschedulable, or to backoffQ after
   * an error or when a move request came during the attempt. No-op when it is queued already
   * (it was updated during the attempt) or gone.
   */
  addUnschedulableIfNotPresent(q: QueuedPod, podCycle: number): void {
    const key = q.key;
    if (this.activeQ.has(key) || this.backoffQ.has(key) || this.unschedulable.has(key) || this.gated.has(key)) return;
    q.timestamp = this.clock.now();
    if (q.unschedulablePlugins.size === 0 || this.moveRequestCycle >= podCycle) this.backoffQ.addOrUpdate(q);
    else this.unschedulable.set(key, q);
    this.changed();
  }

  /** Moves pods whose backoff has ended from backoffQ to activeQ. */
  flushBackoffCompleted(): void {
    const now = this.clock.now();
    let moved = false;
    for (let q = this.backoffQ.peek(); q && this.backoffExpiry(q) <= now; q = this.backoffQ.peek()) {
      this.backoffQ.pop();
      this.pushActive(q);
      moved = true;
    }
    if (moved) this.changed();
  }

  /** Retries pods that have been unschedulable for longer than maxUnschedulableMs. */
  flushUnschedulableLeftover(): void {
    const now = this.clock.now();
    let moved = false;
    for (const [key, q] of this.unschedulable) {
      if (now - q.timestamp <= this.maxUnschedulableMs) continue;
      this.unschedulable.delete(key);
      this.requeue(q);
      moved = true;
    }
    if (moved) this.changed();
  }

  counts(): PendingCounts {
    return { active: this.activeQ.size, backoff: this.backoffQ.size, unschedulable: this.unschedulable.size, gated: this.gated.size };
  }

  /** Where a pod waits, for tests and debugging. */
  whereIs(pod: Pod): 'active' | 'backoff' | 'unschedulable' | 'gated' | undefined {
    const key = podName(pod);
    if (this.activeQ.has(key)) return 'active';
    if (this.backoffQ.has(key)) return 'backoff';
    if (this.unschedulable.has(key)) return 'unschedulable';
    if (this.gated.has(key)) return 'gated';
    return undefined;
  }

  /** When the pod's backoff ends, ms. */
  backoffExpiry(q: QueuedPod): number {
    return q.timestamp + backoffDuration(q.attempts, this.backoff);
  }

  // ---- internals -----------------------------------------------------------------------------

  private newQueuedPod(pod: Pod): QueuedPod {
    return { pod, key: podName(pod), timestamp: this.clock.now(), attempts: 0, unschedulablePlugins: new Set(), created: created(pod), seq: this.seq++ };
  }

  /** To backoffQ while its backoff lasts, else to activeQ. */
  private requeue(q: QueuedPod): void {
    if (q.attempts > 0 && this.backoffExpiry(q) > this.clock.now()) this.backoffQ.addOrUpdate(q);
    else this.pushActive(q);
  }

  private pushActive(q: QueuedPod): void {
    const waiter = this.waiters.shift();
    if (waiter && this.activeQ.size === 0) {
      waiter(this.handOut(q));
      return;
    }
    if (waiter) this.waiters.unshift(waiter);
    this.activeQ.addOrUpdate(q);
  }

  private handOut(q: QueuedPod): QueuedPod {
    q.attempts++;
    q.initialAttemptTimestamp ??= this.clock.now();
    this.schedulingCycle++;
    this.changed();
    return q;
  }

  private removeEverywhere(key: string): void {
    this.activeQ.delete(key);
    this.backoffQ.delete(key);
    this.unschedulable.delete(key);
    this.gated.delete(key);
  }

  private changed(): void {
    this.onChange?.(this.counts());
  }
}
