import { FakeClock } from '../clock';
import { Backoff } from './backoff';

describe('Backoff', () => {
  it('starts at 800 ms and doubles to 30 s (no jitter drawn)', () => {
    const b = new Backoff({}, new FakeClock(), () => 0);
    const delays = Array.from({ length: 8 }, () => b.next());
    expect(delays).toEqual([800, 1600, 3200, 6400, 12_800, 25_600, 30_000, 30_000]);
  });

  it('stretches each delay by up to jitter × delay, never past the cap', () => {
    const b = new Backoff({ initialMs: 100, maxMs: 1000 }, new FakeClock(), () => 0.5);
    expect([b.next(), b.next(), b.next(), b.next(), b.next()]).toEqual([150, 300, 600, 1000, 1000]);
  });

  it('starts over once the last failure is older than resetAfterMs', () => {
    const clock = new FakeClock();
    const b = new Backoff({ initialMs: 100, resetAfterMs: 5000, jitter: 0 }, clock);
    expect([b.next(), b.next(), b.next()]).toEqual([100, 200, 400]);
    clock.advance(5000);
    expect(b.next()).toBe(800); // not yet: exactly resetAfterMs
    clock.advance(5001);
    expect(b.next()).toBe(100);
    b.next();
    b.reset();
    expect(b.next()).toBe(100);
  });
});
