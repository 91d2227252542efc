import { SimilarEvents } from './similarEvents';

describe('SimilarEvents', () => {
  it('records the first distinct messages as they are, then combines new ones', () => {
    const similar = new SimilarEvents({ maxDistinct: 3 });
    const seen = ['a', 'b', 'c', 'd', 'e'].map((m) => similar.combine('rs/SuccessfulCreate', m, 0));
    expect(seen).toEqual([false, false, false, true, true]);
    // A message already seen is a plain repeat, never combined.
    expect(similar.combine('rs/SuccessfulCreate', 'b', 0)).toBe(false);
    // Other groups are counted on their own.
    expect(similar.combine('rs/SuccessfulDelete', 'x', 0)).toBe(false);
  });

  it('starts a group anew once the window has passed since its first event', () => {
    const similar = new SimilarEvents({ maxDistinct: 1, windowMs: 1000 });
    expect(similar.combine('g', 'a', 0)).toBe(false);
    expect(similar.combine('g', 'b', 500)).toBe(true);
    expect(similar.combine('g', 'c', 1001)).toBe(false);
  });

  it('forgets the least recently used groups beyond its cache size', () => {
    const similar = new SimilarEvents({ maxDistinct: 1, cacheSize: 2 });
    similar.combine('g1', 'a', 0);
    similar.combine('g2', 'a', 0);
    similar.combine('g1', 'a', 0); // g1 used again: g2 is now the oldest
    similar.combine('g3', 'a', 0); // evicts g2
    expect(similar.combine('g1', 'b', 0)).toBe(true);
    expect(similar.combine('g2', 'b', 0)).toBe(false);
  });
});
