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
