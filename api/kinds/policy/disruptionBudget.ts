/**
 * What a PodDisruptionBudget allows, computed from the pods it selects as Kubernetes' disruption
 * controller computes it (pkg/controller/disruption): expectedPods, desiredHealthy,
 * currentHealthy, disruptionsAllowed, the disruptedPods still pending and the DisruptionAllowed
 * condition. Pure: the caller lists the pods and says how many replicas each pod's controller
 * wants. The eviction subresource uses it while no controller keeps budgets' status; the
 * disruption controller will write what it returns.
 */
import type { Pod } from '../core/pod';
import { fromLabelSelector, matches } from '../../labels/selector';
import type { Condition, OwnerReference } from '../meta';
import { setStatusCondition } from '../conditions';
import type { PodDisruptionBudget, PodDisruptionBudgetStatus } from './podDisruptionBudget';

/** How long an eviction recorded in status.disruptedPods keeps its pod out of the healthy count. */
export const deletionTimeoutMs = 2 * 60 * 1000;

/** The condition the disruption controller keeps, and its reasons. */
export const disruptionAllowedCondition = 'DisruptionAllowed';
export const sufficientPodsReason = 'SufficientPods';
export const insufficientPodsReason = 'InsufficientPods';
export const syncFailedReason = 'SyncFailed';

/** A pod's controller as far as a budget is concerned: its identity and desired replicas. */
export interface ControllerScale {
  /** The uid of the object whose replicas count (a ReplicaSet's Deployment, not the ReplicaSet). */
  readonly uid: string;
  readonly replicas: number;
}

/**
 * Finds the controller a pod's controllerRef names (in the pod's namespace): undefined when there
 * is none with that uid; throws an Error (its message is reported) when its scale cannot be known,
 * e.g. for a kind without a scale subresource.
 */
export type ControllerScaleLookup = (ref: OwnerReference, namespace: string) => ControllerScale | undefined;

export interface BudgetInput {
  readonly budget: PodDisruptionBudget;
  /** Pods of the budget's namespace; those the budget does not select are ignored. */
  readonly pods: readonly Pod[];
  readonly controllerScale: ControllerScaleLookup;
  readonly now: Date;
}

export interface BudgetComputation {
  /** The status the disruption controller would write (observedGeneration = the budget's generation). */
  readonly status: PodDisruptionBudgetStatus;
  /** Selected pods without a controller, which a percentage or maxUnavailable budget cannot count. */
  readonly unmanagedPods: readonly string[];
  /** Why the budget could not be computed (status then allows no disruption, as failSafe does). */
  readonly error?: string;
  /** When an entry of disruptedPods expires and the budget should be computed again. */
  readonly recheckAt?: Date;
}

/** podutil.IsPodReady: the pod's Ready condition is True (what budgets call healthy). */
export function isPodReady(pod: Pod): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

/**
 * Whether a budget selects a pod, as policy/v1 defines it: pods of its namespace matching its
 * selector, where a missing selector selects nothing and an empty one every pod.
 */
export function budgetSelectsPod(budget: PodDisruptionBudget, pod: Pod): boolean {
  const selector = budget.spec?.selector;
  if (!selector || budget.metadata?.namespace !== pod.metadata?.namespace) return false;
  return matches(fromLabelSelector(selector), pod.metadata?.labels);
}

/**
 * intstr.GetScaledValueFromIntOrPercent: an integer as is, a percentage of `total` rounded up or
 * down. Throws on a string that is not a percentage (validation keeps those out of budgets).
 */
