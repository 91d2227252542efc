/**
 * A controller: sources feed requests into a rate-limited workqueue; workers take keys off it
 * and call the reconciler, as controller-runtime's internal controller.
 *
 * Invariants:
 *   - a key is reconciled by at most one worker at a time (the workqueue's guarantee); if it is
 *     added meanwhile, it is reconciled once more after the current run;
 *   - a thrown error requeues the key rate-limited (its backoff grows with each failure); a
 *     TerminalError is not requeued; success, or a requeueAfterMs result, forgets the backoff;
 *   - each start() gets a fresh queue, so a controller can be started again after it stopped
 *     (a new leader term): its sources then deliver every cached object again;
 *   - workers start only once every source's informer has synced, so a reconcile sees a
 *     complete cache;
 *   - stopping (the signal aborts) lets in-flight reconciles finish — their ctx.signal aborts,
 *     so they may cut short — drops the backlog, and then resolves start()'s promise;
 *   - enqueue() while stopped is ignored: the next start reconciles everything anyway.
 */
import { randomUUID } from 'node:crypto';
import { realClock, type Clock } from '../../client/clock';
import { silentLogger, type Logger } from '../../client/log';
import type { MetricsRegistry } from '../../client/metrics';
import { defaultControllerRateLimiter, type RateLimiter } from '../../client/workqueue/rateLimiters';
import { RateLimitingQueue } from '../../client/workqueue/rateLimitingQueue';
import { controllerMetrics, type ControllerMetrics } from './metrics';
import { isTerminalError, requestKey, requestOf, type Reconciler, type Request, type Result } from './reconcile';
import type { Runnable } from './runnable';
import type { Source, SourceRegistration } from './source';

export interface Controller {
  readonly name: string;
  /** Queues a reconcile of `request` (after `afterMs`, when given). Ignored while the controller is stopped. */
  enqueue(request: Request, afterMs?: number): void;
}

export interface ControllerOptions {
  /** Names the controller in logs, metrics (label `controller`) and its workqueue (label `name`). */
  readonly name: string;
  readonly reconciler: Reconciler;
  readonly sources?: readonly Source[];
  /** Workers reconciling at once (different keys). Default 1. */
  readonly concurrency?: number;
  /** A rate limiter for each start's queue. Default: defaultControllerRateLimiter (per key 5 ms → 1000 s, overall 10 qps / burst 100). */
  readonly rateLimiter?: () => RateLimiter<string>;
  /** Default: silent. */
  readonly log?: Logger;
  /** Where controller and workqueue metrics go. Default: nowhere. */
  readonly metrics?: MetricsRegistry;
  /** Default: the real clock. */
  readonly clock?: Clock;
  /** Run only on the leader. Default true. */
  readonly needsLeaderElection?: boolean;
  /** How long start() waits for the sources' informers to sync before failing. Default 2 minutes. */
  readonly cacheSyncTimeoutMs?: number;
}

export class ReconcileController implements Controller, Runnable {
  readonly name: string;
  readonly needsLeaderElection: boolean;
  readonly concurrency: number;
  private readonly reconciler: Reconciler;
  private readonly sources: readonly Source[];
  private readonly rateLimiter: () => RateLimiter<string>;
  private readonly log: Logger;
  private readonly metricsRegistry: MetricsRegistry | undefined;
  private readonly metrics: ControllerMetrics | undefined;
  private readonly clock: Clock;
  private readonly cacheSyncTimeoutMs: number;
  /** The queue of the current run; undefined while stopped. */
  private queue: RateLimitingQueue<string> | undefined;
  private running = false;

  constructor(options: ControllerOptions) {
    if (!options.name) throw new Error('a controller needs a name');
    this.name = options.name;
    this.reconciler = options.reconciler;
    this.sources = options.sources ?? [];
    this.concurrency = Math.max(1, Math.floor(options.concurrency ?? 1));
    this.clock = options.clock ?? realClock;
    this.rateLimiter = options.rateLimiter ?? (() => defaultControllerRateLimiter<string>(this.clock));
    this.log = (options.log ?? silentLogger).with({ controller: this.name });
    this.metricsRegistry = options.metrics;
    this.metrics = options.metrics && controllerMetrics(options.metrics, this.name, this.concurrency);
    this.needsLeaderElection = options.needsLeaderElection ?? true;
    this.cacheSyncTimeoutMs = options.cacheSyncTimeoutMs ?? 120_000;
  }

