import type { KubeObject } from '../../api/kinds/kind';
import { encodeObject, storedAt, storedJson, withRevision } from './storedJson';

const shapes: Record<string, KubeObject> = {
  'metadata third': { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', resourceVersion: '3', labels: { x: 'y' } }, data: { k: 'v' } } as KubeObject,
  'metadata first': { metadata: { name: 'a' }, apiVersion: 'v1', kind: 'ConfigMap' },
  'metadata last': { apiVersion: 'v1', kind: 'ConfigMap', spec: { n: [1, 2, { z: null }] }, metadata: { name: 'a' } } as KubeObject,
  'metadata only': { metadata: { name: 'a', resourceVersion: '9' } } as KubeObject,
  'no metadata': { apiVersion: 'v1', kind: 'ConfigMap', data: { k: 'v' } } as KubeObject,
  'empty metadata': { apiVersion: 'v1', kind: 'ConfigMap', metadata: {} },
  'metadata with only a resourceVersion': { apiVersion: 'v1', kind: 'ConfigMap', metadata: { resourceVersion: '4' } },
  'undefined and odd keys': { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, skipped: undefined, fn: () => 1, '2': 'numeric', 'q"uote': 'é\u2028\n' } as unknown as KubeObject,
};

describe('encodeObject', () => {
  it.each(Object.entries(shapes))('writes what JSON.stringify would, with and without the revision (%s)', (_name, obj) => {
    const encoded = encodeObject(obj);
    const { resourceVersion: _rv, ...metadata } = obj.metadata ?? {};
    expect(encoded.value).toBe(JSON.stringify({ ...obj, metadata }));
    expect(encoded.textAt(17)).toBe(JSON.stringify(withRevision(obj, 17)));
    expect(JSON.parse(encoded.textAt(17)).metadata.resourceVersion).toBe('17');
  });
});

describe('storedAt and storedJson', () => {
  it('remembers the text of the stored object, which is what decoding the value at the revision gives', () => {
    const obj = shapes['metadata third']!;
    const encoded = encodeObject(obj);
    const stored = storedAt(obj, 12, encoded);
    expect(storedJson(stored)).toBe(encoded.textAt(12));
    const decoded = { ...JSON.parse(encoded.value), metadata: { ...JSON.parse(encoded.value).metadata, resourceVersion: '12' } };
    expect(JSON.stringify(stored)).toBe(JSON.stringify(decoded));
    expect(obj.metadata!.resourceVersion).toBe('3');
  });

  it('computes an unknown object once', () => {
    const obj = { a: 1 };
    const text = storedJson(obj);
    expect(text).toBe('{"a":1}');
    expect(storedJson(obj)).toBe(text);
  });
});
