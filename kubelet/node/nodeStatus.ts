/**
 * The Node object a node agent registers and the status it reports (the kubelet's
 * setNodeStatus functions): well-known labels, capacity and allocatable (cpu, memory,
 * ephemeral-storage, pods), addresses, nodeInfo with the agent's and the runtime's versions, the
 * four conditions, the agent's endpoint and the runtime's images. Pure: the caller passes what the
 * machine reports.
 */
import { arch, platform } from 'node:os';
import type { Node } from '../../api/kinds/core/node';
import type { NodeCondition, NodeStatus } from '../../api/kinds/core/nodeStatus';
import type { ResourceList } from '../../api/kinds/core/resources';
import type { ContainerImage } from './nodeImages';

export const kubeletVersion = 'v1.32.0-marina';

/** What a node offers and how it is reached. */
export interface NodeFacts {
  readonly nodeName: string;
  /** Quantities as Kubernetes writes them: cpu "4", memory "8123456Ki", ephemeral-storage, pods "110". */
  readonly capacity: Readonly<Record<string, string>>;
  /** Default: the capacity. */
  readonly allocatable?: Readonly<Record<string, string>>;
  readonly addresses: readonly { readonly type: string; readonly address: string }[];
  readonly port: number;
  readonly runtime: { readonly runtimeName: string; readonly runtimeVersion: string };
  readonly podCIDR?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly os?: string;
  readonly arch?: string;
  readonly kernelVersion?: string;
  readonly osImage?: string;
  readonly machineID?: string;
  readonly bootID?: string;
  /** Node.status.images (see nodeImages); left out of the status while unknown. */
  readonly images?: readonly ContainerImage[];
}

/** Kubernetes' names for node.js' architectures. */
export function goArch(a: string = arch()): string {
  return ({ x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x' } as Record<string, string>)[a] ?? a;
}

export function goOS(p: string = platform()): string {
  return p === 'win32' ? 'windows' : p;
}

export function nodeLabels(facts: NodeFacts): Record<string, string> {
  return {
    'kubernetes.io/hostname': facts.nodeName,
    'kubernetes.io/os': facts.os ?? goOS(),
    'kubernetes.io/arch': facts.arch ?? goArch(),
    'beta.kubernetes.io/os': facts.os ?? goOS(),
    'beta.kubernetes.io/arch': facts.arch ?? goArch(),
    ...facts.labels,
  };
}

/** The Node to create when none exists. */
export function initialNode(facts: NodeFacts): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: facts.nodeName, labels: nodeLabels(facts) },
    spec: facts.podCIDR ? { podCIDR: facts.podCIDR, podCIDRs: [facts.podCIDR] } : {},
  };
}

export type ConditionType = 'Ready' | 'MemoryPressure' | 'DiskPressure' | 'PIDPressure';

/** The agent's view of its health: Ready unless something is wrong. */
export interface NodeHealth {
  readonly ready: boolean;
  readonly notReadyMessage?: string;
  readonly memoryPressure?: boolean;
  readonly diskPressure?: boolean;
  readonly pidPressure?: boolean;
}

const conditionText: Record<ConditionType, { true: [string, string]; false: [string, string] }> = {
  Ready: { true: ['KubeletReady', 'kubelet is posting ready status'], false: ['KubeletNotReady', 'kubelet is not ready'] },
  MemoryPressure: { true: ['KubeletHasInsufficientMemory', 'kubelet has insufficient memory available'], false: ['KubeletHasSufficientMemory', 'kubelet has sufficient memory available'] },
  DiskPressure: { true: ['KubeletHasDiskPressure', 'kubelet has disk pressure'], false: ['KubeletHasNoDiskPressure', 'kubelet has no disk pressure'] },
  PIDPressure: { true: ['KubeletHasInsufficientPID', 'kubelet has insufficient PID available'], false: ['KubeletHasSufficientPID', 'kubelet has sufficient PID available'] },
};

/**
 * The status to report: everything from the facts and health, conditions with heartbeat `now`
 * and transition times kept from `old` while a condition's status holds.
 */
export function nodeStatus(facts: NodeFacts, health: NodeHealth, old: NodeStatus | undefined, now: string): NodeStatus {
  const values: Record<ConditionType, boolean> = {
    MemoryPressure: !!health.memoryPressure,
    DiskPressure: !!health.diskPressure,
    PIDPressure: !!health.pidPressure,
    Ready: health.ready,
  };
  const conditions: NodeCondition[] = (Object.keys(values) as ConditionType[]).map((type) => {
    const value = values[type];
    const [reason, defaultMessage] = conditionText[type][value ? 'true' : 'false'];
    const status = value ? 'True' : 'False';
    const previous = old?.conditions?.find((c) => c.type === type);
    return {
      type,
      status,
      reason,
      message: type === 'Ready' && !value && health.notReadyMessage ? health.notReadyMessage : defaultMessage,
      lastHeartbeatTime: now,
      lastTransitionTime: previous && previous.status === status && previous.lastTransitionTime ? previous.lastTransitionTime : now,
    };
  });
  const capacity: ResourceList = { ...facts.capacity };
  return {
    capacity,
    allocatable: { ...(facts.allocatable ?? facts.capacity) },
    conditions,
    addresses: facts.addresses.map((a) => ({ type: a.type, address: a.address })),
    daemonEndpoints: { kubeletEndpoint: { Port: facts.port } },
    ...(facts.images ? { images: facts.images.map((i) => ({ ...i, names: [...(i.names ?? [])] })) } : {}),
    nodeInfo: {
      machineID: facts.machineID ?? '',
      systemUUID: facts.machineID ?? '',
      bootID: facts.bootID ?? '',
      kernelVersion: facts.kernelVersion ?? '',
      osImage: facts.osImage ?? '',
      containerRuntimeVersion: `${facts.runtime.runtimeName}://${facts.runtime.runtimeVersion}`,
      kubeletVersion,
      kubeProxyVersion: '',
      operatingSystem: facts.os ?? goOS(),
      architecture: facts.arch ?? goArch(),
    },
  };
}

/** Whether two statuses differ in anything but heartbeat times (a change worth writing at once). */
export function statusChanged(a: NodeStatus | undefined, b: NodeStatus | undefined): boolean {
  return stripHeartbeats(a) !== stripHeartbeats(b);
}

function stripHeartbeats(s: NodeStatus | undefined): string {
  if (!s) return '';
  const conditions = [...(s.conditions ?? [])].map(({ lastHeartbeatTime: _h, ...rest }) => rest).sort((x, y) => (x.type < y.type ? -1 : 1));
  return JSON.stringify({
    capacity: s.capacity,
    allocatable: s.allocatable,
    conditions,
    addresses: s.addresses,
    daemonEndpoints: s.daemonEndpoints,
    nodeInfo: s.nodeInfo,
    images: s.images,
  });
}
