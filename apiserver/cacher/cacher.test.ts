import type { KubeObject } from '../../api/kinds/kind';
import { isStatusError } from '../../api/status';
import { silentLogger, type Logger } from '../../client/log';
import {
  ConflictError,
  KeyExistsError,
  KeyNotFoundError,
  type ListOptions,
  type ListResult,
  type Storage,
  type StorageEvent,
  type StorageWatch,
  type StorageWatchHandlers,
  type StoredObject,
  type WatchEventType,
} from '../storage/interface';
import { Cacher, type CacherOptions } from './cacher';
import { CacheWatcher, type WatchFilter, type WatchSink } from './cacheWatcher';

const prefix = '/registry/core/configmaps/';
const keyOf = (o: StoredObject) => `${prefix}${o.metadata.namespace}/${o.metadata.name}`;
const key = (ns: string, name: string) => `${prefix}${ns}/${name}`;

interface FakeWatch {
  readonly prefix: string;
  readonly fromRevision: number;
  readonly handlers: StorageWatchHandlers;
  closed: boolean;
}

/**
 * An in-memory Storage: revisions like etcd's (one per write), a full event history for watches
 * that start in the past, and hooks for the failures a cacher must survive.
 */
class FakeStorage implements Storage {
  readonly maxValueBytes = 1024 * 1024;
  revision = 1;
  private readonly objects = new Map<string, StoredObject>();
  private readonly history: StorageEvent[] = [];
  readonly watches: FakeWatch[] = [];
  listCalls = 0;
  /** The next `failLists` list calls fail. */
  failLists = 0;
  /** When set, list calls wait for this promise before reading. */
  listGate: Promise<void> | undefined;

  get openWatches(): FakeWatch[] {
    return this.watches.filter((w) => !w.closed);
  }

  async create(k: string, obj: KubeObject): Promise<StoredObject> {
    if (this.objects.has(k)) throw new KeyExistsError(k);
    return this.write('ADDED', k, obj);
  }

  async get(k: string): Promise<StoredObject | undefined> {
    return this.objects.get(k);
  }

  async list(p: string, options: ListOptions = {}): Promise<ListResult> {
    this.listCalls++;
    if (this.listGate) await this.listGate;
    if (this.failLists > 0) {
      this.failLists--;
      throw new Error('etcd unavailable');
    }
    let keys = [...this.objects.keys()].filter((k) => k.startsWith(p)).sort();
    if (options.startAfter !== undefined) keys = keys.filter((k) => k > options.startAfter!);
    const limit = options.limit ?? 0;
    const page = limit > 0 ? keys.slice(0, limit) : keys;
    const items = page.map((k) => this.objects.get(k)!);
    const revision = options.revision || this.revision;
    if (page.length === keys.length) return { items, revision };
    return { items, revision, lastKey: page[page.length - 1]!, remaining: keys.length - page.length };
  }

  async update(k: string, obj: KubeObject, revision: number): Promise<StoredObject> {
    const current = this.objects.get(k);
    if (!current || Number(current.metadata.resourceVersion) !== revision) throw new ConflictError(k, current);
    return this.write('MODIFIED', k, obj);
  }

  async delete(k: string, revision: number): Promise<StoredObject> {
    const current = this.objects.get(k);
    if (!current) throw new KeyNotFoundError(k);
    if (Number(current.metadata.resourceVersion) !== revision) throw new ConflictError(k, current);
    this.revision++;
    this.objects.delete(k);
    const deleted = { ...current, metadata: { ...current.metadata, resourceVersion: String(this.revision) } } as StoredObject;
    this.emit({ type: 'DELETED', key: k, object: deleted, revision: this.revision });
    return deleted;
  }

