/** What consumers of an informer implement, and what they get back when they register. */
import type { DeletedFinalStateUnknown } from './tombstone';

/**
 * Notifications of one handler arrive in order, one at a time: a handler that returns a promise
 * gets its next notification once the promise settles (other handlers are not held up). A
 * handler's error (thrown or rejected) is reported and delivery goes on.
 */
export interface ResourceEventHandler<T> {
  /** A new object; `isInitialList` for those of the first list (and for a late handler's catch-up). */
  onAdd?(obj: T, isInitialList: boolean): void | Promise<void>;
  /** A changed object; on a resync, `oldObj === newObj`. */
  onUpdate?(oldObj: T, newObj: T): void | Promise<void>;
  /** A deleted object: its final state, or a tombstone when the deletion happened while the watch was away. */
  onDelete?(obj: T | DeletedFinalStateUnknown<T>): void | Promise<void>;
}

export interface HandlerOptions {
  /** Re-deliver every cached object to this handler as an update this often (0: never). Default: the informer's. */
  readonly resyncPeriodMs?: number;
}

export interface HandlerRegistration {
  /** True once the informer has synced and this handler has been given every object of that state. */
  hasSynced(): boolean;
  /** Stops delivery to this handler. */
  remove(): void;
}
