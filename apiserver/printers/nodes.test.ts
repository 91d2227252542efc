import type { Node } from '../../api/kinds/core/node';
import { nodePrinter } from './nodes';
import { ago, columnNames, printRow } from './testing';

function node(status: Node['status'], extra: { labels?: Record<string, string>; unschedulable?: boolean } = {}): Node & { metadata: { name: string } } {
  return {
    metadata: { name: 'node-1', creationTimestamp: ago(45 * 86400), ...(extra.labels ? { labels: extra.labels } : {}) },
    spec: extra.unschedulable ? { unschedulable: true } : {},
    ...(status ? { status } : {}),
  };
}

const nodeInfo = {
  kubeletVersion: 'v1.32.0',
  osImage: 'Debian GNU/Linux 12 (bookworm)',
  kernelVersion: '6.1.0-18-amd64',
  containerRuntimeVersion: 'containerd://1.6.20',
  architecture: 'amd64',
  bootID: '',
  kubeProxyVersion: '',
  machineID: '',
  operatingSystem: 'linux',
  systemUUID: '',
};

describe('node printer', () => {
  it('prints STATUS ROLES AGE VERSION and, wide, addresses and system info', () => {
    expect(columnNames(nodePrinter)).toEqual({
      normal: ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION'],
      wide: ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION', 'INTERNAL-IP', 'EXTERNAL-IP', 'OS-IMAGE', 'KERNEL-VERSION', 'CONTAINER-RUNTIME'],
    });
    const n = node(
      { conditions: [{ type: 'MemoryPressure', status: 'False' }, { type: 'Ready', status: 'True' }], addresses: [{ type: 'Hostname', address: 'node-1' }, { type: 'InternalIP', address: '10.0.0.5' }], nodeInfo },
      { labels: { 'node-role.kubernetes.io/control-plane': '', 'node-role.kubernetes.io/': '', 'kubernetes.io/role': 'worker', other: 'x' } },
    );
    expect(printRow(nodePrinter, n)).toEqual({
      Name: 'node-1',
      Status: 'Ready',
      Roles: 'control-plane,worker',
      Age: '45d',
      Version: 'v1.32.0',
      'Internal-IP': '10.0.0.5',
      'External-IP': '<none>',
      'OS-Image': 'Debian GNU/Linux 12 (bookworm)',
      'Kernel-Version': '6.1.0-18-amd64',
      'Container-Runtime': 'containerd://1.6.20',
    });
  });

  it('prints NotReady, Unknown and SchedulingDisabled', () => {
    expect(printRow(nodePrinter, node({ conditions: [{ type: 'Ready', status: 'False' }] }, { unschedulable: true })).Status).toBe('NotReady,SchedulingDisabled');
    expect(printRow(nodePrinter, node({ conditions: [{ type: 'Ready', status: 'Unknown' }] })).Status).toBe('NotReady');
    expect(printRow(nodePrinter, node(undefined))).toMatchObject({ Status: 'Unknown', Roles: '<none>', Version: '', 'OS-Image': '<unknown>', 'Internal-IP': '<none>' });
  });
});
