/**
 * The Job controller (Kubernetes' pkg/controller/job, v1.32 behaviour): runs a Job's pods until
 * enough of them succeed, or the Job fails.
 *
 * Each reconcile recomputes from the caches:
 *   - the Job's pods (adopting orphans its selector matches, releasing its pods that no longer
 *     match); active = not finished and not being deleted;
 *   - finished pods are tracked with the `batch.kubernetes.io/job-tracking` finalizer: a pod that
 *     finished is first recorded in `.status.uncountedTerminatedPods`, then its finalizer is
 *     removed, then it moves into the succeeded/failed counters — so no finished pod is missed or
 *     counted twice, even across restarts;
 *   - the Job fails (FailureTarget, then Failed once no pod is terminating) when failures exceed
 *     backoffLimit (BackoffLimitExceeded), when activeDeadlineSeconds passes (DeadlineExceeded),
 *     or when a podFailurePolicy FailJob rule matches (PodFailurePolicy); it succeeds
 *     (SuccessCriteriaMet, then Complete) when enough pods succeeded (CompletionsReached) or its
 *     successPolicy is met (SuccessPolicy);
 *   - otherwise it creates pods up to parallelism (never more than the completions still needed),
 *     slow-start batched, waiting `10 s * 2^(failures-1)` (max 10 min) after failures; it deletes
 *     the surplus, or every active pod when suspended;
 *   - Indexed Jobs give each pod an index (annotation and label
 *     `batch.kubernetes.io/job-completion-index`, env JOB_COMPLETION_INDEX, hostname
 *     `<job>-<index>`) and record `.status.completedIndexes`.
 * Expectations keep a Job from acting again before its own pod creations, deletions and
 * finalizer removals show up in the cache. Status writes carry the resourceVersion; a conflict
 * fails the reconcile, which is retried on fresh state.
 */
import type { Job, JobCondition } from '../../api/kinds/batch/job';
import type { Pod } from '../../api/kinds/core/pod';
import type { KubeObject } from '../../api/kinds/kind';
import type { OwnerReference } from '../../api/kinds/meta';
import { fromLabelSelector, matches, type Requirement } from '../../api/labels/selector';
import { isStatusError } from '../../api/status';
import { realClock, type Clock } from '../../client/clock';
import { byOwnerUid, ownerUidIndex } from '../../client/informer/indexers';
import { keyOf } from '../../client/informer/keys';
import type { SharedIndexInformer } from '../../client/informer/sharedInformer';
import { deletedObject, type DeletedFinalStateUnknown } from '../../client/informer/tombstone';
import type { Logger } from '../../client/log';
import type { GroupVersionResource } from '../../client/resource';
import type { RestClient } from '../../client/restClient';
import type { Controller } from '../runtime/controller';
import type { EventRecorder } from '../runtime/events';
import { getControllerOf } from '../runtime/ownerReferences';
import { patchObject } from '../runtime/patch';
import type { ReconcileContext, Request, Result } from '../runtime/reconcile';
import { BackoffStore, remainingBackoffMs, type BackoffRecord } from './backoff';
import { ControllerExpectations, UidTrackingExpectations } from './expectations';
import {
  completionIndexAnnotation,
  completionIndexEnvName,
  firstPendingIndexes,
  formatIntervals,
  getCompletionIndex,
  hasIndex,
  matchSuccessPolicy,
  parseIntervals,
  podGenerateNameWithIndex,
  totalIndexes,
  unknownCompletionIndex,
  withOrderedIndexes,
  type Interval,
} from './indexes';
import { matchPodFailurePolicy } from './podFailurePolicy';
import { activePodsForRemoval, hasJobTrackingFinalizer, isPodActive, isPodReady, isPodTerminating, jobTrackingFinalizer } from './pods';

export const jobsResource: GroupVersionResource = { group: 'batch', version: 'v1', resource: 'jobs' };
export const podsResource: GroupVersionResource = { group: '', version: 'v1', resource: 'pods' };

/** The value of spec.managedBy under which this controller reconciles a Job. */
export const jobControllerName = 'kubernetes.io/job-controller';
/** Pods created or deleted in one reconcile (Kubernetes' MaxPodCreateDeletePerSync). */
export const maxPodCreateDeletePerSync = 500;
/** Size cap of .status.uncountedTerminatedPods (Kubernetes' MaxUncountedPods). */
export const maxUncountedPods = 500;

export interface JobControllerOptions {
  /** The first delay before replacing failed pods; doubles per further failure. Default 10 s. */
  readonly podFailureBackoffMs?: number;
  /** Cap of that delay. Default 10 minutes. */
  readonly maxPodFailureBackoffMs?: number;
  readonly clock?: Clock;
}

type JobStatus = NonNullable<Job['status']>;

/** What one reconcile knows (Kubernetes' syncJobCtx). */
interface SyncContext {
  key: string;
  job: Job;
  pods: Pod[];
  activePods: Pod[];
  finishedCondition: JobCondition | undefined;
  succeeded: number;
  failed: number;
  prevSucceededIndexes: Interval[];
  succeededIndexes: Interval[];
  newBackoffRecord: BackoffRecord;
  expectedRmFinalizers: ReadonlySet<string>;
  uncountedSucceeded: ReadonlySet<string>;
  uncountedFailed: ReadonlySet<string>;
  terminating: number;
  ready: number;
  /** Come back after this long (the earliest of the reasons found). */
  requeueAfterMs: number | undefined;
}

export function isJobFinished(job: Job): boolean {
  return (job.status?.conditions ?? []).some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
}

/** Set when another controller manages the Job (spec.managedBy). */
export function managedByExternalController(job: Job): string | undefined {
  const by = job.spec?.managedBy;
  return by !== undefined && by !== jobControllerName ? by : undefined;
}

function isIndexed(job: Job): boolean {
  return job.spec?.completionMode === 'Indexed';
}

