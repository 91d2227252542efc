import { validateObject } from '../decode';
import { admit, causesOf } from '../testing';
import { nodeKind, quantitySign } from './node';

/** A node as a kubelet registers it and reports its status. */
const kubeletNode = () => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name: 'worker-1', labels: { 'kubernetes.io/hostname': 'worker-1', 'kubernetes.io/os': 'linux' } },
  spec: { podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24', 'fd00:10:244:1::/64'], providerID: 'kind://docker/kind/worker-1', taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] },
  status: {
    addresses: [
      { type: 'InternalIP', address: '172.18.0.2' },
      { type: 'Hostname', address: 'worker-1' },
    ],
    capacity: { cpu: '8', 'ephemeral-storage': '263174212Ki', 'hugepages-2Mi': '0', memory: '32823260Ki', pods: '110' },
    conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: '2024-01-02T03:04:05Z', lastTransitionTime: '2024-01-02T03:04:05Z', reason: 'KubeletReady', message: 'kubelet is posting ready status' }],
    daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
    features: { supplementalGroupsPolicy: true },
    images: [{ names: ['registry.k8s.io/pause:3.10'], sizeBytes: 320368 }],
    nodeInfo: {
      architecture: 'amd64',
      bootID: 'b',
      containerRuntimeVersion: 'containerd://1.7.18',
      kernelVersion: '6.8.0',
      kubeProxyVersion: '',
      kubeletVersion: 'v1.32.0',
      machineID: 'm',
      operatingSystem: 'linux',
      osImage: 'Debian GNU/Linux 12 (bookworm)',
      systemUUID: 'u',
      swap: { capacity: 0 },
    },
    runtimeHandlers: [{ name: 'runc', features: { recursiveReadOnlyMounts: true, userNamespaces: true } }],
    volumesAttached: [{ name: 'kubernetes.io/csi/pd^vol-1', devicePath: '' }],
    volumesInUse: ['kubernetes.io/csi/pd^vol-1'],
  },
});

describe('Node', () => {
  it('admits a node as a kubelet reports it, defaulting allocatable to capacity', () => {
    const node = admit(nodeKind, kubeletNode());
    expect(node.status?.allocatable).toEqual(node.status?.capacity);
    expect(nodeKind.selectableFields?.['spec.unschedulable']?.(node)).toBe('false');
  });

  it('pairs podCIDR and podCIDRs', () => {
    expect(admit(nodeKind, { metadata: { name: 'a' }, spec: { podCIDR: '10.0.0.0/24' } }).spec?.podCIDRs).toEqual(['10.0.0.0/24']);
    expect(admit(nodeKind, { metadata: { name: 'a' }, spec: { podCIDRs: ['10.0.0.0/24'] } }).spec?.podCIDR).toBe('10.0.0.0/24');
  });

  it('rejects a namespace, bad taints, bad CIDRs and negative quantities', () => {
    expect(
      causesOf(() =>
        admit(nodeKind, {
          metadata: { name: 'a', namespace: 'default' },
          spec: {
            podCIDRs: ['10.0.0.0/24', '10.1.0.0/24', 'nope'],
            taints: [
              { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' },
              { key: 'dedicated', value: 'other', effect: 'NoSchedule' },
              { key: 'bad key', effect: 'NoExecute' },
            ],
          },
          status: { capacity: { cpu: '-1', pods: '1500m', 'example.com/gpu': '0.5', memory: '1Gi' } },
        }),
      ),
    ).toEqual([
      'metadata.namespace: Forbidden: not allowed on this type',
      'metadata.taints[1]: Duplicate value: {"key":"dedicated","value":"other","effect":"NoSchedule"}: taints must be unique by key and effect pair',
      expect.stringMatching(/^metadata\.taints\[2\]\.key: Invalid value: "bad key": name part must consist of/),
      'status.capacity.cpu: Invalid value: "-1": must be greater than or equal to 0',
      'status.capacity.pods: Invalid value: "1500m": must be an integer',
      'status.capacity.example.com/gpu: Invalid value: "0.5": must be an integer',
      // allocatable was defaulted from capacity, so it carries the same problems.
      'status.allocatable.cpu: Invalid value: "-1": must be greater than or equal to 0',
      'status.allocatable.pods: Invalid value: "1500m": must be an integer',
      'status.allocatable.example.com/gpu: Invalid value: "0.5": must be an integer',
      'spec.podCIDRs[2]: Invalid value: "nope": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
      'spec.podCIDRs: Invalid value: ["10.0.0.0/24","10.1.0.0/24","nope"]: may specify no more than one CIDR for each IP family',
    ]);
  });

  it('requires taint effects from the enum and the key (422 from the schema)', () => {
    expect(causesOf(() => admit(nodeKind, { metadata: { name: 'a' }, spec: { taints: [{ effect: 'Sometimes' }] } }))).toEqual([
      'spec.taints[0].key: Required value',
      'spec.taints[0].effect: Unsupported value: "Sometimes": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
    ]);
  });

  it('reports unknown fields with their path', () => {
    const body = kubeletNode() as { status: { nodeInfo: Record<string, unknown> } };
    body.status.nodeInfo.kernel = 'x';
    expect(() => admit(nodeKind, body)).toThrow('strict decoding error: unknown field "status.nodeInfo.kernel"');
  });

  it('keeps podCIDRs and providerID once set', () => {
    const old = admit(nodeKind, kubeletNode());
    const next = structuredClone(old);
    next.spec!.podCIDRs = ['10.244.2.0/24'];
    next.spec!.podCIDR = '10.244.2.0/24';
    next.spec!.providerID = 'kind://docker/kind/other';
    next.spec!.unschedulable = true;
    expect(causesOf(() => validateObject(nodeKind, next, old))).toEqual([
      'spec.podCIDRs: Forbidden: node updates may not change podCIDR except from "" to valid',
      'spec.providerID: Forbidden: node updates may not change providerID except from "" to valid',
    ]);
    const cordoned = structuredClone(old);
    cordoned.spec!.unschedulable = true;
    expect(() => validateObject(nodeKind, cordoned, old)).not.toThrow();
    expect(nodeKind.selectableFields?.['spec.unschedulable']?.(cordoned)).toBe('true');
  });

  it('reads quantity signs and integrality', () => {
    expect(quantitySign('1Gi')).toEqual({ negative: false, integer: true });
    expect(quantitySign('-0')).toEqual({ negative: false, integer: true });
    expect(quantitySign('-100m')).toEqual({ negative: true, integer: false });
    expect(quantitySign('1.1k')).toEqual({ negative: false, integer: true });
    expect(quantitySign('1.5')).toEqual({ negative: false, integer: false });
    expect(quantitySign('0.5Ki')).toEqual({ negative: false, integer: true });
    expect(quantitySign('1e-3')).toEqual({ negative: false, integer: false });
    expect(quantitySign(2)).toEqual({ negative: false, integer: true });
  });
});
