/**
 * DELETE, as Kubernetes does it:
 *   - preconditions (uid, resourceVersion) must hold, else 409 Conflict;
 *   - the propagation policy adds the `orphan` (Orphan) or `foregroundDeletion` (Foreground)
 *     finalizer for the garbage collector; Background adds none;
 *   - an object with finalizers, or a grace period (pods bound to a node), is only marked: it gets
 *     deletionTimestamp (+ grace) and stays until its finalizers are removed or it is deleted again
 *     with grace 0; otherwise it is removed at once.
 * A repeated delete may shorten the grace period, never lengthen it.
 */
import { cloneJson } from '../../api/util/cloneJson';
import type { KubeObject } from '../../api/kinds/kind';
import * as status from '../../api/status';
import { ConflictError, KeyNotFoundError, type StoredObject } from '../storage/interface';
import type { ResourceStore } from './store';
import type { DeleteOptions } from './strategy';
import { objectChanged, timestamp } from './systemFields';

export interface DeleteResult {
  /** The deleted object, or its marked state when deletion is pending. */
  readonly object: StoredObject;
  /** False when the object was only marked (finalizers or grace period pending). */
  readonly deleted: boolean;
}

const orphanFinalizer = 'orphan';
const foregroundFinalizer = 'foregroundDeletion';

export async function deleteObject(store: ResourceStore, namespace: string | undefined, name: string, options: DeleteOptions): Promise<DeleteResult> {
  const key = store.key(namespace, name);
  for (;;) {
    const current = await store.storage.get(key);
    if (!current) throw status.notFound(store.groupResource, name);
    checkPreconditions(store, current, options);
    store.strategy.checkDelete?.(current);
    await store.admit('validate', 'DELETE', undefined, current, undefined, options.dryRun);

    const marked = markForDeletion(store, current, options);
    try {
      if (!marked) {
        if (options.dryRun) return { object: current, deleted: true };
        return { object: await store.storage.delete(key, Number(current.metadata.resourceVersion)), deleted: true };
      }
      if (!objectChanged(marked, current)) return { object: current, deleted: false };
      if (options.dryRun) return { object: marked as StoredObject, deleted: false };
      const written = store.shouldDeleteNow(marked)
        ? await store.storage.delete(key, Number(current.metadata.resourceVersion))
        : await store.storage.update(key, marked, Number(current.metadata.resourceVersion));
      return { object: written, deleted: store.shouldDeleteNow(marked) };
    } catch (err) {
      if (err instanceof KeyNotFoundError) throw status.notFound(store.groupResource, name);
      if (!(err instanceof ConflictError)) throw err;
      // Changed meanwhile: check the preconditions again against the new state.
    }
  }
}

function checkPreconditions(store: ResourceStore, current: StoredObject, options: DeleteOptions): void {
  const pre = options.preconditions ?? {};
  if (pre.uid && pre.uid !== current.metadata.uid) {
    throw status.conflict(store.groupResource, current.metadata.name!, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${current.metadata.uid}`);
  }
  if (pre.resourceVersion && pre.resourceVersion !== current.metadata.resourceVersion) {
    throw status.conflict(
      store.groupResource,
      current.metadata.name!,
      `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${current.metadata.resourceVersion}`,
    );
  }
}

/**
 * The object marked as being deleted, or undefined when it can be removed at once. Returns the
 * current object unchanged (a copy) when a repeated delete changes nothing.
 */
function markForDeletion(store: ResourceStore, current: StoredObject, options: DeleteOptions): KubeObject | undefined {
  const next = cloneJson(current);
  const meta = next.metadata;
  const policy = options.propagationPolicy ?? store.strategy.defaultPropagationPolicy ?? 'Background';
  const finalizers = new Set(meta.finalizers ?? []);
  if (policy === 'Orphan') {
    finalizers.add(orphanFinalizer);
    finalizers.delete(foregroundFinalizer);
  } else if (policy === 'Foreground') {
    finalizers.add(foregroundFinalizer);
    finalizers.delete(orphanFinalizer);
  } else if (options.propagationPolicy === 'Background') {
    finalizers.delete(orphanFinalizer);
    finalizers.delete(foregroundFinalizer);
  }
  const grace = store.strategy.gracePeriodSeconds?.(current, options) ?? 0;
  const pending = grace > 0 || finalizers.size > 0 || store.strategy.pendingFinalization?.(current) === true;
  if (!meta.deletionTimestamp && !pending) return undefined;

  if (finalizers.size) meta.finalizers = [...finalizers];
  else delete meta.finalizers;
  const now = Date.now();
  if (!meta.deletionTimestamp) {
    meta.deletionTimestamp = timestamp(new Date(now + grace * 1000));
    meta.deletionGracePeriodSeconds = grace;
    meta.generation = (meta.generation ?? 0) + 1;
    store.strategy.prepareForDelete?.(next);
  } else if (grace < (meta.deletionGracePeriodSeconds ?? 0)) {
    // A shorter grace period than the one in force brings the deletion forward, counted from
    // when the deletion was first requested, as Kubernetes does.
    const requestedAt = Date.parse(meta.deletionTimestamp) - (meta.deletionGracePeriodSeconds ?? 0) * 1000;
    meta.deletionTimestamp = timestamp(new Date(requestedAt + grace * 1000));
    meta.deletionGracePeriodSeconds = grace;
  }
  return next;
}
