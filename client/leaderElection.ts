/**
 * Leader election on a coordination.k8s.io/v1 Lease, as client-go's leaderelection: candidates
 * race to write their identity into the lease; the holder renews it every retry period; others
 * take it over once it has gone unrenewed for a lease duration.
 *
 * Invariants and behaviour:
 *   - every write carries the resourceVersion of the lease it was computed from (optimistic
 *     concurrency): of two candidates writing at once, one gets 409 and does not lead;
 *   - expiry is judged on the candidate's own clock: a lease held by another is valid until
 *     `leaseDurationMs` after this candidate last saw it change (its resourceVersion), so clock
 *     skew between machines does not matter; a lease with no holder is free at once;
 *   - the leader stops leading when it has not renewed for `renewDeadlineMs` (each renewal
 *     request is cut off at that deadline) or when it sees another holder; since renewDeadline <
 *     leaseDuration, it stops before anyone else may take over;
 *   - stop() releases the lease when leading (re-reads it, then clears holderIdentity, so another
 *     candidate takes over at its next retry), then calls onStoppedLeading;
 *   - after losing the lease the elector is a candidate again, until stop();
 *   - leaseTransitions counts changes of holder (0 for the lease's creator).
 */
import type { Lease } from '../api/kinds/coordination/lease';
import { isStatusError } from '../api/status';
import { realClock, sleep, type Clock } from './clock';
import { silentLogger, type Logger } from './log';
import { resourcePath } from './resource';
import type { RestClient } from './restClient';

export interface LeaderCallbacks {
  /** This candidate became the leader; `signal` aborts when leadership ends. Errors are logged. */
  onStartedLeading(signal: AbortSignal): void | Promise<void>;
  /** Leadership ended (lost, or stop()); called only after onStartedLeading. */
  onStoppedLeading?(): void;
  /** The observed holder changed (to another candidate or to this one). */
  onNewLeader?(identity: string): void;
}

/** Reads and writes the lease; `restLeaseLock` is the real one, tests may fake it. */
export interface LeaseLock {
  /** The lease, or undefined when it does not exist. */
  get(signal: AbortSignal): Promise<Lease | undefined>;
  /** Creates it; a 409 StatusError when it already exists. */
  create(lease: Lease, signal: AbortSignal): Promise<Lease>;
  /** Replaces it; a 409 StatusError when its resourceVersion is stale. */
  update(lease: Lease, signal: AbortSignal): Promise<Lease>;
  readonly namespace: string;
  readonly name: string;
}

export function restLeaseLock(client: RestClient, namespace: string, name: string): LeaseLock {
  const gvr = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases' };
  const path = resourcePath(gvr, namespace, name);
  return {
    namespace,
    name,
    async get(signal) {
      try {
        return await client.call<Lease>('GET', path, { signal });
      } catch (err) {
        if (isStatusError(err, 404)) return undefined;
        throw err;
      }
    },
    create: (lease, signal) => client.call<Lease>('POST', resourcePath(gvr, namespace), { body: lease, signal }),
    update: (lease, signal) => client.call<Lease>('PUT', path, { body: lease, signal }),
  };
}

export interface LeaderElectionOptions {
  readonly lock: LeaseLock;
  /** This candidate's identity, unique among candidates (e.g. hostname + random suffix). */
  readonly identity: string;
  /** How long a lease stays valid without renewal. Default 15 s. */
  readonly leaseDurationMs?: number;
  /** The leader gives up when it could not renew for this long. Default 10 s. */
  readonly renewDeadlineMs?: number;
  /** Time between attempts to acquire or renew (stretched by up to 20% at random). Default 2 s. */
  readonly retryPeriodMs?: number;
  /** Clear the holder on stop() so another candidate takes over at once. Default true. */
  readonly releaseOnStop?: boolean;
  readonly callbacks: LeaderCallbacks;
  readonly log?: Logger;
  readonly clock?: Clock;
}