  watch(p: string, fromRevision: number, handlers: StorageWatchHandlers): StorageWatch {
    const w: FakeWatch = { prefix: p, fromRevision, handlers, closed: false };
    this.watches.push(w);
    const missed = this.history.filter((e) => e.revision > fromRevision && e.key.startsWith(p));
    if (missed.length) handlers.onEvents(missed, this.revision);
    return { close: () => (w.closed = true) };
  }

  async currentRevision(): Promise<number> {
    return this.revision;
  }

  /** Counts at the current state only (the fake keeps no history of values). */
  async count(p: string, _revision: number, modifiedAfter: number): Promise<{ total: number; modified: number }> {
    const items = [...this.objects.entries()].filter(([k]) => k.startsWith(p)).map(([, o]) => o);
    return { total: items.length, modified: items.filter((o) => Number(o.metadata.resourceVersion) > modifiedAfter).length };
  }

  async compact(): Promise<void> {}

  async ping(): Promise<void> {}

  async close(): Promise<void> {}

  /** A write no open watch hears about (it happens while the cacher's watch is down). */
  async createUnseen(k: string, obj: KubeObject): Promise<StoredObject> {
    const open = this.openWatches;
    for (const w of open) w.closed = true;
    try {
      return await this.create(k, obj);
    } finally {
      for (const w of open) w.closed = false;
    }
  }

  /** A progress notification: nothing changed under the prefix up to the current revision. */
  progress(advanceBy = 0): number {
    this.revision += advanceBy;
    for (const w of this.openWatches) w.handlers.onProgress(this.revision);
    return this.revision;
  }

  /** Ends every open watch with an error (e.g. its history was compacted). */
  failWatches(error = new Error('required revision has been compacted')): void {
    for (const w of this.openWatches) {
      w.closed = true;
      w.handlers.onError(error);
    }
  }

  private write(type: WatchEventType, k: string, obj: KubeObject): StoredObject {
    this.revision++;
    const stored = structuredClone(obj) as StoredObject;
    stored.metadata = { ...stored.metadata, resourceVersion: String(this.revision) };
    this.objects.set(k, stored);
    this.emit({ type, key: k, object: stored, revision: this.revision });
    return stored;
  }

  private emit(event: StorageEvent): void {
    this.history.push(event);
    for (const w of this.openWatches) if (event.key.startsWith(w.prefix)) w.handlers.onEvents([event], this.revision);
  }
}

function cm(ns: string, name: string, labels: Record<string, string> = {}, data: Record<string, string> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns, labels }, data } as KubeObject;
}

interface Sent {
  type: string;
  name: string;
  rv: string;
  labels?: Record<string, string> | undefined;
  data?: unknown;
}

/** A sink that records what it is sent; `accept` decides what send/bookmark return. */
class RecordingSink implements WatchSink {
  readonly events: Sent[] = [];
  readonly bookmarks: { revision: number; initialEventsEnd: boolean }[] = [];
  readonly ends: string[] = [];
  accept = true;
  acceptBookmarks = true;

  send(type: WatchEventType, object: StoredObject): boolean {
    this.events.push({ type, name: object.metadata.name!, rv: object.metadata.resourceVersion ?? '', labels: object.metadata.labels, data: (object as { data?: unknown }).data });
    return this.accept;
  }

  bookmark(revision: number, initialEventsEnd = false): boolean {
    this.bookmarks.push({ revision, initialEventsEnd });
    return this.acceptBookmarks;
  }

  end(reason: string): void {
    this.ends.push(reason);
  }

  get summary(): string[] {
    return this.events.map((e) => `${e.type} ${e.name}`);
  }
}

const allOf = (ns?: string): WatchFilter => ({ keyPrefix: ns ? `${prefix}${ns}/` : prefix });
const labelled = (k: string, v: string, ns?: string): WatchFilter => ({ ...allOf(ns), matches: (o) => o.metadata.labels?.[k] === v });

