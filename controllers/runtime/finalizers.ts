/**
 * Finalizers: names in metadata.finalizers that keep a deleted object around (with a
 * deletionTimestamp) until the controller that put them there has cleaned up and removed them.
 * These helpers change `obj` in place (pass a copy, never a cached object) and report whether
 * they changed it, so a reconciler writes only when needed.
 */
import type { KubeObject } from '../../api/kinds/kind';

export function hasFinalizer(obj: KubeObject, name: string): boolean {
  return (obj.metadata?.finalizers ?? []).includes(name);
}

/** Adds `name` unless present; true if it was added. */
export function addFinalizer(obj: KubeObject, name: string): boolean {
  if (hasFinalizer(obj, name)) return false;
  obj.metadata ??= {};
  obj.metadata.finalizers = [...(obj.metadata.finalizers ?? []), name];
  return true;
}

/** Removes every occurrence of `name`; true if there was one. */
export function removeFinalizer(obj: KubeObject, name: string): boolean {
  if (!hasFinalizer(obj, name)) return false;
  obj.metadata!.finalizers = obj.metadata!.finalizers!.filter((f) => f !== name);
  return true;
}

/** Whether the object is being deleted (it has a deletionTimestamp and waits for finalizers). */
export function isBeingDeleted(obj: KubeObject): boolean {
  return Boolean(obj.metadata?.deletionTimestamp);
}
