/**
 * The Deployment controller, after Kubernetes' pkg/controller/deployment: it rolls a
 * Deployment's pods from one template to the next through ReplicaSets, one per template, named
 * `<deployment>-<pod-template-hash>`.
 *
 * One reconcile, from the informers' caches (syncDeployment):
 *   1. claim the namespace's ReplicaSets: keep those it controls and selects, adopt matching
 *      orphans, release those it controls but no longer selects;
 *   2. a Deployment being deleted only gets its status updated;
 *   3. the Progressing condition says DeploymentPaused / DeploymentResumed as spec.paused flips;
 *   4. paused, or a scaling event (spec.replicas differs from the desired-replicas annotation of
 *      an active ReplicaSet): scale proportionally, no rollout (`sync`);
 *   5. otherwise roll out: Recreate (scale every old ReplicaSet to 0, wait until no old pod runs,
 *      then create or scale up the new one) or RollingUpdate (grow the new ReplicaSet within
 *      replicas + maxSurge, shrink the old ones while at least replicas - maxUnavailable stay
 *      available, unhealthy old replicas first);
 *   6. once complete, delete old ReplicaSets beyond revisionHistoryLimit that have no replicas;
 *   7. write status (counts, Available, Progressing with its reasons, ReplicaFailure from the
 *      ReplicaSets) when it changed; a rollout that has not finished comes back when its
 *      progress deadline would pass.
 *
 * Every write carries the resourceVersion it was computed from; a conflict fails the reconcile,
 * which is retried with backoff on fresh caches. What a reconcile writes replaces the cached
 * copy it works on, so its later steps build on its own writes.
 *
 * One difference from Kubernetes: its status writes may also change annotations (the revision
 * annotation rides on UpdateStatus); Marina's /status keeps metadata, so the revision annotation
 * is written with a metadata-only patch of the Deployment.
 */
import type { Pod } from '../../api/kinds/core/pod';
import type { Deployment, DeploymentCondition, DeploymentStatus } from '../../api/kinds/apps/deployment';
import type { ReplicaSet } from '../../api/kinds/apps/replicaSet';
import { fromLabelSelector } from '../../api/labels/selector';
import { isStatusError } from '../../api/status';
import { realClock, type Clock } from '../../client/clock';
import type { Lister } from '../../client/informer/lister';
import type { Logger } from '../../client/log';
import type { GroupVersionResource } from '../../client/resource';
import type { RestClient } from '../../client/restClient';
import type { EventRecorder } from '../runtime/events';
import { controllerRef } from '../runtime/ownerReferences';
import { patchObject } from '../runtime/patch';
import { type ReconcileContext, type Reconciler, type Request, type Result } from '../runtime/reconcile';
import { claimObjects } from '../replicaset/claim';
import { computeHash } from './hash';
import {
  activeReplicaSets,
  actualReplicaCount,
  byCreationTimestamp,
  byRevision,
  calculateStatus,
  deploymentComplete,
  deploymentProgressing,
  deploymentReplicas,
  deploymentTimedOut,
  desiredReplicasOf,
  equalIgnoreHash,
  failedReplicaSetCreateReason,
  findActiveOrLatest,
  findNewReplicaSet,
  findOldReplicaSets,
  foundNewReplicaSetReason,
  getCondition,
  hasProgressDeadline,
  hasRevisionHistoryLimit,
  isRollingUpdate,
  isSaturated,
  maxRevision,
  maxSurge,
  maxUnavailable,
  newCondition,
  newReplicaSetAvailableReason,
  newReplicaSetReason,
  newRSNewReplicas,
  pausedReason,
  podTemplateHashLabel,
  progressing,
  proportionalScale,
  removeCondition,
  replicaFailure,
  replicaSetUpdatedReason,
  replicasAnnotationsNeedUpdate,
  resumedReason,
  revisionAnnotation,
  rsReplicas,
  sameStatus,
  selectorWithLabel,
  setCondition,
  setNewReplicaSetAnnotations,
  setReplicasAnnotations,
  specReplicaCount,
  timedOutReason,
} from './util';

