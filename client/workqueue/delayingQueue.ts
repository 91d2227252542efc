/**
 * A workqueue that can also add a key later (addAfter), as client-go's delaying queue.
 *
 * Invariants:
 *   - a key waits at most once: adding it again with an earlier ready time moves it earlier, a
 *     later one is ignored (the earliest wins);
 *   - once ready, a key is add()ed, so the queue's de-duplication applies;
 *   - one timer runs, for the earliest ready time; shutting down cancels it and forgets every
 *     waiting key.
 */
import { Heap } from './heap';
import { WorkQueue, type QueueKey, type WorkQueueOptions } from './queue';
import type { Cancel } from '../clock';

interface Waiting<T> {
  readonly key: T;
  readonly at: number;
  readonly seq: number;
}

export class DelayingQueue<T extends QueueKey = string> extends WorkQueue<T> {
  /** Ready time of each waiting key; heap entries whose time differs are stale and skipped. */
  private readonly readyAt = new Map<T, number>();
  private readonly heap = new Heap<Waiting<T>>((a, b) => a.at < b.at || (a.at === b.at && a.seq < b.seq));
  private seq = 0;
  private timer: { at: number; cancel: Cancel } | undefined;

  constructor(options: WorkQueueOptions = {}) {
    super(options);
  }

  /** Adds `key` after `delayMs` (at once when <= 0); ignored once shut down. */
  addAfter(key: T, delayMs: number): void {
    if (this.isShuttingDown) return;
    if (delayMs <= 0) return this.add(key);
    const at = this.clock.now() + delayMs;
    const current = this.readyAt.get(key);
    if (current !== undefined && current <= at) return;
    this.readyAt.set(key, at);
    this.heap.push({ key, at, seq: this.seq++ });
    this.schedule();
  }

  /** Keys waiting for their delay to pass. */
  get waitingCount(): number {
    return this.readyAt.size;
  }

  protected override onShutDown(): void {
    this.timer?.cancel();
    this.timer = undefined;
    this.readyAt.clear();
    this.heap.clear();
  }

  private schedule(): void {
    this.dropStale();
    const next = this.heap.peek();
    if (!next || (this.timer && this.timer.at <= next.at)) return;
    this.timer?.cancel();
    const cancel = this.clock.after(next.at - this.clock.now(), () => this.fire());
    this.timer = { at: next.at, cancel };
  }

  private fire(): void {
    this.timer = undefined;
    const now = this.clock.now();
    for (;;) {
      this.dropStale();
      const next = this.heap.peek();
      if (!next || next.at > now) break;
      this.heap.pop();
      this.readyAt.delete(next.key);
      this.add(next.key);
    }
    this.schedule();
  }

  private dropStale(): void {
    for (let top = this.heap.peek(); top && this.readyAt.get(top.key) !== top.at; top = this.heap.peek()) this.heap.pop();
  }
}
