/**
 * Preemption on a real API server: a high-priority pod (PriorityClass) that fits nowhere evicts
 * lower-priority pods from one node, is nominated there and bound once they are gone. No node
 * agent runs, so the test plays its part: it finishes the victims' graceful deletion.
 */
import type { Pod } from '../../api/kinds/core/pod';
import { useControlPlane } from '../harness/apiserver';
import type { SchedulerServer } from '../../scheduler/server';
import { createNamespace, createNode, createPod, eventually, getPod, startScheduler, waitForBound } from './helpers';

const plane = useControlPlane();
let sched: SchedulerServer;

beforeAll(async () => {
  for (const [name, value] of [['low', 10], ['high', 1000]] as const) {
    await plane.client.create('/apis/scheduling.k8s.io/v1/priorityclasses', { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name }, value });
  }
  await createNode(plane.client, 'n0', { cpu: '2' });
  await createNode(plane.client, 'n1', { cpu: '2' });
  await createNamespace(plane.client, 'prio');
  sched = await startScheduler(plane.url);
}, 30_000);
afterAll(async () => {
  await sched?.stop();
});

async function pods(): Promise<Pod[]> {
  return (await plane.client.get<{ items: Pod[] }>('/api/v1/namespaces/prio/pods')).items;
}

describe('preemption', () => {
  it('evicts lower-priority pods from one node and binds the preemptor there', async () => {
    // n0 runs two pods of priority 10; n1 one of priority 10 and one of 1000.
    await createPod(plane.client, 'prio', 'low-0', { cpu: '1', priorityClassName: 'low', spec: { nodeName: 'n0' } });
    await createPod(plane.client, 'prio', 'low-1', { cpu: '1', priorityClassName: 'low', spec: { nodeName: 'n0' } });
    await createPod(plane.client, 'prio', 'low-2', { cpu: '1', priorityClassName: 'low', spec: { nodeName: 'n1' } });
    await createPod(plane.client, 'prio', 'keeper', { cpu: '1', priorityClassName: 'high', spec: { nodeName: 'n1' } });

    await createPod(plane.client, 'prio', 'important', { cpu: '2', priorityClassName: 'high' });
    const nominated = await eventually('a nominated node', async () => (await getPod(plane.client, 'prio', 'important')).status?.nominatedNodeName || undefined);
    expect(nominated).toBe('n0');
    const cond = (await getPod(plane.client, 'prio', 'important')).status?.conditions?.find((c) => c.type === 'PodScheduled');
    expect(cond).toMatchObject({ status: 'False', reason: 'Unschedulable', message: '0/2 nodes are available: 2 Insufficient cpu.' });

    // The victims are being deleted (gracefully: they are bound); the others are untouched.
    const terminating = await eventually('victims terminating', async () => {
      const t = (await pods()).filter((p) => p.metadata?.deletionTimestamp).map((p) => p.metadata!.name!).sort();
      return t.length === 2 ? t : undefined;
    });
    expect(terminating).toEqual(['low-0', 'low-1']);
    // Play the node agent: the victims' containers have stopped.
    for (const name of terminating) await plane.client.delete(`/api/v1/namespaces/prio/pods/${name}`, { apiVersion: 'v1', kind: 'DeleteOptions', gracePeriodSeconds: 0 });

    expect(await waitForBound(plane.client, 'prio', 'important')).toBe('n0');
    const left = (await pods()).map((p) => p.metadata!.name!).sort();
    expect(left).toEqual(['important', 'keeper', 'low-2']);
  });

  it('does not preempt for a pod whose policy is Never', async () => {
    await createPod(plane.client, 'prio', 'polite', { cpu: '2', priority: 2000, spec: { preemptionPolicy: 'Never' } });
    const cond = await eventually('the unschedulable condition', async () => (await getPod(plane.client, 'prio', 'polite')).status?.conditions?.find((c) => c.type === 'PodScheduled'));
    expect(cond.message).toBe('0/2 nodes are available: 2 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.');
    expect((await pods()).some((p) => p.metadata?.deletionTimestamp)).toBe(false);
  });
});