function isSuspended(job: Job): boolean {
  return job.spec?.suspend === true;
}

/** Only failed pods are replaced (podReplacementPolicy Failed, always with a podFailurePolicy). */
function onlyReplaceFailedPods(job: Job): boolean {
  return job.spec?.podReplacementPolicy === 'Failed' || job.spec?.podFailurePolicy !== undefined;
}

/** A pod that failed; without onlyReplaceFailedPods, also one being deleted that did not succeed. */
export function isPodFailed(pod: Pod, job: Job): boolean {
  if (pod.status?.phase === 'Failed') return true;
  if (onlyReplaceFailedPods(job)) return false;
  return !!pod.metadata?.deletionTimestamp && pod.status?.phase !== 'Succeeded';
}

function findCondition(conditions: readonly JobCondition[] | undefined, type: string): JobCondition | undefined {
  return (conditions ?? []).find((c) => c.type === type);
}

function successCriteriaMet(job: Job): JobCondition | undefined {
  const c = findCondition(job.status?.conditions, 'SuccessCriteriaMet');
  return c && c.status === 'True' ? c : undefined;
}

/** Kubernetes writes metav1.Time: seconds, UTC. */
export function formatTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19) + 'Z';
}

function newCondition(type: string, status: string, reason: string, message: string, now: number): JobCondition {
  const at = formatTime(now);
  return { type, status, lastProbeTime: at, lastTransitionTime: at, ...(reason ? { reason } : {}), ...(message ? { message } : {}) };
}

/**
 * Sets the condition `type` to status/reason/message (a new one is not added when False);
 * true if the list changed.
 */
export function ensureJobCondition(status: JobStatus, type: string, value: string, reason: string, message: string, now: number): boolean {
  const list = (status.conditions ??= []);
  const i = list.findIndex((c) => c.type === type);
  if (i >= 0) {
    const c = list[i]!;
    if (c.status !== value || (c.reason ?? '') !== reason || (c.message ?? '') !== message) {
      list[i] = newCondition(type, value, reason, message, now);
      return true;
    }
    return false;
  }
  if (value !== 'False') {
    list.push(newCondition(type, value, reason, message, now));
    return true;
  }
  return false;
}

/** The sum of container restarts of running and pending pods reached backoffLimit (restartPolicy OnFailure). */
function pastBackoffLimitOnFailure(job: Job, pods: readonly Pod[]): boolean {
  if (job.spec?.template?.spec?.restartPolicy !== 'OnFailure') return false;
  let restarts = 0;
  for (const p of pods) {
    const phase = p.status?.phase;
    if (phase !== 'Running' && phase !== 'Pending') continue;
    for (const cs of [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])]) restarts += cs.restartCount ?? 0;
  }
  const limit = job.spec?.backoffLimit ?? 6;
  return limit === 0 ? restarts > 0 : restarts >= limit;
}

