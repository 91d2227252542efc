/**
 * Why a pod fits nowhere, and the message Kubernetes writes for it (framework.FitError.Error):
 *   "0/5 nodes are available: 3 Insufficient cpu, 2 node(s) had untolerated taint {key: value}.
 *    preemption: 0/5 nodes are available: 5 No preemption victims found for incoming pod."
 * Reason counts are sorted as strings; a PreFilter rejection replaces the per-node reasons.
 */
import type { Status } from '../framework/interfaces';

export interface Diagnosis {
  /** Node name → the status that rejected the pod there. */
  readonly nodeStatuses: Map<string, Status>;
  /** Plugins that rejected the pod (the queue retries it on events they registered). */
  readonly unschedulablePlugins: Set<string>;
  /** A PreFilter rejection's reasons, joined; '' when PreFilter passed. */
  preFilterMsg: string;
  /** The PostFilter (preemption) outcome's message; '' when none. */
  postFilterMsg: string;
}

export function newDiagnosis(): Diagnosis {
  return { nodeStatuses: new Map(), unschedulablePlugins: new Set(), preFilterMsg: '', postFilterMsg: '' };
}

export class FitError extends Error {
  constructor(
    readonly numAllNodes: number,
    readonly diagnosis: Diagnosis,
  ) {
    super(fitErrorMessage(numAllNodes, diagnosis));
    this.name = 'FitError';
  }

  /** The message with the diagnosis as it is now (PostFilter adds to it after the error was thrown). */
  describe(): string {
    return fitErrorMessage(this.numAllNodes, this.diagnosis);
  }
}

/** "N reason" counts over the node statuses, sorted as strings (sortReasonsHistogram). */
export function reasonHistogram(statuses: ReadonlyMap<string, Status>): string[] {
  const counts = new Map<string, number>();
  for (const status of statuses.values()) for (const r of status.reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  return [...counts].map(([r, n]) => `${n} ${r}`).sort();
}

export function fitErrorMessage(numAllNodes: number, d: Diagnosis): string {
  let msg = `0/${numAllNodes} nodes are available:`;
  if (d.preFilterMsg) msg += ` ${d.preFilterMsg}.`;
  else {
    const reasons = reasonHistogram(d.nodeStatuses);
    if (reasons.length) msg += ` ${reasons.join(', ')}.`;
  }
  if (d.postFilterMsg) msg += ` ${d.postFilterMsg}`;
  return msg;
}

/** ErrNoNodesAvailable. */
export const noNodesAvailableMessage = 'no nodes available to schedule pods';
