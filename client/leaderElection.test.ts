import type { Lease } from '../api/kinds/coordination/lease';
import { StatusError } from '../api/status';
import { FakeClock } from './clock';
import { LeaderElector, microTime, type LeaseLock, type LeaderElectionOptions } from './leaderElection';

/** One lease in memory, with resourceVersions and 409s like the API server. */
class LeaseServer {
  lease: Lease | undefined;
  rv = 1;
  writes: { by: string; holder: string | undefined }[] = [];

  lockFor(who: string): LeaseLock & { partitioned: boolean; answersLost: boolean } {
    const server = this;
    const reach = (signal: AbortSignal) =>
      lock.partitioned
        ? new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted: unreachable')), { once: true }))
        : Promise.resolve();
    const lock = {
      namespace: 'ns',
      name: 'lead',
      partitioned: false,
      /** Writes are stored, but their answers never arrive (the request hangs until aborted). */
      answersLost: false,
      async get(signal: AbortSignal) {
        await reach(signal);
        return server.lease && structuredClone(server.lease);
      },
      async create(lease: Lease, signal: AbortSignal) {
        await reach(signal);
        if (server.lease) throw new StatusError(409, 'AlreadyExists', 'exists');
        return server.store(lease, who);
      },
      async update(lease: Lease, signal: AbortSignal) {
        await reach(signal);
        if (lease.metadata?.resourceVersion !== server.lease?.metadata?.resourceVersion) throw new StatusError(409, 'Conflict', 'the object has been modified');
        const stored = server.store(lease, who);
        if (lock.answersLost) return new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted: answer lost')), { once: true }));
        return stored;
      },
    };
    return lock;
  }

  private store(lease: Lease, who: string): Lease {
    this.lease = structuredClone({ ...lease, metadata: { ...lease.metadata, resourceVersion: String(++this.rv) } });
    this.writes.push({ by: who, holder: lease.spec?.holderIdentity });
    return structuredClone(this.lease);
  }
}

const flush = () => new Promise((r) => setImmediate(r));

/** Moves the fake clock in small steps, letting promises run between them. */
async function advance(clock: FakeClock, ms: number, step = 10): Promise<void> {
  for (let t = 0; t < ms; t += step) {
    clock.advance(step);
    await flush();
  }
}

interface Candidate {
  elector: LeaderElector;
  lock: ReturnType<LeaseServer['lockFor']>;
  log: string[];
}

function candidate(server: LeaseServer, clock: FakeClock, id: string, options: Partial<LeaderElectionOptions> = {}): Candidate {
  const log: string[] = [];
  const lock = server.lockFor(id);
  const elector = new LeaderElector({
    lock,
    identity: id,
    leaseDurationMs: 15_000,
    renewDeadlineMs: 10_000,
    retryPeriodMs: 2_000,
    clock,
    callbacks: {
      onStartedLeading: (signal) => {
        log.push(`started ${clock.now()}`);
        signal.addEventListener('abort', () => log.push(`signal ${clock.now()}`));
      },
      onStoppedLeading: () => void log.push(`stopped ${clock.now()}`),
      onNewLeader: (who) => void log.push(`leader ${who}`),
    },
    ...options,
  });
  return { elector, lock, log };
}

