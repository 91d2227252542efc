import { fieldsAsLastApplied, lastAppliedAnnotation, updateLastApplied } from './lastApplied';
import { pathString } from './pathElement';
import { Widget } from './testSchema';

const annotated = (lastApplied: unknown, spec: unknown) => ({
  apiVersion: 'test/v1',
  kind: 'Widget',
  metadata: { name: 'w', annotations: { [lastAppliedAnnotation]: JSON.stringify(lastApplied), other: 'x' } },
  spec,
});

describe('the last-applied annotation of client-side apply', () => {
  it('gives the fields whose live value is still the one kubectl applied', () => {
    const live = annotated({ spec: { replicas: 2, labels: { a: '1', b: '2' } } }, { replicas: 2, labels: { a: '1', b: '20' }, tags: ['x'] });
    expect(fieldsAsLastApplied(Widget, live)!.paths().map(pathString)).toEqual(['.spec.labels.a', '.spec.replicas']);
  });

  it('is absent without a readable annotation', () => {
    expect(fieldsAsLastApplied(Widget, { metadata: { name: 'w' }, spec: {} })).toBeUndefined();
    expect(fieldsAsLastApplied(Widget, { metadata: { name: 'w', annotations: { [lastAppliedAnnotation]: '{not json' } } })).toBeUndefined();
  });

  it('keeps an existing annotation in step with what kubectl applies server-side', () => {
    const object = annotated({ spec: { replicas: 2 } }, { replicas: 3 });
    updateLastApplied(object, { apiVersion: 'test/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { replicas: 3 } });
    expect(object.metadata.annotations[lastAppliedAnnotation]).toBe('{"apiVersion":"test/v1","kind":"Widget","metadata":{"name":"w"},"spec":{"replicas":3}}\n');
    const plain = { metadata: { name: 'w' } };
    updateLastApplied(plain, { metadata: { name: 'w' } });
    expect(plain).toEqual({ metadata: { name: 'w' } });
  });
});
