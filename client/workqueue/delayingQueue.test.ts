import { FakeClock } from '../clock';
import { DelayingQueue } from './delayingQueue';

describe('DelayingQueue', () => {
  it('adds a key once its delay has passed', async () => {
    const clock = new FakeClock();
    const q = new DelayingQueue<string>({ clock });
    q.addAfter('a', 100);
    expect(q.length).toBe(0);
    expect(q.waitingCount).toBe(1);
    clock.advance(99);
    expect(q.length).toBe(0);
    clock.advance(1);
    expect(q.length).toBe(1);
    expect(q.waitingCount).toBe(0);
    expect(await q.get()).toBe('a');
  });

  it('adds at once for a delay <= 0', () => {
    const q = new DelayingQueue<string>({ clock: new FakeClock() });
    q.addAfter('a', 0);
    q.addAfter('b', -5);
    expect(q.length).toBe(2);
  });

  it('keeps the earliest ready time of a key added twice', () => {
    const clock = new FakeClock();
    const q = new DelayingQueue<string>({ clock });
    q.addAfter('a', 500);
    q.addAfter('a', 100); // earlier: moves it
    q.addAfter('a', 1000); // later: ignored
    expect(q.waitingCount).toBe(1);
    clock.advance(100);
    expect(q.length).toBe(1);
    clock.advance(10_000);
    expect(q.length).toBe(1); // not added a second time
  });

  it('releases keys in ready-time order (ties in the order they were added)', async () => {
    const clock = new FakeClock();
    const q = new DelayingQueue<string>({ clock });
    q.addAfter('late', 300);
    q.addAfter('early', 100);
    q.addAfter('tie1', 200);
    q.addAfter('tie2', 200);
    clock.advance(1000);
    expect([await q.get(), await q.get(), await q.get(), await q.get()]).toEqual(['early', 'tie1', 'tie2', 'late']);
  });

  it('a ready key that is still queued is de-duplicated', () => {
    const clock = new FakeClock();
    const q = new DelayingQueue<string>({ clock });
    q.add('a');
    q.addAfter('a', 10);
    clock.advance(10);
    expect(q.length).toBe(1);
  });

  it('shutDown forgets waiting keys and cancels its timer', () => {
    const clock = new FakeClock();
    const q = new DelayingQueue<string>({ clock });
    q.addAfter('a', 10);
    q.shutDown();
    expect(clock.pending).toBe(0);
    q.addAfter('b', 10);
    clock.advance(100);
    expect(q.length).toBe(0);
  });

  it('works on the real clock', async () => {
    const q = new DelayingQueue<string>();
    const start = Date.now();
    q.addAfter('a', 30);
    expect(await q.get()).toBe('a');
    expect(Date.now() - start).toBeGreaterThanOrEqual(25);
    q.shutDown();
  });
});
