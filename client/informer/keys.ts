/**
 * Cache keys, as client-go's MetaNamespaceKeyFunc: "namespace/name" for a namespaced object,
 * "name" for a cluster-scoped one. The key of a tombstone is the key it was deleted under.
 */
import type { KubeObject } from '../../api/kinds/kind';

export function objectKey(obj: KubeObject): string {
  const meta = obj.metadata;
  if (!meta?.name) throw new Error(`object has no metadata.name: ${JSON.stringify(obj).slice(0, 200)}`);
  return meta.namespace ? `${meta.namespace}/${meta.name}` : meta.name;
}

/** The key of `name` in `namespace` (undefined or '' for cluster-scoped objects). */
export function keyOf(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

/** Splits a key into its namespace ('' for cluster-scoped) and name. */
export function splitKey(key: string): { readonly namespace: string; readonly name: string } {
  const slash = key.indexOf('/');
  return slash < 0 ? { namespace: '', name: key } : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}
