/**
 * Event handlers turn an informer's notifications into requests, as controller-runtime's
 * pkg/handler: the object itself (for the reconciled kind), its controller owner (for owned
 * kinds), or whatever a map function says (for anything else).
 *
 * Invariants: handlers are pure (they read only the objects given), never throw for objects
 * without the fields they look for, and return each request at most once per event.
 */
import type { KubeObject } from '../../api/kinds/kind';
import { sameGroupKind, type KindInfo } from './kinds';
import { requestKey, type Request } from './reconcile';

export interface EventHandler {
  create(obj: KubeObject): readonly Request[];
  update(oldObj: KubeObject, newObj: KubeObject): readonly Request[];
  /** `obj` is the final state, or the last cached state when the deletion was seen only on a relist. */
  delete(obj: KubeObject): readonly Request[];
}

/** The request of the object itself. */
export function requestFor(obj: KubeObject): Request | undefined {
  const name = obj.metadata?.name;
  if (!name) return undefined;
  const namespace = obj.metadata?.namespace;
  return namespace ? { namespace, name } : { name };
}

/** Each event maps to the object's own request (for updates, the new object's). */
export function enqueueForObject(): EventHandler {
  const own = (obj: KubeObject) => {
    const r = requestFor(obj);
    return r ? [r] : [];
  };
  return { create: own, update: (_old, obj) => own(obj), delete: own };
}

export interface OwnerHandlerOptions {
  /** Only the owner reference marked controller=true (default), or every matching one. */
  readonly onlyController?: boolean;
}

/**
 * Each event maps to the object's owner of kind `owner` (its controller owner unless
 * onlyController is false). An update maps to the owners of both the old and the new object,
 * so an owner whose reference was changed or removed hears of it too.
 */
export function enqueueForOwner(owner: KindInfo, options: OwnerHandlerOptions = {}): EventHandler {
  const onlyController = options.onlyController ?? true;
  const owners = (obj: KubeObject): Request[] => {
    const out: Request[] = [];
    for (const ref of obj.metadata?.ownerReferences ?? []) {
      if (onlyController && ref.controller !== true) continue;
      if (!ref.name || !sameGroupKind(ref, owner)) continue;
      // An owner lives in its dependent's namespace, unless it is cluster-scoped.
      const namespace = owner.namespaced === false ? undefined : obj.metadata?.namespace;
      out.push(namespace ? { namespace, name: ref.name } : { name: ref.name });
    }
    return out;
  };
  return { create: owners, update: (oldObj, newObj) => unique([...owners(oldObj), ...owners(newObj)]), delete: owners };
}

/** Each event maps to what `map` returns; an update to what it returns for the old and the new object. */
export function enqueueMapped(map: (obj: KubeObject) => readonly Request[]): EventHandler {
  return {
    create: (obj) => unique(map(obj)),
    update: (oldObj, newObj) => unique([...map(oldObj), ...map(newObj)]),
    delete: (obj) => unique(map(obj)),
  };
}

function unique(requests: readonly Request[]): Request[] {
  const seen = new Set<string>();
  const out: Request[] = [];
  for (const r of requests) {
    const key = requestKey(r);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(r);
  }
  return out;
}
