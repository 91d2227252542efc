import type { Node } from '../../../api/kinds/core/node';
import type { Pod } from '../../../api/kinds/core/pod';
import { SchedulerCache } from '../../cache/cache';
import { SnapshotImpl } from '../../cache/snapshot';
import { FitError } from '../../core/fitError';
import { numFeasibleNodesToFind } from '../../core/numFeasibleNodes';
import { schedulePod, selectHost } from '../../core/schedulePod';
import { defaultPlugins, inTreeRegistry } from '../../plugins/registry';
import { CycleStateImpl } from '../cycleState';
import { success, unresolvable, unschedulable, type FilterPlugin, type PluginFactory, type ScorePlugin, type SchedulerApi } from '../interfaces';
import { newPodInfo } from '../podInfo';
import { Framework, type FrameworkDeps } from './framework';

const api: SchedulerApi = { bind: async () => {}, deletePod: async () => {}, clearNominatedNodeName: async () => {} };

function node(name: string, labels: Record<string, string> = {}, cpu = '4'): Node {
  return { metadata: { name, labels }, status: { allocatable: { cpu, memory: '8Gi', pods: '110' } } };
}

function pod(name: string, cpu = '1', priority?: number): Pod {
  return { metadata: { name, namespace: 'ns', uid: name }, spec: { containers: [{ name: 'c', image: 'x', resources: { requests: { cpu } } }], ...(priority !== undefined ? { priority } : {}) } } as Pod;
}

function cluster(nodes: readonly Node[]) {
  const cache = new SchedulerCache();
  for (const n of nodes) cache.addNode(n);
  const snapshot = new SnapshotImpl();
  cache.updateSnapshot(snapshot);
  return { cache, snapshot };
}

/** Fake plugins: Filter rejects nodes by label; Score reads a label. */
const rejectLabel: PluginFactory = () =>
  ({
    name: 'RejectLabel',
    filter: (_s, _p, ni) => (ni.node.metadata?.labels?.reject === 'hard' ? unresolvable('node(s) are hard') : ni.node.metadata?.labels?.reject === 'soft' ? unschedulable('node(s) are soft') : success),
  }) as FilterPlugin;
const scoreLabel = (name: string, label: string): PluginFactory => () => ({ name, score: (_s, _p, ni) => Number(ni.node.metadata?.labels?.[label] ?? 0) }) as ScorePlugin;
const fakeRegistry = new Map<string, PluginFactory>([
  ['RejectLabel', rejectLabel],
  ['ScoreA', scoreLabel('ScoreA', 'a')],
  ['ScoreB', scoreLabel('ScoreB', 'b')],
  ['DefaultBinder', inTreeRegistry.get('DefaultBinder')!],
]);
const fakeDefaults = [{ name: 'RejectLabel' }, { name: 'ScoreA', weight: 1 }, { name: 'ScoreB', weight: 1 }, { name: 'DefaultBinder' }];

function deps(snapshot: SnapshotImpl, extra: Partial<FrameworkDeps> = {}): FrameworkDeps {
  return { registry: fakeRegistry, defaults: fakeDefaults, snapshot: () => snapshot, api, ...extra };
}

describe('Framework: profiles', () => {
  it('builds the default profile as kube-scheduler, with its score weights', () => {
    const fwk = new Framework({ schedulerName: 'default-scheduler' }, { registry: inTreeRegistry, defaults: defaultPlugins, snapshot: () => new SnapshotImpl(), api });
    expect(fwk.filterPlugins.map((p) => p.name)).toEqual(['NodeUnschedulable', 'NodeName', 'TaintToleration', 'NodeAffinity', 'NodePorts', 'NodeResourcesFit', 'PodTopologySpread', 'InterPodAffinity']);
    expect(Object.fromEntries(fwk.scorePlugins.map((p, i) => [p.name, fwk.scoreWeights[i]]))).toEqual({
      TaintToleration: 3,
      NodeAffinity: 2,
      PodTopologySpread: 2,
      InterPodAffinity: 2,
      NodeResourcesFit: 1,
      NodeResourcesBalancedAllocation: 1,
      ImageLocality: 1,
    });
    expect(fwk.postFilterPlugins.map((p) => p.name)).toEqual(['DefaultPreemption']);
    expect(fwk.bindPlugins.map((p) => p.name)).toEqual(['DefaultBinder']);
    expect(fwk.interest('NodeResourcesFit')?.has('PodDelete')).toBe(true);
  });

  it('applies enabled/disabled per extension point and weights', () => {
    const { snapshot } = cluster([]);
    const fwk = new Framework({ schedulerName: 's', plugins: { score: { disabled: [{ name: 'ScoreA' }], enabled: [{ name: 'ScoreB', weight: 7 }] }, filter: { disabled: [{ name: '*' }] } } }, deps(snapshot));
    expect(fwk.filterPlugins).toEqual([]);
    expect(fwk.scorePlugins.map((p) => p.name)).toEqual(['ScoreB']);
    expect(fwk.scoreWeights).toEqual([7]);
  });

  it('rejects unknown plugins, plugins enabled where they do not extend, bad weights and a missing binder', () => {
    const { snapshot } = cluster([]);
    expect(() => new Framework({ schedulerName: 's', plugins: { filter: { enabled: [{ name: 'Nope' }] } } }, deps(snapshot))).toThrow('profile "s": plugins.filter.enabled: unknown plugin "Nope"');
    expect(() => new Framework({ schedulerName: 's', plugins: { filter: { enabled: [{ name: 'ScoreA' }] } } }, deps(snapshot))).toThrow('plugin "ScoreA" does not extend filter');
    expect(() => new Framework({ schedulerName: 's', plugins: { multiPoint: { enabled: [{ name: 'ScoreA', weight: 1000 }] } } }, deps(snapshot))).toThrow(/weight of ScoreA must be an integer from 1 to 100/);
    expect(() => new Framework({ schedulerName: 's', plugins: { multiPoint: { disabled: [{ name: '*' }] } } }, deps(snapshot))).toThrow('at least one bind plugin is needed');
    expect(() => new Framework({ schedulerName: 's', pluginConfig: [{ name: 'NodeResourcesFit', args: { scoringStrategy: 5 } }] }, { registry: inTreeRegistry, defaults: defaultPlugins, snapshot: () => snapshot, api })).toThrow(
      /profile "s": plugin NodeResourcesFit: /,
    );
  });
});

