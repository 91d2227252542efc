/**
 * One pod's scheduling algorithm (schedulePod): PreFilter, Filter over a sample of nodes, then
 * PreScore/Score and the best node. Synchronous and allocation-light: it runs once per pod over
 * thousands of nodes.
 *
 * Sampling: filtering stops once numFeasibleNodesToFind nodes fit; the next pod starts where this
 * one stopped (round robin over the snapshot's zone-interleaved list), so nodes share the load.
 */
import type { Pod } from '../../api/kinds/core/pod';
import type { CycleStateImpl } from '../framework/cycleState';
import type { NodeInfo, Snapshot, Status } from '../framework/interfaces';
import type { Framework } from '../framework/runtime/framework';
import { FitError, newDiagnosis, noNodesAvailableMessage, type Diagnosis } from './fitError';
import { numFeasibleNodesToFind } from './numFeasibleNodes';

export interface ScheduleResult {
  readonly suggestedHost: string;
  /** Nodes Filter ran on. */
  readonly evaluatedNodes: number;
  readonly feasibleNodes: number;
}

/** Where the next pod's filtering starts (nextStartNodeIndex), shared by the scheduler's cycles. */
export interface FilterCursor {
  next: number;
}

/** Thrown for internal errors (a plugin's Error status, no nodes): the pod backs off and is retried. */
export class SchedulingError extends Error {
  constructor(
    message: string,
    readonly plugin?: string,
  ) {
    super(message);
    this.name = 'SchedulingError';
  }
}

function fail(status: Status): never {
  throw new SchedulingError(status.reasons.join(', ') || 'error', status.plugin);
}

/** Throws FitError when no node fits, SchedulingError on errors. */
export function schedulePod(
  fwk: Framework,
  state: CycleStateImpl,
  pod: Pod,
  snapshot: Snapshot,
  cursor: FilterCursor,
  percentageOfNodesToScore: number | undefined,
): ScheduleResult {
  const all = snapshot.list();
  if (all.length === 0) throw new SchedulingError(noNodesAvailableMessage);
  const diagnosis = newDiagnosis();
  const feasible = findNodesThatFitPod(fwk, state, pod, snapshot, cursor, fwk.percentageOfNodesToScore ?? percentageOfNodesToScore, diagnosis);
  if (feasible.nodes.length === 0) throw new FitError(all.length, diagnosis);
  if (feasible.nodes.length === 1) return { suggestedHost: feasible.nodes[0]!.name, evaluatedNodes: feasible.evaluated, feasibleNodes: 1 };
  const s = fwk.runPreScorePlugins(state, pod, feasible.nodes);
  if (s.code !== 'Success') fail(s);
  const totals = fwk.runScorePlugins(state, pod, feasible.nodes);
  return { suggestedHost: feasible.nodes[selectHost(totals)]!.name, evaluatedNodes: feasible.evaluated, feasibleNodes: feasible.nodes.length };
}

/** The index of the highest total; ties broken uniformly at random (reservoir sampling, as Kubernetes). */
export function selectHost(totals: readonly number[], random: () => number = Math.random): number {
  let best = 0;
  let ties = 1;
  for (let i = 1; i < totals.length; i++) {
    const t = totals[i]!;
    if (t > totals[best]!) {
      best = i;
      ties = 1;
    } else if (t === totals[best]!) {
      ties++;
      if (random() * ties < 1) best = i;
    }
  }
  return best;
}

interface Feasible {
  readonly nodes: NodeInfo[];
  readonly evaluated: number;
}

export function findNodesThatFitPod(
  fwk: Framework,
  state: CycleStateImpl,
  pod: Pod,
  snapshot: Snapshot,
  cursor: FilterCursor,
  percentage: number | undefined,
  diagnosis: Diagnosis,
): Feasible {
  const all = snapshot.list();
  const pre = fwk.runPreFilterPlugins(state, pod, all);
  if (pre.status.code !== 'Success') {
    if (pre.status.code === 'Error') fail(pre.status);
    // A PreFilter rejection applies to every node.
    diagnosis.preFilterMsg = pre.status.reasons.join(', ');
    for (const n of all) diagnosis.nodeStatuses.set(n.name, pre.status);
    if (pre.status.plugin) diagnosis.unschedulablePlugins.add(pre.status.plugin);
    return { nodes: [], evaluated: 0 };
  }

  // A nominated node (preemption made room there) is tried first.
  const nominated = pod.status?.nominatedNodeName;
  if (nominated) {
    const ni = snapshot.get(nominated);
    if (ni && (!pre.nodeNames || pre.nodeNames.has(nominated)) && fwk.runFilterPlugins(state, pod, ni).code === 'Success') {
      return { nodes: [ni], evaluated: 1 };
    }
  }

  let nodes = all;
  if (pre.nodeNames) {
    const subset: NodeInfo[] = [];
    for (const name of pre.nodeNames) {
      const ni = snapshot.get(name);
      if (ni) subset.push(ni);
    }
    nodes = subset;
  }
  const want = numFeasibleNodesToFind(nodes.length, percentage);
  const feasible: NodeInfo[] = [];
  const n = nodes.length;
  const start = n === 0 ? 0 : cursor.next % n;
  let processed = 0;
  if (fwk.filterPlugins.length === 0) {
    for (; processed < n && feasible.length < want; processed++) feasible.push(nodes[(start + processed) % n]!);
  } else {
    for (; processed < n && feasible.length < want; processed++) {
      const ni = nodes[(start + processed) % n]!;
      const status = fwk.runFilterPlugins(state, pod, ni);
      if (status.code === 'Success') {
        feasible.push(ni);
        continue;
      }
      if (status.code === 'Error') fail(status);
      diagnosis.nodeStatuses.set(ni.name, status);
      if (status.plugin) diagnosis.unschedulablePlugins.add(status.plugin);
    }
  }
  if (all.length > 0) cursor.next = (cursor.next + processed) % all.length;
  return { nodes: feasible, evaluated: processed };
}
