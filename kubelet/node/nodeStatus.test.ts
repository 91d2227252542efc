import { initialNode, nodeStatus, statusChanged, type NodeFacts } from './nodeStatus';

const facts: NodeFacts = {
  nodeName: 'n1',
  capacity: { cpu: '2', memory: '4Gi', pods: '110' },
  addresses: [{ type: 'InternalIP', address: '10.0.0.1' }],
  port: 10250,
  runtime: { runtimeName: 'containerd', runtimeVersion: '1.7.0' },
  os: 'linux',
  arch: 'amd64',
};

test('the registered node has the well-known labels and pod CIDR', () => {
  const node = initialNode({ ...facts, podCIDR: '10.1.0.0/24' });
  expect(node.metadata?.labels).toMatchObject({ 'kubernetes.io/hostname': 'n1', 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64' });
  expect(node.spec).toEqual({ podCIDR: '10.1.0.0/24', podCIDRs: ['10.1.0.0/24'] });
});

test('status: capacity, allocatable, versions, port and conditions whose transition times hold', () => {
  const first = nodeStatus(facts, { ready: true }, undefined, 't1');
  expect(first.allocatable).toEqual(facts.capacity);
  expect(first.nodeInfo?.containerRuntimeVersion).toBe('containerd://1.7.0');
  expect(first.daemonEndpoints?.kubeletEndpoint?.Port).toBe(10250);
  expect(first.conditions?.map((c) => [c.type, c.status, c.reason])).toEqual([
    ['MemoryPressure', 'False', 'KubeletHasSufficientMemory'],
    ['DiskPressure', 'False', 'KubeletHasNoDiskPressure'],
    ['PIDPressure', 'False', 'KubeletHasSufficientPID'],
    ['Ready', 'True', 'KubeletReady'],
  ]);
  const second = nodeStatus(facts, { ready: true }, first, 't2');
  expect(second.conditions?.every((c) => c.lastTransitionTime === 't1' && c.lastHeartbeatTime === 't2')).toBe(true);
  expect(statusChanged(first, second)).toBe(false);
  const notReady = nodeStatus(facts, { ready: false, notReadyMessage: 'runtime down' }, second, 't3');
  const ready = notReady.conditions?.find((c) => c.type === 'Ready');
  expect(ready).toMatchObject({ status: 'False', reason: 'KubeletNotReady', message: 'runtime down', lastTransitionTime: 't3' });
  expect(statusChanged(second, notReady)).toBe(true);
});

test('images are reported when known and a change of them is a change of status', () => {
  const without = nodeStatus(facts, { ready: true }, undefined, 't1');
  expect(without.images).toBeUndefined();
  const withImages = nodeStatus({ ...facts, images: [{ names: ['a:1'], sizeBytes: 10 }] }, { ready: true }, without, 't2');
  expect(withImages.images).toEqual([{ names: ['a:1'], sizeBytes: 10 }]);
  expect(statusChanged(without, withImages)).toBe(true);
  const same = nodeStatus({ ...facts, images: [{ names: ['a:1'], sizeBytes: 10 }] }, { ready: true }, withImages, 't3');
  expect(statusChanged(withImages, same)).toBe(false);
  const pressure = nodeStatus({ ...facts, images: [{ names: ['a:1'], sizeBytes: 10 }] }, { ready: true, diskPressure: true }, same, 't4');
  expect(pressure.conditions?.find((c) => c.type === 'DiskPressure')).toMatchObject({ status: 'True', reason: 'KubeletHasDiskPressure', message: 'kubelet has disk pressure', lastTransitionTime: 't4' });
  expect(statusChanged(same, pressure)).toBe(true);
});
