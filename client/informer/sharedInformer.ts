/**
 * A shared index informer: one reflector (one list + one watch) feeding one indexed cache, and
 * any number of event handlers, as client-go's sharedIndexInformer.
 *
 * Invariants:
 *   - the cache is updated before handlers hear of a change, so a handler reading the lister
 *     sees at least the state it is told about;
 *   - each handler gets every change in order; a relist (after a 410) delivers the difference
 *     between the cache and the list: adds for new objects, updates for changed ones (another
 *     resourceVersion), and deletes — with a DeletedFinalStateUnknown tombstone — for objects
 *     that vanished while the watch was away; unchanged objects are not re-delivered;
 *   - a handler added after start first gets an add for every cached object, then live changes;
 *   - a resync (per handler, when configured) re-delivers every cached object as update(o, o);
 *   - cached objects are deep-frozen (unless freezeObjects is false): never mutate them.
 * The informer never stops on its own; stop() ends the watch, timers and delivery.
 */
import type { KubeObject } from '../../api/kinds/kind';
import { realClock, type Clock } from '../clock';
import { silentLogger, type Logger } from '../log';
import { deepFreeze } from './freeze';
import type { HandlerOptions, HandlerRegistration, ResourceEventHandler } from './handlers';
import type { Indexers } from './indexers';
import { objectKey } from './keys';
import { Lister } from './lister';
import type { ListerWatcher } from './listerWatcher';
import { Listener, type Notification } from './listener';
import { Reflector, type ReflectorOptions, type ReflectorStats } from './reflector';
import { ThreadSafeStore, type ReadonlyIndexer } from './store';
import { DeletedFinalStateUnknown } from './tombstone';

export interface SharedInformerOptions<T> extends ReflectorOptions {
  /** Default resync period of handlers (0: no resync). Default 0. */
  readonly resyncPeriodMs?: number;
  /** Indices besides `namespace` (which every informer has). */
  readonly indexers?: Indexers<T>;
  /** Deep-freeze cached objects, so code that mutates one fails loudly. Default true. */
  readonly freezeObjects?: boolean;
  /**
   * Applied to every object before it is cached and handed to handlers (client-go's SetTransform),
   * e.g. to drop managedFields a consumer never reads and save memory. Must return a new object
   * rather than mutate its argument when it changes something. Default: none.
   */
  readonly transform?: (obj: T) => T;
}

export class SharedIndexInformer<T extends KubeObject> {
  readonly lister: Lister<T>;
  private readonly cache: ThreadSafeStore<T>;
  private readonly reflector: Reflector<T>;
  private readonly listeners = new Set<Listener<T>>();
  private readonly log: Logger;
  private readonly clock: Clock;
  private readonly resyncPeriodMs: number;
  private readonly freeze: boolean;
  private started = false;
  private stopped = false;
  private synced = false;
  private syncWaiters: ((synced: boolean) => void)[] = [];

  constructor(
    lw: ListerWatcher<T>,
    private readonly options: SharedInformerOptions<T> = {},
  ) {
    this.log = options.log ?? silentLogger;
    this.clock = options.clock ?? realClock;
    this.resyncPeriodMs = options.resyncPeriodMs ?? 0;
    this.freeze = options.freezeObjects ?? true;
    this.cache = new ThreadSafeStore<T>({
      ...(options.indexers ? { indexers: options.indexers } : {}),
      onIndexError: (err, index, key) => this.reportError(new Error(`index ${index} failed for ${key}: ${(err as Error)?.message ?? String(err)}`)),
    });
    this.lister = new Lister(this.cache);
    this.reflector = new Reflector<T>(lw, { replace: (items) => this.replace(items), apply: (type, obj) => this.apply(type, obj) }, options);
  }

  /** The cache (read-only): get, list, byIndex. */
  get store(): ReadonlyIndexer<T> {
    return this.cache;
  }

  /** Adds indices; allowed at any time (they are built over the current contents). */
  addIndexers(indexers: Indexers<T>): void {
    this.cache.addIndexers(indexers);
  }