export const deploymentsResource: GroupVersionResource = { group: 'apps', version: 'v1', resource: 'deployments' };
export const replicaSetsResource: GroupVersionResource = { group: 'apps', version: 'v1', resource: 'replicasets' };
export const podsResource: GroupVersionResource = { group: '', version: 'v1', resource: 'pods' };

type Typed<T> = T & { apiVersion: string; kind: string };

export function deploymentWithKind(d: Deployment): Typed<Deployment> {
  return { ...d, apiVersion: 'apps/v1', kind: 'Deployment' };
}

function rsWithKind(rs: ReplicaSet): Typed<ReplicaSet> {
  return { ...rs, apiVersion: 'apps/v1', kind: 'ReplicaSet' };
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function namespaceTerminating(err: unknown): boolean {
  if (!isStatusError(err, 403)) return false;
  return (err.details?.causes ?? []).some((c) => c.reason === 'NamespaceTerminating') || /because it is being terminated/.test(err.message);
}

export interface DeploymentReconcilerOptions {
  readonly client: RestClient;
  readonly deployments: Lister<Deployment>;
  readonly replicaSets: Lister<ReplicaSet>;
  readonly pods: Lister<Pod>;
  readonly recorder: EventRecorder;
  readonly clock?: Clock;
}

export class DeploymentReconciler implements Reconciler {
  constructor(private readonly options: DeploymentReconcilerOptions) {}

  async reconcile(request: Request, ctx: ReconcileContext): Promise<Result | void> {
    const cached = this.options.deployments.get(request.namespace ?? '', request.name);
    if (!cached) return;
    return new DeploymentSync(this.options, structuredClone(cached), ctx.log).run();
  }
}

/** One sync of one Deployment: its working copy, and the ReplicaSets as this sync has left them. */
class DeploymentSync {
  private d: Typed<Deployment> & { status: DeploymentStatus };
  private rsList: ReplicaSet[] = [];
  private readonly client: RestClient;
  private readonly clock: Clock;
  private readonly namespace: string;
  private readonly name: string;

  constructor(
    private readonly options: DeploymentReconcilerOptions,
    deployment: Deployment,
    private readonly log: Logger,
  ) {
    this.d = { ...deploymentWithKind(deployment), status: deployment.status ?? {} };
    this.client = options.client;
    this.clock = options.clock ?? realClock;
    this.namespace = deployment.metadata?.namespace ?? '';
    this.name = deployment.metadata?.name ?? '';
  }

  private get now(): number {
    return this.clock.now();
  }

  private event(type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.options.recorder.event(this.d, type, reason, message);
  }

  async run(): Promise<Result | void> {
    const d = this.d;
    const selector = d.spec?.selector;
    if (!selector || (Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0)) {
      this.event('Warning', 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.');
      if ((d.status.observedGeneration ?? 0) < (d.metadata?.generation ?? 0)) {
        await this.writeStatus({ ...d.status, observedGeneration: d.metadata?.generation ?? 0 });
      }
      return;
    }
    await this.claimReplicaSets();
    if (d.metadata?.deletionTimestamp) {
      await this.syncStatusOnly();
      return;
    }
    await this.checkPausedConditions();
    if (d.spec?.paused) {
      await this.sync();
      return;
    }
    if (await this.isScalingEvent()) {
      await this.sync();
      return;
    }
    return d.spec?.strategy?.type === 'Recreate' ? this.rolloutRecreate() : this.rolloutRolling();
  }

  // ---- Reading and writing -----------------------------------------------------------------

  /** The latest version of `rs` this sync knows (after its own writes). */
  private current(rs: ReplicaSet): ReplicaSet;
  private current(rs: ReplicaSet | undefined): ReplicaSet | undefined;
  private current(rs: ReplicaSet | undefined): ReplicaSet | undefined {
    if (!rs) return undefined;
    return this.rsList.find((r) => r.metadata?.uid === rs.metadata?.uid) ?? rs;
  }

  private remember(rs: ReplicaSet): ReplicaSet {
    const i = this.rsList.findIndex((r) => r.metadata?.uid === rs.metadata?.uid);
    if (i >= 0) this.rsList[i] = rs;
    else this.rsList.push(rs);
    return rs;
  }

  private async claimReplicaSets(): Promise<void> {
    const d = this.d;
    const result = await claimObjects<ReplicaSet>({
      client: this.client,
      gvr: replicaSetsResource,
      claimant: { uid: d.metadata!.uid!, namespace: this.namespace, selector: d.spec?.selector, deleting: !!d.metadata?.deletionTimestamp },
      ref: controllerRef(d),
      recheck: async () => {
        const fresh = await this.client.resource<Deployment>(deploymentsResource, this.namespace).get(this.name);
        if (fresh.metadata?.uid !== d.metadata?.uid) throw new Error(`original Deployment ${this.namespace}/${this.name} is gone: got uid ${fresh.metadata?.uid}, wanted ${d.metadata?.uid}`);
        if (fresh.metadata?.deletionTimestamp) throw new Error(`Deployment ${this.namespace}/${this.name} has just been deleted at ${fresh.metadata.deletionTimestamp}`);
      },
      objects: this.options.replicaSets.list(this.namespace),
    });
    if (result.error !== undefined) throw result.error;
    if (result.adopted || result.released) this.log.info('claimed replica sets', { adopted: result.adopted, released: result.released });
    this.rsList = result.claimed.map((rs) => structuredClone(rs));
  }

  /** Pods selected by the Deployment, by the uid of their controlling ReplicaSet (among ours), terminal ones included. */
  private podMap(): Map<string, Pod[]> {
    const map = new Map<string, Pod[]>();
    for (const rs of this.rsList) map.set(rs.metadata!.uid!, []);
    const reqs = fromLabelSelector(this.d.spec?.selector ?? {});
    for (const pod of this.options.pods.list(this.namespace, reqs)) {
      const ref = pod.metadata?.ownerReferences?.find((r) => r.controller === true);
      if (ref && map.has(ref.uid)) map.get(ref.uid)!.push(pod);
    }
    return map;
  }

  /** Writes `status` through /status (with the working copy's resourceVersion); the result becomes the working copy. */
  private async writeStatus(status: DeploymentStatus): Promise<void> {
    const updated = await this.client.resource<Deployment>(deploymentsResource, this.namespace).updateStatus({ ...this.d, status });
    this.d = { ...deploymentWithKind(updated), status: updated.status ?? {} };
  }

  /**
   * SetDeploymentRevision: the Deployment's revision annotation follows its new ReplicaSet's. A
   * metadata-only patch, guarded by the working copy's resourceVersion; the working status is kept.
   */
  private async syncRevisionAnnotation(revision: string | undefined): Promise<void> {
    if (revision === undefined || this.d.metadata?.annotations?.[revisionAnnotation] === revision) return;
    const patch = { metadata: { annotations: { [revisionAnnotation]: revision }, resourceVersion: this.d.metadata?.resourceVersion } };
    const updated = await patchObject<Deployment>(this.client, deploymentsResource, this.namespace, this.name, patch, 'merge');
    this.d = { ...deploymentWithKind(updated), status: this.d.status };
  }

  private async updateReplicaSet(rs: ReplicaSet): Promise<ReplicaSet> {
    const updated = await this.client.resource<ReplicaSet>(replicaSetsResource, this.namespace).update(rsWithKind(rs));
    return this.remember(updated);
  }

  // ---- New and old ReplicaSets -------------------------------------------------------------

  /**
   * getAllReplicaSetsAndSyncRevision: the new ReplicaSet (created when `create` and missing) with
   * its annotations brought up to date, and every other one.
   */
  private async allReplicaSets(create: boolean): Promise<{ newRS: ReplicaSet | undefined; oldRSs: ReplicaSet[] }> {
    const existing = findNewReplicaSet(this.d, this.rsList);
    const oldRSs = findOldReplicaSets(this.rsList, existing);
    const newRS = await this.newReplicaSet(existing, oldRSs, create);
    return { newRS, oldRSs: findOldReplicaSets(this.rsList, newRS) };
  }

  private async newReplicaSet(existing: ReplicaSet | undefined, oldRSs: readonly ReplicaSet[], create: boolean): Promise<ReplicaSet | undefined> {
    const d = this.d;
    const newRevision = maxRevision(oldRSs) + 1;
    if (existing) {
      const copy = structuredClone(existing);
      const annotationsUpdated = setNewReplicaSetAnnotations(d, copy, newRevision, true);
      const minReadySeconds = d.spec?.minReadySeconds ?? 0;
      if (annotationsUpdated || (copy.spec?.minReadySeconds ?? 0) !== minReadySeconds) {
        copy.spec = { ...copy.spec!, minReadySeconds };
        return this.updateReplicaSet(copy);
      }
      await this.syncRevisionAnnotation(copy.metadata?.annotations?.[revisionAnnotation]);
      if (hasProgressDeadline(d) && !getCondition(d.status, progressing)) {
        const status = structuredClone(this.d.status);
        setCondition(status, newCondition(progressing, 'True', foundNewReplicaSetReason, `Found new replica set "${copy.metadata?.name}"`, this.now));
        await this.writeStatus(status);
      }
      return copy;
    }
    if (!create) return undefined;

    const template = structuredClone(d.spec?.template ?? {});
    const hash = computeHash(d.spec?.template ?? {}, d.status.collisionCount);
    template.metadata = { ...(template.metadata ?? {}), labels: { ...(template.metadata?.labels ?? {}), [podTemplateHashLabel]: hash } };
    const name = `${this.name}-${hash}`;
    const newRS: ReplicaSet = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name, namespace: this.namespace, ownerReferences: [controllerRef(d)], labels: { ...template.metadata.labels } },
      spec: {
        replicas: 0,
        minReadySeconds: d.spec?.minReadySeconds ?? 0,
        selector: selectorWithLabel(d.spec?.selector, podTemplateHashLabel, hash),
        template,
      },
    };
    const replicas = newRSNewReplicas(d, [...oldRSs, newRS], newRS);
    newRS.spec!.replicas = replicas;
    setNewReplicaSetAnnotations(d, newRS, newRevision, false);

    let created: ReplicaSet;
    let alreadyExists = false;
    try {
      created = await this.client.resource<ReplicaSet>(replicaSetsResource, this.namespace).create(newRS);
    } catch (err) {
      if (isStatusError(err, 409) && err.reason === 'AlreadyExists') {
        // Ours, created by an earlier sync the cache has not shown yet? Then use it.
        const found = await this.client.resource<ReplicaSet>(replicaSetsResource, this.namespace).get(name);
        const ref = found.metadata?.ownerReferences?.find((r) => r.controller === true);
        if (ref?.uid === d.metadata?.uid && equalIgnoreHash(d.spec?.template, found.spec?.template)) {
          created = found;
          alreadyExists = true;
        } else {
          // A hash collision: another template (or another owner) has this name. Bump
          // collisionCount so that the next sync computes another name.
          const status = structuredClone(d.status);
          status.collisionCount = (status.collisionCount ?? 0) + 1;
          await this.writeStatus(status);
          this.log.info('hash collision for the new replica set: collisionCount bumped', { replicaSet: name, collisionCount: status.collisionCount });
          throw err;
        }
      } else if (namespaceTerminating(err)) {
        throw err;
      } else {
        const msg = `Failed to create new replica set "${name}": ${errorText(err)}`;
        if (hasProgressDeadline(d)) {
          const status = structuredClone(d.status);
          setCondition(status, newCondition(progressing, 'False', failedReplicaSetCreateReason, msg, this.now));
          await this.writeStatus(status).catch(() => undefined);
        }
        this.event('Warning', failedReplicaSetCreateReason, msg);
        throw err;
      }
    }
    this.remember(created);
    if (!alreadyExists && replicas > 0) this.event('Normal', 'ScalingReplicaSet', `Scaled up replica set ${name} from 0 to ${replicas}`);
    await this.syncRevisionAnnotation(String(newRevision));
    if (!alreadyExists && hasProgressDeadline(this.d)) {
      const status = structuredClone(this.d.status);
      setCondition(status, newCondition(progressing, 'True', newReplicaSetReason, `Created new replica set "${name}"`, this.now));
      await this.writeStatus(status);
    }
    return created;
  }

  // ---- Scaling -----------------------------------------------------------------------------

  /** scaleReplicaSetAndRecordEvent: nothing when `rs` already has `newScale` replicas. */
  private async scaleAndRecord(rs: ReplicaSet, newScale: number): Promise<{ scaled: boolean; rs: ReplicaSet }> {
    if (rsReplicas(rs) === newScale) return { scaled: false, rs };
    return this.scaleReplicaSet(rs, newScale, rsReplicas(rs) < newScale ? 'up' : 'down');
  }

  /** Sets spec.replicas and the replica annotations; records ScalingReplicaSet when the size changed. */
  private async scaleReplicaSet(rs: ReplicaSet, newScale: number, operation: string): Promise<{ scaled: boolean; rs: ReplicaSet }> {
    const d = this.d;
    const desired = deploymentReplicas(d);
    const max = desired + maxSurge(d);
    const sizeNeedsUpdate = rsReplicas(rs) !== newScale;
    if (!sizeNeedsUpdate && !replicasAnnotationsNeedUpdate(rs, desired, max)) return { scaled: false, rs };
    const oldScale = rsReplicas(rs);
    const copy = structuredClone(rs);
    copy.spec = { ...copy.spec!, replicas: newScale };
    setReplicasAnnotations(copy, desired, max);
    const updated = await this.updateReplicaSet(copy);
    if (sizeNeedsUpdate) this.event('Normal', 'ScalingReplicaSet', `Scaled ${operation} replica set ${updated.metadata?.name} from ${oldScale} to ${newScale}`);
    return { scaled: sizeNeedsUpdate, rs: updated };
  }

  /** isScalingEvent: an active ReplicaSet's desired-replicas annotation differs from spec.replicas. */
  private async isScalingEvent(): Promise<boolean> {
    const { newRS, oldRSs } = await this.allReplicaSets(false);
    for (const rs of activeReplicaSets([...oldRSs, newRS])) {
      const desired = desiredReplicasOf(rs);
      if (desired !== undefined && desired !== deploymentReplicas(this.d)) return true;
    }
    return false;
  }

  /** `sync`: scaling events and paused Deployments — scale, clean up when paused, update status. */
  private async sync(): Promise<void> {
    const { newRS, oldRSs } = await this.allReplicaSets(false);
    await this.scale(newRS, oldRSs);
    if (this.d.spec?.paused) await this.cleanup(findOldReplicaSets(this.rsList, this.current(newRS)));
    await this.syncDeploymentStatus();
  }

  /** `scale`: the single active (or newest) ReplicaSet gets everything; else proportional. */
  private async scale(newRS: ReplicaSet | undefined, oldRSs: readonly ReplicaSet[]): Promise<void> {
    const d = this.d;
    const replicas = deploymentReplicas(d);
    const activeOrLatest = findActiveOrLatest(newRS, oldRSs);
    if (activeOrLatest) {
      if (rsReplicas(activeOrLatest) !== replicas) await this.scaleAndRecord(activeOrLatest, replicas);
      return;
    }
    if (isSaturated(d, newRS)) {
      for (const old of activeReplicaSets(oldRSs)) await this.scaleAndRecord(old, 0);
      return;
    }
    if (!isRollingUpdate(d)) return;
    const { operation, sizes } = proportionalScale(d, newRS, oldRSs);
    for (const { rs, size } of sizes) await this.scaleReplicaSet(rs, size, operation);
  }

  // ---- Rollouts ----------------------------------------------------------------------------

  private async rolloutRolling(): Promise<Result | void> {
    const { newRS: created, oldRSs } = await this.allReplicaSets(true);
    const newRS = created!;
    if (await this.reconcileNewReplicaSet(newRS, oldRSs)) return this.syncRolloutStatus();
    if (await this.reconcileOldReplicaSets(activeReplicaSets(oldRSs.map((rs) => this.current(rs))), this.current(newRS))) return this.syncRolloutStatus();
    if (deploymentComplete(this.d, this.d.status)) await this.cleanup(findOldReplicaSets(this.rsList, newRS));
    return this.syncRolloutStatus();
  }

  /** Grows the new ReplicaSet as far as maxSurge allows (or shrinks it to replicas). */
  private async reconcileNewReplicaSet(newRS: ReplicaSet, oldRSs: readonly ReplicaSet[]): Promise<boolean> {
    const replicas = deploymentReplicas(this.d);
    if (rsReplicas(newRS) === replicas) return false;
    if (rsReplicas(newRS) > replicas) return (await this.scaleAndRecord(newRS, replicas)).scaled;
    const target = newRSNewReplicas(this.d, [...oldRSs, newRS], newRS);
    return (await this.scaleAndRecord(newRS, target)).scaled;
  }

  /** Shrinks old ReplicaSets: unhealthy replicas first, then while availability allows. */
  private async reconcileOldReplicaSets(oldActive: ReplicaSet[], newRS: ReplicaSet): Promise<boolean> {
    const oldCount = specReplicaCount(oldActive);
    if (oldCount === 0) return false;
    const allCount = specReplicaCount([...oldActive, newRS]);
    const minAvailable = deploymentReplicas(this.d) - maxUnavailable(this.d);
    const newUnavailable = rsReplicas(newRS) - boundedAvailable(newRS);
    const maxScaledDown = allCount - minAvailable - newUnavailable;
    if (maxScaledDown <= 0) return false;
    const { oldRSs, count: cleaned } = await this.cleanupUnhealthyReplicas(oldActive, maxScaledDown);
    const scaledDown = await this.scaleDownOldReplicaSetsForRollingUpdate([...oldRSs, newRS], oldRSs);
    return cleaned + scaledDown > 0;
  }

  /** Scales down old replicas that are not available, oldest ReplicaSets first, at most `maxCleanup`. */
  private async cleanupUnhealthyReplicas(oldRSs: ReplicaSet[], maxCleanup: number): Promise<{ oldRSs: ReplicaSet[]; count: number }> {
    const sorted = [...oldRSs].sort(byCreationTimestamp);
    let total = 0;
    for (let i = 0; i < sorted.length; i++) {
      if (total >= maxCleanup) break;
      const target = sorted[i]!;
      const replicas = rsReplicas(target);
      const availableCount = boundedAvailable(target);
      if (replicas === 0 || replicas === availableCount) continue;
      const count = Math.min(maxCleanup - total, replicas - availableCount);
      const next = replicas - count;
      if (next > replicas) throw new Error(`when cleaning up unhealthy replicas, got invalid request to scale down ${this.namespace}/${target.metadata?.name} ${replicas} -> ${next}`);
      sorted[i] = (await this.scaleAndRecord(target, next)).rs;
      total += count;
    }
    return { oldRSs: sorted, count: total };
  }

  /** Scales down old ReplicaSets, oldest first, while more than replicas - maxUnavailable are available. */
  private async scaleDownOldReplicaSetsForRollingUpdate(allRSs: readonly ReplicaSet[], oldRSs: readonly ReplicaSet[]): Promise<number> {
    const minAvailable = deploymentReplicas(this.d) - maxUnavailable(this.d);
    const availableCount = allRSs.reduce((n, rs) => n + boundedAvailable(rs), 0);
    if (availableCount <= minAvailable) return 0;
    const toScaleDown = availableCount - minAvailable;
    let total = 0;
    for (const target of [...oldRSs].sort(byCreationTimestamp)) {
      if (total >= toScaleDown) break;
      if (rsReplicas(target) === 0) continue;
      const count = Math.min(rsReplicas(target), toScaleDown - total);
      await this.scaleAndRecord(target, rsReplicas(target) - count);
      total += count;
    }
    return total;
  }

  private async rolloutRecreate(): Promise<Result | void> {
    const podMap = this.podMap();
    let { newRS, oldRSs } = await this.allReplicaSets(false);
    let scaledDown = false;
    for (const rs of activeReplicaSets(oldRSs)) {
      if ((await this.scaleAndRecord(rs, 0)).scaled) scaledDown = true;
    }
    if (scaledDown) return this.syncRolloutStatus();
    if (this.oldPodsRunning(newRS, oldRSs, podMap)) return this.syncRolloutStatus();
    if (!newRS) ({ newRS, oldRSs } = await this.allReplicaSets(true));
    await this.scaleAndRecord(this.current(newRS!), deploymentReplicas(this.d));
    if (deploymentComplete(this.d, this.d.status)) await this.cleanup(findOldReplicaSets(this.rsList, newRS));
    return this.syncRolloutStatus();
  }

  /** Whether any old pod may still run: old ReplicaSets report replicas, or an old pod is not finished. */
  private oldPodsRunning(newRS: ReplicaSet | undefined, oldRSs: readonly ReplicaSet[], podMap: Map<string, Pod[]>): boolean {
    if (actualReplicaCount(oldRSs) > 0) return true;
    for (const [uid, pods] of podMap) {
      if (newRS && newRS.metadata?.uid === uid) continue;
      for (const pod of pods) {
        const phase = pod.status?.phase;
        if (phase === 'Failed' || phase === 'Succeeded') continue;
        return true;
      }
    }
    return false;
  }

  /** Deletes the oldest revisions beyond revisionHistoryLimit that have no replicas left. */
  private async cleanup(oldRSs: readonly ReplicaSet[]): Promise<void> {
    const d = this.d;
    if (!hasRevisionHistoryLimit(d)) return;
    const cleanable = oldRSs.filter((rs) => !rs.metadata?.deletionTimestamp);
    const diff = cleanable.length - (d.spec?.revisionHistoryLimit ?? 0);
    if (diff <= 0) return;
    const sorted = [...cleanable].sort(byRevision);
    for (const rs of sorted.slice(0, diff)) {
      if ((rs.status?.replicas ?? 0) !== 0 || rsReplicas(rs) !== 0 || (rs.metadata?.generation ?? 0) > (rs.status?.observedGeneration ?? 0) || rs.metadata?.deletionTimestamp) continue;
      try {
        await this.client.resource<ReplicaSet>(replicaSetsResource, this.namespace).delete(rs.metadata!.name!, { preconditions: { uid: rs.metadata!.uid } });
        this.log.info('deleted old replica set', { replicaSet: rs.metadata?.name });
      } catch (err) {
        if (!isStatusError(err, 404) && !isStatusError(err, 409)) throw err;
      }
    }
  }

  // ---- Status ------------------------------------------------------------------------------

  private async checkPausedConditions(): Promise<void> {
    const d = this.d;
    if (!hasProgressDeadline(d)) return;
    const cond = getCondition(d.status, progressing);
    if (cond?.reason === timedOutReason) return;
    const pausedCondExists = cond?.reason === pausedReason;
    const status = structuredClone(d.status);
    if (d.spec?.paused && !pausedCondExists) {
      setCondition(status, newCondition(progressing, 'Unknown', pausedReason, 'Deployment is paused', this.now));
    } else if (!d.spec?.paused && pausedCondExists) {
      setCondition(status, newCondition(progressing, 'Unknown', resumedReason, 'Deployment is resumed', this.now));
    } else {
      return;
    }
    await this.writeStatus(status);
  }

  private async syncStatusOnly(): Promise<void> {
    await this.allReplicaSets(false);
    await this.syncDeploymentStatus();
  }

  /** New and old ReplicaSets as this sync left them. */
  private split(): { newRS: ReplicaSet | undefined; allRSs: ReplicaSet[] } {
    const newRS = findNewReplicaSet(this.d, this.rsList);
    return { newRS, allRSs: [...this.rsList] };
  }

  private async syncDeploymentStatus(): Promise<void> {
    const { newRS, allRSs } = this.split();
    const status = calculateStatus(allRSs, newRS, this.d, this.now);
    if (sameStatus(this.d.status, status)) return;
    await this.writeStatus(status);
  }

  /** syncRolloutStatus: status with the Progressing condition as the rollout stands; when to look again. */
  private async syncRolloutStatus(): Promise<Result | void> {
    const d = this.d;
    const now = this.now;
    const { newRS, allRSs } = this.split();
    const status = calculateStatus(allRSs, newRS, d, now);
    if (!hasProgressDeadline(d)) removeCondition(status, progressing);
    const currentCond = getCondition(d.status, progressing);
    const isCompleteDeployment = status.replicas === status.updatedReplicas && currentCond?.reason === newReplicaSetAvailableReason;
    if (hasProgressDeadline(d) && !isCompleteDeployment) {
      const subject = newRS ? `ReplicaSet "${newRS.metadata?.name}"` : `Deployment "${this.name}"`;
      if (deploymentComplete(d, status)) {
        setCondition(status, newCondition(progressing, 'True', newReplicaSetAvailableReason, `${subject} has successfully progressed.`, now));
      } else if (deploymentProgressing(d, status)) {
        const cond = newCondition(progressing, 'True', replicaSetUpdatedReason, `${subject} is progressing.`, now);
        if (currentCond) {
          if (currentCond.status === 'True' && currentCond.lastTransitionTime) cond.lastTransitionTime = currentCond.lastTransitionTime;
          removeCondition(status, progressing);
        }
        setCondition(status, cond);
      } else if (deploymentTimedOut(d, status, now)) {
        setCondition(status, newCondition(progressing, 'False', timedOutReason, `${subject} has timed out progressing.`, now));
      }
    }
    const failure = replicaFailureCondition(allRSs, newRS);
    if (failure) setCondition(status, failure);
    else removeCondition(status, replicaFailure);
    if (sameStatus(d.status, status)) return this.requeueStuckDeployment(status);
    await this.writeStatus(status);
  }

  /** A rollout neither complete nor timed out is looked at again when its deadline would pass. */
  private requeueStuckDeployment(status: DeploymentStatus): Result | void {
    const d = this.d;
    const cond = getCondition(d.status, progressing);
    if (!hasProgressDeadline(d) || !cond) return;
    if (deploymentComplete(d, status) || cond.reason === timedOutReason) return;
    const updated = cond.lastUpdateTime ? Date.parse(cond.lastUpdateTime) : NaN;
    if (Number.isNaN(updated)) return;
    const after = updated + (d.spec?.progressDeadlineSeconds ?? 0) * 1000 - this.now;
    // A second more, against the second precision of condition times.
    return { requeueAfterMs: after < 1000 ? 1000 : after + 1000 };
  }
}

