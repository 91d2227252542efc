import type { Lease } from '../../api/kinds/coordination/lease';
import type { Node } from '../../api/kinds/core/node';
import { desiredTaints, markConditionsUnknown, NodeHealthTracker } from './health';

const t = (s: number) => new Date(s * 1000).toISOString().slice(0, 19) + 'Z';
const node = (ready?: { status: string; heartbeat: number; transition?: number }, extra: Partial<Node> = {}): Node => ({
  metadata: { name: 'n1', creationTimestamp: t(0) },
  ...extra,
  status: {
    conditions: ready ? [{ type: 'Ready', status: ready.status, lastHeartbeatTime: t(ready.heartbeat), lastTransitionTime: t(ready.transition ?? 0) }] : [],
  },
});
const lease = (renew: number): Lease => ({ metadata: { name: 'n1', namespace: 'kube-node-lease' }, spec: { renewTime: t(renew) } });

describe('node health', () => {
  const opts = { gracePeriodMs: 50_000, startupGracePeriodMs: 60_000 };

  it('starts every node it first sees with a full grace period', () => {
    const h = new NodeHealthTracker(opts);
    expect(h.observe(node({ status: 'True', heartbeat: 1 }), undefined, 100_000)).toEqual({ probeTimestamp: 100_000, gracePeriodMs: 50_000 });
  });

  it('counts a node that never posted Ready from its creation, with the startup grace period', () => {
    const h = new NodeHealthTracker(opts);
    expect(h.observe(node(), undefined, 100_000)).toEqual({ probeTimestamp: 0, gracePeriodMs: 60_000 });
    expect(h.observe(node(), undefined, 200_000).probeTimestamp).toBe(0);
    // ...unless it renews a lease.
    expect(h.observe(node(), lease(5), 210_000).probeTimestamp).toBe(210_000);
  });

  it('hears from a node when its heartbeat or its lease changes, at the time it observes the change', () => {
    const h = new NodeHealthTracker(opts);
    h.observe(node({ status: 'True', heartbeat: 10 }), lease(10), 100_000);
    expect(h.observe(node({ status: 'True', heartbeat: 10 }), lease(10), 140_000).probeTimestamp).toBe(100_000);
    expect(h.observe(node({ status: 'True', heartbeat: 20 }), lease(10), 150_000).probeTimestamp).toBe(150_000);
    expect(h.observe(node({ status: 'True', heartbeat: 20 }), lease(30), 170_000).probeTimestamp).toBe(170_000);
    // A lease going back in time is no news.
    expect(h.observe(node({ status: 'True', heartbeat: 20 }), lease(25), 190_000).probeTimestamp).toBe(170_000);
    h.forget('n1');
    expect(h.observe(node({ status: 'True', heartbeat: 20 }), lease(25), 200_000).probeTimestamp).toBe(200_000);
  });
});

describe('conditions of a silent node', () => {
  it('sets kubelet conditions Unknown, adding those never posted, leaving NetworkUnavailable', () => {
    const n = node({ status: 'True', heartbeat: 5 });
    n.status!.conditions!.push({ type: 'NetworkUnavailable', status: 'False' }, { type: 'MemoryPressure', status: 'Unknown', reason: 'X' });
    const { conditions, changed } = markConditionsUnknown(n, t(99));
    expect(changed).toBe(true);
    const by = Object.fromEntries(conditions.map((c) => [c.type, c]));
    expect(by.Ready).toEqual({ type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastHeartbeatTime: t(5), lastTransitionTime: t(99) });
    expect(by.MemoryPressure).toEqual({ type: 'MemoryPressure', status: 'Unknown', reason: 'X' });
    expect(by.DiskPressure).toEqual({ type: 'DiskPressure', status: 'Unknown', reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.', lastHeartbeatTime: t(0), lastTransitionTime: t(99) });
    expect(by.NetworkUnavailable?.status).toBe('False');
    expect(markConditionsUnknown({ ...n, status: { conditions } }, t(100)).changed).toBe(false);
  });
});

describe('taints of a node', () => {
  const keys = (taints: { key: string; effect: string }[]) => taints.map((x) => `${x.key}:${x.effect}`);

  it('follows Ready: not-ready for False, unreachable for Unknown, none for True', () => {
    expect(keys(desiredTaints(node({ status: 'False', heartbeat: 1 }), t(9)).taints)).toEqual(['node.kubernetes.io/not-ready:NoSchedule', 'node.kubernetes.io/not-ready:NoExecute']);
    const unknown = desiredTaints(node({ status: 'Unknown', heartbeat: 1 }), t(9));
    expect(unknown.taints).toEqual([
      { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: t(9) },
    ]);
    expect(desiredTaints(node({ status: 'True', heartbeat: 1 }), t(9))).toEqual({ taints: [], changed: false });
  });

  it('swaps not-ready and unreachable, keeps timeAdded of a taint that stays, and keeps foreign taints', () => {
    const foreign = { key: 'example.com/x', effect: 'NoExecute' as const };
    const n = node({ status: 'Unknown', heartbeat: 1 }, { spec: { taints: [foreign, { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute', timeAdded: t(1) }, { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' }] } });
    const r = desiredTaints(n, t(9));
    expect(r.changed).toBe(true);
    expect(r.taints).toEqual([foreign, { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' }, { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: t(9) }]);
    const again = desiredTaints({ ...n, spec: { taints: r.taints } }, t(20));
    expect(again).toEqual({ taints: r.taints, changed: false });
  });

  it('adds NoSchedule taints for pressure conditions and unschedulable', () => {
    const n = node({ status: 'True', heartbeat: 1 }, { spec: { unschedulable: true } });
    n.status!.conditions!.push({ type: 'MemoryPressure', status: 'True' }, { type: 'PIDPressure', status: 'False' }, { type: 'NetworkUnavailable', status: 'True' });
    expect(keys(desiredTaints(n, t(1)).taints)).toEqual([
      'node.kubernetes.io/memory-pressure:NoSchedule',
      'node.kubernetes.io/network-unavailable:NoSchedule',
      'node.kubernetes.io/unschedulable:NoSchedule',
    ]);
  });
});
