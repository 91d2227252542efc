import * as s from '../schema/schema';
import { compareObjects } from './compare';
import { pathString } from './pathElement';
import { Item, Widget } from './testSchema';
import type { FieldSet } from './fieldSet';
import { toFieldSet } from './toFieldSet';

const paths = (set: FieldSet) => set.paths().map(pathString);

describe('compareObjects walk', () => {
  it('visits every field of either side, whatever order each side lists them in', () => {
    const before = { spec: { replicas: 1, strategy: { type: 'A' }, args: ['x'] } };
    const after = { spec: { labels: { b: '2' }, strategy: { type: 'A' }, replicas: 2, tags: ['t'] } };
    const c = compareObjects(Widget, before, after);
    expect(paths(c.added)).toEqual(['.spec.labels', '.spec.labels.b', '.spec.tags', '.spec.tags[="t"]']);
    expect(paths(c.modified)).toEqual(['.spec.replicas']);
    expect(paths(c.removed)).toEqual(['.spec.args']);
  });

  it('names each change by its own path, after deeper siblings were walked', () => {
    const c = compareObjects(Widget, { spec: { strategy: { type: 'A' }, replicas: 1 }, status: { ready: 1 } }, { spec: { strategy: { type: 'B' }, replicas: 2 }, status: { ready: 2 } });
    expect(paths(c.modified)).toEqual(['.spec.replicas', '.spec.strategy.type', '.status.ready']);
  });

  it('compares list items by their first occurrence, and items without a key by index', () => {
    const dup = compareObjects(Widget, { spec: { items: [{ name: 'a', value: '1' }, { name: 'a', value: '2' }] } }, { spec: { items: [{ name: 'a', value: '1' }] } });
    expect([dup.added.empty, dup.modified.empty, dup.removed.empty]).toEqual([true, true, true]);
    const unkeyed = compareObjects(Widget, { spec: { items: [{ value: 'x' }] } }, { spec: { items: [{ value: 'y' }] } });
    expect(paths(unkeyed.modified)).toEqual(['.spec.items[0].value']);
  });

  it('compares a field outside the schema as one leaf', () => {
    const c = compareObjects(Widget, { spec: { extra: { free: { a: 1 } } } }, { spec: { extra: { free: { a: 2 } } } });
    expect(paths(c.modified)).toEqual(['.spec.extra.free']);
  });

  it('identifies items by their key fields in canonical order, checking them in the schema order', () => {
    const Keyed = s.object(undefined, undefined, { list: s.array(Item, undefined, { listType: 'map', listMapKeys: ['value', 'name'] }) });
    const c = compareObjects(Keyed, { list: [{ value: 'v', name: 'n' }] }, { list: [{ name: 'n', value: 'v', port: 1 }] });
    expect(c.added.paths()).toEqual([['f:list', 'k:{"name":"n","value":"v"}', 'f:port']]);
    expect(() => toFieldSet(Keyed, { list: [{ port: 1 }] }, { strict: true })).toThrow('omits key field "value"');
  });
});
