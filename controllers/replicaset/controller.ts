/**
 * The ReplicaSet controller, after Kubernetes' pkg/controller/replicaset: keeps spec.replicas
 * active pods for each ReplicaSet and reports what it sees in status.
 *
 * One reconcile, from the informers' caches:
 *   1. claim: the active pods it controls and the namespace's active orphans (the pods
 *      informer's controllerIndex) are sorted into the ReplicaSet's own (controlled and
 *      selected), orphans it adopts, and pods it controls but no longer selects, which it
 *      releases (both through strategic merge patches on the pods);
 *   2. if its expectations are satisfied (every create and delete it asked for has shown up in
 *      the cache, or five minutes passed), it creates the missing pods (from the template, named
 *      `<rs>-xxxxx`, controlled by it, in slow-start batches 1, 2, 4...) or deletes the extra
 *      ones (in Kubernetes' ActivePods order: unscheduled, pending, not ready... first);
 *   3. it writes status (replicas, fullyLabeledReplicas, readyReplicas, availableReplicas,
 *      observedGeneration, and ReplicaFailure while creates or deletes fail) when it changed;
 *   4. a failed create or delete is thrown after the status write, so the key is retried with
 *      backoff; a pod ready but not yet available (minReadySeconds) brings it back when it
 *      becomes available.
 *
 * Pods being deleted or finished are not counted, adopted or released. A ReplicaSet being
 * deleted only has its status updated.
 */
import type { Pod } from '../../api/kinds/core/pod';
import type { ReplicaSet, ReplicaSetStatus } from '../../api/kinds/apps/replicaSet';
import { fromLabelSelector } from '../../api/labels/selector';
import { isStatusError } from '../../api/status';
import { controllerIndex, orphanKey } from '../../client/informer/indexers';
import type { Lister } from '../../client/informer/lister';
import type { GroupVersionResource } from '../../client/resource';
import type { RestClient } from '../../client/restClient';
import type { Clock } from '../../client/clock';
import { realClock } from '../../client/clock';
import { StatusPacer } from '../runtime/statusPacer';
import type { EventRecorder } from '../runtime/events';
import { controllerRef } from '../runtime/ownerReferences';
import { type ReconcileContext, type Reconciler, type Request, type Result } from '../runtime/reconcile';
import { claimObjects } from './claim';
import type { ControllerExpectations } from './expectations';
import { podsToDelete } from './podRanking';
import { isPodActive, podFromTemplate } from './pods';
import { slowStartBatch, slowStartInitialBatchSize } from './slowStart';
import { calculateStatus, errorText, nextAvailabilityCheckMs, specReplicas, statusNeedsUpdate } from './status';

export const podsResource: GroupVersionResource = { group: '', version: 'v1', resource: 'pods' };
export const replicaSetsResource: GroupVersionResource = { group: 'apps', version: 'v1', resource: 'replicasets' };
export const replicaSetKind = { apiVersion: 'apps/v1', kind: 'ReplicaSet' } as const;

/** Kubernetes' BurstReplicas: at most this many creates or deletes per sync. */
export const burstReplicas = 500;

export interface ReplicaSetReconcilerOptions {
  readonly client: RestClient;
  readonly replicaSets: Lister<ReplicaSet>;
  /** Its informer must have the controllerIndex (byController). */
  readonly pods: Lister<Pod>;
  readonly expectations: ControllerExpectations;
  readonly recorder: EventRecorder;
  readonly clock?: Clock;
}

/** The ReplicaSet with its apiVersion and kind, as owner references and events need them. */
export function withKind(rs: ReplicaSet): ReplicaSet & { apiVersion: string; kind: string } {
  return { ...rs, apiVersion: replicaSetKind.apiVersion, kind: replicaSetKind.kind };
}

