import { MetricsRegistry } from '../../client/metrics';
import { ItemExponentialFailureRateLimiter } from '../../client/workqueue/rateLimiters';
import { ReconcileController, type ControllerOptions } from './controller';
import { TerminalError, type ReconcileContext, type Request, type Result } from './reconcile';

async function until(what: string, fn: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!fn()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type ReconcileFn = (request: Request, ctx: ReconcileContext) => Promise<Result | void>;

describe('ReconcileController (the reconcile loop)', () => {
  const running: { abort: AbortController; done: Promise<void> }[] = [];
  afterEach(async () => {
    for (const r of running.splice(0)) {
      r.abort.abort();
      await r.done;
    }
  });

  function start(fn: ReconcileFn, options: Partial<ControllerOptions> = {}) {
    const metrics = new MetricsRegistry();
    const controller = new ReconcileController({ name: 'test', reconciler: { reconcile: fn }, metrics, ...options });
    const abort = new AbortController();
    const done = controller.start(abort.signal);
    const run = { abort, done };
    running.push(run);
    return { controller, metrics, ...run };
  }

  const total = (m: MetricsRegistry, result: string) => m.counter('controller_runtime_reconcile_total', '').get({ controller: 'test', result });

  it('reconciles enqueued requests, cluster-scoped and namespaced, and counts successes', async () => {
    const seen: Request[] = [];
    const { controller, metrics } = start(async (r) => void seen.push(r));
    controller.enqueue({ namespace: 'ns', name: 'a' });
    controller.enqueue({ name: 'node-1' });
    await until('two reconciles', () => seen.length === 2);
    expect(seen).toEqual([{ namespace: 'ns', name: 'a' }, { name: 'node-1' }]);
    expect(total(metrics, 'success')).toBe(2);
    expect(metrics.histogram('controller_runtime_reconcile_time_seconds', '').count({ controller: 'test' })).toBe(2);
    expect(metrics.render()).toContain('workqueue_adds_total{name="test"} 2');
  });

  it('requeues a failing request with growing per-key backoff, and forgets the backoff on success', async () => {
    const times: number[] = [];
    let failUntil = 5;
    const { controller, metrics } = start(
      async () => {
        times.push(Date.now());
        if (times.length <= failUntil) throw new Error('not yet');
      },
      { rateLimiter: () => new ItemExponentialFailureRateLimiter<string>(20, 10_000) },
    );
    controller.enqueue({ namespace: 'ns', name: 'a' });
    await until('six attempts', () => times.length === 6, 5000);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    // 20, 40, 80, 160, 320 ms: each wait at least the backoff, and growing.
    gaps.forEach((g, i) => expect(g).toBeGreaterThanOrEqual(20 * 2 ** i - 3));
    expect(gaps[4]!).toBeGreaterThan(gaps[0]! * 4);
    expect(total(metrics, 'error')).toBe(5);
    expect(metrics.counter('controller_runtime_reconcile_errors_total', '').get({ controller: 'test' })).toBe(5);
    expect(metrics.counter('workqueue_retries_total', '').get({ name: 'test' })).toBe(5);

    // Succeeded: the next failure backs off from the base delay again.
    failUntil = 7;
    const before = times.length;
    controller.enqueue({ namespace: 'ns', name: 'a' });
    await until('two more attempts', () => times.length === before + 2);
    expect(times[before + 1]! - times[before]!).toBeLessThan(200);
  });

  it('does not retry a TerminalError (nor an error caused by one)', async () => {
    let calls = 0;
    const { controller, metrics } = start(async (r) => {
      calls++;
      if (r.name === 'wrapped') throw new Error('outer', { cause: new TerminalError('cannot be fixed') });
      throw new TerminalError('cannot be fixed');
    });
    controller.enqueue({ namespace: 'ns', name: 'a' });
    controller.enqueue({ namespace: 'ns', name: 'wrapped' });
    await until('both attempts', () => calls === 2);
    await sleep(150);
    expect(calls).toBe(2);
    expect(metrics.counter('controller_runtime_terminal_reconcile_errors_total', '').get({ controller: 'test' })).toBe(2);
    expect(total(metrics, 'error')).toBe(2);
    expect(controller.queueLength).toBe(0);
  });

  it('requeues after requeueAfterMs without counting an error', async () => {
    const times: number[] = [];
    const { controller, metrics } = start(async () => {
      times.push(Date.now());
      return times.length < 3 ? { requeueAfterMs: 60 } : {};
    });
    controller.enqueue({ name: 'a' });
    await until('three reconciles', () => times.length === 3);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(57);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(57);
    await sleep(120);
    expect(times).toHaveLength(3);
    expect(total(metrics, 'requeue_after')).toBe(2);
    expect(total(metrics, 'success')).toBe(1);
    expect(total(metrics, 'error')).toBe(0);
  });

  it('runs up to `concurrency` different keys at once', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    let done = 0;
    const { controller, metrics } = start(
      async () => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await sleep(40);
        inFlight--;
        done++;
      },
      { concurrency: 3 },
    );
    for (let i = 0; i < 9; i++) controller.enqueue({ namespace: 'ns', name: `k${i}` });
    await until('nine reconciles', () => done === 9);
    expect(maxInFlight).toBe(3);
    expect(metrics.gauge('controller_runtime_max_concurrent_reconciles', '').get({ controller: 'test' })).toBe(3);
    expect(metrics.gauge('controller_runtime_active_workers', '').get({ controller: 'test' })).toBe(0);
  });

  it('never reconciles one key in two workers at once; a key added during its reconcile runs once more afterwards', async () => {
    const inFlight = new Map<string, number>();
    let overlap = false;
    const runs: string[] = [];
    const { controller } = start(
      async (r) => {
        const n = (inFlight.get(r.name) ?? 0) + 1;
        inFlight.set(r.name, n);
        if (n > 1) overlap = true;
        runs.push(r.name);
        await sleep(30);
        inFlight.set(r.name, n - 1);
      },
      { concurrency: 4 },
    );
    controller.enqueue({ name: 'a' });
    await until('a to start', () => runs.length === 1);
    for (let i = 0; i < 5; i++) controller.enqueue({ name: 'a' }); // while it runs: coalesced into one more run
    controller.enqueue({ name: 'b' });
    await until('a twice and b once', () => runs.filter((x) => x === 'a').length === 2 && runs.includes('b'));
    await sleep(80);
    expect(overlap).toBe(false);
    expect(runs.filter((x) => x === 'a')).toHaveLength(2);
  });

  it('stops gracefully: in-flight reconciles finish (their signal aborted), the backlog is dropped', async () => {
    const started: string[] = [];
    const finished: string[] = [];
    let sawAbort = false;
    const { controller, abort, done } = start(async (r, ctx) => {
      started.push(r.name);
      await sleep(80);
      sawAbort = ctx.signal.aborted;
      finished.push(r.name);
    });
    controller.enqueue({ name: 'a' });
    controller.enqueue({ name: 'b' });
    await until('a to start', () => started.length === 1);
    abort.abort();
    let resolved = false;
    void done.then(() => (resolved = true));
    await sleep(20);
    expect(resolved).toBe(false); // waits for a
    await done;
    expect(finished).toEqual(['a']);
    expect(started).toEqual(['a']); // b was queued, never started
    expect(sawAbort).toBe(true);
    expect(controller.isRunning).toBe(false);
    controller.enqueue({ name: 'c' }); // stopped: ignored
    expect(controller.queueLength).toBe(0);
  });

  it('can be started again after it stopped, with a fresh queue', async () => {
    const seen: string[] = [];
    const controller = new ReconcileController({ name: 'again', reconciler: { reconcile: async (r) => void seen.push(r.name) } });
    const first = new AbortController();
    const run1 = controller.start(first.signal);
    controller.enqueue({ name: 'x' });
    await until('x', () => seen.length === 1);
    first.abort();
    await run1;
    await expect(controller.start(first.signal)).resolves.toBeUndefined(); // an aborted signal: returns at once
    const second = new AbortController();
    const run2 = controller.start(second.signal);
    await expect(controller.start(second.signal)).rejects.toThrow(/already running/);
    controller.enqueue({ name: 'y' });
    await until('y', () => seen.length === 2);
    second.abort();
    await run2;
    expect(seen).toEqual(['x', 'y']);
  });

  it('keeps going when a reconciler throws synchronously or throws a non-Error', async () => {
    let calls = 0;
    const { controller } = start(
      ((r: Request) => {
        calls++;
        if (r.name === 'sync' && calls < 3) throw new Error('sync throw');
        if (r.name === 'str' && calls < 5) return Promise.reject('a string');
        return Promise.resolve();
      }) as ReconcileFn,
      { rateLimiter: () => new ItemExponentialFailureRateLimiter<string>(5, 50) },
    );
    controller.enqueue({ name: 'sync' });
    await until('sync to succeed', () => calls >= 3);
    controller.enqueue({ name: 'str' });
    await until('str to succeed', () => calls >= 5);
  });
});
