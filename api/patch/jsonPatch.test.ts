import { applyJsonPatch, JsonPatchError, parseJsonPatch, type JsonPatchOperation } from './jsonPatch';

/** Parses the patch as the API server does, then applies it. */
const patch = (doc: unknown, ops: unknown): unknown => applyJsonPatch(doc, parseJsonPatch(ops));

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

describe('applyJsonPatch: RFC 6902 appendix A', () => {
  it('A.1 adds an object member', () => {
    expect(patch({ foo: 'bar' }, [{ op: 'add', path: '/baz', value: 'qux' }])).toEqual({ baz: 'qux', foo: 'bar' });
  });

  it('A.2 adds an array element before the given index', () => {
    expect(patch({ foo: ['bar', 'baz'] }, [{ op: 'add', path: '/foo/1', value: 'qux' }])).toEqual({ foo: ['bar', 'qux', 'baz'] });
  });

  it('A.3 removes an object member', () => {
    expect(patch({ baz: 'qux', foo: 'bar' }, [{ op: 'remove', path: '/baz' }])).toEqual({ foo: 'bar' });
  });

  it('A.4 removes an array element', () => {
    expect(patch({ foo: ['bar', 'qux', 'baz'] }, [{ op: 'remove', path: '/foo/1' }])).toEqual({ foo: ['bar', 'baz'] });
  });

  it('A.5 replaces a value', () => {
    expect(patch({ baz: 'qux', foo: 'bar' }, [{ op: 'replace', path: '/baz', value: 'boo' }])).toEqual({ baz: 'boo', foo: 'bar' });
  });

  it('A.6 moves a value', () => {
    const doc = { foo: { bar: 'baz', waldo: 'fred' }, qux: { corge: 'grault' } };
    expect(patch(doc, [{ op: 'move', from: '/foo/waldo', path: '/qux/thud' }])).toEqual({
      foo: { bar: 'baz' },
      qux: { corge: 'grault', thud: 'fred' },
    });
  });

  it('A.7 moves an array element', () => {
    expect(patch({ foo: ['all', 'grass', 'cows', 'eat'] }, [{ op: 'move', from: '/foo/1', path: '/foo/3' }])).toEqual({
      foo: ['all', 'cows', 'eat', 'grass'],
    });
  });

  it('A.8 tests a value: success', () => {
    const doc = { baz: 'qux', foo: ['a', 2, 'c'] };
    expect(
      patch(doc, [
        { op: 'test', path: '/baz', value: 'qux' },
        { op: 'test', path: '/foo/1', value: 2 },
      ]),
    ).toEqual(doc);
  });

  it('A.9 tests a value: error', () => {
    expect(() => patch({ baz: 'qux' }, [{ op: 'test', path: '/baz', value: 'bar' }])).toThrow(JsonPatchError);
  });

  it('A.10 adds a nested member object', () => {
    expect(patch({ foo: 'bar' }, [{ op: 'add', path: '/child', value: { grandchild: {} } }])).toEqual({ foo: 'bar', child: { grandchild: {} } });
  });

  it('A.11 ignores unrecognized members of an operation', () => {
    expect(patch({ foo: 'bar' }, [{ op: 'add', path: '/baz', value: 'qux', xyz: 123 }])).toEqual({ foo: 'bar', baz: 'qux' });
  });

  it('A.12 fails to add to a nonexistent target', () => {
    expect(() => patch({ foo: 'bar' }, [{ op: 'add', path: '/baz/bat', value: 'qux' }])).toThrow(JsonPatchError);
  });

  it('A.14 decodes ~01 as ~1, not as /', () => {
    expect(patch({ '/': 9, '~1': 10 }, [{ op: 'test', path: '/~01', value: 10 }])).toEqual({ '/': 9, '~1': 10 });
  });

  it('A.15 compares strings and numbers strictly', () => {
    expect(() => patch({ '/': 9, '~1': 10 }, [{ op: 'test', path: '/~01', value: '10' }])).toThrow(JsonPatchError);
  });

  it('A.16 adds an array as a single element', () => {
    expect(patch({ foo: ['bar'] }, [{ op: 'add', path: '/foo/-', value: ['abc', 'def'] }])).toEqual({ foo: ['bar', ['abc', 'def']] });
  });
});