/**
 * Available replicas of a ReplicaSet as the scale-down steps count them: never more than its
 * spec.replicas. Right after a ReplicaSet was scaled down, its status still counts the pods it
 * is about to delete; Kubernetes counts them (and may scale down too far, or fail on a negative
 * count, until the status catches up). Counting at most spec.replicas is never optimistic.
 */
export function boundedAvailable(rs: ReplicaSet): number {
  return Math.min(rs.status?.availableReplicas ?? 0, rsReplicas(rs));
}

/** The ReplicaFailure condition of the new ReplicaSet, else of any other, as a Deployment condition. */
export function replicaFailureCondition(allRSs: readonly ReplicaSet[], newRS: ReplicaSet | undefined): DeploymentCondition | undefined {
  const fromRS = (rs: ReplicaSet | undefined) => rs?.status?.conditions?.find((c) => c.type === replicaFailure);
  const c = fromRS(newRS) ?? allRSs.map(fromRS).find((x) => x !== undefined);
  if (!c) return undefined;
  return {
    type: replicaFailure,
    status: c.status,
    ...(c.lastTransitionTime ? { lastTransitionTime: c.lastTransitionTime, lastUpdateTime: c.lastTransitionTime } : {}),
    ...(c.reason !== undefined ? { reason: c.reason } : {}),
    ...(c.message !== undefined ? { message: c.message } : {}),
  };
}
