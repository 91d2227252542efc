import type { StorageEvent, StoredObject, WatchEventType } from '../storage/interface';
import { WatchCache, type CachedEvent } from './watchCache';

const prefix = '/registry/core/configmaps/';
const keyOf = (o: StoredObject) => `${prefix}${o.metadata.namespace}/${o.metadata.name}`;

function obj(ns: string, name: string, revision: number, data: Record<string, string> = {}): StoredObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns, uid: `uid-${ns}-${name}`, resourceVersion: String(revision) }, data } as StoredObject;
}

function event(type: WatchEventType, o: StoredObject): StorageEvent {
  return { type, key: keyOf(o), object: o, revision: Number(o.metadata.resourceVersion) };
}

const revisions = (events: readonly CachedEvent[] | undefined) => events?.map((e) => e.revision);
const listNames = (items: readonly StoredObject[]) => items.map((o) => `${o.metadata.namespace}/${o.metadata.name}`);

describe('WatchCache', () => {
  it('starts from a list: objects by key, revision and window at the list revision', () => {
    const cache = new WatchCache(10);
    cache.replace([obj('b', 'x', 3), obj('a', 'y', 5), obj('a', 'x', 4)], keyOf, 7);
    expect(cache.revision).toBe(7);
    expect(cache.oldestRevision).toBe(7);
    expect(cache.size).toBe(3);
    expect(cache.get(`${prefix}a/y`)?.metadata.resourceVersion).toBe('5');
    expect(cache.get(`${prefix}a/zzz`)).toBeUndefined();
    expect(cache.eventsAfter(7)).toEqual([]);
    // History before the list is not in the cache.
    expect(cache.eventsAfter(6)).toBeUndefined();
  });

  it('lists by prefix in key order, without matching longer namespace names', () => {
    const cache = new WatchCache(10);
    cache.replace([obj('ns1', 'b', 2), obj('ns10', 'a', 3), obj('ns1', 'a', 4), obj('ns2', 'a', 5), obj('ns1', 'C', 6)], keyOf, 6);
    expect(listNames(cache.list(prefix))).toEqual(['ns1/C', 'ns1/a', 'ns1/b', 'ns10/a', 'ns2/a']);
    expect(listNames(cache.list(`${prefix}ns1/`))).toEqual(['ns1/C', 'ns1/a', 'ns1/b']);
    expect(listNames(cache.list(`${prefix}ns10/`))).toEqual(['ns10/a']);
    expect(cache.list(`${prefix}none/`)).toEqual([]);
    // Changes keep the order.
    cache.apply(event('ADDED', obj('ns1', 'aa', 7)));
    cache.apply(event('DELETED', obj('ns1', 'b', 8)));
    expect(listNames(cache.list(`${prefix}ns1/`))).toEqual(['ns1/C', 'ns1/a', 'ns1/aa']);
  });

  it('types events by what the cache held: ADDED for a new key, MODIFIED for a known one, with the previous object', () => {
    const cache = new WatchCache(10);
    cache.replace([obj('a', 'known', 2)], keyOf, 2);
    const added = cache.apply(event('ADDED', obj('a', 'new', 3)));
    expect(added).toMatchObject({ type: 'ADDED', key: `${prefix}a/new`, revision: 3, prevObject: undefined });
    const modified = cache.apply(event('MODIFIED', obj('a', 'new', 4, { v: '2' })))!;
    expect(modified.type).toBe('MODIFIED');
    expect(modified.prevObject?.metadata.resourceVersion).toBe('3');
    expect(modified.object.data).toEqual({ v: '2' });
    // The storage's label does not matter: the cache's state does.
    expect(cache.apply(event('MODIFIED', obj('a', 'unseen', 5)))?.type).toBe('ADDED');
    expect(cache.apply(event('ADDED', obj('a', 'known', 6)))?.type).toBe('MODIFIED');
    const deleted = cache.apply(event('DELETED', obj('a', 'known', 7)))!;
    expect(deleted.type).toBe('DELETED');
    expect(deleted.prevObject?.metadata.resourceVersion).toBe('6');
    expect(cache.get(`${prefix}a/known`)).toBeUndefined();
    expect(cache.revision).toBe(7);
    expect(cache.size).toBe(2);
  });

  it("gives a deletion without its object (etcd's) the last state it held, at the deletion's revision", () => {
    const cache = new WatchCache(10);
    cache.replace([obj('a', 'gone', 2, { v: 'last' })], keyOf, 2);
    const deleted = cache.apply({ type: 'DELETED', key: `${prefix}a/gone`, revision: 5 })!;
    expect(deleted).toMatchObject({ type: 'DELETED', revision: 5 });
    expect(deleted.object).toEqual({ ...obj('a', 'gone', 5, { v: 'last' }) });
    expect(Object.keys(deleted.object.metadata).at(-1)).toBe('resourceVersion');
    expect(deleted.prevObject?.metadata.resourceVersion).toBe('2');
    expect(cache.size).toBe(0);
    expect(revisions(cache.eventsAfter(2))).toEqual([5]);
    // Something never held (created and deleted while relisting): no event, the revision moves on.
    expect(cache.apply({ type: 'DELETED', key: `${prefix}a/never`, revision: 6 })).toBeUndefined();
    expect(cache.revision).toBe(6);
    expect(revisions(cache.eventsAfter(2))).toEqual([5]);
  });

  it('returns the events after a revision, in order', () => {
    const cache = new WatchCache(10);
    cache.replace([], keyOf, 10);
    for (const rev of [12, 15, 20, 21]) cache.apply(event('ADDED', obj('a', `o${rev}`, rev)));
    expect(revisions(cache.eventsAfter(10))).toEqual([12, 15, 20, 21]);
    expect(revisions(cache.eventsAfter(12))).toEqual([15, 20, 21]);
    // Revisions between events (changes to other prefixes) are fine starting points.
    expect(revisions(cache.eventsAfter(16))).toEqual([20, 21]);
    expect(revisions(cache.eventsAfter(21))).toEqual([]);
    // A revision the cache has not reached yet: nothing to replay.
    expect(revisions(cache.eventsAfter(100))).toEqual([]);
    // A copy: callers cannot disturb the window.
    const copy = cache.eventsAfter(10)!;
    copy.length = 0;
    expect(revisions(cache.eventsAfter(10))).toEqual([12, 15, 20, 21]);
  });

  it('keeps `capacity` events: the oldest revision moves, and older starts are undefined (expired)', () => {
    const cache = new WatchCache(3);
    cache.replace([], keyOf, 1);
    for (let rev = 2; rev <= 4; rev++) cache.apply(event('ADDED', obj('a', `o${rev}`, rev)));
    expect(cache.oldestRevision).toBe(1);
    expect(revisions(cache.eventsAfter(1))).toEqual([2, 3, 4]);

    cache.apply(event('ADDED', obj('a', 'o5', 5)));
    // Event 2 is forgotten: a watch from 1 would miss it; one from 2 needs only 3, 4, 5.
    expect(cache.oldestRevision).toBe(2);
    expect(cache.eventsAfter(1)).toBeUndefined();
    expect(revisions(cache.eventsAfter(2))).toEqual([3, 4, 5]);
    expect(revisions(cache.eventsAfter(4))).toEqual([5]);

    cache.apply(event('ADDED', obj('a', 'o9', 9)));
    expect(cache.oldestRevision).toBe(3);
    expect(cache.eventsAfter(2)).toBeUndefined();
    expect(revisions(cache.eventsAfter(3))).toEqual([4, 5, 9]);
    expect(revisions(cache.eventsAfter(7))).toEqual([9]);
    expect(cache.eventsAfter(0)).toBeUndefined();
    // The objects are all still there: only history is bounded.
    expect(cache.size).toBe(5);
  });

  it('matches a reference model over a long run (the ring wraps many times)', () => {
    const capacity = 4;
    const cache = new WatchCache(capacity);
    cache.replace([], keyOf, 100);
    const all: number[] = [];
    let rev = 100;
    for (let i = 0; i < 200; i++) {
      rev += 1 + (i % 3); // gaps, as other prefixes' changes leave
      const name = `o${i % 7}`;
      const type: WatchEventType = i % 11 === 10 ? 'DELETED' : 'MODIFIED';
      cache.apply(event(type, obj('a', name, rev)));
      all.push(rev);
      const window = all.slice(-capacity);
      const oldest = all.length > capacity ? all[all.length - capacity - 1]! : 100;
      expect(cache.oldestRevision).toBe(oldest);
      expect(cache.revision).toBe(rev);
      expect(revisions(cache.eventsAfter(oldest))).toEqual(window);
      expect(cache.eventsAfter(oldest - 1)).toBeUndefined();
      const mid = window[1]!;
      expect(revisions(cache.eventsAfter(mid))).toEqual(window.slice(2));
    }
  });

  it('progress moves the revision without events, and never back', () => {
    const cache = new WatchCache(5);
    cache.replace([], keyOf, 10);
    cache.progress(15);
    expect(cache.revision).toBe(15);
    expect(cache.eventsAfter(15)).toEqual([]);
    expect(cache.eventsAfter(12)).toEqual([]);
    cache.progress(11);
    expect(cache.revision).toBe(15);
    cache.apply(event('ADDED', obj('a', 'x', 16)));
    expect(revisions(cache.eventsAfter(15))).toEqual([16]);
    expect(revisions(cache.eventsAfter(10))).toEqual([16]);
  });

  it('replace starts over: objects swapped, window emptied', () => {
    const cache = new WatchCache(5);
    cache.replace([obj('a', 'x', 2)], keyOf, 2);
    cache.apply(event('ADDED', obj('a', 'y', 3)));
    cache.replace([obj('a', 'z', 9)], keyOf, 9);
    expect(listNames(cache.list(prefix))).toEqual(['a/z']);
    expect(cache.eventsAfter(2)).toBeUndefined();
    expect(cache.eventsAfter(8)).toBeUndefined();
    expect(cache.eventsAfter(9)).toEqual([]);
    expect(cache.revision).toBe(9);
    expect(cache.oldestRevision).toBe(9);
  });

  it('never mutates objects it has handed out', () => {
    const cache = new WatchCache(5);
    const first = obj('a', 'x', 2, { v: '1' });
    cache.replace([first], keyOf, 2);
    const listed = cache.list(prefix)[0]!;
    cache.apply(event('MODIFIED', obj('a', 'x', 3, { v: '2' })));
    expect(listed).toBe(first);
    expect(listed.data).toEqual({ v: '1' });
    expect(listed.metadata.resourceVersion).toBe('2');
    expect(cache.get(`${prefix}a/x`)?.data).toEqual({ v: '2' });
  });
});
