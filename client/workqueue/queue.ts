/**
 * The workqueue, as client-go's: a de-duplicating FIFO of keys (usually "namespace/name") that
 * hands each key to one worker at a time.
 *
 * Invariants:
 *   - a key is at most once in the queue ("dirty" = added and not yet handed out);
 *   - a key being processed (handed out by get, not yet done) is never handed to a second
 *     worker: adding it again marks it dirty, and done() puts it back, so it is processed once
 *     more after the current run, however many times it was added meanwhile;
 *   - keys are handed out in the order they were (first) added.
 *
 * TypeScript has no goroutines, so `get()` returns a promise (the async contract):
 *   - it resolves at once with the oldest waiting key, or later, when a key is added; concurrent
 *     callers are served in the order they called, each with a different key;
 *   - the key is "processing" from the moment the promise resolves; the caller must call
 *     done(key) when finished, whatever the outcome (in a `finally`);
 *   - it resolves `undefined` when the queue is shut down and nothing is left to hand out: after
 *     shutDown() the keys already queued are still handed out (workers drain them), then every
 *     get() resolves undefined, and workers exit their loop.
 * Keys compare as Set members: strings by value, objects by identity.
 */
import { realClock, type Clock } from '../clock';
import type { MetricsRegistry } from '../metrics';
import { noQueueMetrics, queueMetrics, type QueueMetrics } from './metrics';

/** Anything but undefined and null (undefined is get()'s "shut down"). */
export type QueueKey = string | number | bigint | boolean | symbol | object;

export interface WorkQueueOptions {
  /** Names the queue in metrics (label `name`); metrics are recorded when both name and metrics are set. */
  readonly name?: string;
  /** The registry the queue's metrics go to. Default: none. */
  readonly metrics?: MetricsRegistry;
  /** Default: the real clock. */
  readonly clock?: Clock;
}

export class WorkQueue<T extends QueueKey = string> {
  protected readonly clock: Clock;
  protected readonly metrics: QueueMetrics<T>;
  /** Keys waiting, oldest first, from `head` on (compacted lazily). */
  private queue: T[] = [];
  private head = 0;
  private readonly dirty = new Set<T>();
  private readonly processing = new Set<T>();
  private waiters: ((key: T | undefined) => void)[] = [];
  private drained: (() => void)[] = [];
  private shuttingDown = false;

  constructor(options: WorkQueueOptions = {}) {
    this.clock = options.clock ?? realClock;
    this.metrics = options.name && options.metrics ? queueMetrics<T>(options.metrics, options.name, this.clock) : (noQueueMetrics as QueueMetrics<T>);
  }

  /** Queues `key` unless it is already waiting; ignored once shut down. */
  add(key: T): void {
    if (this.shuttingDown || this.dirty.has(key)) return;
    this.dirty.add(key);
    this.metrics.added(key, this.dirty.size);
    if (!this.processing.has(key)) this.enqueue(key);
  }

  /** The next key to process (see the contract above); undefined once shut down and empty. */
  get(): Promise<T | undefined> {
    if (this.head < this.queue.length) {
      const key = this.queue[this.head]!;
      this.queue[this.head++] = undefined as unknown as T;
      if (this.head > 1024 && this.head * 2 > this.queue.length) {
        this.queue = this.queue.slice(this.head);
        this.head = 0;
      }
      return Promise.resolve(this.handOut(key));
    }
    if (this.shuttingDown) return Promise.resolve(undefined);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Ends the processing of `key`; if it was added meanwhile, it is queued again. */
  done(key: T): void {
    if (!this.processing.delete(key)) return;
    this.metrics.done(key);
    if (this.dirty.has(key)) this.enqueue(key);
    this.checkDrained();
  }

  /** Keys waiting (not those being processed). */
  get length(): number {
    return this.queue.length - this.head;
  }

  /** Keys handed out and not yet done. */
  get processingCount(): number {
    return this.processing.size;
  }

  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  /** No more adds; waiting get() calls resolve undefined; keys already queued are still handed out. */
  shutDown(): void {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w(undefined);
    this.onShutDown();
  }

  /** shutDown(), then resolves once nothing is queued or processing (every handed-out key is done). */
  shutDownWithDrain(): Promise<void> {
    this.shutDown();
    return new Promise((resolve) => {
      this.drained.push(resolve);
      this.checkDrained();
    });
  }

  /** Subclasses stop their timers here. */
  protected onShutDown(): void {}

  private enqueue(key: T): void {
    const waiter = this.waiters.shift();
    if (waiter) waiter(this.handOut(key));
    else this.queue.push(key);
  }

  private handOut(key: T): T {
    this.dirty.delete(key);
    this.processing.add(key);
    this.metrics.handedOut(key, this.dirty.size);
    return key;
  }

  private checkDrained(): void {
    if (!this.shuttingDown || this.processing.size > 0 || this.length > 0 || this.drained.length === 0) return;
    const drained = this.drained;
    this.drained = [];
    for (const d of drained) d();
  }
}