describe('applyJsonPatch', () => {
  it('appends to an array with "-" and inserts at index == length', () => {
    expect(patch({ a: [1, 2] }, [{ op: 'add', path: '/a/-', value: 3 }])).toEqual({ a: [1, 2, 3] });
    expect(patch({ a: [] }, [{ op: 'add', path: '/a/-', value: 'x' }])).toEqual({ a: ['x'] });
    expect(patch({ a: [1, 2] }, [{ op: 'add', path: '/a/2', value: 3 }])).toEqual({ a: [1, 2, 3] });
    expect(patch({ a: [1, 2] }, [{ op: 'add', path: '/a/0', value: 0 }])).toEqual({ a: [0, 1, 2] });
  });

  it('decodes ~1 as / and ~0 as ~ in member names', () => {
    const doc = { metadata: { annotations: { 'example.com/a~b': 'x' } } };
    expect(patch(doc, [{ op: 'replace', path: '/metadata/annotations/example.com~1a~0b', value: 'y' }])).toEqual({
      metadata: { annotations: { 'example.com/a~b': 'y' } },
    });
    expect(patch({}, [{ op: 'add', path: '/~0~1', value: 1 }])).toEqual({ '~/': 1 });
  });

  it('add replaces an existing member, while replace requires one', () => {
    expect(patch({ a: 1 }, [{ op: 'add', path: '/a', value: 2 }])).toEqual({ a: 2 });
    expect(() => patch({ a: 1 }, [{ op: 'replace', path: '/b', value: 2 }])).toThrow(JsonPatchError);
    expect(patch({ a: [1, 2, 3] }, [{ op: 'replace', path: '/a/1', value: 'x' }])).toEqual({ a: [1, 'x', 3] });
  });

  it('replaces and adds the whole document at the root pointer ""', () => {
    expect(patch({ a: 1 }, [{ op: 'replace', path: '', value: { b: 2 } }])).toEqual({ b: 2 });
    expect(patch({ a: 1 }, [{ op: 'add', path: '', value: [1] }])).toEqual([1]);
    expect(patch({ a: 1 }, [{ op: 'test', path: '', value: { a: 1 } }])).toEqual({ a: 1 });
  });

  it('fails on paths that do not exist', () => {
    expect(() => patch({ a: 1 }, [{ op: 'remove', path: '/b' }])).toThrow(JsonPatchError);
    expect(() => patch({ a: 1 }, [{ op: 'remove', path: '/a/b' }])).toThrow(JsonPatchError);
    expect(() => patch({ a: 1 }, [{ op: 'test', path: '/b', value: 1 }])).toThrow(JsonPatchError);
    expect(() => patch({ a: 1 }, [{ op: 'copy', from: '/b', path: '/c' }])).toThrow(JsonPatchError);
    expect(() => patch({ a: 1 }, [{ op: 'move', from: '/b', path: '/c' }])).toThrow(JsonPatchError);
    expect(() => patch({ a: 'str' }, [{ op: 'add', path: '/a/b', value: 1 }])).toThrow(JsonPatchError);
  });

  it('fails on array indexes out of bounds, "-" where an element must exist, and malformed indexes', () => {
    expect(() => patch({ a: [1, 2] }, [{ op: 'add', path: '/a/3', value: 3 }])).toThrow(JsonPatchError);
    expect(() => patch({ a: [1, 2] }, [{ op: 'remove', path: '/a/2' }])).toThrow(JsonPatchError);
    expect(() => patch({ a: [1, 2] }, [{ op: 'replace', path: '/a/2', value: 0 }])).toThrow(JsonPatchError);
    expect(() => patch({ a: [1, 2] }, [{ op: 'test', path: '/a/2', value: 0 }])).toThrow(JsonPatchError);
    expect(() => patch({ a: [1, 2] }, [{ op: 'remove', path: '/a/-' }])).toThrow(JsonPatchError);
    expect(() => patch({ a: [1, 2] }, [{ op: 'remove', path: '/a/01' }])).toThrow(JsonPatchError);
    expect(() => patch({ a: [1, 2] }, [{ op: 'remove', path: '/a/-1' }])).toThrow(JsonPatchError);
    expect(() => patch({ a: [1, 2] }, [{ op: 'add', path: '/a/x', value: 0 }])).toThrow(JsonPatchError);
    expect(() => patch({ a: [[1]] }, [{ op: 'add', path: '/a/1/0', value: 0 }])).toThrow(JsonPatchError);
  });

  it('rejects pointers that do not start with /', () => {
    expect(() => patch({ a: 1 }, [{ op: 'remove', path: 'a' }])).toThrow(JsonPatchError);
    expect(() => patch({ a: 1 }, [{ op: 'copy', from: 'a', path: '/b' }])).toThrow(JsonPatchError);
  });

  it('test compares JSON values structurally, whatever the key order', () => {
    const doc = { spec: { a: 1, b: [1, { c: 2 }] } };
    expect(patch(doc, [{ op: 'test', path: '/spec', value: { b: [1, { c: 2 }], a: 1 } }])).toEqual(doc);
    expect(() => patch(doc, [{ op: 'test', path: '/spec/b', value: [{ c: 2 }, 1] }])).toThrow(JsonPatchError);
    expect(() => patch({ a: null }, [{ op: 'test', path: '/a', value: 0 }])).toThrow(JsonPatchError);
    expect(patch({ a: null }, [{ op: 'test', path: '/a', value: null }])).toEqual({ a: null });
  });

  it('copy makes an independent copy', () => {
    const result = patch({ a: { x: 1 } }, [
      { op: 'copy', from: '/a', path: '/b' },
      { op: 'add', path: '/b/y', value: 2 },
    ]);
    expect(result).toEqual({ a: { x: 1 }, b: { x: 1, y: 2 } });
  });

  it('move removes the source and may move to a sibling whose name extends it', () => {
    expect(patch({ a: 1 }, [{ op: 'move', from: '/a', path: '/ab' }])).toEqual({ ab: 1 });
    expect(patch({ a: { b: 1 } }, [{ op: 'move', from: '/a/b', path: '/a' }])).toEqual({ a: 1 });
    expect(patch({ a: 1 }, [{ op: 'move', from: '/a', path: '/a' }])).toEqual({ a: 1 });
  });

  it('refuses to move a value into its own child', () => {
    expect(() => patch({ a: { b: {} } }, [{ op: 'move', from: '/a', path: '/a/b/c' }])).toThrow(JsonPatchError);
    expect(() => patch({ a: {} }, [{ op: 'move', from: '/a', path: '/a/x' }])).toThrow(/own child/);
  });

  it('applies operations in order, each seeing the previous ones', () => {
    expect(
      patch({ items: [] }, [
        { op: 'add', path: '/items/-', value: { name: 'a' } },
        { op: 'add', path: '/items/0/ready', value: true },
        { op: 'copy', from: '/items/0', path: '/items/-' },
        { op: 'replace', path: '/items/1/name', value: 'b' },
        { op: 'test', path: '/items/1', value: { name: 'b', ready: true } },
      ]),
    ).toEqual({ items: [{ name: 'a', ready: true }, { name: 'b', ready: true }] });
  });

  it('does not mutate the input document, even when a later operation fails', () => {
    const doc = deepFreeze({ metadata: { labels: { a: '1' } }, items: [1, 2] });
    const before = JSON.stringify(doc);
    const result = patch(doc, [
      { op: 'add', path: '/metadata/labels/b', value: '2' },
      { op: 'remove', path: '/items/0' },
    ]);
    expect(result).toEqual({ metadata: { labels: { a: '1', b: '2' } }, items: [2] });
    expect(() =>
      patch(doc, [
        { op: 'remove', path: '/items/0' },
        { op: 'test', path: '/nope', value: 1 },
      ]),
    ).toThrow(JsonPatchError);
    expect(JSON.stringify(doc)).toBe(before);
  });

  it('does not alias operation values into the result', () => {
    const ops: JsonPatchOperation[] = [{ op: 'add', path: '/spec', value: { replicas: 1 } }];
    const result = applyJsonPatch({}, ops) as { spec: { replicas: number } };
    result.spec.replicas = 5;
    expect(ops[0]!.value).toEqual({ replicas: 1 });
  });

  it('sees only own members: inherited properties such as __proto__ or toString do not exist', () => {
    const doc = JSON.parse('{"a":1}');
    expect(() => patch(doc, [{ op: 'add', path: '/__proto__/polluted', value: 'yes' }])).toThrow(JsonPatchError);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(() => patch({}, [{ op: 'remove', path: '/toString' }])).toThrow(JsonPatchError);
    expect(() => patch({}, [{ op: 'test', path: '/constructor', value: {} }])).toThrow(JsonPatchError);
    expect(() => patch({}, [{ op: 'copy', from: '/hasOwnProperty', path: '/x' }])).toThrow(JsonPatchError);
  });

  it('adds a member named __proto__ as plain data', () => {
    const result = patch({}, [{ op: 'add', path: '/__proto__', value: { x: 1 } }]) as Record<string, unknown>;
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
    expect(Object.keys(result)).toEqual(['__proto__']);
    expect(JSON.stringify(result)).toBe('{"__proto__":{"x":1}}');
  });
});

