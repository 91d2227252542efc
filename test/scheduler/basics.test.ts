/**
 * The scheduler against a real API server: spreading over nodes, taints and tolerations,
 * resource exhaustion (Pending with Kubernetes' condition and message, then scheduled once room
 * appears), events, and pods of other schedulers left alone.
 */
import { useControlPlane } from '../harness/apiserver';
import type { SchedulerServer } from '../../scheduler/server';
import { createNamespace, createNode, createPod, eventsFor, eventually, getPod, startScheduler, waitForBound, waitForUnschedulable } from './helpers';

const plane = useControlPlane();
let sched: SchedulerServer;

beforeAll(async () => {
  for (let i = 0; i < 3; i++) await createNode(plane.client, `node-${i}`, { cpu: '2', memory: '4Gi' });
  await createNode(plane.client, 'tainted', { cpu: '8', memory: '16Gi', taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] });
  sched = await startScheduler(plane.url);
}, 30_000);
afterAll(async () => {
  await sched?.stop();
});

describe('scheduler', () => {
  it('spreads pods over the nodes that fit and records Scheduled events', async () => {
    await createNamespace(plane.client, 'spread');
    for (let i = 0; i < 6; i++) await createPod(plane.client, 'spread', `p${i}`, { cpu: '500m', memory: '256Mi' });
    const nodes = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => waitForBound(plane.client, 'spread', `p${i}`)));
    expect(nodes).not.toContain('tainted');
    const counts = new Map<string, number>();
    for (const n of nodes) counts.set(n, (counts.get(n) ?? 0) + 1);
    // LeastAllocated + BalancedAllocation: 2 per node.
    expect([...counts.values()]).toEqual([2, 2, 2]);
    const events = await eventually('a Scheduled event', async () => (await eventsFor(plane.client, 'spread', 'p0')).find((e) => e.reason === 'Scheduled'));
    expect(events.message).toBe(`Successfully assigned spread/p0 to ${nodes[0]}`);
  });

  it('places a pod tolerating a taint on the tainted node only when others do not fit', async () => {
    await createNamespace(plane.client, 'taints');
    const toleration = { key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' };
    await createPod(plane.client, 'taints', 'big', { cpu: '6', spec: { tolerations: [toleration] } });
    expect(await waitForBound(plane.client, 'taints', 'big')).toBe('tainted');
  });

  it('leaves a pod that fits nowhere Pending with the reasons, and schedules it once room appears', async () => {
    await createNamespace(plane.client, 'full');
    // 3 cpu is more than the small nodes have at all (so preemption cannot help there either).
    await createPod(plane.client, 'full', 'huge', { cpu: '3' });
    const cond = await waitForUnschedulable(plane.client, 'full', 'huge');
    expect(cond.reason).toBe('Unschedulable');
    expect(cond.message).toBe(
      '0/4 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 3 Insufficient cpu. ' +
        'preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.',
    );
    const failed = await eventually('a FailedScheduling event', async () => (await eventsFor(plane.client, 'full', 'huge')).find((e) => e.reason === 'FailedScheduling'));
    expect(failed.type).toBe('Warning');
    expect((await getPod(plane.client, 'full', 'huge')).spec?.nodeName).toBeUndefined();
    await createNode(plane.client, 'roomy', { cpu: '4' });
    expect(await waitForBound(plane.client, 'full', 'huge')).toBe('roomy');
  });

  it('leaves pods of an unknown schedulerName alone', async () => {
    await createNamespace(plane.client, 'other');
    await createPod(plane.client, 'other', 'mine', { schedulerName: 'someone-else' });
    await createPod(plane.client, 'other', 'marker');
    await waitForBound(plane.client, 'other', 'marker');
    // The scheduler has seen (and scheduled) a pod created after it; the other one is untouched.
    const pod = await getPod(plane.client, 'other', 'mine');
    expect(pod.spec?.nodeName).toBeUndefined();
    expect(pod.status?.conditions?.find((c) => c.type === 'PodScheduled')).toBeUndefined();
    expect(await eventsFor(plane.client, 'other', 'mine')).toEqual([]);
  });
});
