/**
 * The manager, as controller-runtime's: one per process. It owns the shared informers (one list
 * and one watch per resource, whatever the number of controllers), the controllers and other
 * runnables, leader election, event recording, and the /healthz, /readyz and /metrics endpoints.
 *
 * Lifecycle and invariants:
 *   - start(): serves the probes, starts every informer and waits for all of them to sync
 *     (bounded by cacheSyncTimeoutMs), starts the runnables that do not need leader election,
 *     then campaigns for the Lease (kube-system/<name> by default). It resolves once all that is
 *     running; leadership may come later;
 *   - leader runnables (controllers) run only while this process leads: each leader term starts
 *     them with a signal that aborts when leadership is lost or the manager stops. A new term
 *     starts only after the previous term's runnables have all finished;
 *   - with leaderElection false, leader runnables start at once and run until stop();
 *   - stop(): aborts every runnable and waits for them (in-flight reconciles finish), then
 *     releases the Lease (so a successor takes over at its next retry, with no overlap), flushes
 *     events briefly, stops the informers and closes the probe server. Calling it again returns
 *     the same promise;
 *   - a runnable that fails (rejects before its signal aborts) is logged; the others go on.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { SharedInformerFactory } from '../../client/informer/factory';
import { LeaderElector, restLeaseLock } from '../../client/leaderElection';
import { silentLogger, type Logger } from '../../client/log';
import { MetricsRegistry, type Gauge } from '../../client/metrics';
import type { RestClient } from '../../client/restClient';
import { EventBroadcaster, type EventRecorder } from './events';
import { restEventSink } from './eventSink';
import { startHealthServer, type Check, type HealthServer } from './healthServer';
import type { Runnable } from './runnable';
import { setMaxListeners } from 'node:events';

export type { Runnable } from './runnable';

export interface LeaderElectionOptions {
  /** Default kube-system. */
  readonly namespace?: string;
  /** Default: the manager's name. */
  readonly leaseName?: string;
  /** Default: `<hostname>_<random uuid>`. */
  readonly identity?: string;
  /** Default 15 s. */
  readonly leaseDurationMs?: number;
  /** Default 10 s. */
  readonly renewDeadlineMs?: number;
  /** Default 2 s. */
  readonly retryPeriodMs?: number;
}

export interface ManagerOptions {
  readonly client: RestClient;
  /**
   * Where event recorders write (Kubernetes gives events a client, and so a rate limit, of their
   * own: see RestClient.withOwnRateLimit). Default: `client`.
   */
  readonly eventClient?: RestClient;
  /** e.g. 'kube-controller-manager': names the Lease, logs and event sources. */
  readonly name: string;
  /** Default: silent. */
  readonly log?: Logger;
  /** Default: a registry of its own. */
  readonly metrics?: MetricsRegistry;
  /** Leader election on a Lease (kube-system/<name>), or false. Default: on. */
  readonly leaderElection?: false | LeaderElectionOptions;
  /** Serve /healthz, /readyz and /metrics on 127.0.0.1:port (0: any free port); absent: none. */
  readonly healthPort?: number;
  /** How often informers re-deliver every cached object to controllers (0: never). Default 0. */
  readonly resyncPeriodMs?: number;
  /** How long start() waits for the informers to sync before failing. Default 2 minutes. */
  readonly cacheSyncTimeoutMs?: number;
}

interface Running {
  readonly done: Promise<void>;
}

export class Manager {
  readonly client: RestClient;
  readonly name: string;
  readonly informers: SharedInformerFactory;
  readonly log: Logger;
  readonly metrics: MetricsRegistry;
  private readonly options: ManagerOptions;
  private readonly runnables: Runnable[] = [];
  private readonly names = new Set<string>();
  private readonly running = new Set<Promise<void>>();
  private readonly stopController = withUnlimitedListeners(new AbortController());
  private readonly healthChecks = new Map<string, Check>();
  private readonly readyChecks = new Map<string, Check>();
  private readonly leaderGauge: Gauge;
  private events: EventBroadcaster | undefined;
  private elector: LeaderElector | undefined;
  private health: HealthServer | undefined;
  /** The current leader term: its signal, and the runnables started in it. */
  private term: { readonly signal: AbortSignal; readonly runs: Running[] } | undefined;
  /** Resolves once the previous term's runnables have all finished. */
  private previousTermDone: Promise<void> = Promise.resolve();
  private started = false;
  private cachesSynced = false;
  private stopping: Promise<void> | undefined;