async function eventually(what: string, check: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const cachers: Cacher[] = [];
function newCacher(storage: FakeStorage, options: Partial<CacherOptions> = {}): Cacher {
  const c = new Cacher({ storage, prefix, keyOf, log: silentLogger, ...options });
  cachers.push(c);
  return c;
}
afterEach(async () => {
  for (const c of cachers.splice(0)) await c.stop();
});

describe('Cacher', () => {
  it('is ready once it has listed; serves lists (key order, by prefix) and gets from memory', async () => {
    const storage = new FakeStorage();
    await storage.create(key('b', 'x'), cm('b', 'x'));
    await storage.create(key('a', 'y'), cm('a', 'y'));
    await storage.create(key('a', 'x'), cm('a', 'x'));
    const cacher = newCacher(storage);
    await cacher.ready();
    expect(cacher.revision).toBe(storage.revision);

    const all = await cacher.list(prefix);
    expect(all.items.map((o) => `${o.metadata.namespace}/${o.metadata.name}`)).toEqual(['a/x', 'a/y', 'b/x']);
    expect(all.revision).toBe(storage.revision);
    expect((await cacher.list(`${prefix}a/`)).items.map((o) => o.metadata.name)).toEqual(['x', 'y']);
    expect((await cacher.get(key('b', 'x')))?.metadata.name).toBe('x');
    expect(await cacher.get(key('b', 'nope'))).toBeUndefined();
    // One storage watch, from the list's revision.
    expect(storage.openWatches).toHaveLength(1);
    expect(storage.openWatches[0]).toMatchObject({ prefix, fromRevision: all.revision });

    // Changes reach the cache through the watch.
    await storage.create(key('a', 'z'), cm('a', 'z'));
    expect((await cacher.list(`${prefix}a/`)).items.map((o) => o.metadata.name)).toEqual(['x', 'y', 'z']);
    expect(cacher.revision).toBe(storage.revision);
  });

  it('retries a failed initial list until it succeeds', async () => {
    const storage = new FakeStorage();
    await storage.create(key('a', 'x'), cm('a', 'x'));
    storage.failLists = 2;
    const warnings: string[] = [];
    const log: Logger = { ...silentLogger, warn: (msg: string) => void warnings.push(msg) };
    const cacher = newCacher(storage, { log });
    await cacher.ready();
    expect(storage.listCalls).toBeGreaterThanOrEqual(3);
    expect(warnings.length).toBeGreaterThanOrEqual(2);
    expect((await cacher.list(prefix)).items).toHaveLength(1);
  });

  it('progress notifications move its revision', async () => {
    const storage = new FakeStorage();
    const cacher = newCacher(storage);
    await cacher.ready();
    const rev = storage.progress(5);
    expect(cacher.revision).toBe(rev);
    expect((await cacher.list(prefix)).revision).toBe(rev);
  });

  describe('watch from a revision', () => {
    it('replays the events after the revision, then goes on live, in order', async () => {
      const storage = new FakeStorage();
      const cacher = newCacher(storage);
      await cacher.ready();
      const a = await storage.create(key('n', 'a'), cm('n', 'a'));
      const from = Number(a.metadata.resourceVersion);
      await storage.update(key('n', 'a'), cm('n', 'a', {}, { v: '2' }), from);
      const b = await storage.create(key('n', 'b'), cm('n', 'b'));
      const sink = new RecordingSink();
      await cacher.watch({ kind: 'fromRevision', revision: from }, allOf(), sink, false);
      expect(sink.summary).toEqual(['MODIFIED a', 'ADDED b']);
      await storage.delete(key('n', 'b'), Number(b.metadata.resourceVersion));
      await storage.create(key('n', 'c'), cm('n', 'c'));
      expect(sink.summary).toEqual(['MODIFIED a', 'ADDED b', 'DELETED b', 'ADDED c']);
      const rvs = sink.events.map((e) => Number(e.rv));
      expect(rvs).toEqual([...rvs].sort((x, y) => x - y));
      expect(rvs[0]).toBeGreaterThan(from);
    });

    it('from the current revision: only new events', async () => {
      const storage = new FakeStorage();
      await storage.create(key('n', 'old'), cm('n', 'old'));
      const cacher = newCacher(storage);
      await cacher.ready();
      const sink = new RecordingSink();
      await cacher.watch({ kind: 'fromRevision', revision: cacher.revision }, allOf(), sink, false);
      expect(sink.events).toEqual([]);
      await storage.create(key('n', 'new'), cm('n', 'new'));
      expect(sink.summary).toEqual(['ADDED new']);
    });

    it('is 410 Expired when the window no longer reaches the revision, and registers nothing', async () => {
      const storage = new FakeStorage();
      const counts: number[] = [];
      const cacher = newCacher(storage, { capacity: 3, onWatcherCount: (n) => counts.push(n) });
      await cacher.ready();
      const first = await storage.create(key('n', 'a'), cm('n', 'a'));
      for (let i = 0; i < 4; i++) await storage.create(key('n', `b${i}`), cm('n', `b${i}`));
      const err = await cacher.watch({ kind: 'fromRevision', revision: Number(first.metadata.resourceVersion) }, allOf(), new RecordingSink(), false).catch((e: unknown) => e);
      expect(isStatusError(err, 410)).toBe(true);
      expect(isStatusError(err) && err.reason).toBe('Expired');
      expect((err as Error).message).toMatch(new RegExp(`^too old resource version: ${first.metadata.resourceVersion} \\(\\d+\\)$`));
      expect(cacher.watcherCount).toBe(0);
      expect(counts).toEqual([]);
      // A revision still in the window is served.
      const sink = new RecordingSink();
      await cacher.watch({ kind: 'fromRevision', revision: storage.revision - 3 }, allOf(), sink, false);
      expect(sink.summary).toEqual(['ADDED b1', 'ADDED b2', 'ADDED b3']);
    });
  });

  describe('watch from a snapshot', () => {
    it('sends the current state as ADDED, then changes', async () => {
      const storage = new FakeStorage();
      await storage.create(key('n', 'b'), cm('n', 'b'));
      await storage.create(key('n', 'a'), cm('n', 'a'));
      await storage.create(key('other', 'a'), cm('other', 'a'));
      const cacher = newCacher(storage);
      await cacher.ready();
      const sink = new RecordingSink();
      await cacher.watch({ kind: 'snapshot', initialEventsEndBookmark: false }, allOf('n'), sink, false);
      expect(sink.summary).toEqual(['ADDED a', 'ADDED b']);
      expect(sink.bookmarks).toEqual([]);
      await storage.create(key('other', 'z'), cm('other', 'z'));
      await storage.create(key('n', 'c'), cm('n', 'c'));
      expect(sink.summary).toEqual(['ADDED a', 'ADDED b', 'ADDED c']);
    });

    it('marks the end of the initial events with a bookmark at the snapshot revision when asked', async () => {
      const storage = new FakeStorage();
      await storage.create(key('n', 'a'), cm('n', 'a', { keep: 'y' }));
      await storage.create(key('n', 'b'), cm('n', 'b', { keep: 'n' }));
      const cacher = newCacher(storage);
      await cacher.ready();
      const sink = new RecordingSink();
      await cacher.watch({ kind: 'snapshot', initialEventsEndBookmark: true }, labelled('keep', 'y'), sink, true);
      expect(sink.summary).toEqual(['ADDED a']);
      expect(sink.bookmarks).toEqual([{ revision: cacher.revision, initialEventsEnd: true }]);
      await storage.update(key('n', 'a'), cm('n', 'a', { keep: 'y' }, { v: '1' }), Number(sink.events[0]!.rv));
      expect(sink.summary).toEqual(['ADDED a', 'MODIFIED a']);
    });
  });

  describe('filters (CacheWatcher)', () => {
    it('sends ADDED when an object starts matching, DELETED (last matching state, new revision) when it stops, and nothing for the rest', async () => {
      const storage = new FakeStorage();
      const cacher = newCacher(storage);
      await cacher.ready();
      const sink = new RecordingSink();
      await cacher.watch({ kind: 'fromRevision', revision: cacher.revision }, labelled('app', 'web', 'n'), sink, false);

      const x = await storage.create(key('n', 'x'), cm('n', 'x', { app: 'web' }, { v: '1' }));
      const y = await storage.create(key('n', 'y'), cm('n', 'y', { app: 'db' }));
      await storage.create(key('m', 'x'), cm('m', 'x', { app: 'web' })); // another namespace
      const x2 = await storage.update(key('n', 'x'), cm('n', 'x', { app: 'web' }, { v: '2' }), Number(x.metadata.resourceVersion));
      const x3 = await storage.update(key('n', 'x'), cm('n', 'x', { app: 'db' }, { v: '3' }), Number(x2.metadata.resourceVersion));
      const y2 = await storage.update(key('n', 'y'), cm('n', 'y', { app: 'db' }, { v: 'y2' }), Number(y.metadata.resourceVersion));
      const y3 = await storage.update(key('n', 'y'), cm('n', 'y', { app: 'web' }, { v: 'y2' }), Number(y2.metadata.resourceVersion));
      await storage.delete(key('n', 'x'), Number(x3.metadata.resourceVersion));
      await storage.delete(key('n', 'y'), Number(y3.metadata.resourceVersion));

      expect(sink.summary).toEqual(['ADDED x', 'MODIFIED x', 'DELETED x', 'ADDED y', 'DELETED y']);
      const left = sink.events[2]!;
      expect(left.labels).toEqual({ app: 'web' });
      expect(left.data).toEqual({ v: '2' });
      expect(left.rv).toBe(x3.metadata.resourceVersion);
      expect(sink.events[3]!.rv).toBe(y3.metadata.resourceVersion);
    });

    it('a CacheWatcher skips events at or before its start revision', () => {
      const sink = new RecordingSink();
      const w = new CacheWatcher(allOf(), sink, 10, false, () => {});
      const o = (rv: number) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `o${rv}`, namespace: 'n', resourceVersion: String(rv) } }) as StoredObject;
      for (const rv of [9, 10, 11]) w.process({ type: 'ADDED', key: key('n', `o${rv}`), object: o(rv), prevObject: undefined, revision: rv });
      expect(sink.summary).toEqual(['ADDED o11']);
    });
  });

  describe('bookmarks', () => {
    it('go periodically, at the cache revision, only to watchers that allow them', async () => {
      const storage = new FakeStorage();
      const cacher = newCacher(storage, { bookmarkIntervalMs: 10 });
      await cacher.ready();
      const withBookmarks = new RecordingSink();
      const without = new RecordingSink();
      await cacher.watch({ kind: 'fromRevision', revision: cacher.revision }, allOf(), withBookmarks, true);
      await cacher.watch({ kind: 'fromRevision', revision: cacher.revision }, allOf(), without, false);
      await eventually('a bookmark', () => withBookmarks.bookmarks.length >= 1);
      await storage.create(key('n', 'a'), cm('n', 'a'));
      const rev = storage.progress(3);
      await eventually('a bookmark at the progress revision', () => withBookmarks.bookmarks.some((b) => b.revision === rev));
      expect(withBookmarks.bookmarks.every((b) => !b.initialEventsEnd)).toBe(true);
      const revs = withBookmarks.bookmarks.map((b) => b.revision);
      expect(revs).toEqual([...revs].sort((x, y) => x - y));
      expect(without.bookmarks).toEqual([]);
      expect(without.summary).toEqual(['ADDED a']);
    });

    it('never go back before the revision a watch started from', async () => {
      const storage = new FakeStorage();
      await storage.create(key('n', 'a'), cm('n', 'a'));
      const cacher = newCacher(storage, { bookmarkIntervalMs: 10 });
      await cacher.ready();
      // A client that read etcd at a revision the cache has not reached yet (the cache lags).
      const ahead = cacher.revision + 5;
      const sink = new RecordingSink();
      await cacher.watch({ kind: 'fromRevision', revision: ahead }, allOf(), sink, true);
      const other = new RecordingSink();
      await cacher.watch({ kind: 'fromRevision', revision: cacher.revision }, allOf(), other, true);
      await eventually('bookmark ticks', () => other.bookmarks.length >= 3);
      // A bookmark below `ahead` would make the client resume from there and replay changes it already has.
      for (const b of sink.bookmarks) expect(b.revision).toBeGreaterThanOrEqual(ahead);
    });
  });

  describe('slow watchers', () => {
    it('a sink that cannot keep up (send returns false) is ended and removed; the others go on', async () => {
      const storage = new FakeStorage();
      const counts: number[] = [];
      const cacher = newCacher(storage, { onWatcherCount: (n) => counts.push(n) });
      await cacher.ready();
      const slow = new RecordingSink();
      const fine = new RecordingSink();
      const slowWatcher = await cacher.watch({ kind: 'fromRevision', revision: cacher.revision }, allOf(), slow, false);
      await cacher.watch({ kind: 'fromRevision', revision: cacher.revision }, allOf(), fine, false);
      expect(cacher.watcherCount).toBe(2);
      await storage.create(key('n', 'a'), cm('n', 'a'));
      slow.accept = false;
      await storage.create(key('n', 'b'), cm('n', 'b'));
      expect(slow.ends).toHaveLength(1);
      expect(slowWatcher.isStopped).toBe(true);
      expect(cacher.watcherCount).toBe(1);
      await storage.create(key('n', 'c'), cm('n', 'c'));
      expect(slow.summary).toEqual(['ADDED a', 'ADDED b']);
      expect(fine.summary).toEqual(['ADDED a', 'ADDED b', 'ADDED c']);
      expect(slow.ends).toHaveLength(1);
      expect(counts).toEqual([1, 2, 1]);
    });

    it('a sink too slow for the initial events, or for a bookmark, is ended too', async () => {
      const storage = new FakeStorage();
      for (const n of ['a', 'b', 'c']) await storage.create(key('n', n), cm('n', n));
      const cacher = newCacher(storage, { bookmarkIntervalMs: 10 });
      await cacher.ready();
      const slowInitial = new RecordingSink();
      slowInitial.accept = false;
      const w1 = await cacher.watch({ kind: 'snapshot', initialEventsEndBookmark: true }, allOf(), slowInitial, true);
      expect(slowInitial.summary).toEqual(['ADDED a']);
      expect(slowInitial.bookmarks).toEqual([]);
      expect(slowInitial.ends).toHaveLength(1);
      expect(w1.isStopped).toBe(true);

      const slowBookmark = new RecordingSink();
      slowBookmark.acceptBookmarks = false;
      const w2 = await cacher.watch({ kind: 'fromRevision', revision: cacher.revision }, allOf(), slowBookmark, true);
      await eventually('the watcher to be ended', () => w2.isStopped);
      expect(slowBookmark.bookmarks).toHaveLength(1);
      expect(slowBookmark.ends).toHaveLength(1);
      expect(cacher.watcherCount).toBe(0);
    });

    it('a watcher the client left (detach) is removed without an end', async () => {
      const storage = new FakeStorage();
      const cacher = newCacher(storage);
      await cacher.ready();
      const sink = new RecordingSink();
      const w = await cacher.watch({ kind: 'fromRevision', revision: cacher.revision }, allOf(), sink, false);
      w.detach();
      expect(cacher.watcherCount).toBe(0);
      await storage.create(key('n', 'a'), cm('n', 'a'));
      expect(sink.events).toEqual([]);
      expect(sink.ends).toEqual([]);
    });
  });

  describe('storage watch errors', () => {
    it('end every watcher, relist, and go on from the new list', async () => {
      const storage = new FakeStorage();
      await storage.create(key('n', 'a'), cm('n', 'a'));
      const counts: number[] = [];
      const cacher = newCacher(storage, { onWatcherCount: (n) => counts.push(n) });
      await cacher.ready();
      const before = cacher.revision;
      const sinks = [new RecordingSink(), new RecordingSink(), new RecordingSink()];
      for (const s of sinks) await cacher.watch({ kind: 'fromRevision', revision: cacher.revision }, allOf(), s, false);
      expect(storage.listCalls).toBe(1);

      // A change the dead watch never delivers, then the watch fails.
      await storage.createUnseen(key('n', 'missed'), cm('n', 'missed'));
      storage.failWatches();
      for (const s of sinks) expect(s.ends).toHaveLength(1);
      expect(cacher.watcherCount).toBe(0);
      expect(counts[counts.length - 1]).toBe(0);

      await cacher.ready();
      expect(storage.listCalls).toBe(2);
      expect((await cacher.list(prefix)).items.map((o) => o.metadata.name)).toEqual(['a', 'missed']);
      expect(cacher.revision).toBe(storage.revision);
      // A new storage watch from the relist's revision.
      expect(storage.openWatches).toHaveLength(1);
      expect(storage.openWatches[0]!.fromRevision).toBe(storage.revision);
      // The old window is gone: a watch from before the relist is expired.
      const err = await cacher.watch({ kind: 'fromRevision', revision: before }, allOf(), new RecordingSink(), false).catch((e: unknown) => e);
      expect(isStatusError(err, 410)).toBe(true);

      // New watchers work, and the ended ones hear nothing more.
      const fresh = new RecordingSink();
      await cacher.watch({ kind: 'fromRevision', revision: cacher.revision }, allOf(), fresh, false);
      await storage.create(key('n', 'after'), cm('n', 'after'));
      expect(fresh.summary).toEqual(['ADDED after']);
      for (const s of sinks) expect(s.events).toEqual([]);
    });

    it('relists with retries when the relist fails too', async () => {
      const storage = new FakeStorage();
      const cacher = newCacher(storage);
      await cacher.ready();
      storage.failLists = 1;
      storage.failWatches();
      await cacher.ready();
      expect(storage.listCalls).toBe(3);
      expect(storage.openWatches).toHaveLength(1);
    });
  });

  describe('stop', () => {
    it('ends every watcher and closes the storage watch', async () => {
      const storage = new FakeStorage();
      const cacher = newCacher(storage);
      await cacher.ready();
      const sink = new RecordingSink();
      await cacher.watch({ kind: 'fromRevision', revision: cacher.revision }, allOf(), sink, false);
      await cacher.stop();
      expect(sink.ends).toHaveLength(1);
      expect(cacher.watcherCount).toBe(0);
      expect(storage.openWatches).toHaveLength(0);
    });

    it('while the initial list is still running leaves no storage watch open', async () => {
      const storage = new FakeStorage();
      let release!: () => void;
      storage.listGate = new Promise<void>((r) => (release = r));
      const cacher = newCacher(storage);
      await eventually('the list to start', () => storage.listCalls === 1);
      await cacher.stop();
      release();
      await cacher.ready();
      expect(storage.openWatches).toHaveLength(0);
    });

    it('while relisting after a watch error leaves no storage watch open', async () => {
      const storage = new FakeStorage();
      const cacher = newCacher(storage);
      await cacher.ready();
      let release!: () => void;
      storage.listGate = new Promise<void>((r) => (release = r));
      storage.failWatches();
      await eventually('the relist to start', () => storage.listCalls === 2);
      await cacher.stop();
      release();
      await cacher.ready();
      expect(storage.openWatches).toHaveLength(0);
    });
  });
});
