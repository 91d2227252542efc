import { canonicalJson, computeHash, fnv1a32, safeEncodeString } from './hash';

describe('pod-template-hash', () => {
  it('uses FNV-1a (32 bits)', () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    expect(fnv1a32(enc(''))).toBe(0x811c9dc5);
    expect(fnv1a32(enc('a'))).toBe(0xe40c292c);
    expect(fnv1a32(enc('foobar'))).toBe(0xbf9cf968);
  });

  it('encodes decimal digits in the vowel-less alphabet, as SafeEncodeString', () => {
    expect(safeEncodeString('0123456789')).toBe('456789bcdf');
  });

  it('is the same for the same template, whatever the key order, and differs otherwise', () => {
    const a = { metadata: { labels: { app: 'web', tier: 'fe' } }, spec: { containers: [{ name: 'c', image: 'nginx:1' }] } };
    const b = { spec: { containers: [{ image: 'nginx:1', name: 'c' }] }, metadata: { labels: { tier: 'fe', app: 'web' } } };
    expect(computeHash(a)).toBe(computeHash(b));
    expect(computeHash(a)).toMatch(/^[456789bcdf]{1,10}$/);
    expect(computeHash({ ...a, spec: { containers: [{ name: 'c', image: 'nginx:2' }] } })).not.toBe(computeHash(a));
  });

  it('changes with the collision count', () => {
    const t = { spec: { containers: [{ name: 'c', image: 'nginx' }] } };
    expect(computeHash(t, 0)).not.toBe(computeHash(t));
    expect(computeHash(t, 1)).not.toBe(computeHash(t, 0));
    expect(computeHash(t, 1)).toBe(computeHash(t, 1));
  });

  it('writes canonical JSON', () => {
    expect(canonicalJson({ b: 1, a: [{ d: undefined, c: 'x' }], e: null })).toBe('{"a":[{"c":"x"}],"b":1,"e":null}');
  });
});