/** Kubernetes MicroTime: RFC 3339 with microseconds. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/Z$/, '000Z');
}

export class LeaderElector {
  readonly identity: string;
  private readonly lock: LeaseLock;
  private readonly leaseDurationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  private readonly releaseOnStop: boolean;
  private readonly callbacks: LeaderCallbacks;
  private readonly log: Logger;
  private readonly clock: Clock;
  private readonly stopController = new AbortController();
  private running: Promise<void> | undefined;
  /** The lease as last read or written, and when (this clock) its resourceVersion was first seen. */
  private observed: Lease | undefined;
  private observedAt = 0;
  private reportedLeader = '';
  private leading = false;

  constructor(options: LeaderElectionOptions) {
    this.lock = options.lock;
    this.identity = options.identity;
    this.leaseDurationMs = options.leaseDurationMs ?? 15_000;
    this.renewDeadlineMs = options.renewDeadlineMs ?? 10_000;
    this.retryPeriodMs = options.retryPeriodMs ?? 2_000;
    this.releaseOnStop = options.releaseOnStop ?? true;
    this.callbacks = options.callbacks;
    this.log = (options.log ?? silentLogger).with({ lease: `${this.lock.namespace}/${this.lock.name}`, identity: this.identity });
    this.clock = options.clock ?? realClock;
    if (!this.identity) throw new Error('leader election: identity is required');
    if (this.leaseDurationMs <= this.renewDeadlineMs) throw new Error('leader election: leaseDuration must be greater than renewDeadline');
    if (this.renewDeadlineMs <= this.retryPeriodMs * 1.2) throw new Error('leader election: renewDeadline must be greater than retryPeriod × 1.2');
  }

  /** Starts campaigning (once); the elector runs until stop(). */
  start(): void {
    if (this.running || this.stopController.signal.aborted) return;
    this.running = this.run();
  }

  /** Stops; if leading, releases the lease (see releaseOnStop) and calls onStoppedLeading. */
  async stop(): Promise<void> {
    this.stopController.abort();
    await this.running;
  }

  isLeader(): boolean {
    return this.leading;
  }

  /** The holder this candidate last observed ('' when none). */
  get leader(): string {
    return this.observed?.spec?.holderIdentity ?? '';
  }

  /** The lease's transition count as last observed. */
  get leaseTransitions(): number {
    return this.observed?.spec?.leaseTransitions ?? 0;
  }

  private get stopSignal(): AbortSignal {
    return this.stopController.signal;
  }

  private async run(): Promise<void> {
    while (!this.stopSignal.aborted) {
      if (!(await this.acquire())) break;
      const leadership = new AbortController();
      this.leading = true;
      this.log.info('became leader');
      this.startLeading(leadership.signal);
      await this.renew();
      this.leading = false;
      leadership.abort();
      if (this.stopSignal.aborted && this.releaseOnStop) await this.release();
      this.log.info('stopped leading');
      try {
        this.callbacks.onStoppedLeading?.();
      } catch (err) {
        this.log.error('onStoppedLeading failed', { error: err });
      }
    }
  }

  /** Tries every retry period until this candidate holds the lease (true) or is stopped (false). */
  private async acquire(): Promise<boolean> {
    for (;;) {
      if (this.stopSignal.aborted) return false;
      const acquired = await this.attempt(this.renewDeadlineMs);
      if (acquired) return true;
      try {
        await sleep(this.retryPeriodMs * (1 + 0.2 * Math.random()), this.stopSignal, this.clock);
      } catch {
        return false;
      }
    }
  }

  /** Renews every retry period; returns when leadership is lost or the elector is stopped. */
  private async renew(): Promise<void> {
    let lastRenew = this.clock.now();
    for (;;) {
      try {
        await sleep(this.retryPeriodMs, this.stopSignal, this.clock);
      } catch {
        return;
      }
      const start = this.clock.now();
      const left = this.renewDeadlineMs - (start - lastRenew);
      if (left > 0 && (await this.attempt(left))) {
        lastRenew = start;
        continue;
      }
      if (this.stopSignal.aborted) return;
      const other = this.leader !== this.identity;
      if (other || this.clock.now() - lastRenew >= this.renewDeadlineMs) {
        this.log.warn(other ? 'lease taken by another candidate' : 'could not renew the lease in time', { holder: this.leader, renewDeadlineMs: this.renewDeadlineMs });
        return;
      }
    }
  }

  /** One tryAcquireOrRenew, cut off after `timeoutMs` (or on stop); false on any failure. */
  private async attempt(timeoutMs: number): Promise<boolean> {
    const abort = new AbortController();
    const cancel = this.clock.after(timeoutMs, () => abort.abort(new Error(`lease request timed out after ${timeoutMs} ms`)));
    const onStop = () => abort.abort(new Error('stopped'));
    this.stopSignal.addEventListener('abort', onStop, { once: true });
    try {
      return await this.tryAcquireOrRenew(abort.signal);
    } catch (err) {
      if (isStatusError(err, 409)) this.log.debug('lease write conflict: another candidate wrote first');
      else if (!this.stopSignal.aborted) this.log.warn('lease request failed', { error: err });
      return false;
    } finally {
      cancel();
      this.stopSignal.removeEventListener('abort', onStop);
      this.reportLeader();
    }
  }

  private async tryAcquireOrRenew(signal: AbortSignal): Promise<boolean> {
    const now = this.clock.now();
    const leaseDurationSeconds = Math.max(1, Math.ceil(this.leaseDurationMs / 1000));
    const current = await this.lock.get(signal);
    if (!current) {
      const created = await this.lock.create(
        {
          apiVersion: 'coordination.k8s.io/v1',
          kind: 'Lease',
          metadata: { name: this.lock.name, namespace: this.lock.namespace },
          spec: { holderIdentity: this.identity, leaseDurationSeconds, acquireTime: microTime(now), renewTime: microTime(now), leaseTransitions: 0 },
        },
        signal,
      );
      this.observe(created);
      return true;
    }
    this.observe(current);
    const spec = current.spec ?? {};
    const holder = spec.holderIdentity ?? '';
    const mine = holder === this.identity;
    if (holder && !mine && this.observedAt + this.leaseDurationMs > now) return false;
    const next: Lease = {
      ...current,
      spec: {
        ...spec,
        holderIdentity: this.identity,
        leaseDurationSeconds,
        renewTime: microTime(now),
        acquireTime: mine && spec.acquireTime ? spec.acquireTime : microTime(now),
        leaseTransitions: mine ? (spec.leaseTransitions ?? 0) : (spec.leaseTransitions ?? 0) + 1,
      },
    };
    // `next` carries current.metadata.resourceVersion: a concurrent write makes this a 409.
    this.observe(await this.lock.update(next, signal));
    return true;
  }

  /** Records a lease read or written; a new resourceVersion restarts the expiry clock. */
  private observe(lease: Lease): void {
    if (lease.metadata?.resourceVersion !== this.observed?.metadata?.resourceVersion || !this.observed) this.observedAt = this.clock.now();
    this.observed = lease;
  }

  private reportLeader(): void {
    const holder = this.leader;
    if (!holder || holder === this.reportedLeader) return;
    this.reportedLeader = holder;
    try {
      this.callbacks.onNewLeader?.(holder);
    } catch (err) {
      this.log.error('onNewLeader failed', { error: err });
    }
  }

  private startLeading(signal: AbortSignal): void {
    try {
      const result = this.callbacks.onStartedLeading(signal);
      if (result) void Promise.resolve(result).catch((err: unknown) => this.log.error('onStartedLeading failed', { error: err }));
    } catch (err) {
      this.log.error('onStartedLeading failed', { error: err });
    }
  }

  /**
   * Clears the holder, if this candidate holds the lease. The lease is read again first, as
   * client-go does: a renewal that stop() cut off may have been written without its answer
   * arriving, and a write from the older resourceVersion would then be refused (409), leaving the
   * others to wait a whole lease duration.
   */
  private async release(): Promise<void> {
    if (this.observed?.spec?.holderIdentity !== this.identity) return;
    const abort = new AbortController();
    const cancel = this.clock.after(this.renewDeadlineMs, () => abort.abort());
    try {
      const lease = await this.lock.get(abort.signal);
      if (!lease) return;
      this.observe(lease);
      if (lease.spec?.holderIdentity !== this.identity) return;
      const spec = { ...lease.spec };
      delete spec.holderIdentity;
      const now = this.clock.now();
      const released: Lease = { ...lease, spec: { ...spec, leaseDurationSeconds: 1, renewTime: microTime(now), acquireTime: microTime(now) } };
      this.observe(await this.lock.update(released, abort.signal));
      this.log.info('released the lease');
    } catch (err) {
      this.log.warn('could not release the lease', { error: err });
    } finally {
      cancel();
    }
  }

}
