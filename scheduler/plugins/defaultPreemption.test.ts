import type { Node } from '../../api/kinds/core/node';
import type { Pod } from '../../api/kinds/core/pod';
import type { PodDisruptionBudget } from '../../api/kinds/policy/podDisruptionBudget';
import { SchedulerCache } from '../cache/cache';
import { SnapshotImpl } from '../cache/snapshot';
import { FitError } from '../core/fitError';
import { schedulePod } from '../core/schedulePod';
import { CycleStateImpl } from '../framework/cycleState';
import type { SchedulerApi } from '../framework/interfaces';
import { newPodInfo } from '../framework/podInfo';
import { Framework } from '../framework/runtime/framework';
import { pickOneNodeForPreemption } from './preemption/pickNode';
import { defaultPlugins, inTreeRegistry } from './registry';

function node(name: string, cpu = '4', taint = false): Node {
  return { metadata: { name, labels: { 'kubernetes.io/hostname': name } }, spec: taint ? { taints: [{ key: 'k', value: 'v', effect: 'NoSchedule' }] } : {}, status: { allocatable: { cpu, memory: '8Gi', pods: '110' } } };
}

function pod(name: string, cpu: string, priority: number, nodeName?: string, extra: Partial<Pod['spec']> = {}, labels?: Record<string, string>): Pod {
  return {
    metadata: { name, namespace: 'ns', uid: name, ...(labels ? { labels } : {}) },
    spec: { containers: [{ name: 'c', image: 'x', resources: { requests: { cpu } } }], priority, ...(nodeName ? { nodeName } : {}), ...extra },
    status: { startTime: '2024-01-01T00:00:00Z' },
  } as Pod;
}

function setup(nodes: Node[], pods: Pod[], pdbs: PodDisruptionBudget[] = []) {
  const cache = new SchedulerCache();
  for (const n of nodes) cache.addNode(n);
  for (const p of pods) cache.addPod(p);
  const snapshot = new SnapshotImpl();
  cache.updateSnapshot(snapshot);
  const deleted: string[] = [];
  const cleared: string[] = [];
  const api: SchedulerApi = { bind: async () => {}, deletePod: async (p) => void deleted.push(p.metadata!.name!), clearNominatedNodeName: async (p) => void cleared.push(p.metadata!.name!) };
  const nominated = new Map<string, Pod[]>();
  const fwk = new Framework(
    { schedulerName: 'default-scheduler' },
    { registry: inTreeRegistry, defaults: defaultPlugins, snapshot: () => snapshot, api, podDisruptionBudgets: () => pdbs, nominatedPodsForNode: (n) => (nominated.get(n) ?? []).map(newPodInfo) },
  );
  const preempt = async (p: Pod) => {
    const state = new CycleStateImpl();
    try {
      schedulePod(fwk, state, p, snapshot, { next: 0 }, undefined);
      throw new Error('expected the pod not to fit');
    } catch (err) {
      if (!(err instanceof FitError)) throw err;
      return fwk.runPostFilterPlugins(state, p, err.diagnosis.nodeStatuses);
    }
  };
  return { preempt, deleted, cleared, nominated };
}

describe('DefaultPreemption', () => {
  it('evicts the fewest, least important pods on the node that disturbs the least', async () => {
    const { preempt, deleted } = setup(
      [node('n1'), node('n2')],
      [pod('n1-a', '2', 10, 'n1'), pod('n1-b', '2', 10, 'n1'), pod('n2-a', '2', 5, 'n2'), pod('n2-b', '2', 100, 'n2')],
    );
    const out = await preempt(pod('high', '2', 1000));
    // n1: one victim of priority 10; n2: one victim of priority 5 → n2 (lower highest-victim priority).
    expect(out).toMatchObject({ status: { code: 'Success' }, nominatedNodeName: 'n2' });
    expect(deleted).toEqual(['n2-a']);
  });

  it('does not preempt pods of equal or higher priority, and says why', async () => {
    const { preempt, deleted } = setup([node('n1'), node('n2', '4', true)], [pod('big', '4', 1000, 'n1')]);
    const out = await preempt(pod('p', '1', 1000));
    expect(out.status.code).toBe('Unschedulable');
    expect(out.status.reasons).toEqual(['preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.']);
    expect(deleted).toEqual([]);
  });

  it('respects preemptionPolicy Never', async () => {
    const { preempt } = setup([node('n1')], [pod('low', '4', 0, 'n1')]);
    const out = await preempt(pod('p', '1', 1000, undefined, { preemptionPolicy: 'Never' }));
    expect(out.status.reasons).toEqual(['preemption: not eligible due to preemptionPolicy=Never.']);
  });

  it('prefers a node whose victims violate no PodDisruptionBudget', async () => {
    const pdb = { metadata: { name: 'pdb', namespace: 'ns' }, spec: { selector: { matchLabels: { app: 'guarded' } } }, status: { disruptionsAllowed: 0 } } as unknown as PodDisruptionBudget;
    const { preempt, deleted } = setup([node('n1'), node('n2')], [pod('guarded', '4', 1, 'n1', {}, { app: 'guarded' }), pod('free', '4', 50, 'n2')], [pdb]);
    const out = await preempt(pod('p', '2', 1000));
    expect(out.nominatedNodeName).toBe('n2');
    expect(deleted).toEqual(['free']);
  });

  it('keeps pods that need not go (reprieve), and clears lower-priority nominations on the node', async () => {
    const { preempt, deleted, cleared, nominated } = setup([node('n1')], [pod('a', '1', 1, 'n1'), pod('b', '2', 2, 'n1'), pod('c', '1', 3, 'n1')]);
    nominated.set('n1', [pod('other', '1', 5)]);
    const out = await preempt(pod('p', '2', 1000));
    expect(out.nominatedNodeName).toBe('n1');
    // Freeing 2 cpu: removing b alone suffices once a and c are reprieved (most important first).
    expect(deleted).toEqual(['b']);
    expect(cleared).toEqual(['other']);
  });
});

describe('pickOneNodeForPreemption', () => {
  const victims = (node: string, priorities: number[], pdb = 0) => ({ nodeName: node, victims: { pods: priorities.map((p, i) => newPodInfo(pod(`${node}-${i}`, '1', p))), numPDBViolations: pdb } });
  it('orders by PDB violations, highest victim priority, priority sum, then victim count', () => {
    expect(pickOneNodeForPreemption([victims('a', [1], 1), victims('b', [100], 0)])?.nodeName).toBe('b');
    expect(pickOneNodeForPreemption([victims('a', [50, 1]), victims('b', [40, 40])])?.nodeName).toBe('b');
    expect(pickOneNodeForPreemption([victims('a', [10, 10]), victims('b', [10, 1])])?.nodeName).toBe('b');
    expect(pickOneNodeForPreemption([victims('a', [10, 0, 0]), victims('b', [10, 0])])?.nodeName).toBe('b');
    expect(pickOneNodeForPreemption([victims('a', [10]), victims('b', [])])?.nodeName).toBe('b');
    expect(pickOneNodeForPreemption([])).toBeUndefined();
  });
});
