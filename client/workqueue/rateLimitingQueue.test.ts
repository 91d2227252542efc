import { FakeClock } from '../clock';
import { MetricsRegistry } from '../metrics';
import { ItemExponentialFailureRateLimiter } from './rateLimiters';
import { RateLimitingQueue } from './rateLimitingQueue';

describe('RateLimitingQueue', () => {
  it('re-adds a failed key after its backoff, which grows per failure and resets on forget', async () => {
    const clock = new FakeClock();
    const metrics = new MetricsRegistry();
    const q = new RateLimitingQueue<string>({ clock, name: 'q', metrics, rateLimiter: new ItemExponentialFailureRateLimiter(100, 10_000) });
    q.add('a');
    const a = await q.get();
    q.addRateLimited(a!); // 1st failure: 100 ms
    q.done(a!);
    expect(q.numRequeues('a')).toBe(1);
    clock.advance(99);
    expect(q.length).toBe(0);
    clock.advance(1);
    expect(q.length).toBe(1);
    await q.get();
    q.addRateLimited('a'); // 2nd: 200 ms
    q.done('a');
    clock.advance(199);
    expect(q.length).toBe(0);
    clock.advance(1);
    expect(q.length).toBe(1);
    await q.get();
    q.forget('a');
    q.done('a');
    expect(q.numRequeues('a')).toBe(0);
    q.addRateLimited('a'); // back to 100 ms
    clock.advance(100);
    expect(q.length).toBe(1);
    expect(metrics.render()).toContain('workqueue_retries_total{name="q"} 3');
  });

  it('uses the default controller rate limiter (5 ms first)', () => {
    const clock = new FakeClock();
    const q = new RateLimitingQueue<string>({ clock });
    q.addRateLimited('x');
    clock.advance(4);
    expect(q.length).toBe(0);
    clock.advance(1);
    expect(q.length).toBe(1);
  });

  it('ignores rate-limited adds once shut down', () => {
    const clock = new FakeClock();
    const q = new RateLimitingQueue<string>({ clock });
    q.shutDown();
    q.addRateLimited('x');
    clock.advance(1000);
    expect(q.length).toBe(0);
  });

  it('runs a worker loop to completion: failures retried with backoff, then drained on shutdown', async () => {
    const q = new RateLimitingQueue<string>({ rateLimiter: new ItemExponentialFailureRateLimiter(1, 10) });
    const attempts = new Map<string, number>();
    const worker = (async () => {
      for (let key; (key = await q.get()) !== undefined; ) {
        try {
          const n = (attempts.get(key) ?? 0) + 1;
          attempts.set(key, n);
          if (n < 3) throw new Error('not yet');
          q.forget(key);
        } catch {
          q.addRateLimited(key);
        } finally {
          q.done(key);
        }
      }
    })();
    q.add('a');
    q.add('b');
    while ((attempts.get('a') ?? 0) < 3 || (attempts.get('b') ?? 0) < 3) await new Promise((r) => setTimeout(r, 5));
    await q.shutDownWithDrain();
    await worker;
    expect(Object.fromEntries(attempts)).toEqual({ a: 3, b: 3 });
  });
});
