import { FakeClock } from '../client/clock';
import { KeyedBackoff } from './backoff';

describe('KeyedBackoff', () => {
  it('grows 10 s, 20 s, 40 s ... up to 300 s', () => {
    const clock = new FakeClock();
    const b = new KeyedBackoff({}, clock);
    const delays: number[] = [];
    for (let i = 0; i < 8; i++) {
      b.next('k');
      delays.push(b.get('k'));
    }
    expect(delays).toEqual([10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000]);
  });

  it('tells whether a restart after a finish is still backing off, and when it ends', () => {
    const clock = new FakeClock();
    const b = new KeyedBackoff({}, clock);
    const finished = clock.now();
    expect(b.isInBackOffSince('c', finished)).toBe(false); // first failure: restart at once
    b.next('c', finished);
    clock.advance(1000);
    const finished2 = clock.now();
    expect(b.isInBackOffSince('c', finished2)).toBe(true);
    expect(b.endOfBackOff('c', finished2)).toBe(finished2 + 10_000);
    clock.advance(9_999);
    expect(b.isInBackOffSince('c', finished2)).toBe(true);
    clock.advance(1);
    expect(b.isInBackOffSince('c', finished2)).toBe(false);
  });

  it('starts over once the last update is older than twice the maximum (a container ran 10 minutes)', () => {
    const clock = new FakeClock();
    const b = new KeyedBackoff({}, clock);
    for (let i = 0; i < 5; i++) b.next('c');
    expect(b.get('c')).toBe(160_000);
    clock.advance(600_001);
    expect(b.isInBackOffSince('c', clock.now())).toBe(false);
    b.next('c', clock.now());
    expect(b.get('c')).toBe(10_000);
  });

  it('backs off since the last update for image pulls', () => {
    const clock = new FakeClock();
    const b = new KeyedBackoff({ initialMs: 100, maxMs: 1000 }, clock);
    expect(b.isInBackOffSinceUpdate('img')).toBe(false);
    b.next('img');
    expect(b.isInBackOffSinceUpdate('img')).toBe(true);
    expect(b.endOfBackOffSinceUpdate('img')).toBe(clock.now() + 100);
    clock.advance(100);
    expect(b.isInBackOffSinceUpdate('img')).toBe(false);
    b.next('img');
    expect(b.get('img')).toBe(200);
    b.resetPrefix('im');
    expect(b.size).toBe(0);
  });
});
