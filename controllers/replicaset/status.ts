/**
 * A ReplicaSet's status, computed from its active pods as Kubernetes' calculateStatus
 * (pkg/controller/replicaset/replica_set_utils.go): replicas, fullyLabeledReplicas,
 * readyReplicas, availableReplicas, and the ReplicaFailure condition while creating or deleting
 * pods fails.
 */
import type { Pod } from '../../api/kinds/core/pod';
import type { ReplicaSet, ReplicaSetCondition, ReplicaSetStatus } from '../../api/kinds/apps/replicaSet';
import { labelSelectorMatches } from '../../api/labels/selector';
import { isPodAvailable, isPodReady, msUntilAvailable } from './pods';

export const replicaFailure = 'ReplicaFailure';

/** metav1.Time as Kubernetes writes it: RFC 3339, second precision. */
export function rfc3339(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19) + 'Z';
}

export function specReplicas(rs: ReplicaSet): number {
  return rs.spec?.replicas ?? 1;
}

/**
 * The new status: counts from `activePods` (the ReplicaSet's own, neither finished nor being
 * deleted), conditions from the old status with ReplicaFailure set when `manageError` happened
 * (reason FailedCreate or FailedDelete, the error as message) and removed when there was none.
 * observedGeneration is left as it was: it is set when written.
 */
export function calculateStatus(rs: ReplicaSet, activePods: readonly Pod[], manageError: unknown, nowMs: number): ReplicaSetStatus {
  const minReadySeconds = rs.spec?.minReadySeconds ?? 0;
  const templateLabels = rs.spec?.template?.metadata?.labels ?? {};
  let fullyLabeled = 0;
  let ready = 0;
  let available = 0;
  for (const pod of activePods) {
    const labels = pod.metadata?.labels ?? {};
    if (Object.entries(templateLabels).every(([k, v]) => labels[k] === v)) fullyLabeled++;
    if (isPodReady(pod)) {
      ready++;
      if (isPodAvailable(pod, minReadySeconds, nowMs)) available++;
    }
  }
  let conditions: ReplicaSetCondition[] = [...(rs.status?.conditions ?? [])];
  const failure = conditions.find((c) => c.type === replicaFailure);
  if (manageError !== undefined && !failure) {
    const diff = activePods.length - specReplicas(rs);
    const reason = diff < 0 ? 'FailedCreate' : diff > 0 ? 'FailedDelete' : '';
    conditions.push({ type: replicaFailure, status: 'True', reason, message: errorText(manageError), lastTransitionTime: rfc3339(nowMs) });
  } else if (manageError === undefined && failure) {
    conditions = conditions.filter((c) => c.type !== replicaFailure);
  }
  const status: ReplicaSetStatus = {
    replicas: activePods.length,
    fullyLabeledReplicas: fullyLabeled,
    readyReplicas: ready,
    availableReplicas: available,
  };
  if (rs.status?.observedGeneration !== undefined) status.observedGeneration = rs.status.observedGeneration;
  if (conditions.length > 0) status.conditions = conditions;
  return status;
}

/** Whether `status` says something other than the stored status, or the generation is unobserved. */
export function statusNeedsUpdate(rs: ReplicaSet, status: ReplicaSetStatus): boolean {
  const old = rs.status ?? { replicas: 0 };
  return (
    (old.replicas ?? 0) !== status.replicas ||
    (old.fullyLabeledReplicas ?? 0) !== (status.fullyLabeledReplicas ?? 0) ||
    (old.readyReplicas ?? 0) !== (status.readyReplicas ?? 0) ||
    (old.availableReplicas ?? 0) !== (status.availableReplicas ?? 0) ||
    (old.observedGeneration ?? 0) !== (rs.metadata?.generation ?? 0) ||
    JSON.stringify(old.conditions ?? []) !== JSON.stringify(status.conditions ?? [])
  );
}

/**
 * When to look again so that a ready pod is counted available once minReadySeconds have passed:
 * the soonest such moment among `activePods`, in ms from now; undefined when none is waiting.
 */
export function nextAvailabilityCheckMs(rs: ReplicaSet, activePods: readonly Pod[], nowMs: number): number | undefined {
  const minReadySeconds = rs.spec?.minReadySeconds ?? 0;
  let soonest: number | undefined;
  for (const pod of activePods) {
    const ms = msUntilAvailable(pod, minReadySeconds, nowMs);
    if (ms !== undefined && (soonest === undefined || ms < soonest)) soonest = ms;
  }
  return soonest;
}

/** Whether the ReplicaSet's selector selects these labels (a missing selector selects nothing). */
export function selects(rs: ReplicaSet, labels: Readonly<Record<string, string>> | undefined): boolean {
  return labelSelectorMatches(rs.spec?.selector, labels ?? {});
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
