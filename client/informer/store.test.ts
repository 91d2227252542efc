import { byNodeName, namespaceIndex, nodeNameIndex } from './indexers';
import { keyOf, objectKey, splitKey } from './keys';
import { ThreadSafeStore } from './store';
import type { TestObject } from './testing';

const pod = (name: string, node?: string, namespace = 'ns'): TestObject => ({ metadata: { name, namespace }, ...(node ? { spec: { nodeName: node } } : {}) });

describe('keys', () => {
  it('are namespace/name, or name for cluster-scoped objects', () => {
    expect(objectKey(pod('a'))).toBe('ns/a');
    expect(objectKey({ metadata: { name: 'node-1' } })).toBe('node-1');
    expect(keyOf(undefined, 'x')).toBe('x');
    expect(keyOf('', 'x')).toBe('x');
    expect(splitKey('ns/a')).toEqual({ namespace: 'ns', name: 'a' });
    expect(splitKey('node-1')).toEqual({ namespace: '', name: 'node-1' });
    expect(() => objectKey({ metadata: {} })).toThrow(/no metadata.name/);
  });
});

describe('ThreadSafeStore', () => {
  it('keeps every index equal to what its function says of the current objects', () => {
    const store = new ThreadSafeStore<TestObject>({ indexers: { [nodeNameIndex]: byNodeName } });
    store.set(pod('a', 'n1'));
    store.set(pod('b', 'n1'));
    store.set(pod('c'));
    expect(store.indexKeys(nodeNameIndex, 'n1').sort()).toEqual(['ns/a', 'ns/b']);
    expect(store.set(pod('a', 'n2'))?.spec?.nodeName).toBe('n1');
    expect(store.indexKeys(nodeNameIndex, 'n1')).toEqual(['ns/b']);
    expect(store.indexKeys(nodeNameIndex, 'n2')).toEqual(['ns/a']);
    store.delete('ns/b');
    expect(store.indexValues(nodeNameIndex)).toEqual(['n2']);
    expect(store.byIndex(namespaceIndex, 'ns').map((o) => o.metadata.name).sort()).toEqual(['a', 'c']);
    expect(store.delete('ns/nope')).toBeUndefined();
    expect(store.size).toBe(2);
  });

  it('builds an index added later over the current contents; refuses another function under a taken name', () => {
    const store = new ThreadSafeStore<TestObject>();
    store.set(pod('a', 'n1'));
    store.addIndexers({ [nodeNameIndex]: byNodeName });
    store.addIndexers({ [nodeNameIndex]: byNodeName }); // same function: fine
    expect(store.byIndex(nodeNameIndex, 'n1')).toHaveLength(1);
    expect(() => store.addIndexers({ [nodeNameIndex]: () => [] })).toThrow(/already exists/);
    expect(() => store.byIndex('nope', 'x')).toThrow(/no index/);
  });

  it('files an object under several values, and under none when the index function throws', () => {
    const errors: string[] = [];
    const store = new ThreadSafeStore<TestObject>({
      indexers: {
        letters: (o) => [...o.metadata.name],
        broken: (o) => {
          if (o.metadata.name === 'bad') throw new Error('bug');
          return ['ok'];
        },
      },
      onIndexError: (_err, index, key) => errors.push(`${index} ${key}`),
    });
    store.set(pod('ab'));
    store.set(pod('bad'));
    expect(store.indexKeys('letters', 'b').sort()).toEqual(['ns/ab', 'ns/bad']);
    expect(store.indexKeys('broken', 'ok')).toEqual(['ns/ab']);
    expect(errors).toEqual(['broken ns/bad']);
  });
});
