import { applyMergePatch, createMergePatch } from './mergePatch';

describe('applyMergePatch: RFC 7386 appendix A', () => {
  it.each([
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [['a', 'b'], ['c', 'd'], ['c', 'd']],
    [{ a: 'b' }, ['c'], ['c']],
    [{ a: 'foo' }, null, null],
    [{ a: 'foo' }, 'bar', 'bar'],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: 'b', c: null }, { a: 'b' }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ])('%j + %j = %j', (target, patch, result) => {
    expect(applyMergePatch(target, patch)).toEqual(result);
  });
});

describe('applyMergePatch', () => {
  it('merges nested objects key by key and replaces arrays whole', () => {
    const target = { metadata: { labels: { a: '1', b: '2' }, finalizers: ['x', 'y'] }, spec: { replicas: 1 } };
    const patch = { metadata: { labels: { b: null, c: '3' }, finalizers: ['z'] }, spec: { paused: true } };
    expect(applyMergePatch(target, patch)).toEqual({
      metadata: { labels: { a: '1', c: '3' }, finalizers: ['z'] },
      spec: { replicas: 1, paused: true },
    });
  });

  it('applies to a missing target as to an empty object, dropping nulls', () => {
    expect(applyMergePatch(undefined, { a: { b: null, c: 1 } })).toEqual({ a: { c: 1 } });
  });

  it('leaves target and patch untouched, and does not alias the patch into the result', () => {
    const target = { a: { b: 1, c: [1, 2] }, d: 'x' };
    const patch = { a: { b: null, e: { f: 1 } }, g: [{ h: 1 }] };
    const targetBefore = structuredClone(target);
    const patchBefore = structuredClone(patch);
    const result = applyMergePatch(target, patch) as { a: { e: { f: number } }; g: { h: number }[] };
    expect(target).toEqual(targetBefore);
    expect(patch).toEqual(patchBefore);
    result.a.e.f = 2;
    result.g[0]!.h = 2;
    expect(patch).toEqual(patchBefore);
  });
});

