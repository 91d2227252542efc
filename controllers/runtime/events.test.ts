import type { Event } from '../../api/kinds/core/event';
import type { KubeObject } from '../../api/kinds/kind';
import { StatusError } from '../../api/status';
import { FakeClock } from '../../client/clock';
import { EventBroadcaster, type EventBroadcasterOptions } from './events';
import type { EventSink } from './eventSink';

/** An in-memory Event store with a log of calls, and injectable failures. */
class FakeSink implements EventSink {
  readonly events = new Map<string, Event>();
  readonly calls: string[] = [];
  failures: Error[] = [];
  delayMs = 0;

  async create(event: Event): Promise<Event> {
    await this.wait();
    this.calls.push(`create ${event.metadata.name} ${event.count}`);
    const err = this.failures.shift();
    if (err) throw err;
    const key = `${event.metadata.namespace}/${event.metadata.name}`;
    if (this.events.has(key)) throw new StatusError(409, 'AlreadyExists', 'exists');
    const stored = structuredClone(event);
    this.events.set(key, stored);
    return stored;
  }

  async patch(namespace: string, name: string, patch: Partial<Event>): Promise<Event> {
    await this.wait();
    this.calls.push(`patch ${name} ${patch.count}`);
    const err = this.failures.shift();
    if (err) throw err;
    const key = `${namespace}/${name}`;
    const old = this.events.get(key);
    if (!old) throw new StatusError(404, 'NotFound', 'not found');
    const stored = { ...old, ...patch };
    this.events.set(key, stored);
    return stored;
  }

  private wait(): Promise<void> {
    return this.delayMs ? new Promise((r) => setTimeout(r, this.delayMs)) : Promise.resolve();
  }

  get all(): Event[] {
    return [...this.events.values()];
  }
}

const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-1', namespace: 'prod', uid: 'u-1', resourceVersion: '7' } };
const node: KubeObject = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', uid: 'u-n1' } };

function setup(options: Partial<EventBroadcasterOptions> = {}) {
  const sink = new FakeSink();
  const broadcaster = new EventBroadcaster({ sink, host: 'test-host', retryDelayMs: 5, ...options });
  return { sink, broadcaster, recorder: broadcaster.newRecorder('widget-controller') };
}

