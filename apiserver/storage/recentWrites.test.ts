import { RecentWrites } from './recentWrites';
import type { StoredObject } from './interface';

const object = (name: string, rv: number): StoredObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, resourceVersion: String(rv) } }) as StoredObject;

describe('RecentWrites', () => {
  it('hands a written object out once, for the same key, revision and bytes only', () => {
    const writes = new RecentWrites();
    const written = object('a', 7);
    writes.remember('/k/a', 7, Buffer.from('{"a":1}'), written);
    expect(writes.take('/k/b', 7, Buffer.from('{"a":1}'))).toBeUndefined();
    expect(writes.take('/k/a', 8, Buffer.from('{"a":1}'))).toBeUndefined();
    expect(writes.take('/k/a', 7, Buffer.from('{"a":2}'))).toBeUndefined();
    expect(writes.take('/k/a', 7, Buffer.from('{"a":1}'))).toBe(written);
    expect(writes.take('/k/a', 7, Buffer.from('{"a":1}'))).toBeUndefined();
    expect(writes.size).toBe(0);
  });

  it('keeps at most its capacity, dropping the oldest (writes whose events came first)', () => {
    const writes = new RecentWrites(3);
    for (let rv = 1; rv <= 5; rv++) writes.remember(`/k/${rv}`, rv, Buffer.from(String(rv)), object(String(rv), rv));
    expect(writes.size).toBe(3);
    expect(writes.take('/k/2', 2, Buffer.from('2'))).toBeUndefined();
    expect(writes.take('/k/3', 3, Buffer.from('3'))?.metadata.name).toBe('3');
    expect(writes.take('/k/5', 5, Buffer.from('5'))?.metadata.name).toBe('5');
  });
});
