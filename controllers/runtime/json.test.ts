import { cloneJson, equalJson } from './json';

describe('cloneJson / equalJson', () => {
  it('copies deeply and compares up to key order, undefined keys absent', () => {
    const a = { x: [1, { y: 'z' }], n: null, u: undefined };
    const c = cloneJson(a);
    expect(c).not.toBe(a);
    expect(equalJson(a, c)).toBe(true);
    expect(equalJson({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe(true);
    expect(equalJson({ a: 1 }, { a: 1, b: undefined })).toBe(true);
    expect(equalJson({ a: 1 }, { a: 2 })).toBe(false);
    expect(equalJson([1, 2], [2, 1])).toBe(false);
    expect(equalJson({ a: [] }, { a: {} })).toBe(false);
    expect(equalJson({ a: null }, { a: undefined })).toBe(false);
  });
});