  enqueue(request: Request, afterMs = 0): void {
    const queue = this.queue;
    if (!queue) return;
    const key = requestKey(request);
    if (afterMs > 0) queue.addAfter(key, afterMs);
    else queue.add(key);
  }

  /** True between start() and the end of its run. */
  get isRunning(): boolean {
    return this.running;
  }

  /** Keys waiting in the current run's queue (0 while stopped). */
  get queueLength(): number {
    return this.queue?.length ?? 0;
  }

  /** Runs until `signal` aborts; resolves once every worker has finished. */
  async start(signal: AbortSignal): Promise<void> {
    if (this.running) throw new Error(`controller ${this.name} is already running`);
    if (signal.aborted) return;
    this.running = true;
    const queue = new RateLimitingQueue<string>({
      name: this.name,
      rateLimiter: this.rateLimiter(),
      clock: this.clock,
      ...(this.metricsRegistry ? { metrics: this.metricsRegistry } : {}),
    });
    this.queue = queue;
    const onAbort = () => queue.shutDown();
    signal.addEventListener('abort', onAbort, { once: true });
    const registrations: SourceRegistration[] = [];
    try {
      for (const source of this.sources) registrations.push(source.start((r) => queue.add(requestKey(r)), this.log));
      await this.waitForSources(signal);
      if (signal.aborted) return;
      this.log.info('starting workers', { workers: this.concurrency });
      const workers: Promise<void>[] = [];
      for (let i = 0; i < this.concurrency; i++) workers.push(this.worker(queue, signal));
      await Promise.all(workers);
      this.log.info('all workers finished');
    } finally {
      signal.removeEventListener('abort', onAbort);
      for (const r of registrations) r.stop();
      queue.shutDown();
      this.queue = undefined;
      this.running = false;
    }
  }

  private async waitForSources(signal: AbortSignal): Promise<void> {
    if (this.sources.length === 0) return;
    const timeout = new AbortController();
    const timer = this.clock.after(this.cacheSyncTimeoutMs, () => timeout.abort());
    const both = AbortSignal.any([signal, timeout.signal]);
    try {
      const synced = await Promise.all(this.sources.map((s) => s.waitForSync(both)));
      if (!synced.every(Boolean) && !signal.aborted) {
        const missing = this.sources.filter((_, i) => !synced[i]).map((s) => s.description);
        throw new Error(`controller ${this.name}: caches did not sync within ${this.cacheSyncTimeoutMs} ms: ${missing.join(', ')}`);
      }
    } finally {
      timer();
    }
  }

  private async worker(queue: RateLimitingQueue<string>, signal: AbortSignal): Promise<void> {
    for (;;) {
      const key = await queue.get();
      if (key === undefined) return;
      try {
        // Stopping: what is still queued is dropped, not reconciled.
        if (!signal.aborted) await this.reconcileHandler(queue, key, signal);
      } finally {
        queue.done(key);
      }
    }
  }

  private async reconcileHandler(queue: RateLimitingQueue<string>, key: string, signal: AbortSignal): Promise<void> {
    const request = requestOf(key);
    const log = this.log.with({ ...(request.namespace ? { namespace: request.namespace } : {}), name: request.name, reconcileID: randomUUID() });
    const started = performance.now();
    this.metrics?.activeWorkers(1);
    let result: Result | void;
    try {
      if (log.enabled('debug')) log.debug('reconciling');
      result = await this.reconciler.reconcile(request, { log, signal });
    } catch (err) {
      const terminal = isTerminalError(err);
      if (terminal) queue.forget(key);
      else queue.addRateLimited(key);
      this.metrics?.reconciled('error', (performance.now() - started) / 1000, terminal);
      if (signal.aborted) log.debug('reconcile failed while stopping', { error: err });
      else log.error(terminal ? 'reconciler error (terminal: not retried)' : 'reconciler error', { error: err, retries: queue.numRequeues(key) });
      return;
    } finally {
      this.metrics?.activeWorkers(-1);
    }
    const seconds = (performance.now() - started) / 1000;
    queue.forget(key);
    const after = result?.requeueAfterMs ?? 0;
    if (after > 0) {
      queue.addAfter(key, after);
      this.metrics?.reconciled('requeue_after', seconds);
      if (log.enabled('debug')) log.debug('reconciled; requeueing later', { requeueAfterMs: after });
    } else {
      this.metrics?.reconciled('success', seconds);
      if (log.enabled('debug')) log.debug('reconciled');
    }
  }
}
