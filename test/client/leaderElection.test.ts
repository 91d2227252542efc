/**
 * Leader election on a real Lease: one leader among candidates, takeover when the leader stops
 * (released: at the next retry) or stops renewing (cut off from the server: after a lease
 * duration, never overlapping), and concurrent writers settled by resourceVersion conflicts.
 */
import type { Lease } from '../../api/kinds/coordination/lease';
import { LeaderElector, restLeaseLock, type LeaseLock } from '../../client/leaderElection';
import { useControlPlane } from '../harness/apiserver';
import { FaultyProxy } from './proxy';
import { eventually, sleep, testClient, uniqueName } from './helpers';

const plane = useControlPlane();

/** Successful lease writes, by candidate, in order. */
const writes: string[] = [];
function recording(lock: LeaseLock, identity: string): LeaseLock {
  return {
    namespace: lock.namespace,
    name: lock.name,
    get: (signal) => lock.get(signal),
    create: async (lease, signal) => {
      const created = await lock.create(lease, signal);
      writes.push(identity);
      return created;
    },
    update: async (lease, signal) => {
      const updated = await lock.update(lease, signal);
      writes.push(identity);
      return updated;
    },
  };
}

const leaseDurationMs = 2000;
const renewDeadlineMs = 1500;
const retryPeriodMs = 250;

interface Candidate {
  readonly elector: LeaderElector;
  readonly started: number[];
  readonly stopped: number[];
  readonly leaders: string[];
}

