/**
 * pods/eviction: deletes a pod as its PodDisruptionBudget allows, as Kubernetes' EvictionREST
 * (pkg/registry/core/pod/storage/eviction.go) does:
 *   - a pod that is Pending, terminal or already being deleted is deleted at once (guarded by its
 *     resourceVersion unless terminal or deleting, so it cannot turn ready meanwhile);
 *   - a pod selected by more than one budget cannot be evicted (500);
 *   - an unready pod is deleted without using up the budget when the budget's policy is
 *     AlwaysAllow, or when the budget is met (IfHealthyBudget, the default);
 *   - otherwise the budget must allow a disruption: it is used up in the budget's status
 *     (disruptionsAllowed - 1, the pod in disruptedPods) before the pod is deleted, or the answer
 *     is 429 "Cannot evict pod as it would violate the pod's disruption budget.".
 *
 * Kubernetes reads the budget's status, kept by the disruption controller. While no controller
 * keeps it current (status absent, or observedGeneration below generation, where Kubernetes
 * would answer 429 until it catches up), Marina computes the status from the live pods with
 * api/kinds/policy/disruptionBudget.ts, and writes back what the eviction used up without
 * claiming the generation as observed, so the next eviction computes it again. The status write
 * is guarded by the budget's resourceVersion: concurrent evictions cannot both take the last
 * disruption.
 */
import { cloneJson } from '../../api/util/cloneJson';
import type { Pod } from '../../api/kinds/core/pod';
import type { OwnerReference } from '../../api/kinds/meta';
import { computeBudget, isPodReady, withDisruptionAllowedCondition, budgetSelectsPod, type BudgetComputation, type ControllerScale } from '../../api/kinds/policy/disruptionBudget';
import type { PodDisruptionBudget, PodDisruptionBudgetStatus } from '../../api/kinds/policy/podDisruptionBudget';
import { qualifiedResource } from '../../api/kinds/kind';
import * as status from '../../api/status';
import type { ResourceRegistry } from './resourceRegistry';
import type { ResourceStore } from './store';
import type { DeleteOptions } from './strategy';
import { toScale } from './subresources';
import { timestamp } from './systemFields';

/** Evictions the controller has not yet seen beyond which a budget refuses more (MaxDisruptedPodSize). */
export const maxDisruptedPods = 2000;
/** Conflicting writes are retried this many times (EvictionsRetry has 20 steps). */
const maxConflictRetries = 20;

export const budgetViolationMessage = "Cannot evict pod as it would violate the pod's disruption budget.";

export interface EvictionOptions {
  /** The clock; default the real one. */
  readonly now?: () => Date;
}

