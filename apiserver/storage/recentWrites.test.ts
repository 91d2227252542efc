import { RecentWrites } from './recentWrites';
import type { StoredObject } from './interface';

/** The stored object factory of a write of a ConfigMap called `name`. */
const object =
  (name: string) =>
  (revision: number): StoredObject =>
    ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, resourceVersion: String(revision) } }) as StoredObject;
const bytes = (text: string) => Buffer.from(text);

describe('RecentWrites', () => {
  it('hands a completed write out once, for the same key, revision and bytes only', () => {
    const writes = new RecentWrites();
    const written = writes.complete(writes.begin('/k/a', bytes('{"a":1}'), object('a')), 7);
    expect(written.metadata.resourceVersion).toBe('7');
    expect(writes.take('/k/b', 7, bytes('{"a":1}'))).toBeUndefined();
    expect(writes.take('/k/a', 8, bytes('{"a":1}'))).toBeUndefined();
    expect(writes.take('/k/a', 7, bytes('{"a":2}'))).toBeUndefined();
    expect(writes.take('/k/a', 7, bytes('{"a":1}'))).toBe(written);
    expect(writes.take('/k/a', 7, bytes('{"a":1}'))).toBeUndefined();
    expect(writes.size).toBe(0);
  });

  it('gives an event that comes before the answer the object the answer then returns', () => {
    const writes = new RecentWrites();
    const pending = writes.begin('/k/a', bytes('{"a":1}'), object('a'));
    expect(writes.take('/k/a', 9, bytes('{"a":2}'))).toBeUndefined();
    const early = writes.take('/k/a', 9, bytes('{"a":1}'));
    expect(early?.metadata.resourceVersion).toBe('9');
    // Once only: a second event with the same bytes is decoded.
    expect(writes.take('/k/a', 10, bytes('{"a":1}'))).toBeUndefined();
    expect(writes.complete(pending, 9)).toBe(early);
    expect(writes.size).toBe(0);
  });

  it('makes a new object when the early event was not this write (another writer of the same bytes)', () => {
    const writes = new RecentWrites();
    const pending = writes.begin('/k/a', bytes('{"a":1}'), object('a'));
    const other = writes.take('/k/a', 5, bytes('{"a":1}'));
    const mine = writes.complete(pending, 6);
    expect(mine).not.toBe(other);
    expect(mine.metadata.resourceVersion).toBe('6');
    expect(writes.take('/k/a', 6, bytes('{"a":1}'))).toBe(mine);
  });

  it('forgets an abandoned write, and tells concurrent writes to one key apart by their bytes', () => {
    const writes = new RecentWrites();
    const first = writes.begin('/k/a', bytes('1'), object('first'));
    const second = writes.begin('/k/a', bytes('2'), object('second'));
    writes.abandon(first);
    expect(writes.take('/k/a', 3, bytes('1'))).toBeUndefined();
    expect(writes.take('/k/a', 3, bytes('2'))?.metadata.name).toBe('second');
    writes.complete(second, 3);
    expect(writes.size).toBe(0);
  });

  it('keeps at most its capacity of completed writes, dropping the oldest', () => {
    const writes = new RecentWrites(3);
    for (let rv = 1; rv <= 5; rv++) writes.complete(writes.begin(`/k/${rv}`, bytes(String(rv)), object(String(rv))), rv);
    expect(writes.size).toBe(3);
    expect(writes.take('/k/2', 2, bytes('2'))).toBeUndefined();
    expect(writes.take('/k/3', 3, bytes('3'))?.metadata.name).toBe('3');
    expect(writes.take('/k/5', 5, bytes('5'))?.metadata.name).toBe('5');
  });
});