export function scaledValue(value: number | string, total: number, roundUp: boolean): number {
  if (typeof value === 'number') return value;
  const m = /^(\d+)%$/.exec(value);
  if (!m) throw new Error(`invalid value for IntOrString: invalid type: string is not a percentage`);
  const exact = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

/** The budget's status computed from the pods, as the disruption controller's sync does. */
export function computeBudget(input: BudgetInput): BudgetComputation {
  const { budget, now } = input;
  const pods = input.pods.filter((pod) => budgetSelectsPod(budget, pod));
  const generation = budget.metadata?.generation ?? 0;
  let counts: ExpectedCounts;
  try {
    counts = expectedCounts(budget, pods, input.controllerScale);
  } catch (err) {
    return failSafe(budget, (err as Error).message, now);
  }
  const { disruptedPods, recheckAt } = pendingDisruptions(budget, pods, now);
  const currentHealthy = pods.filter((pod) => countsAsHealthy(pod, disruptedPods, now)).length;
  // No disruption while the budget expects no pods: its pods may be appearing right now.
  const surplus = currentHealthy - counts.desiredHealthy;
  const disruptionsAllowed = counts.expectedPods <= 0 || surplus <= 0 ? 0 : surplus;
  const status: PodDisruptionBudgetStatus = {
    ...(Object.keys(disruptedPods).length ? { disruptedPods } : {}),
    currentHealthy,
    desiredHealthy: counts.desiredHealthy,
    expectedPods: counts.expectedPods,
    disruptionsAllowed,
    observedGeneration: generation,
  };
  status.conditions = withDisruptionAllowedCondition(budget.status?.conditions, status, now);
  return { status, unmanagedPods: counts.unmanagedPods, ...(recheckAt ? { recheckAt } : {}) };
}

/**
 * pdbhelper.UpdateDisruptionAllowedCondition: DisruptionAllowed True (SufficientPods) while
 * disruptions are allowed, else False (InsufficientPods); the transition time moves only when the
 * condition's status changes (apimeta.SetStatusCondition).
 */
export function withDisruptionAllowedCondition(conditions: readonly Condition[] | undefined, status: PodDisruptionBudgetStatus, now: Date): Condition[] {
  const allowed = status.disruptionsAllowed > 0;
  return setStatusCondition(
    conditions,
    {
      type: disruptionAllowedCondition,
      status: allowed ? 'True' : 'False',
      reason: allowed ? sufficientPodsReason : insufficientPodsReason,
      message: '',
      ...(status.observedGeneration !== undefined ? { observedGeneration: status.observedGeneration } : {}),
    },
    now,
  );
}

interface ExpectedCounts {
  readonly expectedPods: number;
  readonly desiredHealthy: number;
  readonly unmanagedPods: readonly string[];
}

/** getExpectedPodCount: an integer minAvailable counts pods; anything else counts controllers' replicas. */
function expectedCounts(budget: PodDisruptionBudget, pods: readonly Pod[], lookup: ControllerScaleLookup): ExpectedCounts {
  const { maxUnavailable, minAvailable } = budget.spec ?? {};
  if (maxUnavailable !== undefined) {
    const { expected, unmanaged } = expectedScale(pods, lookup);
    const desiredHealthy = Math.max(0, expected - scaledValue(maxUnavailable, expected, true));
    return { expectedPods: expected, desiredHealthy, unmanagedPods: unmanaged };
  }
  if (typeof minAvailable === 'number') return { expectedPods: pods.length, desiredHealthy: minAvailable, unmanagedPods: [] };
  if (typeof minAvailable === 'string') {
    const { expected, unmanaged } = expectedScale(pods, lookup);
    return { expectedPods: expected, desiredHealthy: scaledValue(minAvailable, expected, true), unmanagedPods: unmanaged };
  }
  return { expectedPods: 0, desiredHealthy: 0, unmanagedPods: [] };
}

/**
 * getExpectedScale: the sum of the desired replicas of the pods' controllers, each counted once.
 * Pods without a controller are left out (and reported); a controller that cannot be found is an
 * error.
 */
function expectedScale(pods: readonly Pod[], lookup: ControllerScaleLookup): { expected: number; unmanaged: string[] } {
  const scales = new Map<string, number>();
  const byRef = new Set<string>();
  const unmanaged: string[] = [];
  for (const pod of pods) {
    const ref = (pod.metadata?.ownerReferences ?? []).find((r) => r.controller === true);
    if (!ref) {
      unmanaged.push(pod.metadata?.name ?? '');
      continue;
    }
    if (byRef.has(ref.uid)) continue;
    const controller = lookup(ref, pod.metadata?.namespace ?? '');
    if (!controller) throw new Error(`found no controllers for pod ${JSON.stringify(pod.metadata?.name ?? '')}`);
    byRef.add(ref.uid);
    scales.set(controller.uid, controller.replicas);
  }
  let expected = 0;
  for (const replicas of scales.values()) expected += replicas;
  return { expected, unmanaged };
}

/**
 * buildDisruptedPodMap: the evictions recorded in status.disruptedPods whose pods are not yet
 * being deleted and whose deletion is not overdue (older than deletionTimeoutMs).
 */
function pendingDisruptions(budget: PodDisruptionBudget, pods: readonly Pod[], now: Date): { disruptedPods: Record<string, string>; recheckAt: Date | undefined } {
  const recorded = budget.status?.disruptedPods ?? {};
  const disruptedPods: Record<string, string> = {};
  let recheckAt: Date | undefined;
  for (const pod of pods) {
    const name = pod.metadata?.name ?? '';
    const at = recorded[name];
    if (pod.metadata?.deletionTimestamp || at === undefined) continue;
    const expectedDeletion = new Date(Date.parse(at) + deletionTimeoutMs);
    if (expectedDeletion < now) continue;
    disruptedPods[name] = at;
    if (!recheckAt || expectedDeletion < recheckAt) recheckAt = expectedDeletion;
  }
  return { disruptedPods, recheckAt };
}

/** countHealthyPods: ready, not being deleted, and not about to be (a recent eviction). */
function countsAsHealthy(pod: Pod, disruptedPods: Readonly<Record<string, string>>, now: Date): boolean {
  if (pod.metadata?.deletionTimestamp) return false;
  const disruptedAt = disruptedPods[pod.metadata?.name ?? ''];
  if (disruptedAt !== undefined && Date.parse(disruptedAt) + deletionTimeoutMs > now.getTime()) return false;
  return isPodReady(pod);
}

/** failSafe: no disruption allowed, the reason in the condition; the rest of status as it was. */
function failSafe(budget: PodDisruptionBudget, error: string, now: Date): BudgetComputation {
  const old = budget.status;
  const status: PodDisruptionBudgetStatus = {
    ...old,
    currentHealthy: old?.currentHealthy ?? 0,
    desiredHealthy: old?.desiredHealthy ?? 0,
    expectedPods: old?.expectedPods ?? 0,
    disruptionsAllowed: 0,
  };
  const observedGeneration = old?.observedGeneration;
  status.conditions = setStatusCondition(
    old?.conditions,
    { type: disruptionAllowedCondition, status: 'False', reason: syncFailedReason, message: error, ...(observedGeneration !== undefined ? { observedGeneration } : {}) },
    now,
  );
  return { status, unmanagedPods: [], error };
}
