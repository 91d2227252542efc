import { FakeClock } from '../../client/clock';
import type { Pod } from '../../api/kinds/core/pod';
import type { ClusterEvent } from '../framework/interfaces';
import { backoffDuration } from './backoff';
import { SchedulingQueue } from './schedulingQueue';

let n = 0;
function pod(name: string, opts: { priority?: number; created?: string; gates?: boolean; labels?: Record<string, string> } = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'ns', uid: `uid-${name}-${n++}`, creationTimestamp: opts.created ?? '2024-01-01T00:00:00Z', ...(opts.labels ? { labels: opts.labels } : {}) },
    spec: { containers: [{ name: 'c', image: 'x' }], ...(opts.priority !== undefined ? { priority: opts.priority } : {}), ...(opts.gates ? { schedulingGates: [{ name: 'g' }] } : {}) },
  } as Pod;
}

const interest: Record<string, ClusterEvent[]> = { NodeResourcesFit: ['NodeAdd', 'PodDelete'], TaintToleration: ['NodeTaintChange'] };

function newQueue(clock = new FakeClock()) {
  const q = new SchedulingQueue({ clock, interest: (p) => (interest[p] ? new Set(interest[p]) : undefined) });
  return { q, clock };
}

async function popName(q: SchedulingQueue): Promise<string | undefined> {
  return (await q.pop())?.pod.metadata?.name;
}

describe('backoffDuration', () => {
  it('is 1 s after the first attempt, doubling to at most 10 s', () => {
    expect([1, 2, 3, 4, 5, 6, 20].map((a) => backoffDuration(a))).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000, 10_000]);
  });
});

describe('SchedulingQueue', () => {
  it('pops by priority, then by age (creationTimestamp), then by arrival', async () => {
    const { q } = newQueue();
    q.add(pod('low-old', { priority: 0, created: '2024-01-01T00:00:00Z' }));
    q.add(pod('high', { priority: 100, created: '2024-01-03T00:00:00Z' }));
    q.add(pod('low-new', { priority: 0, created: '2024-01-02T00:00:00Z' }));
    q.add(pod('low-old-2', { priority: 0, created: '2024-01-01T00:00:00Z' }));
    expect([await popName(q), await popName(q), await popName(q), await popName(q)]).toEqual(['high', 'low-old', 'low-old-2', 'low-new']);
  });

  it('pop waits for a pod and resolves undefined once closed', async () => {
    const { q } = newQueue();
    const waiting = q.pop();
    q.add(pod('later'));
    expect((await waiting)?.pod.metadata?.name).toBe('later');
    const pending = q.pop();
    q.close();
    expect(await pending).toBeUndefined();
  });

  it('keeps an unschedulable pod until an event one of its rejecting plugins registered', async () => {
    const { q, clock } = newQueue();
    q.add(pod('p'));
    const qp = (await q.pop())!;
    qp.unschedulablePlugins = new Set(['TaintToleration']);
    q.addUnschedulableIfNotPresent(qp, q.schedulingCycle);
    expect(q.whereIs(qp.pod)).toBe('unschedulable');
    q.moveAllToActiveOrBackoff(['NodeAdd']); // TaintToleration did not register NodeAdd
    expect(q.whereIs(qp.pod)).toBe('unschedulable');
    clock.advance(500);
    q.moveAllToActiveOrBackoff(['NodeTaintChange']);
    // Still within its 1 s backoff: to backoffQ, then activeQ once the backoff ends.
    expect(q.whereIs(qp.pod)).toBe('backoff');
    clock.advance(499);
    q.flushBackoffCompleted();
    expect(q.whereIs(qp.pod)).toBe('backoff');
    clock.advance(1);
    q.flushBackoffCompleted();
    expect(q.whereIs(qp.pod)).toBe('active');
  });

  it('retries at once on an event when the backoff is over, and on any event after an error', async () => {
    const { q, clock } = newQueue();
    q.add(pod('a'));
    const a = (await q.pop())!;
    a.unschedulablePlugins = new Set(['NodeResourcesFit']);
    q.addUnschedulableIfNotPresent(a, q.schedulingCycle);
    clock.advance(5000);
    q.moveAllToActiveOrBackoff(['PodDelete']);
    expect(q.whereIs(a.pod)).toBe('active');
    await q.pop();
    // An error (no rejecting plugins) goes to backoffQ directly.
    a.unschedulablePlugins = new Set();
    q.addUnschedulableIfNotPresent(a, q.schedulingCycle);
    expect(q.whereIs(a.pod)).toBe('backoff');
    expect(q.backoffExpiry(a) - clock.now()).toBe(2000); // second attempt: 2 s
  });

  it('sends a pod to backoffQ when a move request came while it was being scheduled', async () => {
    const { q } = newQueue();
    q.add(pod('p'));
    const qp = (await q.pop())!;
    const cycle = q.schedulingCycle;
    q.moveAllToActiveOrBackoff(['NodeAdd']); // arrives during the attempt
    qp.unschedulablePlugins = new Set(['TaintToleration']);
    q.addUnschedulableIfNotPresent(qp, cycle);
    expect(q.whereIs(qp.pod)).toBe('backoff');
  });

  it('flushes pods unschedulable for longer than 5 minutes, periodically', async () => {
    const clock = new FakeClock();
    const { q } = newQueue(clock);
    q.run();
    q.add(pod('p'));
    const qp = (await q.pop())!;
    qp.unschedulablePlugins = new Set(['TaintToleration']);
    q.addUnschedulableIfNotPresent(qp, q.schedulingCycle);
    clock.advance(4 * 60_000);
    expect(q.whereIs(qp.pod)).toBe('unschedulable');
    clock.advance(90_000);
    expect(q.whereIs(qp.pod)).toBe('active');
    q.close();
    expect(clock.pending).toBe(0);
  });

  it('holds gated pods until the gates are removed, and requeues an unschedulable pod whose spec changed', async () => {
    const { q } = newQueue();
    const gated = pod('g', { gates: true });
    q.add(gated);
    expect(q.counts()).toEqual({ active: 0, backoff: 0, unschedulable: 0, gated: 1 });
    const ungated = { ...gated, spec: { ...gated.spec!, schedulingGates: [] } } as Pod;
    q.update(gated, ungated);
    expect(q.whereIs(ungated)).toBe('active');
    const qp = (await q.pop())!;
    qp.unschedulablePlugins = new Set(['TaintToleration']);
    q.addUnschedulableIfNotPresent(qp, q.schedulingCycle);
    // A status-only change does not requeue; a label change does.
    q.update(ungated, { ...ungated, status: { phase: 'Pending' } } as Pod);
    expect(q.whereIs(ungated)).toBe('unschedulable');
    q.update(ungated, { ...ungated, metadata: { ...ungated.metadata, labels: { a: 'b' } } } as Pod);
    expect(q.whereIs(ungated)).not.toBe('unschedulable');
    q.delete(ungated);
    expect(q.whereIs(ungated)).toBeUndefined();
  });

  it('tracks nominated pods per node', () => {
    const { q } = newQueue();
    const p = { ...pod('n'), status: { nominatedNodeName: 'node-1' } } as Pod;
    q.add(p);
    expect(q.nominator.podsForNode('node-1').map((pi) => pi.pod.metadata?.name)).toEqual(['n']);
    q.nominator.add(p, 'node-2');
    expect(q.nominator.podsForNode('node-1')).toEqual([]);
    expect(q.nominator.nominatedNode(p)).toBe('node-2');
    q.delete(p);
    expect(q.nominator.size).toBe(0);
  });
});