describe('schedulePod', () => {
  it('sums weighted scores and picks the best node', () => {
    const { snapshot } = cluster([node('n1', { a: '100', b: '0' }), node('n2', { a: '0', b: '60' }), node('n3', { a: '40', b: '40' })]);
    const run = (weightB: number) => {
      const fwk = new Framework({ schedulerName: 's', plugins: { score: { enabled: [{ name: 'ScoreB', weight: weightB }] } } }, deps(snapshot));
      return schedulePod(fwk, new CycleStateImpl(), pod('p'), snapshot, { next: 0 }, undefined).suggestedHost;
    };
    expect(run(1)).toBe('n1'); // 100 vs 60 vs 80
    expect(run(3)).toBe('n2'); // 100 vs 180 vs 160
  });

  it('throws a FitError with Kubernetes\' message and the rejecting plugins', () => {
    const { snapshot } = cluster([node('n1', { reject: 'hard' }), node('n2', { reject: 'soft' }), node('n3', { reject: 'soft' })]);
    const fwk = new Framework({ schedulerName: 's' }, deps(snapshot));
    let err: unknown;
    try {
      schedulePod(fwk, new CycleStateImpl(), pod('p'), snapshot, { next: 0 }, undefined);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FitError);
    const fit = err as FitError;
    expect(fit.message).toBe('0/3 nodes are available: 1 node(s) are hard, 2 node(s) are soft.');
    expect([...fit.diagnosis.unschedulablePlugins]).toEqual(['RejectLabel']);
    fit.diagnosis.postFilterMsg = 'preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.';
    expect(fit.describe()).toBe('0/3 nodes are available: 1 node(s) are hard, 2 node(s) are soft. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.');
  });

  it('samples nodes above 100 and resumes round robin where the previous pod stopped', () => {
    const nodes = Array.from({ length: 500 }, (_, i) => node(`n${i}`));
    const { snapshot } = cluster(nodes);
    const fwk = new Framework({ schedulerName: 's' }, deps(snapshot));
    const cursor = { next: 0 };
    const first = schedulePod(fwk, new CycleStateImpl(), pod('a'), snapshot, cursor, undefined);
    expect(first.evaluatedNodes).toBe(230); // 50% - 500/125 = 46%
    expect(cursor.next).toBe(230);
    schedulePod(fwk, new CycleStateImpl(), pod('b'), snapshot, cursor, undefined);
    expect(cursor.next).toBe(460);
    schedulePod(fwk, new CycleStateImpl(), pod('c'), snapshot, cursor, undefined);
    expect(cursor.next).toBe(190); // wrapped around
    expect(schedulePod(fwk, new CycleStateImpl(), pod('d'), snapshot, cursor, 100).evaluatedNodes).toBe(500);
  });

  it('counts pods nominated to a node for pods of lower or equal priority', () => {
    const { snapshot } = cluster([node('n1', {}, '2')]);
    const nominated = newPodInfo(pod('nominee', '2', 100));
    const fwk = new Framework(
      { schedulerName: 's', plugins: { multiPoint: { enabled: [{ name: 'NodeResourcesFit' }] } } },
      { registry: inTreeRegistry, defaults: [{ name: 'DefaultBinder' }], snapshot: () => snapshot, api, nominatedPodsForNode: (n) => (n === 'n1' ? [nominated] : []) },
    );
    expect(() => schedulePod(fwk, new CycleStateImpl(), pod('low', '1', 10), snapshot, { next: 0 }, undefined)).toThrow('0/1 nodes are available: 1 Insufficient cpu.');
    expect(schedulePod(fwk, new CycleStateImpl(), pod('high', '1', 1000), snapshot, { next: 0 }, undefined).suggestedHost).toBe('n1');
  });
});

describe('numFeasibleNodesToFind', () => {
  it('checks all below 100 nodes, else max(5%, 50% - n/125) and at least 100', () => {
    expect(numFeasibleNodesToFind(99, undefined)).toBe(99);
    expect(numFeasibleNodesToFind(1000, undefined)).toBe(420);
    expect(numFeasibleNodesToFind(5000, undefined)).toBe(500);
    expect(numFeasibleNodesToFind(10_000, undefined)).toBe(500); // 5%
    expect(numFeasibleNodesToFind(150, undefined)).toBe(100);
    expect(numFeasibleNodesToFind(1000, 10)).toBe(100);
    expect(numFeasibleNodesToFind(1000, 30)).toBe(300);
  });
});

describe('selectHost', () => {
  it('picks the highest score and breaks ties at random', () => {
    expect(selectHost([1, 5, 3])).toBe(1);
    const picks = new Set<number>();
    for (let i = 0; i < 200; i++) picks.add(selectHost([7, 2, 7, 7]));
    expect([...picks].sort()).toEqual([0, 2, 3]);
  });
});
