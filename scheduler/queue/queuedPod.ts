/** A pod in the scheduling queue and what the queue knows about its attempts (QueuedPodInfo). */
import type { Pod } from '../../api/kinds/core/pod';

export interface QueuedPod {
  pod: Pod;
  /** namespace/name. */
  readonly key: string;
  /** When it last entered the queue (or failed its last attempt), ms. */
  timestamp: number;
  /** Scheduling attempts so far (incremented when popped). */
  attempts: number;
  /** When it was first popped, ms (for the scheduling SLI). */
  initialAttemptTimestamp?: number;
  /** Plugins that rejected it in its last attempt; empty after an error. */
  unschedulablePlugins: Set<string>;
  /** The pod's creationTimestamp in ms (0 when unset): activeQ's order after priority. */
  created: number;
  /** Order of arrival in the queue, the last tie-breaker. */
  seq: number;
}

/** Pods with scheduling gates wait until the gates are removed (the SchedulingGates plugin). */
export function isGated(pod: Pod): boolean {
  return (pod.spec?.schedulingGates ?? []).length > 0;
}
