import { FakeClock } from './clock';
import { TokenBucket } from './tokenBucket';

describe('TokenBucket', () => {
  it('allows a burst, then one token per 1/qps, banking at most the burst', () => {
    const clock = new FakeClock();
    const b = new TokenBucket({ qps: 5, burst: 2 }, clock);
    expect(b.tryTake()).toBe(true);
    expect(b.tryTake()).toBe(true);
    expect(b.tryTake()).toBe(false);
    clock.advance(200);
    expect(b.tryTake()).toBe(true);
    clock.advance(60_000);
    expect([b.tryTake(), b.tryTake(), b.tryTake()]).toEqual([true, true, false]);
  });

  it('reservations go into debt: waiting callers are spaced 1/qps apart, in order', () => {
    const clock = new FakeClock();
    const b = new TokenBucket({ qps: 10, burst: 1 }, clock);
    expect(b.reserve()).toBe(0);
    expect(b.reserve()).toBeCloseTo(100);
    expect(b.reserve()).toBeCloseTo(200);
  });

  it('take() waits for the token; an aborted wait gives it back', async () => {
    const clock = new FakeClock();
    const b = new TokenBucket({ qps: 1, burst: 1 }, clock);
    await b.take();
    let done = false;
    const waiting = b.take().then(() => (done = true));
    await Promise.resolve();
    expect(done).toBe(false);
    clock.advance(1000);
    await waiting;
    expect(done).toBe(true);

    const abort = new AbortController();
    const aborted = b.take(abort.signal);
    abort.abort(new Error('stop'));
    await expect(aborted).rejects.toThrow('stop');
    clock.advance(1000);
    expect(b.tryTake()).toBe(true); // the aborted caller's token was returned
  });

  it('never limits with qps <= 0', () => {
    const b = new TokenBucket({ qps: 0, burst: 1 }, new FakeClock());
    for (let i = 0; i < 100; i++) expect(b.reserve()).toBe(0);
  });
});
