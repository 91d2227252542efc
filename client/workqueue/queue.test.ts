import { FakeClock } from '../clock';
import { MetricsRegistry } from '../metrics';
import { WorkQueue } from './queue';

/** Whether a promise has settled (after pending microtasks ran). */
async function settled<T>(p: Promise<T>): Promise<{ done: boolean; value?: T }> {
  let state: { done: boolean; value?: T } = { done: false };
  void p.then((value) => (state = { done: true, value }));
  await new Promise((r) => setImmediate(r));
  return state;
}

describe('WorkQueue', () => {
  it('hands keys out in the order they were first added, once each', async () => {
    const q = new WorkQueue<string>();
    q.add('a');
    q.add('b');
    q.add('a');
    q.add('c');
    expect(q.length).toBe(3);
    expect([await q.get(), await q.get(), await q.get()]).toEqual(['a', 'b', 'c']);
    expect(q.length).toBe(0);
    expect(q.processingCount).toBe(3);
  });

  it('a get() waits for the next add; concurrent gets receive different keys, first caller first', async () => {
    const q = new WorkQueue<string>();
    const first = q.get();
    const second = q.get();
    expect((await settled(first)).done).toBe(false);
    q.add('x');
    expect(await first).toBe('x');
    expect((await settled(second)).done).toBe(false);
    q.add('x'); // being processed: not handed to the second worker
    expect((await settled(second)).done).toBe(false);
    q.add('y');
    expect(await second).toBe('y');
  });

  it('a key added while processing is processed again after done, once however many adds', async () => {
    const q = new WorkQueue<string>();
    q.add('k');
    const k = await q.get();
    q.add('k');
    q.add('k');
    expect(q.length).toBe(0); // not handed out while processing
    const waiting = q.get();
    expect((await settled(waiting)).done).toBe(false);
    q.done(k!);
    expect(await waiting).toBe('k');
    q.done('k');
    expect(q.length).toBe(0);
    expect(q.processingCount).toBe(0);
  });

  it('done for a key not processing is ignored', async () => {
    const q = new WorkQueue<string>();
    q.done('nope');
    q.add('a');
    q.done('a'); // still queued, not processing
    expect(await q.get()).toBe('a');
  });

  it('shutDown: adds are ignored, queued keys are still handed out, then get() resolves undefined', async () => {
    const q = new WorkQueue<string>();
    q.add('a');
    q.shutDown();
    q.add('b');
    expect(q.isShuttingDown).toBe(true);
    expect(await q.get()).toBe('a');
    expect(await q.get()).toBeUndefined();
  });

  it('shutDown releases waiting workers with undefined', async () => {
    const q = new WorkQueue<string>();
    const waiters = [q.get(), q.get()];
    q.shutDown();
    expect(await Promise.all(waiters)).toEqual([undefined, undefined]);
  });

  it('shutDownWithDrain resolves once every handed-out key is done', async () => {
    const q = new WorkQueue<string>();
    q.add('a');
    const a = await q.get();
    q.add('a'); // dirty while processing: will be queued again on done, and must be drained too
    const drained = q.shutDownWithDrain();
    expect((await settled(drained)).done).toBe(false);
    q.done(a!);
    expect((await settled(drained)).done).toBe(false);
    expect(await q.get()).toBe('a');
    q.done('a');
    expect((await settled(drained)).done).toBe(true);
    expect(await q.get()).toBeUndefined();
  });

  it('accepts object keys, compared by identity', async () => {
    const q = new WorkQueue<{ id: number }>();
    const one = { id: 1 };
    q.add(one);
    q.add(one);
    q.add({ id: 1 });
    expect(q.length).toBe(2);
  });

  it('records depth, adds, queue latency and work duration under its name', async () => {
    const clock = new FakeClock();
    const metrics = new MetricsRegistry();
    const q = new WorkQueue<string>({ name: 'pods', metrics, clock });
    q.add('a');
    q.add('a');
    q.add('b');
    const text = () => metrics.render();
    expect(text()).toContain('workqueue_adds_total{name="pods"} 2');
    expect(text()).toContain('workqueue_depth{name="pods"} 2');
    clock.advance(250);
    const a = await q.get();
    expect(text()).toContain('workqueue_depth{name="pods"} 1');
    expect(text()).toContain('workqueue_queue_duration_seconds_sum{name="pods"} 0.25');
    clock.advance(2000);
    q.done(a!);
    expect(text()).toContain('workqueue_work_duration_seconds_sum{name="pods"} 2');
    expect(text()).toContain('workqueue_work_duration_seconds_count{name="pods"} 1');
  });
});