describe('leader election (integration)', () => {
  const electors: LeaderElector[] = [];
  const proxies: FaultyProxy[] = [];
  afterEach(async () => {
    await Promise.all(electors.splice(0).map((e) => e.stop()));
    await Promise.all(proxies.splice(0).map((p) => p.close()));
  });

  function candidate(lease: string, identity: string, server = plane.url): Candidate {
    const c: Candidate = {
      started: [],
      stopped: [],
      leaders: [],
      elector: new LeaderElector({
        lock: recording(restLeaseLock(testClient(server), 'default', lease), identity),
        identity,
        leaseDurationMs,
        renewDeadlineMs,
        retryPeriodMs,
        callbacks: {
          onStartedLeading: () => void c.started.push(Date.now()),
          onStoppedLeading: () => void c.stopped.push(Date.now()),
          onNewLeader: (id) => void c.leaders.push(id),
        },
      }),
    };
    electors.push(c.elector);
    return c;
  }

  const getLease = (name: string) => plane.client.get<Lease>(`/apis/coordination.k8s.io/v1/namespaces/default/leases/${name}`);

  it('one of two candidates leads; when it stops, it releases the lease and the other takes over at once', async () => {
    const name = uniqueName('lease');
    const a = candidate(name, 'a');
    const b = candidate(name, 'b');
    a.elector.start();
    b.elector.start();
    await eventually('a leader', () => (a.elector.isLeader() || b.elector.isLeader() ? true : undefined));
    await sleep(1000); // several renewals: still exactly one
    expect([a, b].filter((c) => c.elector.isLeader())).toHaveLength(1);
    const [leader, follower] = a.elector.isLeader() ? [a, b] : [b, a];
    expect(follower.leaders).toEqual([leader.elector.identity]);
    const lease = await getLease(name);
    expect(lease.spec).toMatchObject({ holderIdentity: leader.elector.identity, leaseDurationSeconds: 2, leaseTransitions: 0 });

    await leader.elector.stop();
    const stoppedAt = Date.now();
    expect(leader.stopped).toHaveLength(1);
    await eventually('the follower to take over', () => (follower.elector.isLeader() ? true : undefined), 5000);
    expect(follower.started[0]! - stoppedAt).toBeLessThan(leaseDurationMs); // a retry period, not a lease duration
    const after = await getLease(name);
    expect(after.spec).toMatchObject({ holderIdentity: follower.elector.identity, leaseTransitions: 1 });
  });

  it('a leader that stops renewing (cut off from the API server) steps down; the other takes over within a lease duration, never overlapping', async () => {
    const name = uniqueName('lease');
    const proxy = await FaultyProxy.start(plane.url);
    proxies.push(proxy);
    const a = candidate(name, 'a', proxy.url);
    a.elector.start();
    await eventually('a to lead', () => (a.elector.isLeader() ? true : undefined));
    const b = candidate(name, 'b');
    b.elector.start();
    await sleep(700);
    expect(b.elector.isLeader()).toBe(false);

    proxy.cut(); // a can no longer renew
    const cutAt = Date.now();
    await eventually('b to take over', () => (b.elector.isLeader() ? true : undefined), 10_000);
    expect(a.stopped).toHaveLength(1);
    expect(a.elector.isLeader()).toBe(false);
    const aStopped = a.stopped[0]!;
    const bStarted = b.started[0]!;
    expect(aStopped - cutAt).toBeLessThanOrEqual(renewDeadlineMs + retryPeriodMs + 200);
    expect(bStarted).toBeGreaterThanOrEqual(aStopped); // never two leaders
    expect(bStarted - aStopped).toBeLessThan(leaseDurationMs);
    expect(bStarted - cutAt).toBeLessThanOrEqual(leaseDurationMs + 3 * retryPeriodMs + 300);
    const lease = await getLease(name);
    expect(lease.spec).toMatchObject({ holderIdentity: 'b', leaseTransitions: 1 });

    // Back on the network, a is a candidate again and follows b.
    proxy.resume();
    await eventually('a to see b lead', () => (a.leaders.includes('b') ? true : undefined), 5000);
    await sleep(600);
    expect(a.elector.isLeader()).toBe(false);
    expect(b.elector.isLeader()).toBe(true);
  });

  it('of many candidates starting at once exactly one wins (only its writes succeed), and an outside write to the lease takes leadership away', async () => {
    const name = uniqueName('lease');
    const cs = ['c1', 'c2', 'c3', 'c4', 'c5'].map((id) => candidate(name, id));
    writes.length = 0;
    for (const c of cs) c.elector.start();
    await eventually('a leader', () => (cs.some((c) => c.elector.isLeader()) ? true : undefined));
    await sleep(1000);
    const leaders = cs.filter((c) => c.started.length > 0);
    expect(leaders).toHaveLength(1);
    const leader = leaders[0]!;
    // Every write that succeeded was the leader's: the others' lost on 409 (or never tried).
    expect(new Set(writes)).toEqual(new Set([leader.elector.identity]));
    expect(writes.length).toBeGreaterThanOrEqual(3); // created, then renewed
    expect((await getLease(name)).spec?.holderIdentity).toBe(leader.elector.identity);

    // A stale write is refused: the lease changed since this copy was read.
    const stale = await getLease(name);
    await sleep(2 * retryPeriodMs); // the leader renews meanwhile
    const refused = await plane.client.raw('PUT', `/apis/coordination.k8s.io/v1/namespaces/default/leases/${name}`, { body: { ...stale, spec: { ...stale.spec, holderIdentity: 'intruder' } } });
    expect(refused.status).toBe(409);

    // A current write by someone else wins; the leader notices at its next renewal and steps down.
    // The leader renews meanwhile, so the intruder reads again after a 409, as any writer would.
    let intruded = false;
    for (let attempt = 0; attempt < 10 && !intruded; attempt++) {
      const current = await getLease(name);
      const res = await plane.client.raw('PUT', `/apis/coordination.k8s.io/v1/namespaces/default/leases/${name}`, { body: { ...current, spec: { ...current.spec, holderIdentity: 'intruder' } } });
      expect([200, 409]).toContain(res.status);
      intruded = res.status === 200;
    }
    expect(intruded).toBe(true);
    await eventually('the leader to step down', () => (leader.stopped.length === 1 ? true : undefined), 5000);
    expect(cs.every((c) => !c.elector.isLeader() || c.leaders.includes('intruder'))).toBe(true);
    // The intruder never renews: after a lease duration one candidate takes over.
    await eventually('a new leader', () => (cs.some((c) => c.elector.isLeader()) ? true : undefined), 10_000);
    await sleep(500);
    expect(cs.filter((c) => c.elector.isLeader())).toHaveLength(1);
    const lease = await getLease(name);
    // The intruder copied the count; the candidate's takeover from it is one transition.
    expect(lease.spec).toMatchObject({ holderIdentity: cs.find((c) => c.elector.isLeader())!.elector.identity, leaseTransitions: 1 });
  });
});
