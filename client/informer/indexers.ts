/**
 * Index functions: each maps an object to the values it is filed under (none, one or several),
 * so a cache answers "every pod on node n1" without a scan. Index functions must be pure and
 * must not throw (an error is reported and the object filed under no value).
 */
import type { KubeObject } from '../../api/kinds/kind';

export type IndexFunc<T> = (obj: T) => readonly string[];
export type Indexers<T> = Readonly<Record<string, IndexFunc<T>>>;

/** Every informer has this index: the namespace ('' for cluster-scoped objects). */
export const namespaceIndex = 'namespace';
export const ownerUidIndex = 'ownerUid';
export const nodeNameIndex = 'nodeName';
export const controllerIndex = 'controller';

export function byNamespace(obj: KubeObject): readonly string[] {
  return [obj.metadata?.namespace ?? ''];
}

/** The uid of every owner reference (e.g. the ReplicaSet of a pod). */
export function byOwnerUid(obj: KubeObject): readonly string[] {
  return (obj.metadata?.ownerReferences ?? []).map((ref) => ref.uid);
}

/** spec.nodeName, for pods bound to a node; unbound pods are under no value. */
export function byNodeName(obj: KubeObject): readonly string[] {
  const spec = obj['spec'];
  const node = typeof spec === 'object' && spec !== null ? (spec as { nodeName?: unknown }).nodeName : undefined;
  return typeof node === 'string' && node ? [node] : [];
}

/**
 * The uid of the controlling owner reference; objects without a controller are filed under
 * `orphanKey(namespace)`. A controller then finds its own objects and the candidates for adoption
 * without looking at everything else in the namespace.
 */
export function byController(obj: KubeObject): readonly string[] {
  const ref = (obj.metadata?.ownerReferences ?? []).find((r) => r.controller === true);
  return [ref ? ref.uid : orphanKey(obj.metadata?.namespace ?? '')];
}

/** The controllerIndex value of the namespace's objects without a controller (a uid has no '/'). */
export function orphanKey(namespace: string): string {
  return `orphan/${namespace}`;
}
