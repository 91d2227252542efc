import { FakeClock } from '../../client/clock';
import type { Node } from '../../api/kinds/core/node';
import type { Pod } from '../../api/kinds/core/pod';
import { SchedulerCache } from './cache';
import { SnapshotImpl } from './snapshot';
import { ALLOCATABLE_MILLI_CPU, NON_ZERO_MILLI_CPU, REQUESTED_MILLI_CPU, REQUESTED_PODS, ROW_LENGTH } from '../framework/resourceRow';

function node(name: string, zone?: string, cpu = '4'): Node {
  return { metadata: { name, labels: zone ? { 'topology.kubernetes.io/zone': zone } : {} }, status: { allocatable: { cpu, memory: '8Gi', pods: '110' } } };
}

function pod(name: string, nodeName: string, cpu = '1', affinity = false): Pod {
  return {
    metadata: { name, namespace: 'ns', uid: `uid-${name}` },
    spec: {
      nodeName,
      containers: [{ name: 'c', image: 'x', resources: { requests: { cpu } } }],
      ...(affinity ? { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: {} }] } } } : {}),
    },
  } as Pod;
}

describe('SchedulerCache', () => {
  it('counts assumed pods at once, confirms them on add, and forgets them on a failed binding', () => {
    const cache = new SchedulerCache();
    cache.addNode(node('n1'));
    const snap = new SnapshotImpl();
    const p = pod('p', 'n1', '1500m');
    cache.assumePod(p, 'n1');
    expect(cache.isAssumed(p)).toBe(true);
    cache.updateSnapshot(snap);
    expect(snap.get('n1')!.requested.milliCPU).toBe(1500);
    expect(() => cache.assumePod(p, 'n1')).toThrow(/can't be assumed/);
    cache.addPod(p); // the informer confirms the binding
    expect(cache.isAssumed(p)).toBe(false);
    expect(cache.podCount).toBe(1);
    const q = pod('q', 'n1');
    cache.assumePod(q, 'n1');
    cache.forgetPod(q);
    cache.updateSnapshot(snap);
    expect(snap.get('n1')!.requested.milliCPU).toBe(1500);
    expect(snap.get('n1')!.pods.map((pi) => pi.pod.metadata?.name)).toEqual(['p']);
  });

  it('expires assumed pods whose binding finished without confirmation, after the TTL', () => {
    const clock = new FakeClock();
    const cache = new SchedulerCache({ clock, assumedPodTtlMs: 30_000 });
    cache.addNode(node('n1'));
    const p = pod('p', 'n1');
    cache.assumePod(p, 'n1');
    clock.advance(60_000);
    expect(cache.cleanupAssumedPods()).toEqual([]); // binding still in flight: never expires
    cache.finishBinding(p);
    clock.advance(29_999);
    expect(cache.cleanupAssumedPods()).toEqual([]);
    clock.advance(1);
    expect(cache.cleanupAssumedPods().map((x) => x.metadata?.name)).toEqual(['p']);
    expect(cache.podCount).toBe(0);
    // By default (TTL 0) an assumption waits for its confirmation forever.
    const patient = new SchedulerCache({ clock });
    patient.addNode(node('n1'));
    patient.assumePod(p, 'n1');
    patient.finishBinding(p);
    clock.advance(3_600_000);
    expect(patient.cleanupAssumedPods()).toEqual([]);
  });

  it('moves a pod between nodes on update and frees its resources on removal', () => {
    const cache = new SchedulerCache();
    cache.addNode(node('n1'));
    cache.addNode(node('n2'));
    const snap = new SnapshotImpl();
    const p = pod('p', 'n1', '2');
    cache.addPod(p);
    cache.updatePod(pod('p', 'n1', '3'));
    cache.updateSnapshot(snap);
    expect(snap.get('n1')!.requested.milliCPU).toBe(3000);
    cache.removePod(p);
    cache.updateSnapshot(snap);
    expect(snap.get('n1')!.requested.milliCPU).toBe(0);
    expect(snap.get('n1')!.pods).toEqual([]);
  });

  it('keeps pods of a deleted node until they go, and never lists that node', () => {
    const cache = new SchedulerCache();
    cache.addNode(node('n1'));
    cache.addPod(pod('p', 'n1'));
    const snap = new SnapshotImpl();
    cache.updateSnapshot(snap);
    cache.removeNode('n1');
    cache.updateSnapshot(snap);
    expect(snap.list()).toEqual([]);
    expect(snap.get('n1')).toBeUndefined();
    cache.addNode(node('n1'));
    cache.updateSnapshot(snap);
    expect(snap.get('n1')!.pods.length).toBe(1);
  });
});

describe('Snapshot', () => {
  it("changes the snapshot's images version when nodes come or go or their images change, not when pods do", () => {
    const cache = new SchedulerCache();
    cache.addNode(node('n1'));
    const snap = new SnapshotImpl();
    cache.updateSnapshot(snap);
    const first = snap.imagesVersion();
    cache.assumePod(pod('p', 'n1'), 'n1');
    cache.updateSnapshot(snap);
    expect(snap.imagesVersion()).toBe(first);
    cache.updateNode({ ...node('n1'), status: { ...node('n1').status, images: [{ names: ['big:1'], sizeBytes: 1 }] } });
    cache.updateSnapshot(snap);
    const pulled = snap.imagesVersion();
    expect(pulled).not.toBe(first);
    cache.addNode(node('n2'));
    cache.updateSnapshot(snap);
    expect(snap.imagesVersion()).not.toBe(pulled);
    expect(new SnapshotImpl().imagesVersion()).not.toBe(snap.imagesVersion());
  });

  it('copies only changed nodes, keeps object identity, and lists zones round robin', () => {
    const cache = new SchedulerCache();
    cache.addNode(node('a1', 'a'));
    cache.addNode(node('a2', 'a'));
    cache.addNode(node('b1', 'b'));
    const snap = new SnapshotImpl();
    cache.updateSnapshot(snap);
    expect(snap.list().map((n) => n.name)).toEqual(['a1', 'b1', 'a2']);
    const b1 = snap.get('b1')!;
    const a1 = snap.get('a1')!;
    const a1Generation = a1.generation;
    cache.addPod(pod('p', 'b1', '1', true));
    cache.updateSnapshot(snap);
    expect(snap.get('b1')).toBe(b1); // refreshed in place
    expect(b1.pods.length).toBe(1);
    expect(a1.generation).toBe(a1Generation); // untouched
    expect(snap.havePodsWithAffinity().map((n) => n.name)).toEqual(['b1']);
    expect(snap.havePodsWithRequiredAntiAffinity().map((n) => n.name)).toEqual(['b1']);
    // The snapshot does not change until the next refresh.
    cache.addPod(pod('q', 'a1'));
    expect(a1.pods.length).toBe(0);
    cache.removeNode('a2');
    cache.updateSnapshot(snap);
    expect(snap.list().map((n) => n.name)).toEqual(['a1', 'b1']);
    expect(snap.numNodes).toBe(2);
    expect(a1.pods.length).toBe(1);
  });
});

describe('SchedulerCache snapshot rows', () => {
  it("keeps every snapshot node's resource row equal to its sums, in one array, as nodes and pods come and go", () => {
    const cache = new SchedulerCache();
    const snap = new SnapshotImpl();
    const names = Array.from({ length: 150 }, (_, i) => `n${i}`);
    for (const name of names) cache.addNode(node(name, undefined, '8'));
    cache.updateSnapshot(snap);
    for (let i = 0; i < 300; i++) cache.assumePod(pod(`p${i}`, names[i % names.length]!, '250m'), names[i % names.length]!);
    cache.removeNode('n7');
    cache.updateSnapshot(snap);
    cache.addNode(node('late', undefined, '16'));
    cache.assumePod(pod('on-late', 'late', '3'), 'late');
    cache.updateSnapshot(snap);
    const infos = snap.list();
    expect(infos.length).toBe(150);
    expect(new Set(infos.map((ni) => ni.resourceTable)).size).toBe(1);
    expect(new Set(infos.map((ni) => ni.resourceRow)).size).toBe(150);
    for (const ni of infos) {
      const row = ni.resourceTable.subarray(ni.resourceRow, ni.resourceRow + ROW_LENGTH);
      expect([row[ALLOCATABLE_MILLI_CPU], row[REQUESTED_MILLI_CPU], row[REQUESTED_PODS], row[NON_ZERO_MILLI_CPU]]).toEqual([
        ni.allocatable.milliCPU,
        ni.requested.milliCPU,
        ni.requested.pods,
        ni.nonZeroRequested.milliCPU,
      ]);
    }
    expect(snap.get('late')!.resourceTable[snap.get('late')!.resourceRow + REQUESTED_MILLI_CPU]).toBe(3000);
    expect(snap.get('n0')!.resourceTable[snap.get('n0')!.resourceRow + REQUESTED_MILLI_CPU]).toBe(500);
  });
});
