/**
 * NodePorts (Kubernetes' nodeports plugin): the host ports a pod's containers ask for must be free
 * on the node. A port conflicts per protocol: a wildcard host IP (0.0.0.0, or unset) conflicts with
 * every IP using that protocol/port, a specific IP with itself and the wildcard.
 */
import type { Pod } from '../../api/kinds/core/pod';
import {
  skip,
  success,
  unschedulable,
  type ClusterEvent,
  type CycleState,
  type EnqueueExtensions,
  type FilterPlugin,
  type HostPortInfo,
  type NodeInfo,
  type PluginFactory,
  type PreFilterPlugin,
  type PreFilterResult,
  type Status,
} from '../framework/interfaces';
import { podHostPorts } from '../framework/resources';

export const name = 'NodePorts';

export const ERR_REASON = "node(s) didn't have free ports for the requested pod ports";

const preFilterStateKey = 'PreFilter' + name;
const DEFAULT_BIND_ALL_HOST_IP = '0.0.0.0';
const events: readonly ClusterEvent[] = Object.freeze(['PodDelete', 'NodeAdd', 'NodeUpdate'] as const);

function sanitizeIP(ip: string): string {
  return ip === '' ? DEFAULT_BIND_ALL_HOST_IP : ip;
}

function sanitizeProtocol(protocol: string): string {
  return protocol === '' ? 'TCP' : protocol;
}

/** HostPortInfo.CheckConflict for one wanted port against the ports in use on a node. */
export function portConflicts(used: readonly HostPortInfo[], want: HostPortInfo): boolean {
  if (want.port <= 0) return false;
  const ip = sanitizeIP(want.hostIP);
  const protocol = sanitizeProtocol(want.protocol);
  for (let i = 0; i < used.length; i++) {
    const u = used[i]!;
    if (u.port !== want.port || sanitizeProtocol(u.protocol) !== protocol) continue;
    if (ip === DEFAULT_BIND_ALL_HOST_IP) return true;
    const uip = sanitizeIP(u.hostIP);
    if (uip === DEFAULT_BIND_ALL_HOST_IP || uip === ip) return true;
  }
  return false;
}

/** nodeports.fitsPorts. */
export function fitsPorts(want: readonly HostPortInfo[], used: readonly HostPortInfo[]): boolean {
  for (let i = 0; i < want.length; i++) if (portConflicts(used, want[i]!)) return false;
  return true;
}

export class NodePorts implements PreFilterPlugin, FilterPlugin, EnqueueExtensions {
  readonly name = name;

  preFilter(state: CycleState, pod: Pod): { status: Status; result?: PreFilterResult } {
    const ports = podHostPorts(pod);
    if (ports.length === 0) return { status: skip() };
    state.write(preFilterStateKey, ports);
    return { status: success };
  }

  filter(state: CycleState, pod: Pod, node: NodeInfo): Status {
    const want = state.read<HostPortInfo[]>(preFilterStateKey) ?? podHostPorts(pod);
    if (want.length === 0 || node.usedPorts.length === 0) return success;
    return fitsPorts(want, node.usedPorts) ? success : unschedulable(ERR_REASON);
  }

  events(): readonly ClusterEvent[] {
    return events;
  }
}

export const factory: PluginFactory = () => new NodePorts();
