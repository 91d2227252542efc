import type { Node } from '../../api/kinds/core/node';
import type { Pod } from '../../api/kinds/core/pod';
import { isPodUpdated, nodeUpdateEvents, podUpdateEvents, worthRetrying } from './clusterEvents';

const base: Node = { metadata: { name: 'n', labels: { a: '1' } }, spec: {}, status: { allocatable: { cpu: '1' }, conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: 't1' }] } };

describe('cluster events', () => {
  it('classify node updates, and ignore heartbeats', () => {
    const heartbeat = { ...base, status: { ...base.status, conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: 't2' }] } } as Node;
    expect(nodeUpdateEvents(base, heartbeat)).toEqual([]);
    expect(nodeUpdateEvents(base, { ...base, metadata: { name: 'n', labels: { a: '2' } } })).toEqual(['NodeLabelChange', 'NodeUpdate']);
    expect(nodeUpdateEvents(base, { ...base, spec: { unschedulable: true } })).toEqual(['NodeTaintChange', 'NodeUpdate']);
    expect(nodeUpdateEvents(base, { ...base, status: { ...base.status, allocatable: { cpu: '2' } } })).toEqual(['NodeAllocatableChange', 'NodeUpdate']);
  });

  it('classify pod updates', () => {
    const pod: Pod = { metadata: { name: 'p', labels: { a: '1' }, resourceVersion: '1' }, spec: { containers: [] } } as unknown as Pod;
    expect(podUpdateEvents(pod, { ...pod, metadata: { ...pod.metadata, labels: { a: '2' } } })).toEqual(['PodUpdate', 'PodLabelChange']);
    expect(isPodUpdated(pod, { ...pod, metadata: { ...pod.metadata, resourceVersion: '2' }, status: { phase: 'Pending' } })).toBe(false);
    expect(isPodUpdated(pod, { ...pod, spec: { containers: [], nodeSelector: { a: 'b' } } } as Pod)).toBe(true);
  });

  it('retry a pod when one of its rejecting plugins registered the event', () => {
    const interest = (p: string) => (p === 'Fit' ? new Set(['PodDelete' as const]) : p === 'Taint' ? new Set(['NodeTaintChange' as const]) : undefined);
    expect(worthRetrying(new Set(['Fit']), ['PodDelete'], interest)).toBe(true);
    expect(worthRetrying(new Set(['Fit', 'Taint']), ['NodeAdd'], interest)).toBe(false);
    expect(worthRetrying(new Set(['Unknown']), ['NodeAdd'], interest)).toBe(true); // registered nothing: every event
    expect(worthRetrying(new Set(), ['NodeAdd'], interest)).toBe(true); // an error: any event
  });
});
