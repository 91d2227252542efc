/**
 * Adoption and release, as Kubernetes' ControllerRefManager (pkg/controller/controller_ref_manager.go):
 * a controller claims the objects its selector matches. It keeps those it already controls, adopts
 * orphans that match (adding its controller reference), and releases those it controls that no
 * longer match (removing its reference). Objects controlled by someone else are never touched;
 * orphans being deleted are not adopted; a controller being deleted adopts and releases nothing.
 *
 * Both writes are strategic merge patches that carry the dependent's uid, so they fail rather
 * than touch a different object that took the same name.
 */
import type { KubeObject } from '../../api/kinds/kind';
import type { LabelSelector, OwnerReference } from '../../api/kinds/meta';
import { fromLabelSelector, matches, type Requirement } from '../../api/labels/selector';
import { isStatusError } from '../../api/status';
import type { GroupVersionResource } from '../../client/resource';
import type { RestClient } from '../../client/restClient';
import { getControllerOf } from '../runtime/ownerReferences';
import { patchObject } from '../runtime/patch';

export interface ClaimPlan<T> {
  /** Controlled and matching: ours already. */
  readonly owned: T[];
  /** Orphans to adopt. */
  readonly adopt: T[];
  /** Controlled but no longer matching: to release. */
  readonly release: T[];
}

export interface Claimant {
  readonly uid: string;
  readonly namespace: string;
  readonly selector: LabelSelector | undefined;
  /** The claimant is being deleted: it adopts and releases nothing. */
  readonly deleting: boolean;
}

/** Sorts `objs` into owned, to adopt, and to release (everything else is ignored). */
export function planClaim<T extends KubeObject>(claimant: Claimant, objs: readonly T[]): ClaimPlan<T> {
  const plan: ClaimPlan<T> = { owned: [], adopt: [], release: [] };
  // Parsed once, when first needed (a reconcile looks at every pod of the namespace).
  let requirements: Requirement[] | undefined;
  const selects = (obj: T) => claimant.selector !== undefined && matches((requirements ??= fromLabelSelector(claimant.selector)), obj.metadata?.labels ?? {});
  for (const obj of objs) {
    const ref = getControllerOf(obj);
    if (ref) {
      if (ref.uid !== claimant.uid) continue;
      if (selects(obj)) plan.owned.push(obj);
      else if (!claimant.deleting) plan.release.push(obj);
      continue;
    }
    if (claimant.deleting || obj.metadata?.deletionTimestamp) continue;
    if ((obj.metadata?.namespace ?? '') !== claimant.namespace) continue;
    if (selects(obj)) plan.adopt.push(obj);
  }
  return plan;
}

/** The strategic merge patch that adds `ref` as the controller of the object with `uid`. */
export function adoptPatch(ref: OwnerReference, uid: string): unknown {
  return { metadata: { ownerReferences: [ref], uid } };
}

/** The strategic merge patch that removes the reference to `ownerUid` from the object with `uid`. */
export function releasePatch(ownerUid: string, uid: string): unknown {
  return { metadata: { ownerReferences: [{ $patch: 'delete', uid: ownerUid }], uid } };
}

export interface ClaimOptions<T extends KubeObject> {
  readonly client: RestClient;
  /** The dependents' resource. */
  readonly gvr: GroupVersionResource;
  readonly claimant: Claimant;
  readonly ref: OwnerReference;
  /**
   * Re-reads the claimant from the API server (not the cache) before the first adoption and
   * throws if it is gone, replaced or being deleted (RecheckDeletionTimestamp): a stale cache
   * must not make a deleted controller adopt.
   */
  readonly recheck: () => Promise<void>;
  readonly objects: readonly T[];
}

export interface ClaimResult<T> {
  /** What the claimant controls now: owned plus adopted. */
  readonly claimed: T[];
  readonly adopted: number;
  readonly released: number;
  /** The first error (other than the object having gone) of an adoption or release. */
  readonly error?: unknown;
}

/** Runs a claim: adopts and releases through the API server; what was adopted joins the claimed. */
export async function claimObjects<T extends KubeObject>(options: ClaimOptions<T>): Promise<ClaimResult<T>> {
  const { client, gvr, claimant, ref } = options;
  const plan = planClaim(claimant, options.objects);
  const claimed = [...plan.owned];
  let error: unknown;
  let adopted = 0;
  let released = 0;
  let rechecked = false;
  for (const obj of plan.adopt) {
    try {
      if (!rechecked) {
        await options.recheck();
        rechecked = true;
      }
      const patched = await patchObject<T>(client, gvr, obj.metadata?.namespace, obj.metadata!.name!, adoptPatch(ref, obj.metadata!.uid!), 'strategic');
      claimed.push(patched);
      adopted++;
    } catch (err) {
      if (isStatusError(err, 404)) continue;
      error ??= err;
      // The claimant cannot adopt at all: do not try every other orphan.
      if (!rechecked) break;
    }
  }
  for (const obj of plan.release) {
    try {
      await patchObject<T>(client, gvr, obj.metadata?.namespace, obj.metadata!.name!, releasePatch(claimant.uid, obj.metadata!.uid!), 'strategic');
      released++;
    } catch (err) {
      // Gone, or already changed so that the patch no longer applies: nothing to release.
      if (isStatusError(err, 404) || isStatusError(err, 422)) continue;
      error ??= err;
    }
  }
  return { claimed, adopted, released, ...(error !== undefined ? { error } : {}) };
}
