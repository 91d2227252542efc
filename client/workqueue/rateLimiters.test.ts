import { FakeClock } from '../clock';
import { BucketRateLimiter, defaultControllerRateLimiter, ItemExponentialFailureRateLimiter, ItemFastSlowRateLimiter, MaxOfRateLimiter } from './rateLimiters';

describe('ItemExponentialFailureRateLimiter', () => {
  it('doubles per failure of a key from the base delay, up to the cap; forget starts over', () => {
    const r = new ItemExponentialFailureRateLimiter<string>(5, 1000);
    expect([r.when('a'), r.when('a'), r.when('a'), r.when('a')]).toEqual([5, 10, 20, 40]);
    expect(r.when('b')).toBe(5); // per key
    expect(r.numRequeues('a')).toBe(4);
    for (let i = 0; i < 10; i++) r.when('a');
    expect(r.when('a')).toBe(1000);
    r.forget('a');
    expect(r.numRequeues('a')).toBe(0);
    expect(r.when('a')).toBe(5);
  });

  it('never overflows: a key failing thousands of times waits the cap', () => {
    const r = new ItemExponentialFailureRateLimiter<string>(5, 1_000_000);
    let last = 0;
    for (let i = 0; i < 5000; i++) last = r.when('x');
    expect(last).toBe(1_000_000);
  });
});

describe('ItemFastSlowRateLimiter', () => {
  it('waits the fast delay for the first attempts, then the slow one', () => {
    const r = new ItemFastSlowRateLimiter<string>(10, 1000, 2);
    expect([r.when('a'), r.when('a'), r.when('a')]).toEqual([10, 10, 1000]);
    r.forget('a');
    expect(r.when('a')).toBe(10);
  });
});

describe('BucketRateLimiter', () => {
  it('lets a burst through at once, then spaces keys 1/qps apart', () => {
    const clock = new FakeClock();
    const r = new BucketRateLimiter<string>(10, 3, clock);
    expect([r.when('a'), r.when('b'), r.when('c')]).toEqual([0, 0, 0]);
    expect(r.when('d')).toBeCloseTo(100);
    expect(r.when('e')).toBeCloseTo(200);
    clock.advance(1000); // tokens accrue back, up to the burst
    expect(r.when('f')).toBe(0);
    expect(r.numRequeues('a')).toBe(0);
  });
});

describe('defaultControllerRateLimiter', () => {
  it('is the max of per-key exponential (5 ms, doubling) and the overall 10 qps / burst 100 bucket', () => {
    const clock = new FakeClock();
    const r = defaultControllerRateLimiter<string>(clock);
    expect([r.when('a'), r.when('a'), r.when('a')]).toEqual([5, 10, 20]);
    expect(r.numRequeues('a')).toBe(3);
    // 97 more distinct keys use up the burst of 100; the next key waits for the bucket (100 ms).
    for (let i = 0; i < 97; i++) expect(r.when(`k${i}`)).toBe(5);
    expect(r.when('new')).toBeCloseTo(100);
    r.forget('a');
    expect(r.numRequeues('a')).toBe(0);
  });

  it('caps a single key at 1000 s', () => {
    const r = defaultControllerRateLimiter<string>(new FakeClock());
    let last = 0;
    for (let i = 0; i < 40; i++) last = r.when('a');
    expect(last).toBe(1_000_000);
  });
});

describe('MaxOfRateLimiter', () => {
  it('asks every limiter and waits the longest', () => {
    const r = new MaxOfRateLimiter<string>(new ItemFastSlowRateLimiter(50, 500, 1), new ItemExponentialFailureRateLimiter(10, 10_000));
    expect([r.when('a'), r.when('a'), r.when('a')]).toEqual([50, 500, 500]);
    expect(r.when('a')).toBe(500);
    expect(r.when('a')).toBe(500);
    expect(r.when('a')).toBe(500);
    expect(r.when('a')).toBe(640);
    expect(r.numRequeues('a')).toBe(7);
    r.forget('a');
    expect(r.numRequeues('a')).toBe(0);
  });
});