/** Evicts pod `name`; resolves once it is deleted (or marked for graceful deletion). */
export async function evictPod(registry: ResourceRegistry, namespace: string, name: string, deleteOptions: DeleteOptions, options: EvictionOptions = {}): Promise<void> {
  const pods = registry.lookup('', 'v1', 'pods')!;
  const now = options.now ?? (() => new Date());
  // A client that named a resourceVersion gets its conflicts; otherwise they are retried.
  const retryConflicts = deleteOptions.preconditions?.resourceVersion === undefined;

  let pod: Pod & { metadata: { resourceVersion?: string } };
  for (let attempt = 0; ; attempt++) {
    pod = (await pods.get(namespace, name)) as typeof pod;
    if (!canIgnoreBudget(pod)) break;
    const guarded = shouldEnforceResourceVersion(pod) && retryConflicts ? withResourceVersion(deleteOptions, pod.metadata.resourceVersion) : deleteOptions;
    try {
      await pods.delete(namespace, name, guarded);
      return;
    } catch (err) {
      if (!(retryConflicts && status.isStatusError(err, 409) && attempt < maxConflictRetries)) throw err;
    }
  }

  const budgets = await budgetsOf(registry, pod);
  if (budgets.length > 1) throw status.unknownError(500, 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.');
  let guardByVersion = false;
  const budget = budgets[0];
  if (budget) guardByVersion = (await useBudget(registry, budget, pod, deleteOptions.dryRun, now)) === 'unhealthy';

  // An unready pod evicted without using the budget must still be unready when it goes.
  const final = guardByVersion && retryConflicts ? withResourceVersion(deleteOptions, pod.metadata.resourceVersion) : deleteOptions;
  try {
    await pods.delete(namespace, name, final);
  } catch (err) {
    if (guardByVersion && retryConflicts && status.isStatusError(err, 409)) throw stillProcessing(budget!.metadata!.name!);
    throw err;
  }
}

/** canIgnorePDB: the pod disrupts nothing (not started, finished, or already going). */
export function canIgnoreBudget(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed' || phase === 'Pending' || pod.metadata?.deletionTimestamp !== undefined;
}

/** shouldEnforceResourceVersion: every pod but terminal or deleting ones might become ready meanwhile. */
export function shouldEnforceResourceVersion(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return !(phase === 'Succeeded' || phase === 'Failed' || pod.metadata?.deletionTimestamp !== undefined);
}

/** What a budget says to evicting a pod: an unready pod goes without using the budget, otherwise one disruption is used. */
export type BudgetVerdict = { readonly kind: 'unhealthy' } | { readonly kind: 'disrupt'; readonly status: PodDisruptionBudgetStatus };

/**
 * The budget's answer given its status (current or computed): the unhealthy-pod policy, then
 * checkAndDecrement (403 for a broken status, 429 when no disruption is allowed). The returned
 * status has the disruption used up and the pod recorded in disruptedPods.
 */
export function judgeEviction(budget: PodDisruptionBudget, budgetStatus: PodDisruptionBudgetStatus, pod: Pod, now: Date): BudgetVerdict {
  const name = budget.metadata?.name ?? '';
  if (!isPodReady(pod)) {
    if (budget.spec?.unhealthyPodEvictionPolicy === 'AlwaysAllow') return { kind: 'unhealthy' };
    if (budgetStatus.currentHealthy >= budgetStatus.desiredHealthy && budgetStatus.desiredHealthy > 0) return { kind: 'unhealthy' };
  }
  const gr = { group: 'policy', resource: 'poddisruptionbudget' };
  if (budgetStatus.disruptionsAllowed < 0) throw status.forbidden(gr, name, 'pdb disruptions allowed is negative');
  if (Object.keys(budgetStatus.disruptedPods ?? {}).length > maxDisruptedPods) {
    throw status.forbidden(gr, name, 'DisruptedPods map too big - too many evictions not confirmed by PDB controller');
  }
  if (budgetStatus.disruptionsAllowed === 0) {
    throw violation(`The disruption budget ${name} needs ${budgetStatus.desiredHealthy} healthy pods and has ${budgetStatus.currentHealthy} currently`, 0);
  }
  const next: PodDisruptionBudgetStatus = {
    ...budgetStatus,
    disruptionsAllowed: budgetStatus.disruptionsAllowed - 1,
    disruptedPods: { ...budgetStatus.disruptedPods, [pod.metadata?.name ?? '']: timestamp(now) },
  };
  if (next.disruptionsAllowed === 0) next.conditions = withDisruptionAllowedCondition(budgetStatus.conditions, next, now);
  return { kind: 'disrupt', status: next };
}

/** Whether a budget's status is kept by a controller that has seen its current spec. */
export function budgetStatusIsCurrent(budget: PodDisruptionBudget): boolean {
  return budget.status !== undefined && (budget.status.observedGeneration ?? 0) >= (budget.metadata?.generation ?? 0);
}

/**
 * Asks the budget about evicting `pod`, using up a disruption in its status unless the pod is
 * unready and may go anyway. Conflicting status writes are retried on the fresh budget.
 */
async function useBudget(registry: ResourceRegistry, first: PodDisruptionBudget, pod: Pod, dryRun: boolean, now: () => Date): Promise<BudgetVerdict['kind']> {
  const store = registry.lookup('policy', 'v1', 'poddisruptionbudgets')!;
  const namespace = first.metadata!.namespace!;
  const name = first.metadata!.name!;
  let budget = first;
  for (let attempt = 0; ; attempt++) {
    const current = budgetStatusIsCurrent(budget);
    const at = now();
    let budgetStatus = budget.status!;
    if (!current) {
      const computed = await computeFromPods(registry, budget, at);
      // A budget the disruption controller could not compute (a pod's controller is missing or
      // cannot scale) keeps an old generation there: Kubernetes answers so until it can.
      if (computed.error !== undefined) throw stillProcessing(name);
      budgetStatus = computed.status;
    }
    const verdict = judgeEviction(budget, budgetStatus, pod, at);
    if (verdict.kind === 'unhealthy' || dryRun) return verdict.kind;
    // A computed status does not claim the generation as observed: the next eviction computes again.
    const written: PodDisruptionBudgetStatus = { ...verdict.status };
    if (!current) {
      if (budget.status?.observedGeneration === undefined) delete written.observedGeneration;
      else written.observedGeneration = budget.status.observedGeneration;
    }
    const update = () => ({ object: { ...cloneJson(budget), status: written }, warnings: [] });
    try {
      await store.guaranteedUpdate(namespace, name, update, { dryRun: false, fieldValidation: 'Strict' }, 'status');
      return verdict.kind;
    } catch (err) {
      if (!status.isStatusError(err, 409)) throw err;
      if (attempt >= maxConflictRetries) throw status.timeout(`couldn't update PodDisruptionBudget "${name}" due to conflicts`);
      budget = (await store.get(namespace, name)) as PodDisruptionBudget;
    }
  }
}

/** The budgets of the pod's namespace that select it. */
async function budgetsOf(registry: ResourceRegistry, pod: Pod): Promise<PodDisruptionBudget[]> {
  const store = registry.lookup('policy', 'v1', 'poddisruptionbudgets');
  if (!store) return [];
  const { items } = await store.list(pod.metadata?.namespace, {});
  return (items as PodDisruptionBudget[]).filter((budget) => budgetSelectsPod(budget, pod));
}

/** The budget as the disruption controller would compute it now, from a consistent read of the pods. */
async function computeFromPods(registry: ResourceRegistry, budget: PodDisruptionBudget, now: Date): Promise<BudgetComputation> {
  const namespace = budget.metadata!.namespace!;
  const { items } = await registry.lookup('', 'v1', 'pods')!.list(namespace, {});
  const pods = (items as Pod[]).filter((pod) => budgetSelectsPod(budget, pod));
  // The lookup is synchronous: every controller the pods name is read first.
  const controllers = new Map<string, ControllerScale | Error | undefined>();
  for (const pod of pods) {
    const ref = pod.metadata?.ownerReferences?.find((r) => r.controller === true);
    if (ref && !controllers.has(ref.uid)) controllers.set(ref.uid, await controllerScale(registry, ref, namespace).catch((err: Error) => err));
  }
  const lookup = (ref: OwnerReference): ControllerScale | undefined => {
    const found = controllers.get(ref.uid);
    if (found instanceof Error) throw found;
    return found;
  };
  return computeBudget({ budget, pods, controllerScale: lookup, now });
}

/**
 * The disruption controller's finders: the desired replicas of the controller `ref` names (a
 * ReplicaSet's Deployment when it has one); undefined when it does not exist (with that uid).
 */
async function controllerScale(registry: ResourceRegistry, ref: OwnerReference, namespace: string): Promise<ControllerScale | undefined> {
  const slash = ref.apiVersion.indexOf('/');
  const group = slash < 0 ? '' : ref.apiVersion.slice(0, slash);
  const store = registry.byKind(group, ref.kind);
  if (!store) throw new Error(`no matches for kind "${ref.kind}" in version "${ref.apiVersion}"`);
  const obj = await getOrUndefined(store, namespace, ref.name);
  if (!obj || obj.metadata.uid !== ref.uid) return undefined;
  if (group === 'apps' && ref.kind === 'ReplicaSet') {
    const owner = obj.metadata.ownerReferences?.find((r) => r.controller === true);
    if (owner && owner.kind === 'Deployment' && owner.apiVersion.startsWith('apps/')) {
      return controllerScale(registry, owner, namespace);
    }
  }
  const scale = store.kind.subresources.scale;
  if (!scale) throw new Error(`${qualifiedResource(store.kind)} does not implement the scale subresource`);
  return { uid: obj.metadata.uid!, replicas: toScale(obj, scale).spec?.replicas ?? 0 };
}

async function getOrUndefined(store: ResourceStore, namespace: string, name: string) {
  try {
    return await store.get(store.kind.namespaced ? namespace : undefined, name);
  } catch (err) {
    if (status.isStatusError(err, 404)) return undefined;
    throw err;
  }
}

function withResourceVersion(options: DeleteOptions, resourceVersion: string | undefined): DeleteOptions {
  return { ...options, preconditions: { ...options.preconditions, ...(resourceVersion ? { resourceVersion } : {}) } };
}

/** 429 TooManyRequests with a DisruptionBudget cause, as createTooManyRequestsError and checkAndDecrement answer. */
function violation(cause: string, retryAfterSeconds: number): status.StatusError {
  return new status.StatusError(429, 'TooManyRequests', budgetViolationMessage, {
    causes: [{ reason: 'DisruptionBudget', message: cause }],
    ...(retryAfterSeconds > 0 ? { retryAfterSeconds } : {}),
  });
}

/** The unready pod changed while being evicted: the client should retry. */
function stillProcessing(budgetName: string): status.StatusError {
  return violation(`The disruption budget ${budgetName} is still being processed by the server.`, 10);
}
