import { cloneJson } from './cloneJson';

describe('cloneJson', () => {
  it('copies deeply: changing the copy leaves the original', () => {
    const original = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'a', ports: [{ containerPort: 80 }] }] } };
    const copy = cloneJson(original);
    expect(copy).toEqual(original);
    copy.metadata.labels.app = 'changed';
    copy.spec.containers[0]!.ports.push({ containerPort: 81 });
    expect(original.metadata.labels.app).toBe('web');
    expect(original.spec.containers[0]!.ports).toHaveLength(1);
  });

  it('gives what a JSON round trip gives', () => {
    const samples: unknown[] = [
      { a: 1, u: undefined, f: () => 1, s: Symbol('x'), n: null, nan: NaN, inf: -Infinity, list: [undefined, () => 1, NaN, 'x', true] },
      { when: new Date(0), nested: { toJSON: () => ({ replaced: true }) } },
      [1, [2, [3, { deep: [] }]], {}],
      'text',
      42,
      null,
    ];
    for (const sample of samples) expect(cloneJson(sample)).toEqual(JSON.parse(JSON.stringify(sample)));
    expect(cloneJson(undefined)).toBeUndefined();
  });

  it('keeps a __proto__ key as an own key, never as the prototype', () => {
    const parsed = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as Record<string, unknown>;
    const copy = cloneJson(parsed);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect((copy as { polluted?: boolean }).polluted).toBeUndefined();
    expect(Object.keys(copy)).toEqual(['__proto__', 'a']);
    expect(JSON.stringify(copy)).toBe(JSON.stringify(parsed));
  });
});
