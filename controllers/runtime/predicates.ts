/**
 * Predicates filter the events a controller hears before they become requests, as
 * controller-runtime's pkg/predicate. A method left out lets every event of that type through;
 * an event is delivered only when every predicate of its watch lets it through.
 *
 * Predicates only save work: a level-triggered reconciler must not depend on which events pass
 * (a resync or restart delivers every object again as a create).
 */
import type { KubeObject } from '../../api/kinds/kind';

export interface Predicate {
  create?(obj: KubeObject): boolean;
  update?(oldObj: KubeObject, newObj: KubeObject): boolean;
  /** For a deletion seen only after a relist, `obj` is the last state the cache had. */
  delete?(obj: KubeObject): boolean;
}

/** Updates only when metadata.generation changed (spec changes; not status or metadata-only). */
export const generationChanged: Predicate = {
  update: (oldObj, newObj) => oldObj.metadata?.generation !== newObj.metadata?.generation,
};

/** Updates only when metadata.resourceVersion changed: drops the re-deliveries of a resync. */
export const resourceVersionChanged: Predicate = {
  update: (oldObj, newObj) => oldObj.metadata?.resourceVersion !== newObj.metadata?.resourceVersion,
};

/** Updates only when metadata.labels changed. */
export const labelsChanged: Predicate = {
  update: (oldObj, newObj) => !sameStringMap(oldObj.metadata?.labels, newObj.metadata?.labels),
};

/** Updates only when metadata.annotations changed. */
export const annotationsChanged: Predicate = {
  update: (oldObj, newObj) => !sameStringMap(oldObj.metadata?.annotations, newObj.metadata?.annotations),
};

/** Every event of any type for which `fn` is true of the object (the new one, for updates). */
export function matching(fn: (obj: KubeObject) => boolean): Predicate {
  return { create: fn, update: (_old, obj) => fn(obj), delete: fn };
}

/** Passes an event when any of `predicates` passes it (none: passes nothing). */
export function anyOf(...predicates: readonly Predicate[]): Predicate {
  return {
    create: (obj) => predicates.some((p) => passesCreate(p, obj)),
    update: (oldObj, newObj) => predicates.some((p) => passesUpdate(p, oldObj, newObj)),
    delete: (obj) => predicates.some((p) => passesDelete(p, obj)),
  };
}

/** Passes an event when `predicate` does not. */
export function not(predicate: Predicate): Predicate {
  return {
    create: (obj) => !passesCreate(predicate, obj),
    update: (oldObj, newObj) => !passesUpdate(predicate, oldObj, newObj),
    delete: (obj) => !passesDelete(predicate, obj),
  };
}

export function passesCreate(p: Predicate, obj: KubeObject): boolean {
  return p.create ? p.create(obj) : true;
}

export function passesUpdate(p: Predicate, oldObj: KubeObject, newObj: KubeObject): boolean {
  return p.update ? p.update(oldObj, newObj) : true;
}

export function passesDelete(p: Predicate, obj: KubeObject): boolean {
  return p.delete ? p.delete(obj) : true;
}

function sameStringMap(a: Readonly<Record<string, string>> | undefined, b: Readonly<Record<string, string>> | undefined): boolean {
  const ka = Object.keys(a ?? {});
  const kb = Object.keys(b ?? {});
  if (ka.length !== kb.length) return false;
  return ka.every((k) => (a ?? {})[k] === (b ?? {})[k] && Object.prototype.hasOwnProperty.call(b ?? {}, k));
}
