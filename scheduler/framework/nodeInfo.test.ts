import type { Node } from '../../api/kinds/core/node';
import type { Pod } from '../../api/kinds/core/pod';
import { NodeInfoImpl } from './nodeInfo';
import { newPodInfo } from './podInfo';

const node: Node = { metadata: { name: 'n' }, status: { allocatable: { cpu: '4', memory: '8Gi', pods: '10', 'nvidia.com/gpu': '2' }, images: [{ names: ['busybox:1', 'busybox@sha256:x'], sizeBytes: 5 }] } };

function pod(name: string, requests: Record<string, string>, hostPort?: number): Pod {
  return {
    metadata: { name, namespace: 'ns', uid: name },
    spec: { containers: [{ name: 'c', image: 'x', resources: { requests }, ...(hostPort ? { ports: [{ containerPort: 80, hostPort }] } : {}) }] },
  } as Pod;
}

describe('NodeInfo', () => {
  it('sums requests, non-zero requests, ports and pods, and undoes them on removal', () => {
    const ni = new NodeInfoImpl(node);
    expect(ni.allocatable).toEqual({ milliCPU: 4000, memory: 8 * 1024 ** 3, ephemeralStorage: 0, pods: 10, scalar: { 'nvidia.com/gpu': 2 } });
    expect(ni.imageSizes.get('busybox:1')).toBe(5);
    const g0 = ni.generation;
    ni.addPod(newPodInfo(pod('a', { cpu: '500m', 'nvidia.com/gpu': '1' }, 8080)));
    ni.addPod(newPodInfo(pod('b', {})));
    expect(ni.generation).toBeGreaterThan(g0);
    expect(ni.requested).toMatchObject({ milliCPU: 500, memory: 0, pods: 2, scalar: { 'nvidia.com/gpu': 1 } });
    // A pod without requests counts 100m / 200Mi when scoring.
    expect(ni.nonZeroRequested).toMatchObject({ milliCPU: 600, memory: 400 * 1024 * 1024 });
    expect(ni.usedPorts).toEqual([{ protocol: 'TCP', hostIP: '0.0.0.0', port: 8080 }]);
    const copy = ni.clone();
    expect(ni.removePod(pod('a', {}))).toBe(true);
    expect(ni.removePod(pod('zzz', {}))).toBe(false);
    expect(ni.requested).toMatchObject({ milliCPU: 0, pods: 1, scalar: {} });
    expect(ni.usedPorts).toEqual([]);
    expect(copy.requested.milliCPU).toBe(500); // the clone is independent
    expect(copy.pods.length).toBe(2);
  });

  it('exists without its node (pods seen first) and keeps sums when the node goes', () => {
    const ni = new NodeInfoImpl('n');
    expect(ni.hasNode).toBe(false);
    ni.addPod(newPodInfo(pod('a', { cpu: '1' })));
    ni.setNode(node);
    expect(ni.hasNode).toBe(true);
    ni.removeNode();
    expect(ni.hasNode).toBe(false);
    expect(ni.requested.milliCPU).toBe(1000);
    expect(ni.allocatable.milliCPU).toBe(0);
  });

  it('keeps spec.taints and spec.unschedulable beside the sums, following the node', () => {
    const ni = new NodeInfoImpl(node);
    expect(ni.taints).toEqual([]);
    expect(ni.unschedulable).toBe(false);
    const taint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' as const };
    ni.setNode({ ...node, spec: { taints: [taint], unschedulable: true } });
    expect(ni.taints).toEqual([taint]);
    expect(ni.unschedulable).toBe(true);
    expect(ni.clone()).toMatchObject({ taints: [taint], unschedulable: true });
    ni.removeNode();
    expect(ni.taints).toEqual([]);
    expect(ni.unschedulable).toBe(false);
  });

  it('copies into its own sums: a copy keeps its objects, and later changes to the source do not reach it', () => {
    const source = new NodeInfoImpl(node);
    const copy = source.clone();
    const { requested, allocatable } = copy;
    source.addPod(newPodInfo(pod('a', { cpu: '1', 'nvidia.com/gpu': '1' })));
    copy.copyFrom(source);
    expect(copy.requested).toBe(requested);
    expect(copy.allocatable).toBe(allocatable);
    expect(copy.requested).toMatchObject({ milliCPU: 1000, pods: 1, scalar: { 'nvidia.com/gpu': 1 } });
    source.addPod(newPodInfo(pod('b', { cpu: '2' })));
    expect(copy.requested).toMatchObject({ milliCPU: 1000, pods: 1, scalar: { 'nvidia.com/gpu': 1 } });
    source.removePod(pod('a', {}));
    source.removePod(pod('b', {}));
    copy.copyFrom(source);
    expect(copy.requested).toEqual({ milliCPU: 0, memory: 0, ephemeralStorage: 0, pods: 0, scalar: {} });
  });

  it('keeps its images map while a node update leaves the images as they were', () => {
    const ni = new NodeInfoImpl(node);
    const before = ni.imageSizes;
    ni.setNode({ ...node, metadata: { ...node.metadata, labels: { changed: 'yes' } } });
    expect(ni.imageSizes).toBe(before);
    ni.setNode({ ...node, status: { ...node.status, images: [{ names: ['busybox:1'], sizeBytes: 6 }] } });
    expect(ni.imageSizes).not.toBe(before);
    expect([...ni.imageSizes]).toEqual([['busybox:1', 6]]);
  });
});