  constructor(options: ManagerOptions) {
    if (!options.name) throw new Error('a manager needs a name');
    this.options = options;
    this.client = options.client;
    this.name = options.name;
    this.log = options.log ?? silentLogger;
    this.metrics = options.metrics ?? new MetricsRegistry();
    this.informers = new SharedInformerFactory(this.client, {
      resyncPeriodMs: options.resyncPeriodMs ?? 0,
      informerOptions: { log: this.log },
    });
    this.leaderGauge = this.metrics.gauge('leader_election_master_status', 'Whether this process is the leader (1) or not (0), by lease name.');
    this.leaderGauge.set(0, { name: this.leaseName });
    this.healthChecks.set('ping', () => undefined);
    this.readyChecks.set('informer-sync', () => (this.cachesSynced ? undefined : 'informer caches have not synced yet'));
  }

  /** The probe server's address, e.g. http://127.0.0.1:34567 (once started with a healthPort). */
  get healthAddress(): string | undefined {
    return this.health?.address;
  }

  /** Whether this process holds the lease (without leader election: whether it has started and not stopped). */
  isLeader(): boolean {
    if (this.elector) return this.elector.isLeader();
    return this.term !== undefined && !this.term.signal.aborted;
  }

  /** The identity this manager campaigns with ('' without leader election). */
  get identity(): string {
    return this.elector?.identity ?? '';
  }

  /** An event recorder writing core/v1 Events as `component` (source.component / reportingComponent). */
  eventRecorder(component: string): EventRecorder {
    this.events ??= new EventBroadcaster({ sink: restEventSink(this.options.eventClient ?? this.client), log: this.log.with({ component: 'events' }) });
    return this.events.newRecorder(component);
  }

  /** Adds a runnable; after start() it starts at once (leader runnables: if and when leading). */
  add(runnable: Runnable): void {
    const name = (runnable as { readonly name?: unknown }).name;
    if (typeof name === 'string' && name) {
      if (this.names.has(name)) throw new Error(`manager ${this.name}: a controller named ${name} was already added`);
      this.names.add(name);
    }
    this.runnables.push(runnable);
    if (!this.started || this.stopController.signal.aborted) return;
    if (!needsLeader(runnable)) this.run(runnable, this.stopController.signal);
    else if (this.term && !this.term.signal.aborted) this.term.runs.push(this.run(runnable, this.term.signal));
  }

  /** Adds a /healthz check (fails the probe while it throws or returns a message). */
  addHealthCheck(name: string, check: Check): void {
    this.healthChecks.set(name, check);
  }

  /** Adds a /readyz check. */
  addReadyCheck(name: string, check: Check): void {
    this.readyChecks.set(name, check);
  }

  /** Starts informers, waits for their sync, and (once leader) the controllers. Resolves when running. */
  async start(): Promise<void> {
    if (this.started) throw new Error(`manager ${this.name} was already started`);
    this.started = true;
    const stop = this.stopController.signal;
    if (this.options.healthPort !== undefined) {
      this.health = await startHealthServer({ port: this.options.healthPort, metrics: this.metrics, healthChecks: this.healthChecks, readyChecks: this.readyChecks });
      this.log.info('serving probes and metrics', { address: this.health.address });
    }
    this.informers.start();
    await this.waitForCaches(stop);
    if (stop.aborted) return;
    this.cachesSynced = true;
    for (const r of this.runnables) if (!needsLeader(r)) this.run(r, stop);
    const le = this.options.leaderElection;
    if (le === false) {
      this.beginTerm(stop);
      return;
    }
    const elector = new LeaderElector({
      lock: restLeaseLock(this.client, le?.namespace ?? 'kube-system', this.leaseName),
      identity: le?.identity ?? `${hostname()}_${randomUUID()}`,
      ...(le?.leaseDurationMs !== undefined ? { leaseDurationMs: le.leaseDurationMs } : {}),
      ...(le?.renewDeadlineMs !== undefined ? { renewDeadlineMs: le.renewDeadlineMs } : {}),
      ...(le?.retryPeriodMs !== undefined ? { retryPeriodMs: le.retryPeriodMs } : {}),
      log: this.log,
      callbacks: {
        onStartedLeading: (leadership) => this.beginTerm(AbortSignal.any([leadership, stop])),
        onStoppedLeading: () => this.leaderGauge.set(0, { name: this.leaseName }),
        onNewLeader: (identity) => this.log.info('new leader observed', { leader: identity }),
      },
    });
    this.elector = elector;
    elector.start();
  }

