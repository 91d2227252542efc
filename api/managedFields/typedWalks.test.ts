import { compareObjects } from './compare';
import { mergeValues, removeItems } from './merge';
import { fieldElement, PathElementError, pathString } from './pathElement';
import { Widget } from './testSchema';
import { toFieldSet } from './toFieldSet';
import { FieldSet } from './fieldSet';

const f = fieldElement;
const paths = (set: FieldSet) => set.paths().map(pathString);

describe('toFieldSet', () => {
  it('owns leaves, list items by key or value, map entries, empty objects; atomic values whole', () => {
    const value = {
      spec: {
        replicas: 2,
        items: [{ name: 'a', value: 'x' }],
        ports: [{ port: 80 }],
        env: [{ name: 'E', value: '1' }],
        tags: ['t1'],
        args: ['--x', '--y'],
        selector: { matchLabels: { app: 'w' } },
        labels: { tier: 'web' },
        settings: { k: 'v' },
        strategy: {},
        extra: { known: 'k', free: { nested: true } },
      },
    };
    expect(paths(toFieldSet(Widget, value))).toEqual([
      '.spec.args',
      '.spec.env[name="E"]',
      '.spec.env[name="E"].name',
      '.spec.env[name="E"].value',
      '.spec.extra.free',
      '.spec.extra.known',
      '.spec.items[name="a"]',
      '.spec.items[name="a"].name',
      '.spec.items[name="a"].value',
      '.spec.labels.tier',
      '.spec.ports[port=80,protocol="TCP"]',
      '.spec.ports[port=80,protocol="TCP"].port',
      '.spec.replicas',
      '.spec.selector',
      '.spec.settings',
      '.spec.strategy',
      '.spec.tags[="t1"]',
    ]);
  });

  it('requires an applied configuration to identify its list items', () => {
    expect(() => toFieldSet(Widget, { spec: { items: [{ value: 'no name' }] } }, { strict: true })).toThrow(
      new PathElementError('.spec.items: element 0: associative list with keys has an element that omits key field "name" (and doesn\'t have default value)'),
    );
    expect(() => toFieldSet(Widget, { spec: { tags: ['a', 'a'] } }, { strict: true })).toThrow('.spec.tags: duplicate entries for key [="a"]');
    // A stored object is read leniently: such an item is known by its index.
    expect(paths(toFieldSet(Widget, { spec: { items: [{ value: 'no name' }] } }))).toEqual(['.spec.items[0]', '.spec.items[0].value']);
  });
});

describe('compareObjects', () => {
  it('tells added, modified and removed leaves, and items added or removed as a whole', () => {
    const before = { spec: { replicas: 1, items: [{ name: 'a', value: 'x' }, { name: 'b' }], args: ['1'], labels: { x: '1' } } };
    const after = { spec: { replicas: 2, items: [{ name: 'a', value: 'y' }, { name: 'c' }], args: ['1', '2'], labels: { x: '1' } } };
    const c = compareObjects(Widget, before, after);
    expect(paths(c.modified)).toEqual(['.spec.args', '.spec.items[name="a"].value', '.spec.replicas']);
    expect(paths(c.added)).toEqual(['.spec.items[name="c"]', '.spec.items[name="c"].name']);
    expect(paths(c.removed)).toEqual(['.spec.items[name="b"]', '.spec.items[name="b"].name']);
  });

  it('sees an empty object appear, and nothing when both sides are equal', () => {
    expect(paths(compareObjects(Widget, { spec: {} }, { spec: { strategy: {} } }).added)).toEqual(['.spec.strategy']);
    const same = compareObjects(Widget, { spec: { tags: ['a', 'b'] } }, { spec: { tags: ['a', 'b'] } });
    expect([same.added.empty, same.modified.empty, same.removed.empty]).toEqual([true, true, true]);
  });
});

describe('mergeValues', () => {
  const merge = (live: unknown, config: unknown) => mergeValues(Widget, structuredClone(live), structuredClone(config));

  it('merges list-type maps by key: applied order for named items, live-only items kept in place', () => {
    const live = { spec: { items: [{ name: 'a', value: '1' }, { name: 'b', value: '2' }, { name: 'c', value: '3' }] } };
    expect(merge(live, { spec: { items: [{ name: 'c', value: '30' }, { name: 'a' }] } })).toEqual({
      spec: { items: [{ name: 'b', value: '2' }, { name: 'c', value: '30' }, { name: 'a', value: '1' }] },
    });
    expect(merge({ spec: { items: [{ name: 'a' }, { name: 'b' }] } }, { spec: { items: [{ name: 'n' }, { name: 'b' }] } })).toEqual({
      spec: { items: [{ name: 'a' }, { name: 'n' }, { name: 'b' }] },
    });
  });

  it('matches a key left to its default (protocol TCP)', () => {
    const live = { spec: { ports: [{ port: 80, protocol: 'TCP', name: 'http' }] } };
    expect(merge(live, { spec: { ports: [{ port: 80, value: 'v' }] } })).toEqual({ spec: { ports: [{ port: 80, protocol: 'TCP', name: 'http', value: 'v' }] } });
  });

  it('unions sets, replaces atomic lists, atomic maps and preserved values, merges maps and objects', () => {
    const live = {
      spec: { tags: ['a', 'b'], args: ['1', '2'], settings: { x: '1', y: '2' }, labels: { x: '1' }, strategy: { type: 'R', maxSurge: 1 }, extra: { free: { a: 1, b: 2 } } },
    };
    const config = { spec: { tags: ['c', 'a'], args: ['3'], settings: { z: '3' }, labels: { y: '2' }, strategy: { maxSurge: 2 }, extra: { free: { a: 5 } } } };
    expect(merge(live, config)).toEqual({
      spec: {
        tags: ['c', 'a', 'b'],
        args: ['3'],
        settings: { z: '3' },
        labels: { x: '1', y: '2' },
        strategy: { type: 'R', maxSurge: 2 },
        extra: { free: { a: 5 } },
      },
    });
  });
});

describe('removeItems', () => {
  it('removes list items, map entries and fields; containers left empty go too', () => {
    const value = { spec: { items: [{ name: 'a' }, { name: 'b' }], labels: { x: '1' }, replicas: 3 } };
    const remove = FieldSet.of(
      [f('spec'), f('items'), 'k:{"name":"a"}'],
      [f('spec'), f('labels'), f('x')],
    );
    expect(removeItems(Widget, value, remove)).toEqual({ spec: { items: [{ name: 'b' }], replicas: 3 } });
    expect(removeItems(Widget, value, FieldSet.of([f('spec')]))).toBeUndefined();
  });
});
