/**
 * The cacher of one resource: a single etcd watch on the resource's prefix feeds a WatchCache and
 * is fanned out to every client watching that resource, so a thousand kubectl -w cost one etcd
 * watch. It also serves reads that accept any recent state (resourceVersion "0", or not older
 * than a revision it has reached).
 *
 * When the etcd watch ends (its history was compacted while disconnected, say), the cacher
 * relists, ends every client watch (clients resume from their last resourceVersion, or relist on
 * 410), and starts over.
 */
import type { Logger } from '../../client/log';
import { expired, timeout } from '../../api/status';
import type { Storage, StorageWatch, StoredObject } from '../storage/interface';
import { CacheWatcher, type WatchFilter, type WatchSink } from './cacheWatcher';
import { WatchCache } from './watchCache';

export interface CacherOptions {
  readonly storage: Storage;
  /** The resource's key prefix, ending in '/'. */
  readonly prefix: string;
  /** The storage key of an object (to match list results with watch events). */
  readonly keyOf: (obj: StoredObject) => string;
  readonly log: Logger;
  /** Events kept for watches that start in the past. Default 10 000. */
  readonly capacity?: number;
  /** How often bookmarks go to watchers that allow them. Default 60 s. */
  readonly bookmarkIntervalMs?: number;
  /** Called with the number of watchers whenever it changes (for metrics). */
  readonly onWatcherCount?: (count: number) => void;
}

export type WatchStart =
  /** Events after this revision; 410 Expired if the window no longer reaches it. */
  | { readonly kind: 'fromRevision'; readonly revision: number }
  /** The cache's current state as ADDED events, then changes (resourceVersion "0"). */
  | { readonly kind: 'snapshot'; readonly initialEventsEndBookmark: boolean };