describe('LeaderElector', () => {
  it('creates the lease, leads, and renews it every retry period', async () => {
    const clock = new FakeClock();
    const server = new LeaseServer();
    const a = candidate(server, clock, 'a');
    a.elector.start();
    await advance(clock, 10);
    expect(a.elector.isLeader()).toBe(true);
    expect(a.log).toEqual(['leader a', expect.stringMatching(/^started /)]);
    expect(server.lease?.spec).toMatchObject({ holderIdentity: 'a', leaseDurationSeconds: 15, leaseTransitions: 0 });
    const acquired = server.lease!.spec!.acquireTime;
    const renewed = server.lease!.spec!.renewTime;
    await advance(clock, 2_100);
    expect(server.lease!.spec!.renewTime).not.toBe(renewed);
    expect(server.lease!.spec!.acquireTime).toBe(acquired);
    expect(server.lease!.spec!.renewTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    await a.elector.stop();
    expect(a.log[a.log.length - 1]).toMatch(/^stopped/);
  });

  it('two candidates: one leads, the other follows; on stop the lease is released and the other takes over at its next retry', async () => {
    const clock = new FakeClock();
    const server = new LeaseServer();
    const a = candidate(server, clock, 'a');
    const b = candidate(server, clock, 'b');
    a.elector.start();
    b.elector.start();
    await advance(clock, 5_000);
    const leaders = [a, b].filter((c) => c.elector.isLeader());
    expect(leaders).toHaveLength(1);
    const [leader, follower] = a.elector.isLeader() ? [a, b] : [b, a];
    expect(follower.log).toEqual([`leader ${leader.elector.identity}`]);
    await leader.elector.stop();
    expect(server.lease?.spec?.holderIdentity).toBeUndefined(); // released
    const stoppedAt = clock.now();
    await advance(clock, 2_500);
    expect(follower.elector.isLeader()).toBe(true);
    const started = Number(follower.log.find((l) => l.startsWith('started'))!.split(' ')[1]);
    expect(started - stoppedAt).toBeLessThanOrEqual(2_400); // one retry period (+20% jitter)
    expect(server.lease?.spec?.leaseTransitions).toBe(1);
    expect(follower.log).toContain(`leader ${follower.elector.identity}`);
    await follower.elector.stop();
  });

  it('releases the lease on stop even when the renewal stop() cut off was written without its answer arriving', async () => {
    const clock = new FakeClock();
    const server = new LeaseServer();
    const a = candidate(server, clock, 'a');
    a.elector.start();
    await advance(clock, 10);
    expect(a.elector.isLeader()).toBe(true);
    a.lock.answersLost = true;
    await advance(clock, 2_000); // the renewal at 2 s is stored; its answer hangs
    const renewedRv = server.lease!.metadata!.resourceVersion;
    expect(server.writes).toHaveLength(2);
    a.lock.answersLost = false;
    await a.elector.stop();
    expect(server.lease!.metadata!.resourceVersion).not.toBe(renewedRv);
    expect(server.lease?.spec?.holderIdentity).toBeUndefined(); // released, from the lease as it is now
    expect(server.writes[server.writes.length - 1]).toEqual({ by: 'a', holder: undefined });
  });

  it('a leader that cannot renew stops leading after renewDeadline; the other takes over only after a lease duration, never overlapping', async () => {
    const clock = new FakeClock();
    const server = new LeaseServer();
    const a = candidate(server, clock, 'a');
    a.elector.start();
    await advance(clock, 10);
    expect(a.elector.isLeader()).toBe(true);
    const b = candidate(server, clock, 'b');
    b.elector.start();
    await advance(clock, 3_000);
    a.lock.partitioned = true; // its requests now hang: no renewals
    const lastRenew = Date.parse(server.lease!.spec!.renewTime!);
    await advance(clock, 30_000, 50);
    const aStopped = Number(a.log.find((l) => l.startsWith('stopped'))!.split(' ')[1]);
    const bStarted = Number(b.log.find((l) => l.startsWith('started'))!.split(' ')[1]);
    expect(aStopped - lastRenew).toBeLessThanOrEqual(10_000 + 2_000); // renew deadline (checked each retry)
    expect(bStarted).toBeGreaterThan(aStopped); // no two leaders at once
    expect(bStarted - lastRenew).toBeGreaterThanOrEqual(15_000);
    expect(bStarted - lastRenew).toBeLessThanOrEqual(15_000 + 2 * 2_400);
    expect(a.elector.isLeader()).toBe(false);
    expect(b.elector.isLeader()).toBe(true);
    expect(server.lease?.spec).toMatchObject({ holderIdentity: 'b', leaseTransitions: 1 });
    // a is a candidate again and sees b lead.
    a.lock.partitioned = false;
    await advance(clock, 5_000);
    expect(a.elector.isLeader()).toBe(false);
    expect(a.log).toContain('leader b');
    await Promise.all([a.elector.stop(), b.elector.stop()]);
  });

  it('a leader that sees another holder stops leading at once', async () => {
    const clock = new FakeClock();
    const server = new LeaseServer();
    const a = candidate(server, clock, 'a');
    a.elector.start();
    await advance(clock, 10);
    // Someone else overwrites the lease (say, an operator with kubectl).
    server.lease = { ...server.lease!, metadata: { ...server.lease!.metadata, resourceVersion: String(++server.rv) }, spec: { ...server.lease!.spec, holderIdentity: 'intruder' } };
    await advance(clock, 2_500);
    expect(a.elector.isLeader()).toBe(false);
    expect(a.log.some((l) => l.startsWith('stopped'))).toBe(true);
    expect(a.log).toContain('leader intruder');
    await a.elector.stop();
    expect(server.lease.spec?.holderIdentity).toBe('intruder'); // not released: not ours
  });

  it('concurrent writers: every write carries the resourceVersion it read, so of many candidates racing exactly one wins', async () => {
    const clock = new FakeClock();
    const server = new LeaseServer();
    const cs = ['a', 'b', 'c', 'd', 'e'].map((id) => candidate(server, clock, id));
    for (const c of cs) c.elector.start(); // all GET "absent" and try to create at once
    await advance(clock, 100);
    expect(cs.filter((c) => c.elector.isLeader())).toHaveLength(1);
    expect(server.writes).toHaveLength(1);
    const leader = cs.find((c) => c.elector.isLeader())!;
    await leader.elector.stop(); // released: the rest race for a free lease, with the same resourceVersion
    await advance(clock, 3_000);
    const next = cs.filter((c) => c.elector.isLeader());
    expect(next).toHaveLength(1);
    expect(server.lease?.spec?.holderIdentity).toBe(next[0]!.elector.identity);
    expect(server.lease?.spec?.leaseTransitions).toBe(1);
    for (const c of cs) await c.elector.stop();
  });

  it('cuts off a renewal that hangs, at the renew deadline', async () => {
    const clock = new FakeClock();
    const server = new LeaseServer();
    const a = candidate(server, clock, 'a');
    a.elector.start();
    await advance(clock, 1_990);
    a.lock.partitioned = true; // the next renewal (at 2 s) hangs
    const lastRenew = Date.parse(server.lease!.spec!.renewTime!);
    await advance(clock, 12_100, 50);
    expect(a.elector.isLeader()).toBe(false);
    const stopped = Number(a.log.find((l) => l.startsWith('stopped'))!.split(' ')[1]);
    expect(stopped - lastRenew).toBeLessThanOrEqual(10_100);
    await a.elector.stop();
  });

  it('validates its durations', () => {
    const lock = new LeaseServer().lockFor('x');
    const callbacks = { onStartedLeading: () => {} };
    expect(() => new LeaderElector({ lock, identity: 'x', callbacks, leaseDurationMs: 10_000, renewDeadlineMs: 10_000 })).toThrow(/leaseDuration/);
    expect(() => new LeaderElector({ lock, identity: 'x', callbacks, renewDeadlineMs: 2_000, retryPeriodMs: 2_000 })).toThrow(/renewDeadline/);
    expect(() => new LeaderElector({ lock, identity: '', callbacks })).toThrow(/identity/);
  });

  it('formats MicroTime with microseconds', () => {
    expect(microTime(Date.UTC(2024, 4, 1, 10, 0, 10, 123))).toBe('2024-05-01T10:00:10.123000Z');
  });
});
