/**
 * Node health, as Kubernetes' node lifecycle controller judges it (tryUpdateNodeHealth): a node
 * is heard from when its Lease (kube-node-lease/<node>) is renewed or its Ready condition's
 * heartbeat changes. Times are those at which this controller *observed* the change (never the
 * kubelet's clock). A node not heard from within the grace period has its conditions set to
 * Unknown; its taints then follow its Ready condition.
 */
import type { Lease } from '../../api/kinds/coordination/lease';
import type { Node } from '../../api/kinds/core/node';
import type { NodeCondition } from '../../api/kinds/core/nodeStatus';
import type { Taint } from '../../api/kinds/core/taint';

export const notReadyTaintKey = 'node.kubernetes.io/not-ready';
export const unreachableTaintKey = 'node.kubernetes.io/unreachable';
export const unschedulableTaintKey = 'node.kubernetes.io/unschedulable';

/** TaintNodesByCondition: which condition status gives which NoSchedule taint. */
export const conditionTaints: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  Ready: { False: notReadyTaintKey, Unknown: unreachableTaintKey },
  MemoryPressure: { True: 'node.kubernetes.io/memory-pressure' },
  DiskPressure: { True: 'node.kubernetes.io/disk-pressure' },
  NetworkUnavailable: { True: 'node.kubernetes.io/network-unavailable' },
  PIDPressure: { True: 'node.kubernetes.io/pid-pressure' },
};
const conditionTaintKeys = new Set(Object.values(conditionTaints).flatMap((m) => Object.values(m)));

/** Conditions set to Unknown when the kubelet stops reporting (NetworkUnavailable is not the kubelet's). */
export const kubeletConditions = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'] as const;

interface HealthRecord {
  /** When the node was last heard from (ms, this controller's clock). */
  probeTimestamp: number;
  readyTransitionTimestamp: number;
  /** The Ready condition as last observed. */
  ready: NodeCondition | undefined;
  /** The lease renewTime last observed (ms). */
  leaseRenewTime: number | undefined;
}

export interface HealthObservation {
  /** When the node was last heard from. */
  readonly probeTimestamp: number;
  /** The grace period that applies (startup grace for a node that never posted Ready). */
  readonly gracePeriodMs: number;
}

export interface HealthOptions {
  readonly gracePeriodMs: number;
  readonly startupGracePeriodMs: number;
}

function parseTime(s: string | undefined): number | undefined {
  if (!s) return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : t;
}

export function readyCondition(node: Node): NodeCondition | undefined {
  return (node.status?.conditions ?? []).find((c) => c.type === 'Ready');
}

export class NodeHealthTracker {
  private readonly records = new Map<string, HealthRecord>();

  constructor(private readonly options: HealthOptions) {}

  /** Updates what is known of `node` (and its lease) as of `now`. */
  observe(node: Node, lease: Lease | undefined, now: number): HealthObservation {
    const name = node.metadata?.name ?? '';
    let record = this.records.get(name);
    const current = readyCondition(node);
    let gracePeriodMs = this.options.gracePeriodMs;
    if (!current) {
      // Never posted: the node gets the startup grace period from its creation.
      gracePeriodMs = this.options.startupGracePeriodMs;
      if (!record) {
        const created = parseTime(node.metadata?.creationTimestamp) ?? now;
        record = { probeTimestamp: created, readyTransitionTimestamp: created, ready: undefined, leaseRenewTime: undefined };
      }
    }
    // (Without a Ready condition, what was saved is replaced by the current status first, as in Kubernetes.)
    const saved = current ? record?.ready : undefined;
    if (!record) {
      record = { probeTimestamp: now, readyTransitionTimestamp: now, ready: current, leaseRenewTime: undefined };
    } else if (!saved && current) {
      record = { probeTimestamp: now, readyTransitionTimestamp: now, ready: current, leaseRenewTime: record.leaseRenewTime };
    } else if (saved && current && saved.lastHeartbeatTime !== current.lastHeartbeatTime) {
      const transition = saved.lastTransitionTime !== current.lastTransitionTime ? now : record.readyTransitionTimestamp;
      record = { probeTimestamp: now, readyTransitionTimestamp: transition, ready: current, leaseRenewTime: record.leaseRenewTime };
    } else {
      record = { ...record, ready: current };
    }
    // A renewed lease counts as hearing from the node, even if it never posted a status.
    const renew = parseTime(lease?.spec?.renewTime);
    if (renew !== undefined && (record.leaseRenewTime === undefined || record.leaseRenewTime < renew)) {
      record.leaseRenewTime = renew;
      record.probeTimestamp = now;
    }
    this.records.set(name, record);
    return { probeTimestamp: record.probeTimestamp, gracePeriodMs };
  }