describe('parseJsonPatch', () => {
  it('returns well-formed operations', () => {
    const ops = [
      { op: 'add', path: '/a', value: 1 },
      { op: 'remove', path: '/a' },
      { op: 'replace', path: '/b', value: null },
      { op: 'move', from: '/b', path: '/c' },
      { op: 'copy', from: '/c', path: '/d' },
      { op: 'test', path: '/d', value: null },
    ];
    expect(parseJsonPatch(ops)).toEqual(ops);
    expect(parseJsonPatch([])).toEqual([]);
  });

  it.each([
    ['an object', { op: 'add', path: '/a', value: 1 }],
    ['null', null],
    ['a string', '[]'],
    ['an array with a non-object', ['add']],
    ['an array with null', [null]],
    ['an unknown op', [{ op: 'merge', path: '/a', value: 1 }]],
    ['a missing op', [{ path: '/a', value: 1 }]],
    ['a non-string op', [{ op: 1, path: '/a' }]],
    ['a missing path', [{ op: 'remove' }]],
    ['a non-string path', [{ op: 'remove', path: 1 }]],
    ['add without value', [{ op: 'add', path: '/a' }]],
    ['replace without value', [{ op: 'replace', path: '/a' }]],
    ['test without value', [{ op: 'test', path: '/a' }]],
    ['move without from', [{ op: 'move', path: '/a' }]],
    ['copy with a non-string from', [{ op: 'copy', from: 2, path: '/a' }]],
  ])('rejects %s', (_what, input) => {
    expect(() => parseJsonPatch(input)).toThrow(JsonPatchError);
  });

  it('names the failing operation', () => {
    expect(() => parseJsonPatch([{ op: 'add', path: '/a', value: 1 }, { op: 'add', path: '/b' }])).toThrow(/operation 1/);
  });
});