  /**
   * Registers a handler. Before start it hears everything from the first list on; after, it
   * first gets an add for every cached object, then live changes.
   */
  addEventHandler(handler: ResourceEventHandler<T>, options: HandlerOptions = {}): HandlerRegistration {
    const listener = new Listener<T>(handler, (err) => this.reportError(err), options.resyncPeriodMs ?? this.resyncPeriodMs);
    if (this.stopped) {
      return { hasSynced: () => false, remove: () => {} };
    }
    this.listeners.add(listener);
    if (this.synced) {
      for (const obj of this.cache.list()) listener.enqueue({ type: 'add', obj, initial: true });
      listener.markSynced();
      this.startResync(listener);
    }
    return {
      hasSynced: () => listener.hasSynced(),
      remove: () => {
        listener.remove();
        this.listeners.delete(listener);
      },
    };
  }

  /** Starts listing and watching (once; later calls do nothing). */
  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    this.reflector.start();
  }

  /** Stops the watch, resync timers and delivery; resolves once the reflector has ended. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const l of this.listeners) l.remove();
    this.listeners.clear();
    for (const w of this.syncWaiters) w(false);
    this.syncWaiters = [];
    await this.reflector.stop();
  }

  get isStarted(): boolean {
    return this.started;
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /** True once the first complete list is in the cache. */
  hasSynced(): boolean {
    return this.synced;
  }

  /** Resolves true once synced; false if the informer is stopped or the signal aborts first. */
  waitForSync(signal?: AbortSignal): Promise<boolean> {
    if (this.synced) return Promise.resolve(true);
    if (this.stopped || signal?.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const done = (synced: boolean) => {
        signal?.removeEventListener('abort', onAbort);
        resolve(synced);
      };
      const onAbort = () => {
        this.syncWaiters = this.syncWaiters.filter((w) => w !== done);
        resolve(false);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.syncWaiters.push(done);
    });
  }

  get lastSyncResourceVersion(): string {
    return this.reflector.lastSyncResourceVersion;
  }

  get stats(): ReflectorStats {
    return this.reflector.stats;
  }

  /** A complete list: make the cache equal to it, notifying the difference. */
  private replace(items: T[]): void {
    const initial = !this.synced;
    const seen = new Set<string>();
    for (const item of items) {
      const key = objectKey(item);
      seen.add(key);
      const old = this.cache.get(key);
      if (old !== undefined && old.metadata?.resourceVersion === item.metadata?.resourceVersion) continue;
      const obj = this.prepare(item);
      this.cache.set(obj, key);
      this.notify(old === undefined ? { type: 'add', obj, initial } : { type: 'update', old, obj });
    }
    for (const key of this.cache.keys()) {
      if (seen.has(key)) continue;
      const old = this.cache.delete(key)!;
      this.notify({ type: 'delete', obj: new DeletedFinalStateUnknown(key, old) });
    }
    if (!this.synced) {
      this.synced = true;
      for (const l of this.listeners) {
        l.markSynced();
        this.startResync(l);
      }
      const waiters = this.syncWaiters;
      this.syncWaiters = [];
      for (const w of waiters) w(true);
    }
  }

  /** One change from the watch. */
  private apply(type: 'ADDED' | 'MODIFIED' | 'DELETED', item: T): void {
    const key = objectKey(item);
    const obj = this.prepare(item);
    if (type === 'DELETED') {
      // A deletion of something never seen (it came and went while we relisted) is dropped.
      if (this.cache.delete(key) !== undefined) this.notify({ type: 'delete', obj });
      return;
    }
    const old = this.cache.set(obj, key);
    this.notify(old === undefined ? { type: 'add', obj, initial: false } : { type: 'update', old, obj });
  }

  private prepare(obj: T): T {
    const out = this.options.transform ? this.options.transform(obj) : obj;
    return this.freeze ? deepFreeze(out) : out;
  }

  private notify(n: Notification<T>): void {
    for (const l of this.listeners) l.enqueue(n);
  }

  private startResync(listener: Listener<T>): void {
    const period = listener.resyncPeriodMs;
    if (period <= 0 || this.stopped) return;
    const tick = () => {
      for (const obj of this.cache.list()) listener.enqueue({ type: 'update', old: obj, obj });
      listener.cancelResync = this.clock.after(period, tick);
    };
    listener.cancelResync = this.clock.after(period, tick);
  }

  private reportError(err: unknown): void {
    this.log.error('informer handler failed', { informer: this.options.name ?? 'informer', error: err });
    try {
      this.options.onError?.(err);
    } catch {
      // An error handler that throws is not allowed to stop delivery.
    }
  }
}