  forget(name: string): void {
    this.records.delete(name);
  }
}

/**
 * The node's conditions once it is found silent: each kubelet condition becomes Unknown
 * (NodeStatusUnknown; NodeStatusNeverUpdated for one never posted). Returns the new list and
 * whether anything changed.
 */
export function markConditionsUnknown(node: Node, now: string): { conditions: NodeCondition[]; changed: boolean } {
  const conditions = (node.status?.conditions ?? []).map((c) => ({ ...c }));
  let changed = false;
  for (const type of kubeletConditions) {
    const c = conditions.find((x) => x.type === type);
    if (!c) {
      conditions.push({
        type,
        status: 'Unknown',
        reason: 'NodeStatusNeverUpdated',
        message: 'Kubelet never posted node status.',
        ...(node.metadata?.creationTimestamp ? { lastHeartbeatTime: node.metadata.creationTimestamp } : {}),
        lastTransitionTime: now,
      });
      changed = true;
    } else if (c.status !== 'Unknown') {
      c.status = 'Unknown';
      c.reason = 'NodeStatusUnknown';
      c.message = 'Kubelet stopped posting node status.';
      c.lastTransitionTime = now;
      changed = true;
    }
  }
  return { conditions, changed };
}

function sameTaint(a: Taint, b: Taint): boolean {
  return a.key === b.key && a.effect === b.effect;
}

/**
 * The node's taints as the controller wants them: the NoSchedule taints of its conditions (and
 * unschedulable), and the NoExecute not-ready/unreachable taint of its Ready condition (kept
 * with its timeAdded while it stays; new ones get `now`). Other taints are kept as they are.
 */
export function desiredTaints(node: Node, now: string): { taints: Taint[]; changed: boolean } {
  const existing = node.spec?.taints ?? [];
  const noSchedule: Taint[] = [];
  for (const c of node.status?.conditions ?? []) {
    const key = conditionTaints[c.type]?.[c.status];
    if (key) noSchedule.push({ key, effect: 'NoSchedule' });
  }
  if (node.spec?.unschedulable) noSchedule.push({ key: unschedulableTaintKey, effect: 'NoSchedule' });
  const ready = readyCondition(node);
  const noExecute: Taint[] = [];
  if (ready?.status === 'False') noExecute.push({ key: notReadyTaintKey, effect: 'NoExecute' });
  else if (ready?.status === 'Unknown') noExecute.push({ key: unreachableTaintKey, effect: 'NoExecute' });

  const managed = (t: Taint) =>
    (t.effect === 'NoSchedule' && (conditionTaintKeys.has(t.key) || t.key === unschedulableTaintKey)) ||
    (t.effect === 'NoExecute' && (t.key === notReadyTaintKey || t.key === unreachableTaintKey));
  const wanted = [...noSchedule, ...noExecute];
  const taints: Taint[] = [];
  let changed = false;
  for (const t of existing) {
    if (!managed(t) || wanted.some((w) => sameTaint(w, t))) taints.push(t);
    else changed = true;
  }
  for (const w of wanted) {
    if (existing.some((t) => sameTaint(t, w))) continue;
    taints.push(w.effect === 'NoExecute' ? { ...w, timeAdded: now } : w);
    changed = true;
  }
  return { taints, changed };
}
