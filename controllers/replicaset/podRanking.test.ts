import type { Pod } from '../../api/kinds/core/pod';
import { comparePodsForDeletion, podDeletionCost, podsToDelete, ranksByRelatedPodsOnSameNode } from './podRanking';

const now = Date.parse('2025-01-01T12:00:00Z');
const ago = (s: number) => new Date(now - s * 1000).toISOString().slice(0, 19) + 'Z';

interface Opts {
  node?: string;
  phase?: string;
  ready?: boolean;
  readySince?: number;
  created?: number;
  restarts?: number;
  cost?: string;
  uid?: string;
}

function pod(name: string, o: Opts = {}): Pod {
  return {
    metadata: {
      name,
      uid: o.uid ?? name,
      creationTimestamp: ago(o.created ?? 1000),
      ...(o.cost !== undefined ? { annotations: { 'controller.kubernetes.io/pod-deletion-cost': o.cost } } : {}),
    },
    spec: { containers: [{ name: 'c' }], ...(o.node !== undefined ? { nodeName: o.node } : { nodeName: 'n1' }) },
    status: {
      phase: o.phase ?? 'Running',
      conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True', lastTransitionTime: ago(o.readySince ?? 500) }],
      containerStatuses: [{ name: 'c', ready: true, restartCount: o.restarts ?? 0, image: 'x', imageID: '' }],
    },
  } as Pod;
}

const first = (a: Pod, b: Pod, ranks: [number, number] = [0, 0]) => comparePodsForDeletion(a, ranks[0], b, ranks[1], now) < 0;

describe('ActivePods ranking for deletion', () => {
  it('deletes unscheduled pods before scheduled ones', () => {
    expect(first(pod('a', { node: '' }), pod('b'))).toBe(true);
    expect(first(pod('b'), pod('a', { node: '' }))).toBe(false);
  });

  it('deletes Pending before Unknown before Running', () => {
    expect(first(pod('p', { phase: 'Pending' }), pod('u', { phase: 'Unknown' }))).toBe(true);
    expect(first(pod('u', { phase: 'Unknown' }), pod('r', { phase: 'Running' }))).toBe(true);
    expect(first(pod('r', { phase: 'Running' }), pod('p', { phase: 'Pending' }))).toBe(false);
  });

  it('deletes not-ready pods before ready ones', () => {
    expect(first(pod('n', { ready: false }), pod('r'))).toBe(true);
    expect(first(pod('r'), pod('n', { ready: false }))).toBe(false);
  });

  it('deletes pods of lower deletion cost first (invalid costs count as 0)', () => {
    expect(first(pod('cheap', { cost: '-5' }), pod('dear', { cost: '10' }))).toBe(true);
    expect(first(pod('zero', { cost: 'junk' }), pod('dear', { cost: '1' }))).toBe(true);
    expect(podDeletionCost(pod('x', { cost: '99999999999' }))).toBe(0);
  });

  it('deletes pods on crowded nodes first', () => {
    expect(first(pod('a'), pod('b'), [3, 1])).toBe(true);
    expect(first(pod('a'), pod('b'), [1, 3])).toBe(false);
  });

  it('deletes the pod ready for less time first (in log2 buckets)', () => {
    expect(first(pod('recent', { readySince: 10 }), pod('old', { readySince: 5000 }))).toBe(true);
    expect(first(pod('old', { readySince: 5000 }), pod('recent', { readySince: 10 }))).toBe(false);
  });

  it('deletes pods with more restarts first', () => {
    expect(first(pod('crashy', { restarts: 5 }), pod('calm', { restarts: 0 }))).toBe(true);
  });

  it('deletes newer pods first, with ties within a log2 bucket broken by uid', () => {
    expect(first(pod('new', { created: 10, readySince: 5 }), pod('old', { created: 100_000, readySince: 5 }))).toBe(true);
    // 1000 s and 1001 s old fall into the same bucket: uid decides.
    expect(first(pod('x', { created: 1001, uid: 'a', readySince: 5 }), pod('y', { created: 1000, uid: 'b', readySince: 5 }))).toBe(true);
    // Without a clock: strictly newest first.
    expect(comparePodsForDeletion(pod('x', { created: 1000, readySince: 5 }), 0, pod('y', { created: 1001, readySince: 5 }), 0)).toBeLessThan(0);
  });

  it('applies the criteria in order: scheduling beats readiness', () => {
    expect(first(pod('unscheduled-ready', { node: '' }), pod('scheduled-unready', { ready: false }))).toBe(true);
  });

  it('ranks pods by the active related pods on their node', () => {
    const pods = [pod('a', { node: 'n1' }), pod('b', { node: 'n2' })];
    const related = [...pods, pod('c', { node: 'n1' }), pod('d', { node: 'n1', phase: 'Succeeded' })];
    expect(ranksByRelatedPodsOnSameNode(pods, related)).toEqual([2, 1]);
  });

  it('picks the pods to delete', () => {
    const pods = [pod('ready-old', { created: 5000 }), pod('pending', { phase: 'Pending', ready: false }), pod('ready-new', { created: 20, readySince: 10 }), pod('unscheduled', { node: '' })];
    expect(podsToDelete(pods, [], 2, now).map((p) => p.metadata?.name)).toEqual(['unscheduled', 'pending']);
    expect(podsToDelete(pods, [], 3, now).map((p) => p.metadata?.name)).toEqual(['unscheduled', 'pending', 'ready-new']);
    expect(podsToDelete(pods, [], 9, now)).toHaveLength(4);
    expect(podsToDelete(pods, [], 0, now)).toEqual([]);
  });
});