function numericVersion(obj: KubeObject | undefined): number {
  const n = Number(obj?.metadata?.resourceVersion);
  return Number.isFinite(n) ? n : -1;
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** A reference to an object for events, without copying it. */
function eventRef(obj: KubeObject, apiVersion: string, kind: string): KubeObject {
  const m = obj.metadata ?? {};
  return {
    apiVersion,
    kind,
    metadata: { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion } as NonNullable<KubeObject['metadata']>,
  };
}

export class JobController {
  readonly expectations: ControllerExpectations;
  readonly finalizerExpectations = new UidTrackingExpectations();
  readonly backoff = new BackoffStore();
  /** The last status this controller wrote per Job, used while the cache has not caught up. */
  private readonly lastWritten = new Map<string, Job>();
  private readonly clock: Clock;
  private readonly backoffBaseMs: number;
  private readonly backoffMaxMs: number;
  /** Set once the controller is built (register). */
  controller: Controller | undefined;

  constructor(
    private readonly client: RestClient,
    private readonly jobs: SharedIndexInformer<Job>,
    private readonly pods: SharedIndexInformer<Pod>,
    private readonly recorder: EventRecorder,
    options: JobControllerOptions = {},
  ) {
    this.clock = options.clock ?? realClock;
    this.expectations = new ControllerExpectations(this.clock);
    this.backoffBaseMs = options.podFailureBackoffMs ?? 10_000;
    this.backoffMaxMs = options.maxPodFailureBackoffMs ?? 10 * 60_000;
    pods.addIndexers({ [ownerUidIndex]: byOwnerUid });
  }

  // ---------------------------------------------------------------- pod events

  /** Pod notifications: expectations first, then the Job(s) to reconcile (as Kubernetes' handlers). */
  watchPods(): void {
    this.pods.addEventHandler({
      onAdd: (pod) => this.onPodAdd(pod),
      onUpdate: (oldPod, pod) => this.onPodUpdate(oldPod, pod),
      onDelete: (deleted: Pod | DeletedFinalStateUnknown<Pod>) => this.onPodDelete(deletedObject(deleted), true),
    });
  }

  private enqueue(job: Job): void {
    const name = job.metadata?.name;
    if (name) this.controller?.enqueue({ namespace: job.metadata?.namespace ?? '', name });
  }

  /** The Job a controller reference names, if it is in the cache with that uid. */
  resolveControllerRef(namespace: string | undefined, ref: OwnerReference): Job | undefined {
    if (ref.kind !== 'Job' || !(ref.apiVersion ?? '').startsWith('batch/')) return undefined;
    const job = this.jobs.lister.get(namespace, ref.name);
    return job && job.metadata?.uid === ref.uid ? job : undefined;
  }

  private jobKey(job: Job): string {
    return keyOf(job.metadata?.namespace, job.metadata?.name ?? '');
  }

  /** Jobs in the pod's namespace whose selector matches it (candidates for adoption). */
  private jobsSelecting(pod: Pod): Job[] {
    return this.jobs.lister.list(pod.metadata?.namespace ?? '').filter((j) => j.spec?.selector && matches(fromLabelSelector(j.spec.selector), pod.metadata?.labels));
  }

  private onPodAdd(pod: Pod): void {
    if (pod.metadata?.deletionTimestamp) {
      // Seen for the first time while being deleted (e.g. after a restart): not a creation.
      this.onPodDelete(pod, false);
      return;
    }
    const ref = getControllerOf(pod);
    if (ref) {
      const job = this.resolveControllerRef(pod.metadata?.namespace, ref);
      if (!job) return;
      this.expectations.creationObserved(this.jobKey(job));
      this.enqueue(job);
      return;
    }
    for (const job of this.jobsSelecting(pod)) this.enqueue(job);
  }

  private onPodUpdate(oldPod: Pod, pod: Pod): void {
    if (oldPod.metadata?.resourceVersion === pod.metadata?.resourceVersion) return;
    if (pod.metadata?.deletionTimestamp) {
      // A graceful deletion started: replacements need not wait for the pod to be gone.
      this.onPodDelete(pod, false);
      return;
    }
    const finalizerRemoved = !hasJobTrackingFinalizer(pod);
    const ref = getControllerOf(pod);
    const oldRef = getControllerOf(oldPod);
    const refChanged = JSON.stringify(ref) !== JSON.stringify(oldRef);
    const uid = pod.metadata?.uid ?? '';
    if (refChanged && oldRef) {
      const job = this.resolveControllerRef(oldPod.metadata?.namespace, oldRef);
      if (job) {
        if (finalizerRemoved) this.finalizerExpectations.finalizerRemovalObserved(this.jobKey(job), uid);
        this.enqueue(job);
      }
    }
    if (ref) {
      const job = this.resolveControllerRef(pod.metadata?.namespace, ref);
      if (!job) return;
      if (finalizerRemoved) this.finalizerExpectations.finalizerRemovalObserved(this.jobKey(job), uid);
      this.enqueue(job);
      return;
    }
    const labelsChanged = JSON.stringify(pod.metadata?.labels ?? {}) !== JSON.stringify(oldPod.metadata?.labels ?? {});
    if (labelsChanged || refChanged) for (const job of this.jobsSelecting(pod)) this.enqueue(job);
  }

  private onPodDelete(pod: Pod, final: boolean): void {
    const ref = getControllerOf(pod);
    if (!ref) return;
    const job = this.resolveControllerRef(pod.metadata?.namespace, ref);
    if (!job || isJobFinished(job)) return;
    const key = this.jobKey(job);
    this.expectations.deletionObserved(key);
    if (final || !hasJobTrackingFinalizer(pod)) this.finalizerExpectations.finalizerRemovalObserved(key, pod.metadata?.uid ?? '');
    this.enqueue(job);
  }

  // ---------------------------------------------------------------- reconcile

  async reconcile(request: Request, ctx: ReconcileContext): Promise<Result | void> {
    const namespace = request.namespace ?? '';
    const key = keyOf(namespace, request.name);
    const cached = this.jobs.lister.get(namespace, request.name);
    if (!cached) {
      this.expectations.delete(key);
      this.finalizerExpectations.delete(key);
      this.backoff.remove(key);
      this.lastWritten.delete(key);
      return;
    }
    const shared = this.freshest(key, cached);
    if (managedByExternalController(shared)) return;
    if (isJobFinished(shared)) {
      this.backoff.remove(key);
      return;
    }
    const spec = shared.spec;
    if (!spec || (isIndexed(shared) && spec.completions === undefined)) return;

    const job = structuredClone(shared) as Job;
    const status = (job.status ??= {});
    const uncountedStatus = (status.uncountedTerminatedPods ??= {});
    const now = this.clock.now();

    // Expectations are read before the pods, so a pod that appears meanwhile defers the sync.
    const satisfied = this.expectations.satisfied(key);
    const pods = await this.podsForJob(job, ctx);
    const activePods = pods.filter(isPodActive);
    const c: SyncContext = {
      key,
      job,
      pods,
      activePods,
      finishedCondition: undefined,
      succeeded: 0,
      failed: 0,
      prevSucceededIndexes: [],
      succeededIndexes: [],
      newBackoffRecord: { key, failuresAfterLastSuccess: 0 },
      expectedRmFinalizers: this.finalizerExpectations.expectedUids(key),
      uncountedSucceeded: new Set(uncountedStatus.succeeded ?? []),
      uncountedFailed: new Set(uncountedStatus.failed ?? []),
      terminating: pods.filter(isPodTerminating).length,
      ready: activePods.filter(isPodReady).length,
      requeueAfterMs: undefined,
    };
    let active = activePods.length;
    const { succeeded: newSucceeded, failed: newFailed } = this.newFinishedPods(c);
    c.succeeded = (status.succeeded ?? 0) + newSucceeded.length + c.uncountedSucceeded.size;
    c.failed = (status.failed ?? 0) + newFailed.filter((p) => matchPodFailurePolicy(spec.podFailurePolicy, p).countFailed).length + c.uncountedFailed.size;

    // First start; a Job created suspended starts when resumed.
    if (!status.startTime && !isSuspended(job)) status.startTime = formatTime(now);
    c.newBackoffRecord = this.backoff.newRecord(key, newSucceeded, newFailed);

    const exceedsBackoffLimit = c.failed > (spec.backoffLimit ?? 6);
    c.finishedCondition = successCriteriaMet(job);
    if (!c.finishedCondition) {
      // A FailureTarget found earlier stands; else a FailJob rule of the pod failure policy.
      const target = findCondition(status.conditions, 'FailureTarget');
      if (target && target.status === 'True') {
        c.finishedCondition = newCondition('Failed', 'True', target.reason ?? '', target.message ?? '', now);
      } else {
        const message = this.failJobMessage(job, pods);
        if (message !== undefined) c.finishedCondition = newCondition('FailureTarget', 'True', 'PodFailurePolicy', message, now);
      }
    }
    if (!c.finishedCondition) {
      if (exceedsBackoffLimit || pastBackoffLimitOnFailure(job, pods)) {
        c.finishedCondition = newCondition('FailureTarget', 'True', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit', now);
      } else if (this.pastActiveDeadline(job, now)) {
        c.finishedCondition = newCondition('FailureTarget', 'True', 'DeadlineExceeded', 'Job was active longer than specified deadline', now);
      } else if (spec.activeDeadlineSeconds !== undefined && !isSuspended(job) && status.startTime) {
        this.requeueAfter(c, spec.activeDeadlineSeconds * 1000 - (now - Date.parse(status.startTime)));
      }
    }

    if (isIndexed(job)) {
      const completions = spec.completions!;
      c.prevSucceededIndexes = parseIntervals(status.completedIndexes, completions);
      const newIndexes = new Set<number>();
      for (const p of pods) {
        const ix = getCompletionIndex(p.metadata?.annotations);
        if (p.status?.phase === 'Succeeded' && ix !== unknownCompletionIndex && ix < completions && hasJobTrackingFinalizer(p)) newIndexes.add(ix);
      }
      c.succeededIndexes = withOrderedIndexes(c.prevSucceededIndexes, [...newIndexes].sort((a, b) => a - b));
      c.succeeded = totalIndexes(c.succeededIndexes);
      if (!c.finishedCondition) {
        const message = matchSuccessPolicy(spec.successPolicy?.rules, completions, c.succeededIndexes);
        if (message !== undefined) c.finishedCondition = newCondition('SuccessCriteriaMet', 'True', 'SuccessPolicy', message, now);
      }
    }

    let suspendChanged = false;
    let manageError: unknown;
    if (c.finishedCondition) {
      // Finishing: every active pod goes (keeping its finalizer until it is counted).
      const { deletedReady, deleted, error } = await this.deleteActivePods(job, activePods);
      if (deleted !== active || !satisfied) {
        // Pods may remain, or be missing from the cache: not finished yet.
        c.finishedCondition = undefined;
      }
      active -= deleted;
      c.terminating += deleted;
      c.ready -= deletedReady;
      manageError = error;
    } else {
      let managed = false;
      if (satisfied && !job.metadata?.deletionTimestamp) {
        const result = await this.manageJob(c);
        active = result.active;
        manageError = result.error;
        managed = true;
      }
      const complete = spec.completions === undefined ? c.succeeded > 0 && active === 0 : c.succeeded >= spec.completions && active === 0;
      if (complete) {
        c.finishedCondition = newCondition('SuccessCriteriaMet', 'True', 'CompletionsReached', 'Reached expected number of succeeded pods', now);
      } else if (managed) {
        if (isSuspended(job)) {
          if (ensureJobCondition(status, 'Suspended', 'True', 'JobSuspended', 'Job suspended', now)) {
            suspendChanged = true;
            this.recorder.event(eventRef(job, 'batch/v1', 'Job'), 'Normal', 'Suspended', 'Job suspended');
          }
        } else if (ensureJobCondition(status, 'Suspended', 'False', 'JobResumed', 'Job resumed', now)) {
          suspendChanged = true;
          this.recorder.event(eventRef(job, 'batch/v1', 'Job'), 'Normal', 'Resumed', 'Job resumed');
          // activeDeadlineSeconds counts the time a Job is continuously active.
          status.startTime = formatTime(now);
        }
      }
    }

    const needsStatusUpdate =
      suspendChanged || active !== (status.active ?? 0) || c.ready !== status.ready || c.terminating !== status.terminating;
    status.active = active;
    status.ready = c.ready;
    status.terminating = c.terminating;
    await this.trackStatusAndRemoveFinalizers(c, needsStatusUpdate, ctx);
    if (manageError !== undefined) throw manageError;
    return c.requeueAfterMs !== undefined ? { requeueAfterMs: c.requeueAfterMs } : undefined;
  }

  private requeueAfter(c: SyncContext, ms: number): void {
    const after = Math.max(1, Math.ceil(ms));
    c.requeueAfterMs = c.requeueAfterMs === undefined ? after : Math.min(c.requeueAfterMs, after);
  }

  /** The cached Job, or the one this controller last wrote when the cache has not caught up yet. */
  private freshest(key: string, cached: Job): Job {
    const written = this.lastWritten.get(key);
    if (!written) return cached;
    if (written.metadata?.uid !== cached.metadata?.uid || numericVersion(cached) >= numericVersion(written)) {
      this.lastWritten.delete(key);
      return cached;
    }
    return written;
  }

  private pastActiveDeadline(job: Job, now: number): boolean {
    const ads = job.spec?.activeDeadlineSeconds;
    const start = job.status?.startTime;
    if (ads === undefined || !start || isSuspended(job)) return false;
    return now - Date.parse(start) >= ads * 1000;
  }

  private failJobMessage(job: Job, pods: readonly Pod[]): string | undefined {
    if (!job.spec?.podFailurePolicy) return undefined;
    for (const p of pods) {
      if (!isPodFailed(p, job)) continue;
      const m = matchPodFailurePolicy(job.spec.podFailurePolicy, p).failJobMessage;
      if (m !== undefined) return m;
    }
    return undefined;
  }

  /** Finished pods not yet accounted for: they still have the finalizer and are not in uncounted. */
  private newFinishedPods(c: SyncContext): { succeeded: Pod[]; failed: Pod[] } {
    const valid = (p: Pod, uncounted: ReadonlySet<string>) => {
      const uid = p.metadata?.uid ?? '';
      if (!hasJobTrackingFinalizer(p) || uncounted.has(uid) || c.expectedRmFinalizers.has(uid)) return false;
      if (isIndexed(c.job)) {
        const ix = getCompletionIndex(p.metadata?.annotations);
        if (ix === unknownCompletionIndex || ix >= (c.job.spec?.completions ?? 0)) return false;
      }
      return true;
    };
    return {
      succeeded: c.pods.filter((p) => valid(p, c.uncountedSucceeded) && p.status?.phase === 'Succeeded'),
      failed: c.pods.filter((p) => valid(p, c.uncountedFailed) && isPodFailed(p, c.job)),
    };
  }

  // ---------------------------------------------------------------- pods of a Job

  private ownerRef(job: Job): OwnerReference {
    return { apiVersion: 'batch/v1', kind: 'Job', name: job.metadata!.name!, uid: job.metadata!.uid!, controller: true, blockOwnerDeletion: true };
  }

  /**
   * The Job's pods: those it controls and its selector matches; orphans the selector matches are
   * adopted (owner reference and tracking finalizer), pods it controls that no longer match are
   * released (as Kubernetes' PodControllerRefManager).
   */
  private async podsForJob(job: Job, ctx: ReconcileContext): Promise<Pod[]> {
    const namespace = job.metadata?.namespace ?? '';
    const uid = job.metadata?.uid;
    let selector: Requirement[] | undefined;
    try {
      selector = job.spec?.selector ? fromLabelSelector(job.spec.selector) : undefined;
    } catch {
      selector = undefined;
    }
    const selects = (p: Pod) => selector !== undefined && matches(selector, p.metadata?.labels);
    const result: Pod[] = [];
    let canAdopt: Promise<boolean> | undefined;
    for (const pod of this.pods.lister.list(namespace)) {
      const ref = getControllerOf(pod);
      if (ref) {
        if (ref.uid !== uid) continue;
        if (selects(pod)) {
          result.push(pod);
          continue;
        }
        if (!job.metadata?.deletionTimestamp) await this.releasePod(job, pod, ctx.log);
        continue;
      }
      if (!selects(pod) || job.metadata?.deletionTimestamp || pod.metadata?.deletionTimestamp) continue;
      // Adoption re-checks, with a quorum read, that the Job is not being deleted.
      canAdopt ??= this.client
        .resource<Job>(jobsResource, namespace)
        .get(job.metadata!.name!)
        .then((fresh) => fresh.metadata?.uid === uid && !fresh.metadata?.deletionTimestamp);
      if (!(await canAdopt)) continue;
      const adopted = await this.adoptPod(job, pod);
      if (adopted) result.push(adopted);
    }
    return result;
  }

  private async adoptPod(job: Job, pod: Pod): Promise<Pod | undefined> {
    const patch = { metadata: { ownerReferences: [this.ownerRef(job)], uid: pod.metadata?.uid, finalizers: [jobTrackingFinalizer] } };
    try {
      return await patchObject<Pod>(this.client, podsResource, pod.metadata?.namespace, pod.metadata!.name!, patch, 'strategic');
    } catch (err) {
      if (isStatusError(err, 404)) return undefined;
      throw err;
    }
  }

  private async releasePod(job: Job, pod: Pod, log: Logger): Promise<void> {
    const patch = {
      metadata: {
        ownerReferences: [{ $patch: 'delete', uid: job.metadata!.uid }],
        uid: pod.metadata?.uid,
        '$deleteFromPrimitiveList/finalizers': [jobTrackingFinalizer],
      },
    };
    try {
      await patchObject(this.client, podsResource, pod.metadata?.namespace, pod.metadata!.name!, patch, 'strategic');
      log.info('released pod', { pod: pod.metadata?.name });
    } catch (err) {
      if (!isStatusError(err, 404)) throw err;
    }
  }

  // ---------------------------------------------------------------- scaling

  /** Creates or deletes pods toward the wanted number of active ones; the number active after. */
  private async manageJob(c: SyncContext): Promise<{ active: number; error?: unknown }> {
    const job = c.job;
    const spec = job.spec!;
    let active = c.activePods.length;
    const parallelism = spec.parallelism ?? 1;
    const indexedCompletions = isIndexed(job) ? spec.completions : undefined;

    if (isSuspended(job)) {
      const toDelete = activePodsForRemoval(c.activePods, active, indexedCompletions);
      this.expectations.expectDeletions(c.key, toDelete.length);
      const { removedReady, removed, error } = await this.deleteJobPods(c.key, job, toDelete);
      c.terminating += removed;
      c.ready -= removedReady;
      return { active: active - removed, error };
    }

    let wantActive: number;
    if (spec.completions === undefined) {
      // Without completions, the first success ends the Job: leave what runs running.
      wantActive = c.succeeded > 0 ? active : parallelism;
    } else {
      wantActive = Math.max(0, Math.min(spec.completions - c.succeeded, parallelism));
    }

    const rmAtLeast = Math.max(0, active - wantActive);
    const toDelete = activePodsForRemoval(c.activePods, rmAtLeast, indexedCompletions).slice(0, maxPodCreateDeletePerSync);
    if (toDelete.length > 0) {
      // Deletion first; creations (if also needed) wait for the next reconcile.
      this.expectations.expectDeletions(c.key, toDelete.length);
      const { removedReady, removed, error } = await this.deleteJobPods(c.key, job, toDelete);
      c.terminating += removed;
      c.ready -= removedReady;
      return { active: active - removed, error };
    }

    const terminating = onlyReplaceFailedPods(job) ? c.terminating : 0;
    let diff = wantActive - terminating - active;
    if (diff <= 0) return { active };
    const remaining = remainingBackoffMs(c.newBackoffRecord, this.clock.now(), this.backoffBaseMs, this.backoffMaxMs);
    if (remaining > 0) {
      this.requeueAfter(c, remaining);
      return { active };
    }
    diff = Math.min(diff, maxPodCreateDeletePerSync);
    let indexes: number[] = [];
    if (indexedCompletions !== undefined) {
      const activeIndexes = c.activePods.map((p) => getCompletionIndex(p.metadata?.annotations));
      indexes = firstPendingIndexes(activeIndexes, c.succeededIndexes, diff, indexedCompletions);
      diff = indexes.length;
      if (diff === 0) return { active };
    }
    this.expectations.expectCreations(c.key, diff);
    active += diff;
    const template = this.podTemplate(job);
    let error: unknown;
    // Slow start: batches of 1, 2, 4…; a failing batch stops the rest.
    for (let batch = Math.min(diff, 1); diff > 0; batch = Math.min(2 * batch, diff)) {
      const batchIndexes = indexes.splice(0, batch);
      const results = await Promise.all(
        Array.from({ length: batch }, (_, i) => this.createPod(job, template, indexedCompletions !== undefined ? batchIndexes[i]! : unknownCompletionIndex)),
      );
      let failed = 0;
      for (const r of results) {
        if (r === 'ok') continue;
        this.expectations.creationObserved(c.key);
        active--;
        if (r === 'ignored') continue;
        failed++;
        error ??= r.error;
      }
      const skipped = diff - batch;
      if (failed > 0 && skipped > 0) {
        active -= skipped;
        for (let i = 0; i < skipped; i++) this.expectations.creationObserved(c.key);
        break;
      }
      diff -= batch;
    }
    return { active, ...(error !== undefined ? { error } : {}) };
  }

  /** The pod template of the Job's pods: tracking finalizer, and for Indexed Jobs the index env var. */
  private podTemplate(job: Job): NonNullable<Job['spec']>['template'] {
    const template = structuredClone(job.spec!.template) ?? {};
    const metadata = (template.metadata ??= {});
    if (!(metadata.finalizers ?? []).includes(jobTrackingFinalizer)) metadata.finalizers = [...(metadata.finalizers ?? []), jobTrackingFinalizer];
    if (isIndexed(job) && template.spec) {
      for (const container of [...(template.spec.initContainers ?? []), ...(template.spec.containers ?? [])]) {
        if ((container.env ?? []).some((e) => e.name === completionIndexEnvName)) continue;
        container.env = [
          ...(container.env ?? []),
          { name: completionIndexEnvName, valueFrom: { fieldRef: { fieldPath: `metadata.labels['${completionIndexAnnotation}']` } } },
        ];
      }
    }
    return template;
  }

  private async createPod(job: Job, template: NonNullable<Job['spec']>['template'], index: number): Promise<'ok' | 'ignored' | { error: unknown }> {
    const namespace = job.metadata!.namespace!;
    const name = job.metadata!.name!;
    const metadata = template.metadata ?? {};
    const labels = { ...metadata.labels };
    const annotations = { ...metadata.annotations };
    const spec = structuredClone(template.spec ?? { containers: [] });
    let generateName = `${name}-`;
    if (index !== unknownCompletionIndex) {
      annotations[completionIndexAnnotation] = String(index);
      labels[completionIndexAnnotation] = String(index);
      spec.hostname = `${name}-${index}`;
      generateName = podGenerateNameWithIndex(name, index);
    }
    const pod: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        generateName,
        namespace,
        ...(Object.keys(labels).length ? { labels } : {}),
        ...(Object.keys(annotations).length ? { annotations } : {}),
        finalizers: [...(metadata.finalizers ?? [])],
        ownerReferences: [this.ownerRef(job)],
      },
      spec,
    };
    try {
      const created = await this.client.resource<Pod>(podsResource, namespace).create(pod);
      this.recorder.event(eventRef(job, 'batch/v1', 'Job'), 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata?.name ?? ''}`);
      return 'ok';
    } catch (err) {
      // A namespace being deleted refuses every creation: nothing to retry.
      if (isStatusError(err, 403) && /being terminated/.test(errorMessage(err))) return 'ignored';
      this.recorder.event(eventRef(job, 'batch/v1', 'Job'), 'Warning', 'FailedCreate', `Error creating: ${errorMessage(err)}`);
      return { error: err };
    }
  }

  /** Deletes pods that are not to be counted (surplus, suspended): finalizer first, then the pod. */
  private async deleteJobPods(key: string, job: Job, pods: readonly Pod[]): Promise<{ removedReady: number; removed: number; error?: unknown }> {
    let removed = pods.length;
    let removedReady = 0;
    let error: unknown;
    const fail = (err: unknown) => {
      this.expectations.deletionObserved(key);
      if (isStatusError(err, 404)) return;
      removed--;
      error ??= err;
    };
    await Promise.all(
      pods.map(async (pod) => {
        const ns = pod.metadata?.namespace ?? '';
        const name = pod.metadata?.name ?? '';
        if (hasJobTrackingFinalizer(pod)) {
          try {
            await patchObject(this.client, podsResource, ns, name, { metadata: { '$deleteFromPrimitiveList/finalizers': [jobTrackingFinalizer] } }, 'strategic');
          } catch (err) {
            fail(err);
            return;
          }
        }
        try {
          await this.client.resource(podsResource, ns).delete(name);
          this.recorder.event(eventRef(job, 'batch/v1', 'Job'), 'Normal', 'SuccessfulDelete', `Deleted pod: ${name}`);
        } catch (err) {
          if (!isStatusError(err, 404)) this.recorder.event(eventRef(job, 'batch/v1', 'Job'), 'Warning', 'FailedDelete', `Error deleting: ${errorMessage(err)}`);
          fail(err);
          return;
        }
        if (isPodReady(pod)) removedReady++;
      }),
    );
    return { removedReady, removed, ...(error !== undefined ? { error } : {}) };
  }

  /** Deletes the active pods of a finishing Job, keeping their finalizers (they are counted first). */
  private async deleteActivePods(job: Job, pods: readonly Pod[]): Promise<{ deletedReady: number; deleted: number; error?: unknown }> {
    let deleted = pods.length;
    let deletedReady = 0;
    let error: unknown;
    await Promise.all(
      pods.map(async (pod) => {
        const name = pod.metadata?.name ?? '';
        try {
          await this.client.resource(podsResource, pod.metadata?.namespace ?? '').delete(name);
          this.recorder.event(eventRef(job, 'batch/v1', 'Job'), 'Normal', 'SuccessfulDelete', `Deleted pod: ${name}`);
        } catch (err) {
          if (!isStatusError(err, 404)) {
            deleted--;
            error ??= err;
            this.recorder.event(eventRef(job, 'batch/v1', 'Job'), 'Warning', 'FailedDelete', `Error deleting: ${errorMessage(err)}`);
          }
        }
        if (isPodReady(pod)) deletedReady++;
      }),
    );
    return { deletedReady, deleted, ...(error !== undefined ? { error } : {}) };
  }

  // ---------------------------------------------------------------- status and finalizers

  /**
   * Records finished pods in uncountedTerminatedPods, removes their finalizers, moves them into
   * the counters, and sets the terminal condition once nothing is uncounted or terminating.
   */
  private async trackStatusAndRemoveFinalizers(c: SyncContext, needsFlushIn: boolean, ctx: ReconcileContext): Promise<void> {
    let needsFlush = needsFlushIn;
    const spec = c.job.spec!;
    const indexed = isIndexed(c.job);
    const completions = spec.completions ?? 0;
    const pods = indexed
      ? [...c.pods].sort((a, b) => getCompletionIndex(a.metadata?.annotations) - getCompletionIndex(b.metadata?.annotations))
      : c.pods;
    const uidsWithFinalizer = new Set<string>();
    for (const p of pods) {
      const uid = p.metadata?.uid ?? '';
      if (hasJobTrackingFinalizer(p) && !c.expectedRmFinalizers.has(uid)) uidsWithFinalizer.add(uid);
    }
    if (cleanUncountedPodsWithoutFinalizers(c.job.status!, uidsWithFinalizer)) needsFlush = true;
    const uncounted = c.job.status!.uncountedTerminatedPods!;
    const podsToRemoveFinalizer: Pod[] = [];
    const newSucceededIndexes: number[] = [];
    let reachedMaxUncounted = false;
    const finished = c.finishedCondition;
    for (const pod of pods) {
      const uid = pod.metadata?.uid ?? '';
      // Without the finalizer (or with its removal under way), the pod was handled before.
      if (!hasJobTrackingFinalizer(pod) || c.expectedRmFinalizers.has(uid)) continue;
      const considerFailed = isPodFailed(pod, c.job);
      if (!(c.job.metadata?.deletionTimestamp || finished || pod.status?.phase === 'Succeeded' || considerFailed)) continue;
      podsToRemoveFinalizer.push(pod);
      if (pod.status?.phase === 'Succeeded' && !c.uncountedFailed.has(uid)) {
        if (indexed) {
          // The index is enough to avoid counting a success twice.
          const ix = getCompletionIndex(pod.metadata?.annotations);
          if (ix !== unknownCompletionIndex && ix < completions && !hasIndex(c.prevSucceededIndexes, ix)) {
            newSucceededIndexes.push(ix);
            needsFlush = true;
          }
        } else if (!c.uncountedSucceeded.has(uid)) {
          needsFlush = true;
          (uncounted.succeeded ??= []).push(uid);
        }
      } else if (considerFailed || (finished && finished.type !== 'SuccessCriteriaMet')) {
        // When the Job is finishing, every pod not finished counts as failed.
        const ix = getCompletionIndex(pod.metadata?.annotations);
        if (!c.uncountedFailed.has(uid) && (!indexed || (ix !== unknownCompletionIndex && ix < completions))) {
          if (matchPodFailurePolicy(spec.podFailurePolicy, pod).countFailed) {
            needsFlush = true;
            (uncounted.failed ??= []).push(uid);
          }
        }
      }
      if (newSucceededIndexes.length + (uncounted.succeeded ?? []).length + (uncounted.failed ?? []).length >= maxUncountedPods) {
        // Bounded status size and work per reconcile; the rest comes next time.
        reachedMaxUncounted = true;
        break;
      }
    }
    if (indexed) {
      c.succeededIndexes = withOrderedIndexes(c.succeededIndexes, [...new Set(newSucceededIndexes)].sort((a, b) => a - b));
      const text = formatIntervals(c.succeededIndexes);
      if (text !== (c.job.status!.completedIndexes ?? '')) needsFlush = true;
      c.job.status!.succeeded = totalIndexes(c.succeededIndexes);
      c.job.status!.completedIndexes = text;
    }
    if (c.finishedCondition?.type === 'FailureTarget') {
      // The interim FailureTarget is written before finalizers go; Failed follows.
      c.job.status!.conditions = [...(c.job.status!.conditions ?? []), c.finishedCondition];
      needsFlush = true;
      c.finishedCondition = newCondition('Failed', 'True', c.finishedCondition.reason ?? '', c.finishedCondition.message ?? '', this.clock.now());
    }
    if (c.finishedCondition?.type === 'SuccessCriteriaMet') {
      if (!successCriteriaMet(c.job)) {
        c.job.status!.conditions = [...(c.job.status!.conditions ?? []), c.finishedCondition];
        needsFlush = true;
      }
      c.finishedCondition = newCondition('Complete', 'True', c.finishedCondition.reason ?? '', c.finishedCondition.message ?? '', this.clock.now());
    }
    needsFlush = await this.flushUncountedAndRemoveFinalizers(c, podsToRemoveFinalizer, uidsWithFinalizer, needsFlush, ctx);
    const jobFinished = !reachedMaxUncounted && this.enactJobFinished(c);
    if (jobFinished) needsFlush = true;
    if (needsFlush) {
      c.job = await this.writeStatus(c.key, c.job);
      if (jobFinished) this.recordJobFinished(c.job, c.finishedCondition!);
    }
  }

  private async flushUncountedAndRemoveFinalizers(c: SyncContext, pods: readonly Pod[], uidsWithFinalizer: Set<string>, needsFlushIn: boolean, ctx: ReconcileContext): Promise<boolean> {
    let needsFlush = needsFlushIn;
    if (needsFlush) {
      c.job = await this.writeStatus(c.key, c.job);
      this.backoff.update(c.newBackoffRecord);
      needsFlush = false;
    }
    let removeError: unknown;
    if (pods.length > 0) {
      const removed = await this.removeTrackingFinalizers(c.key, pods, ctx.log);
      removed.ok.forEach((ok, i) => {
        if (ok) uidsWithFinalizer.delete(pods[i]!.metadata?.uid ?? '');
      });
      removeError = removed.error;
    }
    if (cleanUncountedPodsWithoutFinalizers(c.job.status!, uidsWithFinalizer)) needsFlush = true;
    if (removeError !== undefined) {
      // Record the partial progress, then fail (and retry).
      if (needsFlush) c.job = await this.writeStatus(c.key, c.job);
      throw removeError;
    }
    return needsFlush;
  }

  private async removeTrackingFinalizers(key: string, pods: readonly Pod[], log: Logger): Promise<{ ok: boolean[]; error?: unknown }> {
    this.finalizerExpectations.expectFinalizersRemoved(
      key,
      pods.map((p) => p.metadata?.uid ?? ''),
    );
    let error: unknown;
    const ok = await Promise.all(
      pods.map(async (pod) => {
        try {
          await patchObject(this.client, podsResource, pod.metadata?.namespace, pod.metadata!.name!, { metadata: { '$deleteFromPrimitiveList/finalizers': [jobTrackingFinalizer] } }, 'strategic');
          return true;
        } catch (err) {
          // No update will show the removal: stop expecting it.
          this.finalizerExpectations.finalizerRemovalObserved(key, pod.metadata?.uid ?? '');
          if (isStatusError(err, 404)) return true;
          log.error('removing the tracking finalizer failed', { pod: pod.metadata?.name, error: err });
          error ??= err;
          return false;
        }
      }),
    );
    return { ok, ...(error !== undefined ? { error } : {}) };
  }

  /** Sets Complete/Failed once nothing is uncounted or terminating. */
  private enactJobFinished(c: SyncContext): boolean {
    const cond = c.finishedCondition;
    if (!cond) return false;
    const uncounted = c.job.status!.uncountedTerminatedPods;
    if ((uncounted?.succeeded ?? []).length + (uncounted?.failed ?? []).length > 0) return false;
    if (c.terminating > 0) return false;
    const now = this.clock.now();
    ensureJobCondition(c.job.status!, cond.type, cond.status, cond.reason ?? '', cond.message ?? '', now);
    if (cond.type === 'Complete') c.job.status!.completionTime = cond.lastTransitionTime ?? formatTime(now);
    return true;
  }

  private recordJobFinished(job: Job, cond: JobCondition): void {
    const ref = eventRef(job, 'batch/v1', 'Job');
    if (cond.type === 'Complete') {
      const completions = job.spec?.completions;
      if (completions !== undefined && (job.status?.succeeded ?? 0) > completions) {
        this.recorder.event(ref, 'Warning', 'TooManySucceededPods', 'Too many succeeded pods running after completion count reached');
      }
      this.recorder.event(ref, 'Normal', 'Completed', 'Job completed');
    } else {
      this.recorder.event(ref, 'Warning', cond.reason ?? 'Failed', cond.message ?? '');
    }
  }

  /** PUT /status with the resourceVersion read (409 on a concurrent write: the reconcile is retried). */
  private async writeStatus(key: string, job: Job): Promise<Job> {
    normalizeStatus(job.status!);
    const written = await this.client.resource<Job>(jobsResource, job.metadata?.namespace).updateStatus(job);
    this.lastWritten.set(key, written);
    // Go on from what was stored (it carries the new resourceVersion).
    const next = structuredClone(written);
    next.status ??= {};
    next.status.uncountedTerminatedPods ??= {};
    return next;
  }
}

/** Moves uncounted pods whose finalizer is gone into the counters; true if anything moved. */
export function cleanUncountedPodsWithoutFinalizers(status: JobStatus, uidsWithFinalizer: ReadonlySet<string>): boolean {
  const uncounted = (status.uncountedTerminatedPods ??= {});
  let updated = false;
  const succeeded = (uncounted.succeeded ?? []).filter((uid) => uidsWithFinalizer.has(uid));
  if (succeeded.length !== (uncounted.succeeded ?? []).length) {
    updated = true;
    status.succeeded = (status.succeeded ?? 0) + (uncounted.succeeded ?? []).length - succeeded.length;
    uncounted.succeeded = succeeded;
  }
  const failed = (uncounted.failed ?? []).filter((uid) => uidsWithFinalizer.has(uid));
  if (failed.length !== (uncounted.failed ?? []).length) {
    updated = true;
    status.failed = (status.failed ?? 0) + (uncounted.failed ?? []).length - failed.length;
    uncounted.failed = failed;
  }
  return updated;
}

/** As Kubernetes serializes it: zero counters and empty lists omitted; ready and terminating always. */
function normalizeStatus(status: JobStatus): void {
  for (const k of ['active', 'succeeded', 'failed'] as const) if (!status[k]) delete status[k];
  if (!status.completedIndexes) delete status.completedIndexes;
  const uncounted = (status.uncountedTerminatedPods ??= {});
  if (!(uncounted.succeeded ?? []).length) delete uncounted.succeeded;
  if (!(uncounted.failed ?? []).length) delete uncounted.failed;
}