describe('keys named like Object.prototype members', () => {
  it('applyMergePatch treats "__proto__" and "constructor" as ordinary keys', () => {
    const patch = JSON.parse('{"data": {"__proto__": {"polluted": "yes"}, "constructor": "c"}}');
    const result = applyMergePatch({ data: { a: '1' } }, patch) as { data: Record<string, unknown> };
    expect(Object.keys(result.data)).toEqual(['a', '__proto__', 'constructor']);
    expect(Object.getPrototypeOf(result.data)).toBe(Object.prototype);
    expect(result.data.polluted).toBeUndefined();
    expect(JSON.stringify(result)).toBe('{"data":{"a":"1","__proto__":{"polluted":"yes"},"constructor":"c"}}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('createMergePatch removes and adds such keys like any other', () => {
    expect(createMergePatch({ data: { constructor: 'x', a: '1' } }, { data: { a: '1' } })).toEqual({ data: { constructor: null } });
    const from = { data: {} };
    const to = JSON.parse('{"data": {"toString": "t", "__proto__": "p"}}');
    const patch = createMergePatch(from, to);
    expect(JSON.stringify(patch)).toBe('{"data":{"toString":"t","__proto__":"p"}}');
    expect(applyMergePatch(from, patch)).toEqual(to);
    expect(JSON.stringify(applyMergePatch(from, patch))).toBe(JSON.stringify(to));
  });
});

describe('createMergePatch', () => {
  it('is empty for equal objects', () => {
    expect(createMergePatch({ a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 })).toEqual({});
    expect(createMergePatch({}, {})).toEqual({});
  });

  it('sets removed keys to null, and only lists what changed', () => {
    expect(createMergePatch({ a: 1, b: 2, c: { d: 1, e: 2 } }, { a: 1, c: { d: 1, e: 3 }, f: 4 })).toEqual({ b: null, c: { e: 3 }, f: 4 });
  });

  it('replaces arrays whole', () => {
    expect(createMergePatch({ a: [1, 2, 3] }, { a: [1, 2] })).toEqual({ a: [1, 2] });
    expect(createMergePatch({ a: [1, 2] }, { a: [1, 2] })).toEqual({});
  });

  it('replaces a value whose type changed', () => {
    expect(createMergePatch({ a: { b: 1 } }, { a: 'x' })).toEqual({ a: 'x' });
    expect(createMergePatch({ a: 'x' }, { a: { b: 1 } })).toEqual({ a: { b: 1 } });
    expect(createMergePatch({ a: [1] }, { a: { b: 1 } })).toEqual({ a: { b: 1 } });
    expect(createMergePatch({ a: { b: 1 } }, { a: {} })).toEqual({ a: { b: null } });
  });

  it('returns the target itself when either side is not an object', () => {
    expect(createMergePatch([1], [2])).toEqual([2]);
    expect(createMergePatch({ a: 1 }, 'x')).toBe('x');
    expect(createMergePatch('x', { a: 1 })).toEqual({ a: 1 });
  });

  /** A small seeded generator (mulberry32), so failures reproduce. */
  function rng(seed: number): () => number {
    let t = seed >>> 0;
    return () => {
      t = (t + 0x6d2b79f5) >>> 0;
      let r = Math.imul(t ^ (t >>> 15), 1 | t);
      r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
      return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
    };
  }

  /** A random JSON value without nulls (a merge patch cannot set a null value). */
  function randomValue(next: () => number, depth: number): unknown {
    const pick = Math.floor(next() * (depth > 0 ? 7 : 4));
    switch (pick) {
      case 0:
        return Math.floor(next() * 5);
      case 1:
        return ['a', 'b', ''][Math.floor(next() * 3)];
      case 2:
        return next() < 0.5;
      case 3:
        return Math.floor(next() * 3) - 1.5;
      case 4:
        return Array.from({ length: Math.floor(next() * 3) }, () => randomValue(next, depth - 1));
      default:
        return randomObject(next, depth - 1);
    }
  }

  function randomObject(next: () => number, depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const key of ['a', 'b', 'c', 'd']) if (next() < 0.5) out[key] = randomValue(next, depth);
    return out;
  }

  /** `to` derived from `from`, so that the two share structure often enough to be interesting. */
  function mutate(next: () => number, value: unknown, depth: number): unknown {
    if (typeof value !== 'object' || value === null || Array.isArray(value) || next() < 0.15) {
      return next() < 0.5 ? value : randomValue(next, depth);
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const r = next();
      if (r < 0.2) continue; // removed
      out[k] = r < 0.6 ? v : mutate(next, v, depth - 1);
    }
    if (next() < 0.3) out[`n${Math.floor(next() * 3)}`] = randomValue(next, depth);
    return out;
  }

  it('produces a patch that turns from into to (500 random cases)', () => {
    const next = rng(7386);
    for (let i = 0; i < 500; i++) {
      const from = randomObject(next, 3);
      const to = mutate(next, from, 3);
      const fromBefore = structuredClone(from);
      const patch = createMergePatch(from, to);
      expect({ from, to, result: applyMergePatch(from, patch) }).toEqual({ from, to, result: to });
      expect(from).toEqual(fromBefore);
      if (JSON.stringify(from) === JSON.stringify(to)) expect(patch).toEqual({});
    }
  });

  it.each([
    [{ metadata: { name: 'a', labels: { app: 'web' } }, spec: { replicas: 1 } }, { metadata: { name: 'a', labels: { app: 'web', tier: 'fe' } }, spec: { replicas: 3 } }],
    [{ data: { a: '1', b: '2' } }, { data: { b: '2' } }],
    [{ spec: { containers: [{ name: 'c', image: 'v1' }] } }, { spec: { containers: [{ name: 'c', image: 'v2' }] } }],
    [{ a: { b: { c: { d: 1 } } } }, { a: { b: { c: { d: 1, e: 2 } } } }],
    [{ a: 1 }, {}],
  ])('turns %j into %j', (from, to) => {
    expect(applyMergePatch(from, createMergePatch(from, to))).toEqual(to);
  });
});
