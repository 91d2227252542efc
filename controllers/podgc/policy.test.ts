import type { Node } from '../../api/kinds/core/node';
import type { Pod } from '../../api/kinds/core/pod';
import {
  byEvictionAndCreation,
  isPodTerminated,
  missingNodeNames,
  terminatedPodsToDelete,
  terminatingPodsOnOutOfServiceNodes,
  unscheduledTerminatingPods,
} from './policy';

function pod(name: string, opts: { phase?: string; reason?: string; created?: string; node?: string; deleting?: boolean } = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-${name}`,
      creationTimestamp: opts.created ?? '2025-01-01T00:00:00Z',
      ...(opts.deleting ? { deletionTimestamp: '2025-01-02T00:00:00Z' } : {}),
    },
    spec: { containers: [{ name: 'c', image: 'busybox' }], ...(opts.node ? { nodeName: opts.node } : {}) },
    status: { phase: opts.phase ?? 'Running', ...(opts.reason ? { reason: opts.reason } : {}) },
  } as Pod;
}

function node(name: string, opts: { ready?: boolean; outOfService?: boolean } = {}): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name },
    spec: opts.outOfService ? { taints: [{ key: 'node.kubernetes.io/out-of-service', effect: 'NoExecute' }] } : {},
    status: { conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True' }] },
  } as Node;
}

describe('pod garbage collection policy', () => {
  it('counts Succeeded and Failed pods as terminated', () => {
    expect(['Pending', 'Running', 'Unknown', 'Succeeded', 'Failed'].map((phase) => isPodTerminated(pod('p', { phase })))).toEqual([false, false, false, true, true]);
  });

  it('deletes terminated pods beyond the threshold, evicted then oldest first', () => {
    const pods = [
      pod('new', { phase: 'Succeeded', created: '2025-01-03T00:00:00Z' }),
      pod('old', { phase: 'Failed', created: '2025-01-01T00:00:00Z' }),
      pod('mid', { phase: 'Succeeded', created: '2025-01-02T00:00:00Z' }),
      pod('evicted', { phase: 'Failed', reason: 'Evicted', created: '2025-01-04T00:00:00Z' }),
      pod('running', { phase: 'Running', created: '2024-01-01T00:00:00Z' }),
    ];
    expect(terminatedPodsToDelete(pods, 2).map((p) => p.metadata?.name)).toEqual(['evicted', 'old']);
    expect(terminatedPodsToDelete(pods, 4)).toEqual([]);
    expect(terminatedPodsToDelete(pods, 0)).toEqual([]);
    expect([pod('b'), pod('a')].sort(byEvictionAndCreation).map((p) => p.metadata?.name)).toEqual(['a', 'b']);
  });

  it('finds terminating pods on out-of-service nodes that are not ready', () => {
    const nodes = new Map([
      ['oos', node('oos', { ready: false, outOfService: true })],
      ['ready-oos', node('ready-oos', { outOfService: true })],
      ['down', node('down', { ready: false })],
    ]);
    const pods = [
      pod('a', { node: 'oos', deleting: true }),
      pod('b', { node: 'oos' }),
      pod('c', { node: 'ready-oos', deleting: true }),
      pod('d', { node: 'down', deleting: true }),
      pod('e', { node: 'missing', deleting: true }),
    ];
    expect(terminatingPodsOnOutOfServiceNodes(pods, nodes).map((p) => p.metadata?.name)).toEqual(['a']);
  });

  it('names the nodes pods are bound to that the cache lacks', () => {
    const pods = [pod('a', { node: 'n1' }), pod('b', { node: 'gone' }), pod('c'), pod('d', { node: 'gone', deleting: true })];
    expect([...missingNodeNames(pods, new Set(['n1']))]).toEqual(['gone']);
  });

  it('finds terminating pods never bound to a node', () => {
    const pods = [pod('a', { deleting: true }), pod('b', { node: 'n1', deleting: true }), pod('c')];
    expect(unscheduledTerminatingPods(pods).map((p) => p.metadata?.name)).toEqual(['a']);
  });
});
