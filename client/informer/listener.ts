/**
 * One registered handler's delivery line (client-go's processorListener): an unbounded FIFO of
 * notifications, delivered in order, one at a time. A slow (async) handler only delays itself.
 *
 * Invariants:
 *   - notifications are delivered in the order they were queued, each exactly once (unless the
 *     listener is removed);
 *   - delivery is synchronous while handlers return synchronously, so a sync handler sees a
 *     change in the same turn of the event loop as the cache;
 *   - `delivered <= queued`; the listener has synced once `syncTarget` is set and reached.
 */
import type { ResourceEventHandler } from './handlers';
import type { DeletedFinalStateUnknown } from './tombstone';

export type Notification<T> =
  | { readonly type: 'add'; readonly obj: T; readonly initial: boolean }
  | { readonly type: 'update'; readonly old: T; readonly obj: T }
  | { readonly type: 'delete'; readonly obj: T | DeletedFinalStateUnknown<T> };

export class Listener<T> {
  private buffer: Notification<T>[] = [];
  private head = 0;
  private pumping = false;
  private removed = false;
  private queued = 0;
  private delivered = 0;
  private syncTarget: number | undefined;
  /** Cancels the resync timer, when one runs. */
  cancelResync: (() => void) | undefined;

  constructor(
    private readonly handler: ResourceEventHandler<T>,
    private readonly onError: (err: unknown) => void,
    readonly resyncPeriodMs: number,
  ) {}

  enqueue(n: Notification<T>): void {
    if (this.removed) return;
    this.buffer.push(n);
    this.queued++;
    this.pump();
  }

  /** The informer's state as of now counts as synced for this listener once delivered. */
  markSynced(): void {
    this.syncTarget ??= this.queued;
  }

  hasSynced(): boolean {
    return this.syncTarget !== undefined && this.delivered >= this.syncTarget;
  }

  /** Notifications queued and not yet delivered. */
  get pending(): number {
    return this.buffer.length - this.head;
  }

  remove(): void {
    this.removed = true;
    this.cancelResync?.();
    this.buffer = [];
    this.head = 0;
  }

  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    while (!this.removed && this.head < this.buffer.length) {
      const n = this.buffer[this.head++]!;
      if (this.head > 1024 && this.head * 2 > this.buffer.length) {
        this.buffer = this.buffer.slice(this.head);
        this.head = 0;
      }
      let result: void | Promise<void>;
      try {
        result = this.deliver(n);
      } catch (err) {
        this.delivered++;
        this.onError(err);
        continue;
      }
      if (isThenable(result)) {
        // An async handler: resume once it settles.
        void Promise.resolve(result).then(
          () => this.resume(),
          (err: unknown) => {
            this.onError(err);
            this.resume();
          },
        );
        return;
      }
      this.delivered++;
    }
    this.pumping = false;
  }

  private resume(): void {
    this.delivered++;
    this.pumping = false;
    this.pump();
  }

  private deliver(n: Notification<T>): void | Promise<void> {
    switch (n.type) {
      case 'add':
        return this.handler.onAdd?.(n.obj, n.initial);
      case 'update':
        return this.handler.onUpdate?.(n.old, n.obj);
      case 'delete':
        return this.handler.onDelete?.(n.obj);
    }
  }
}

function isThenable(value: unknown): value is PromiseLike<void> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
