import type { Node } from '../api/kinds/core/node';
import type { Pod } from '../api/kinds/core/pod';
import type { EventRecorder } from '../client/events';
import type { PodSchedulingStatus, SchedulerApiWithStatus } from './api';
import { Scheduler } from './scheduler';

const node: Node = { metadata: { name: 'n1' }, status: { allocatable: { cpu: '2', memory: '4Gi', pods: '110' } } };

function pod(name: string, cpu: string): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'ns', uid: name }, spec: { containers: [{ name: 'c', image: 'x', resources: { requests: { cpu } } }] } } as Pod;
}

function fakes(failBindings: number) {
  const bound: string[] = [];
  const statuses: PodSchedulingStatus[] = [];
  const events: string[] = [];
  let failures = failBindings;
  const api: SchedulerApiWithStatus = {
    bind: async (p, n) => {
      if (failures-- > 0) throw new Error('etcd is unhappy');
      bound.push(`${p.metadata?.name}->${n}`);
    },
    deletePod: async () => {},
    clearNominatedNodeName: async () => {},
    updatePodSchedulingStatus: async (_p, s) => void statuses.push(s),
  };
  const recorder: EventRecorder = { event: (_o, type, reason, message) => void events.push(`${type} ${reason} ${message}`), flush: async () => {} };
  return { api, recorder, bound, statuses, events };
}

async function popAndSchedule(sched: Scheduler): Promise<void> {
  const q = await sched.queue.pop();
  await sched.scheduleOne(q!);
  await sched.waitForBindings();
}

describe('Scheduler', () => {
  it('assumes the pod (the next cycle counts it) and binds it in the background', async () => {
    const f = fakes(0);
    const sched = new Scheduler({ api: f.api, recorder: f.recorder });
    sched.cache.addNode(node);
    sched.queue.add(pod('a', '1500m'));
    sched.queue.add(pod('b', '1'));
    const qa = (await sched.queue.pop())!;
    await sched.scheduleOne(qa);
    expect(sched.cache.isAssumed(qa.pod)).toBe(true);
    // b no longer fits next to the assumed a, though a's binding has not been confirmed.
    await popAndSchedule(sched);
    expect(f.bound).toEqual(['a->n1']);
    expect(f.statuses).toEqual([{ reason: 'Unschedulable', message: '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.', nominatedNodeName: undefined }]);
    expect(f.events).toEqual(['Normal Scheduled Successfully assigned ns/a to n1', 'Warning FailedScheduling ' + f.statuses[0]!.message]);
    expect(sched.queue.counts().unschedulable).toBe(1);
    expect(sched.metrics.attempts.get({ result: 'scheduled', profile: 'default-scheduler' })).toBe(1);
    expect(sched.metrics.attempts.get({ result: 'unschedulable', profile: 'default-scheduler' })).toBe(1);
  });

  it('forgets the assumption of a failed binding and requeues the pod with backoff', async () => {
    const f = fakes(1);
    const sched = new Scheduler({ api: f.api, recorder: f.recorder });
    sched.cache.addNode(node);
    const p = pod('a', '1');
    sched.queue.add(p);
    await popAndSchedule(sched);
    expect(f.bound).toEqual([]);
    expect(sched.cache.isAssumed(p)).toBe(false);
    expect(sched.cache.podCount).toBe(0);
    expect(sched.queue.whereIs(p)).toBe('backoff');
    expect(f.statuses[0]).toMatchObject({ reason: 'SchedulerError', message: 'binding rejected: etcd is unhappy' });
    sched.queue.activate([p]);
    await popAndSchedule(sched);
    expect(f.bound).toEqual(['a->n1']);
  });

  it('rejects an invalid configuration with one line', () => {
    const f = fakes(0);
    expect(() => new Scheduler({ api: f.api, config: { profiles: [{ schedulerName: 'a' }, { schedulerName: 'a' }] } })).toThrow('duplicate profile for schedulerName "a"');
  });
});