  /** Stops everything (see the lifecycle above); resolves once it has. */
  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  private get leaseName(): string {
    const le = this.options.leaderElection;
    return (le && le.leaseName) || this.name;
  }

  private async shutdown(): Promise<void> {
    this.log.info('stopping');
    this.stopController.abort();
    // Runnables first, so the lease is released only once no controller works any more.
    while (this.running.size > 0) await Promise.all([...this.running]);
    await this.elector?.stop();
    this.leaderGauge.set(0, { name: this.leaseName });
    await this.events?.shutdown();
    await this.informers.stop();
    await this.health?.close();
    this.log.info('stopped');
  }

  private async waitForCaches(stop: AbortSignal): Promise<void> {
    const timeoutMs = this.options.cacheSyncTimeoutMs ?? 120_000;
    const timeout = AbortSignal.timeout(timeoutMs);
    const synced = await this.informers.waitForSync(AbortSignal.any([stop, timeout]));
    if (!synced && !stop.aborted) throw new Error(`manager ${this.name}: informer caches did not sync within ${timeoutMs} ms`);
  }

  /** A leader term: starts the leader runnables once the previous term's have finished. */
  private beginTerm(signal: AbortSignal): void {
    // Every controller of the term listens on this one signal: a dozen is normal, not a leak.
    setMaxListeners(0, signal);
    const runs: Running[] = [];
    const term = { signal, runs };
    const previous = this.previousTermDone;
    let finish!: () => void;
    this.previousTermDone = new Promise<void>((resolve) => (finish = resolve));
    const tracked = (async () => {
      await previous;
      if (signal.aborted) return;
      this.term = term;
      this.leaderGauge.set(1, { name: this.leaseName });
      this.log.info('leading: starting controllers', { lease: this.leaseName });
      for (const r of this.runnables) if (needsLeader(r)) runs.push(this.run(r, signal));
      await new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
      // Runnables added during the term joined `runs`: wait for them all.
      for (let i = 0; i < runs.length; i++) await runs[i]!.done;
      if (this.term === term) this.term = undefined;
      if (!this.stopController.signal.aborted) this.log.info('leadership ended: controllers stopped', { lease: this.leaseName });
    })().finally(finish);
    this.track(tracked);
  }

  private run(runnable: Runnable, signal: AbortSignal): Running {
    const done = (async () => {
      try {
        await runnable.start(signal);
      } catch (err) {
        if (!signal.aborted) this.log.error('runnable failed', { runnable: describe(runnable), error: err });
        else this.log.debug('runnable ended with an error while stopping', { runnable: describe(runnable), error: err });
      }
    })();
    this.track(done);
    return { done };
  }

  private track(p: Promise<void>): void {
    this.running.add(p);
    void p.finally(() => this.running.delete(p));
  }
}

function needsLeader(r: Runnable): boolean {
  return r.needsLeaderElection ?? true;
}

function describe(r: Runnable): string {
  const name = (r as { readonly name?: unknown }).name;
  return typeof name === 'string' ? name : (r.constructor?.name ?? 'runnable');
}

/** An AbortController whose signal many runnables may listen on without a leak warning. */
function withUnlimitedListeners(controller: AbortController): AbortController {
  setMaxListeners(0, controller.signal);
  return controller;
}
