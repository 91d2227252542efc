import { StatusPacer } from './statusPacer';

describe('StatusPacer', () => {
  it('writes the first status at once', () => {
    expect(new StatusPacer().decide('ns/a', '5', { ready: 1 }, false, 0)).toBe('write');
  });

  it('paces non-urgent writes to one per interval, and lets urgent ones through', () => {
    const pacer = new StatusPacer({ minIntervalMs: 1000 });
    pacer.wrote('ns/a', { ready: 1 }, '10', 0);
    expect(pacer.decide('ns/a', '10', { ready: 2 }, false, 300)).toBe(700);
    expect(pacer.decide('ns/a', '10', { ready: 3 }, true, 300)).toBe('write');
    expect(pacer.decide('ns/a', '10', { ready: 2 }, false, 1000)).toBe('write');
    // Other objects are paced on their own.
    expect(pacer.decide('ns/b', '10', { ready: 2 }, false, 300)).toBe('write');
  });

  it('skips what it wrote while the cache lags behind the write, and waits if the status moved on', () => {
    const pacer = new StatusPacer({ staleCacheRetryMs: 50 });
    pacer.wrote('ns/a', { ready: 1 }, '12', 0);
    expect(pacer.decide('ns/a', '11', { ready: 1 }, true, 5000)).toBe('skip');
    expect(pacer.decide('ns/a', '11', { ready: 2 }, true, 5000)).toBe(50);
    // Once the cache has caught up, a status differing from the cached one is written.
    expect(pacer.decide('ns/a', '12', { ready: 2 }, true, 5000)).toBe('write');
  });

  it('forgets deleted objects', () => {
    const pacer = new StatusPacer();
    pacer.wrote('ns/a', { ready: 1 }, '12', 0);
    pacer.forget('ns/a');
    expect(pacer.decide('ns/a', '1', { ready: 1 }, false, 1)).toBe('write');
  });
});