export class Cacher {
  private readonly cache: WatchCache;
  private readonly watchers = new Set<CacheWatcher>();
  private etcdWatch: StorageWatch | undefined;
  private readyPromise: Promise<void>;
  private stopped = false;
  private bookmarkTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: CacherOptions) {
    this.cache = new WatchCache(options.capacity ?? 10_000);
    this.readyPromise = this.initialize();
    this.bookmarkTimer = setInterval(() => void this.sendBookmarks(), options.bookmarkIntervalMs ?? 60_000);
    this.bookmarkTimer.unref();
  }

  /** Resolves once the cache holds a full list. */
  ready(): Promise<void> {
    return this.readyPromise;
  }

  get revision(): number {
    return this.cache.revision;
  }

  get watcherCount(): number {
    return this.watchers.size;
  }

  /** The objects under `keyPrefix` now, and the revision they are current at. */
  async list(keyPrefix: string): Promise<{ items: StoredObject[]; revision: number }> {
    await this.readyPromise;
    return { items: this.cache.list(keyPrefix), revision: this.cache.revision };
  }

  async get(key: string): Promise<StoredObject | undefined> {
    await this.readyPromise;
    return this.cache.get(key);
  }

  /**
   * Starts a client watch. With `fromRevision`, events up to that revision are skipped; with a
   * snapshot, the current state is sent first. Throws 410 Expired when the revision is too old.
   */
  async watch(start: WatchStart, filter: WatchFilter, sink: WatchSink, allowBookmarks: boolean): Promise<CacheWatcher> {
    await this.readyPromise;
    // Everything below runs without yielding, so no event can slip between replay and live.
    const fromRevision = start.kind === 'fromRevision' ? start.revision : this.cache.revision;
    const replay = start.kind === 'fromRevision' ? this.cache.eventsAfter(start.revision) : [];
    if (!replay) {
      throw expired(`too old resource version: ${start.kind === 'fromRevision' ? start.revision : 0} (${this.cache.oldestRevision})`);
    }
    const watcher = new CacheWatcher(filter, sink, fromRevision, allowBookmarks, (w) => this.removeWatcher(w));
    this.watchers.add(watcher);
    this.options.onWatcherCount?.(this.watchers.size);
    if (start.kind === 'snapshot') {
      watcher.sendInitial(this.cache.list(filter.keyPrefix), this.options.keyOf, this.cache.revision, start.initialEventsEndBookmark);
    }
    for (const event of replay) watcher.process(event);
    return watcher;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.bookmarkTimer) clearInterval(this.bookmarkTimer);
    this.etcdWatch?.close();
    for (const w of [...this.watchers]) w.stop('server shutting down');
  }

  private removeWatcher(w: CacheWatcher): void {
    this.watchers.delete(w);
    this.options.onWatcherCount?.(this.watchers.size);
  }

  private async initialize(): Promise<void> {
    for (let attempt = 0; !this.stopped; attempt++) {
      try {
        const { items, revision } = await listAll(this.options.storage, this.options.prefix);
        if (this.stopped) return; // stopped while listing: open no watch
        this.cache.replace(items, this.options.keyOf, revision);
        this.etcdWatch = this.options.storage.watch(this.options.prefix, revision, {
          onEvents: (events) => {
            for (const event of events) {
              const cached = this.cache.apply(event);
              if (cached) for (const w of this.watchers) w.process(cached);
            }
          },
          onProgress: (rev) => this.cache.progress(rev),
          onError: (err) => this.restart(err),
        });
        return;
      } catch (err) {
        const delay = Math.min(5_000, 100 * 2 ** attempt);
        this.options.log.warn('cacher list failed; retrying', { prefix: this.options.prefix, error: err, delayMs: delay });
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }

  private restart(err: Error): void {
    if (this.stopped) return;
    this.options.log.warn('cacher watch ended; relisting', { prefix: this.options.prefix, error: err });
    for (const w of [...this.watchers]) w.stop('watch cache restarting');
    this.readyPromise = this.initialize();
  }

  private async sendBookmarks(): Promise<void> {
    if (this.watchers.size === 0) return;
    try {
      await this.catchUp();
    } catch (err) {
      this.options.log.debug('cacher could not check progress', { prefix: this.options.prefix, error: err });
    }
    const rev = this.cache.revision;
    for (const w of this.watchers) w.bookmark(rev);
  }

  /**
   * Moves the cache's revision up to the store's when nothing under the prefix changed in
   * between, so bookmarks on a quiet resource still advance. Proof that nothing changed: at the
   * store's revision the prefix holds as many keys as the cache, none modified after the cache's
   * revision (a deletion would lower the count, any other change would be counted as modified).
   */
  /**
   * Resolves once the cache reflects etcd at `revision` or later (default: etcd's revision now),
   * for reads that must be consistent; 504 Timeout when it cannot get there in time.
   */
  async waitUntilFresh(revision?: number, timeoutMs = 3_000): Promise<void> {
    await this.readyPromise;
    const target = revision ?? (await this.options.storage.currentRevision());
    const deadline = Date.now() + timeoutMs;
    while (this.cache.revision < target) {
      await this.catchUp(); // nothing changed in between: the cache is current already
      if (this.cache.revision >= target) return;
      if (Date.now() > deadline) throw timeout(`Too large resource version: ${target}, current: ${this.cache.revision}`);
      await new Promise((r) => setTimeout(r, 10)); // changes are on their way from etcd
    }
  }

  async catchUp(): Promise<void> {
    const target = await this.options.storage.currentRevision();
    const from = this.cache.revision;
    if (target <= from) return;
    const { total, modified } = await this.options.storage.count(this.options.prefix, target, from);
    if (modified === 0 && total === this.cache.size && this.cache.revision === from) this.cache.progress(target);
  }
}

/** Every object under `prefix` at one revision, read in pages so no response is huge. */
async function listAll(storage: Storage, prefix: string, pageSize = 5_000): Promise<{ items: StoredObject[]; revision: number }> {
  const first = await storage.list(prefix, { limit: pageSize });
  const items = [...first.items];
  let lastKey = first.lastKey;
  while (lastKey !== undefined) {
    const page = await storage.list(prefix, { limit: pageSize, startAfter: lastKey, revision: first.revision });
    items.push(...page.items);
    lastKey = page.lastKey;
  }
  return { items, revision: first.revision };
}