/** `namespace/name` of a ReplicaSet or pod: the expectations' key. */
export function objectKey(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

/** Whether a namespace-terminating error: creates there are pointless, but not a failure. */
function namespaceTerminating(err: unknown): boolean {
  if (!isStatusError(err, 403)) return false;
  return (err.details?.causes ?? []).some((c) => c.reason === 'NamespaceTerminating') || /because it is being terminated/.test(err.message);
}

export class ReplicaSetReconciler implements Reconciler {
  private readonly client: RestClient;
  private readonly replicaSets: Lister<ReplicaSet>;
  private readonly pods: Lister<Pod>;
  private readonly expectations: ControllerExpectations;
  private readonly recorder: EventRecorder;
  private readonly clock: Clock;
  private readonly statusPacer = new StatusPacer();

  constructor(options: ReplicaSetReconcilerOptions) {
    this.client = options.client;
    this.replicaSets = options.replicaSets;
    this.pods = options.pods;
    this.expectations = options.expectations;
    this.recorder = options.recorder;
    this.clock = options.clock ?? realClock;
  }

  async reconcile(request: Request, ctx: ReconcileContext): Promise<Result | void> {
    const namespace = request.namespace ?? '';
    const key = objectKey(namespace, request.name);
    const rs = this.replicaSets.get(namespace, request.name);
    if (!rs) {
      this.expectations.delete(key);
      this.statusPacer.forget(key);
      return;
    }
    const needsSync = this.expectations.satisfied(key);
    const candidates = [...this.pods.byIndex(controllerIndex, rs.metadata!.uid!), ...this.pods.byIndex(controllerIndex, orphanKey(namespace))];
    const active = candidates.filter(isPodActive);
    const owner = withKind(rs);
    const claim = await claimObjects<Pod>({
      client: this.client,
      gvr: podsResource,
      claimant: { uid: rs.metadata!.uid!, namespace, selector: rs.spec?.selector, deleting: !!rs.metadata?.deletionTimestamp },
      ref: controllerRef(owner),
      recheck: () => this.recheck(rs),
      objects: active,
    });
    if (claim.error !== undefined) throw claim.error;
    if (claim.adopted || claim.released) ctx.log.info('claimed pods', { adopted: claim.adopted, released: claim.released });

    let manageError: unknown;
    if (needsSync && !rs.metadata?.deletionTimestamp) {
      manageError = await this.manageReplicas(rs, key, claim.claimed, ctx);
    }
    const now = this.clock.now();
    const status = calculateStatus(rs, claim.claimed, manageError, now);
    const statusLater = await this.writeStatus(key, rs, status, now);
    if (manageError !== undefined) throw manageError;
    const next = [nextAvailabilityCheckMs(rs, claim.claimed, now), statusLater].filter((ms): ms is number => ms !== undefined);
    return next.length > 0 ? { requeueAfterMs: Math.min(...next) } : undefined;
  }

  /** Creates or deletes pods toward spec.replicas; returns the first error (after recording it). */
  private async manageReplicas(rs: ReplicaSet, key: string, pods: readonly Pod[], ctx: ReconcileContext): Promise<unknown> {
    const namespace = rs.metadata!.namespace ?? '';
    const diff = pods.length - specReplicas(rs);
    if (diff < 0) {
      const count = Math.min(-diff, burstReplicas);
      // Expect them all before the first create: a watch event may come back before it returns.
      this.expectations.expectCreations(key, count);
      ctx.log.info('too few replicas: creating pods', { need: specReplicas(rs), have: pods.length, creating: count });
      const template = rs.spec?.template ?? {};
      const owner = withKind(rs);
      const result = await slowStartBatch(count, slowStartInitialBatchSize, () => this.createPod(rs, namespace, template, controllerRef(owner)));
      // Creates never attempted (or failed) will never be observed.
      for (let i = result.successes; i < count; i++) this.expectations.creationObserved(key);
      return result.error;
    }
    if (diff > 0) {
      const count = Math.min(diff, burstReplicas);
      const victims = podsToDelete(pods, this.relatedPods(rs), count, this.clock.now());
      this.expectations.expectDeletions(
        key,
        victims.map((p) => objectKey(p.metadata?.namespace, p.metadata!.name!)),
      );
      ctx.log.info('too many replicas: deleting pods', { need: specReplicas(rs), have: pods.length, deleting: count });
      const results = await Promise.allSettled(victims.map((p) => this.deletePod(rs, p)));
      let error: unknown;
      results.forEach((r, i) => {
        if (r.status === 'fulfilled') return;
        const pod = victims[i]!;
        // The informer will never see this deletion.
        this.expectations.deletionObserved(key, objectKey(pod.metadata?.namespace, pod.metadata!.name!));
        if (!isStatusError(r.reason, 404)) error ??= r.reason;
      });
      return error;
    }
    return undefined;
  }

  private async createPod(rs: ReplicaSet, namespace: string, template: NonNullable<NonNullable<ReplicaSet['spec']>['template']>, ref: ReturnType<typeof controllerRef>): Promise<void> {
    const pod = podFromTemplate(template, namespace, rs.metadata!.name!, ref);
    if (Object.keys(pod.metadata?.labels ?? {}).length === 0) throw new Error('unable to create pods, no labels');
    let created: Pod;
    try {
      created = await this.client.resource<Pod>(podsResource, namespace).create(pod);
    } catch (err) {
      if (namespaceTerminating(err)) return;
      this.recorder.event(withKind(rs), 'Warning', 'FailedCreate', `Error creating: ${errorText(err)}`);
      throw err;
    }
    this.recorder.event(withKind(rs), 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata?.name ?? ''}`);
  }

  private async deletePod(rs: ReplicaSet, pod: Pod): Promise<void> {
    const name = pod.metadata!.name!;
    try {
      await this.client.resource<Pod>(podsResource, pod.metadata?.namespace).delete(name);
    } catch (err) {
      if (!isStatusError(err, 404)) this.recorder.event(withKind(rs), 'Warning', 'FailedDelete', `Error deleting: ${errorText(err)}`);
      throw err;
    }
    this.recorder.event(withKind(rs), 'Normal', 'SuccessfulDelete', `Deleted pod: ${name}`);
  }

  /**
   * Pods of this ReplicaSet and of the other ReplicaSets with the same controller (a
   * Deployment's), by selector: how crowded each node is, for the deletion ranking.
   */
  private relatedPods(rs: ReplicaSet): Pod[] {
    const owner = rs.metadata?.ownerReferences?.find((r) => r.controller === true);
    if (!owner) return [];
    const namespace = rs.metadata?.namespace ?? '';
    const seen = new Set<string>();
    const out: Pod[] = [];
    for (const sibling of this.replicaSets.list(namespace)) {
      const ref = sibling.metadata?.ownerReferences?.find((r) => r.controller === true);
      if (ref?.uid !== owner.uid || !sibling.spec?.selector) continue;
      let reqs;
      try {
        reqs = fromLabelSelector(sibling.spec.selector);
      } catch {
        continue;
      }
      if (reqs.length === 0) continue;
      for (const pod of this.pods.list(namespace, reqs)) {
        const uid = pod.metadata?.uid ?? '';
        if (seen.has(uid)) continue;
        seen.add(uid);
        out.push(pod);
      }
    }
    return out;
  }

  /** Before adopting: the ReplicaSet, read from the API server, is still this one and not being deleted. */
  private async recheck(rs: ReplicaSet): Promise<void> {
    const fresh = await this.client.resource<ReplicaSet>(replicaSetsResource, rs.metadata?.namespace).get(rs.metadata!.name!);
    if (fresh.metadata?.uid !== rs.metadata?.uid) {
      throw new Error(`original ReplicaSet ${rs.metadata?.namespace}/${rs.metadata?.name} is gone: got uid ${fresh.metadata?.uid}, wanted ${rs.metadata?.uid}`);
    }
    if (fresh.metadata?.deletionTimestamp) {
      throw new Error(`ReplicaSet ${rs.metadata?.namespace}/${rs.metadata?.name} has just been deleted at ${fresh.metadata.deletionTimestamp}`);
    }
  }

  /**
   * Writes `status` (with observedGeneration) when it differs from the cached one: a PUT of the
   * cached object; on a conflict, once more on a fresh read (updateReplicaSetStatus). Writes are
   * paced (StatusPacer): while pods become ready one by one, at most one write a second, but at
   * once when the status reaches the spec or a new generation; returns when to look again if the
   * write was put off.
   */
  private async writeStatus(key: string, rs: ReplicaSet, status: ReplicaSetStatus, now: number): Promise<number | undefined> {
    if (!statusNeedsUpdate(rs, status)) return undefined;
    const resource = this.client.resource<ReplicaSet>(replicaSetsResource, rs.metadata?.namespace);
    // The generation whose spec this status reflects: the cached one, even when retrying on a fresher read.
    const observed = { ...status, observedGeneration: rs.metadata?.generation ?? 0 };
    const want = specReplicas(rs);
    const settled = status.replicas === want && status.readyReplicas === want && status.availableReplicas === want;
    const urgent = settled || observed.observedGeneration !== rs.status?.observedGeneration || JSON.stringify(status.conditions ?? []) !== JSON.stringify(rs.status?.conditions ?? []);
    const decision = this.statusPacer.decide(key, rs.metadata?.resourceVersion, observed, urgent, now);
    if (decision === 'skip') return undefined;
    if (decision !== 'write') return decision;
    let target: ReplicaSet = rs;
    for (let attempt = 0; ; attempt++) {
      const next: ReplicaSet = { ...withKind(target), status: observed };
      try {
        const written = await resource.updateStatus(next);
        this.statusPacer.wrote(key, observed, written.metadata?.resourceVersion, this.clock.now());
        return undefined;
      } catch (err) {
        if (attempt >= 1 || !isStatusError(err, 409)) throw err;
      }
      target = await resource.get(rs.metadata!.name!);
      if (target.metadata?.uid !== rs.metadata?.uid) return undefined;
    }
  }
}