describe('EventBroadcaster / EventRecorder', () => {
  it('creates a core/v1 Event about the object', async () => {
    const { sink, recorder } = setup();
    recorder.event(pod, 'Warning', 'FailedCreate', 'quota exceeded');
    await recorder.flush();
    expect(sink.all).toHaveLength(1);
    const e = sink.all[0]!;
    expect(e.metadata.name).toMatch(/^web-1\.[0-9a-f]+$/);
    expect(e).toMatchObject({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { namespace: 'prod' },
      involvedObject: { apiVersion: 'v1', kind: 'Pod', namespace: 'prod', name: 'web-1', uid: 'u-1', resourceVersion: '7' },
      type: 'Warning',
      reason: 'FailedCreate',
      message: 'quota exceeded',
      source: { component: 'widget-controller', host: 'test-host' },
      reportingComponent: 'widget-controller',
      reportingInstance: 'test-host',
      count: 1,
    });
    expect(e.firstTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(e.lastTimestamp).toBe(e.firstTimestamp);
  });

  it('aggregates repeats into one Event: count and lastTimestamp are patched; repeats queued meanwhile coalesce', async () => {
    const { sink, recorder } = setup();
    sink.delayMs = 10;
    for (let i = 0; i < 10; i++) recorder.event(pod, 'Normal', 'Scaled', 'scaled to 3');
    await recorder.flush();
    expect(sink.all).toHaveLength(1);
    expect(sink.all[0]!.count).toBe(10);
    // One create, then one patch with everything that came in while it was written.
    expect(sink.calls).toEqual([expect.stringMatching(/^create web-1\.\w+ 1$/), expect.stringMatching(/^patch web-1\.\w+ 10$/)]);
    recorder.event(pod, 'Normal', 'Scaled', 'scaled to 3');
    await recorder.flush();
    expect(sink.all[0]!.count).toBe(11);
  });

  it('a different type, reason, message or object is another Event; cluster-scoped objects report to default', async () => {
    const { sink, recorder } = setup();
    recorder.event(pod, 'Normal', 'Scaled', 'scaled to 3');
    recorder.event(pod, 'Normal', 'Scaled', 'scaled to 4');
    recorder.event(pod, 'Warning', 'Scaled', 'scaled to 4');
    recorder.event(node, 'Normal', 'Ready', 'node is ready');
    await recorder.flush();
    expect(sink.all).toHaveLength(4);
    expect(new Set(sink.all.map((e) => e.metadata.name)).size).toBe(4);
    expect(sink.all.find((e) => e.involvedObject.kind === 'Node')?.metadata.namespace).toBe('default');
  });

  it('combines similar events (same object, type and reason) beyond ten distinct messages into one Event', async () => {
    const { sink, recorder } = setup();
    for (let i = 1; i <= 25; i++) recorder.event(pod, 'Normal', 'SuccessfulCreate', `Created pod: web-${i}`);
    recorder.event(pod, 'Normal', 'SuccessfulCreate', 'Created pod: web-3'); // a plain repeat
    await recorder.flush();
    const created = sink.all.filter((e) => e.reason === 'SuccessfulCreate');
    expect(created).toHaveLength(11);
    const combined = created.filter((e) => e.message?.startsWith('(combined from similar events): '));
    expect(combined).toHaveLength(1);
    expect(combined[0]).toMatchObject({ count: 15, message: '(combined from similar events): Created pod: web-25' });
    expect(created.find((e) => e.message === 'Created pod: web-3')?.count).toBe(2);
  });

  it('re-creates an Event that was deleted, with the running count', async () => {
    const { sink, recorder } = setup();
    recorder.event(pod, 'Normal', 'Synced', 'ok');
    await recorder.flush();
    sink.events.clear();
    recorder.event(pod, 'Normal', 'Synced', 'ok');
    await recorder.flush();
    expect(sink.all).toHaveLength(1);
    expect(sink.all[0]!.count).toBe(2);
  });

  it('retries when the API server cannot be reached, drops what it refuses', async () => {
    const { sink, recorder } = setup();
    sink.failures = [new TypeError('fetch failed'), new StatusError(503, 'ServiceUnavailable', 'busy')];
    recorder.event(pod, 'Normal', 'A', 'a');
    await recorder.flush();
    expect(sink.all).toHaveLength(1);
    expect(sink.calls).toHaveLength(3);
    sink.failures = [new StatusError(422, 'Invalid', 'bad event')];
    recorder.event(pod, 'Normal', 'B', 'b');
    await recorder.flush();
    expect(sink.all).toHaveLength(1);
    expect(sink.calls).toHaveLength(4); // not retried
  });

  it('gives up after maxTries', async () => {
    const { sink, recorder } = setup({ maxTries: 3 });
    sink.failures = Array.from({ length: 10 }, () => new TypeError('fetch failed'));
    recorder.event(pod, 'Normal', 'A', 'a');
    await recorder.flush();
    expect(sink.calls).toHaveLength(3);
    expect(sink.all).toHaveLength(0);
  });

  it('starts a new Event once the aggregation window has passed since the last repeat', async () => {
    const clock = new FakeClock();
    const { sink, recorder } = setup({ clock });
    recorder.event(pod, 'Normal', 'A', 'a');
    await recorder.flush();
    clock.advance(9 * 60_000);
    recorder.event(pod, 'Normal', 'A', 'a');
    await recorder.flush();
    expect(sink.all).toHaveLength(1);
    clock.advance(10 * 60_000 + 1);
    recorder.event(pod, 'Normal', 'A', 'a');
    await recorder.flush();
    expect(sink.all.map((e) => e.count)).toEqual([2, 1]);
  });

  it('never throws nor blocks: unnamed objects and overflows are dropped', async () => {
    const { sink, recorder } = setup({ maxQueued: 2 });
    sink.delayMs = 5;
    expect(() => recorder.event({} as KubeObject, 'Normal', 'A', 'a')).not.toThrow();
    expect(() => recorder.event(null as unknown as KubeObject, 'Normal', 'A', 'a')).not.toThrow();
    for (let i = 0; i < 5; i++) recorder.event(pod, 'Normal', 'R', `m${i}`);
    await recorder.flush();
    // The first went out at once; two waited; the other two were dropped.
    expect(sink.all).toHaveLength(3);
  });

  it('drops every event while the queue is full, repeats of a waiting series too (as client-go drops before aggregating)', async () => {
    const { sink, recorder } = setup({ maxQueued: 2 });
    sink.delayMs = 5;
    recorder.event(pod, 'Normal', 'R', 'm0'); // written at once
    recorder.event(pod, 'Normal', 'R', 'm1'); // waits
    recorder.event(pod, 'Normal', 'R', 'm1'); // joins the waiting m1: the queue is not full yet
    recorder.event(pod, 'Normal', 'R', 'm2'); // waits: the queue is full now
    recorder.event(pod, 'Normal', 'R', 'm1'); // dropped
    recorder.event(pod, 'Normal', 'R', 'm3'); // dropped
    await recorder.flush();
    expect(sink.all.map((e) => `${e.message} ${e.count}`).sort()).toEqual(['m0 1', 'm1 2', 'm2 1']);
  });

  it('remembers at most cacheSize series, queued ones included; a forgotten series still gets written', async () => {
    const { sink, recorder } = setup({ cacheSize: 2 });
    sink.delayMs = 5;
    // m0 is being written; m1..m3 wait in the queue, and m1 is forgotten (least recently used) when m3 arrives.
    for (let i = 0; i < 4; i++) recorder.event(pod, 'Normal', 'R', `m${i}`);
    await recorder.flush();
    expect(sink.all.map((e) => e.message).sort()).toEqual(['m0', 'm1', 'm2', 'm3']);
    // m3 is remembered: its repeat patches; m1 was forgotten: its repeat starts a new Event.
    recorder.event(pod, 'Normal', 'R', 'm3');
    recorder.event(pod, 'Normal', 'R', 'm1');
    await recorder.flush();
    expect(sink.calls.slice(4).map((c) => c.split(' ')[0])).toEqual(['patch', 'create']);
    expect(sink.all.filter((e) => e.message === 'm1').map((e) => e.count)).toEqual([1, 1]);
  });

  it('shutdown flushes what it can, then drops later events', async () => {
    const { sink, broadcaster, recorder } = setup();
    recorder.event(pod, 'Normal', 'A', 'a');
    await broadcaster.shutdown(1000);
    expect(sink.all).toHaveLength(1);
    recorder.event(pod, 'Normal', 'B', 'b');
    await recorder.flush();
    expect(sink.all).toHaveLength(1);
  });
});
