/**
 * Owner references, as controller-runtime's controllerutil: the controller reference ties an
 * object to the one object that manages it (garbage collection deletes it with its owner, and
 * owns() maps its events to that owner).
 *
 * Invariants: an object has at most one controller reference; an owner lives in its
 * dependent's namespace or is cluster-scoped; a cluster-scoped object has only cluster-scoped
 * owners. These helpers change `obj` in place: pass a copy of a cached object, never the
 * cached one (cached objects are frozen).
 */
import type { KubeObject } from '../../api/kinds/kind';
import type { OwnerReference } from '../../api/kinds/meta';
import { groupOf } from './kinds';

/** The owning object: it must carry apiVersion, kind, metadata.name and metadata.uid (as objects read from the API do). */
export type Owner = KubeObject & { readonly apiVersion: string; readonly kind: string };

/** Another controller already owns the object. */
export class AlreadyOwnedError extends Error {
  constructor(
    readonly object: string,
    readonly owner: OwnerReference,
  ) {
    super(`object ${object} is already owned by another ${owner.kind} controller ${owner.name}`);
    this.name = 'AlreadyOwnedError';
  }
}

/** A controller reference to `owner` (controller and blockOwnerDeletion true). */
export function controllerRef(owner: Owner): OwnerReference {
  return { ...ownerRef(owner), controller: true, blockOwnerDeletion: true };
}

/** The controller reference of `obj` (ownerReferences[controller=true]), if any. */
export function getControllerOf(obj: KubeObject): OwnerReference | undefined {
  return obj.metadata?.ownerReferences?.find((ref) => ref.controller === true);
}

/**
 * Makes `owner` the controller of `obj`: adds (or refreshes) the controller reference. Throws
 * AlreadyOwnedError when another object controls `obj`, and an Error for cross-namespace
 * ownership.
 */
export function setControllerReference(owner: Owner, obj: KubeObject): void {
  checkNamespaces(owner, obj);
  const ref = controllerRef(owner);
  const existing = getControllerOf(obj);
  if (existing && !sameObject(existing, ref)) throw new AlreadyOwnedError(describe(obj), existing);
  upsert(obj, ref);
}

/** Adds (or refreshes) a plain owner reference to `owner`, keeping its controller flag if it had one. */
export function setOwnerReference(owner: Owner, obj: KubeObject): void {
  checkNamespaces(owner, obj);
  const existing = obj.metadata?.ownerReferences?.find((r) => sameObject(r, ownerRef(owner)));
  upsert(obj, { ...ownerRef(owner), ...(existing?.controller !== undefined ? { controller: existing.controller } : {}), ...(existing?.blockOwnerDeletion !== undefined ? { blockOwnerDeletion: existing.blockOwnerDeletion } : {}) });
}

/** Removes every owner reference to `owner`; true if there was one. */
export function removeOwnerReference(owner: Owner, obj: KubeObject): boolean {
  const refs = obj.metadata?.ownerReferences;
  if (!refs) return false;
  const ref = ownerRef(owner);
  const kept = refs.filter((r) => !sameObject(r, ref));
  if (kept.length === refs.length) return false;
  obj.metadata!.ownerReferences = kept;
  return true;
}

/** Whether `owner` (by uid) is among the owners of `obj`. */
export function isOwnedBy(obj: KubeObject, owner: KubeObject): boolean {
  const uid = owner.metadata?.uid;
  return uid !== undefined && (obj.metadata?.ownerReferences ?? []).some((r) => r.uid === uid);
}

function ownerRef(owner: Owner): OwnerReference {
  const name = owner.metadata?.name;
  const uid = owner.metadata?.uid;
  if (!owner.apiVersion || !owner.kind) throw new Error('owner reference: the owner has no apiVersion or kind');
  if (!name || !uid) throw new Error(`owner reference: the owner ${owner.kind} has no name or uid (read it from the API server first)`);
  return { apiVersion: owner.apiVersion, kind: owner.kind, name, uid };
}

function upsert(obj: KubeObject, ref: OwnerReference): void {
  obj.metadata ??= {};
  const refs = obj.metadata.ownerReferences ?? [];
  const i = refs.findIndex((r) => sameObject(r, ref));
  obj.metadata.ownerReferences = i < 0 ? [...refs, ref] : refs.map((r, j) => (j === i ? ref : r));
}

/** Same group, kind and name (the version may differ), as controllerutil compares. */
function sameObject(a: OwnerReference, b: OwnerReference): boolean {
  return groupOf(a.apiVersion) === groupOf(b.apiVersion) && a.kind === b.kind && a.name === b.name;
}

function checkNamespaces(owner: Owner, obj: KubeObject): void {
  const ownerNs = owner.metadata?.namespace ?? '';
  const objNs = obj.metadata?.namespace ?? '';
  if (!ownerNs) return;
  if (!objNs) throw new Error(`cluster-scoped object ${describe(obj)} must not have a namespaced owner (${owner.kind} ${ownerNs}/${owner.metadata?.name})`);
  if (ownerNs !== objNs) throw new Error(`cross-namespace owner references are disallowed: owner ${owner.kind} ${ownerNs}/${owner.metadata?.name}, object ${describe(obj)}`);
}

function describe(obj: KubeObject): string {
  const ns = obj.metadata?.namespace;
  return `${obj.kind ?? 'object'} ${ns ? `${ns}/` : ''}${obj.metadata?.name ?? '(unnamed)'}`;
}
