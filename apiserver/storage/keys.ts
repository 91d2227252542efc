/**
 * etcd keys: /registry/<group>/<resource>/<namespace>/<name>, or without the namespace for
 * cluster-scoped resources. The core group is spelled `core` so every key has the same shape.
 */
export const registryRoot = '/registry/';

export interface ResourceKeyParts {
  readonly group: string;
  readonly resource: string;
}

/** The prefix of every object of a resource, ending in '/'. */
export function resourcePrefix(r: ResourceKeyParts): string {
  return `${registryRoot}${r.group || 'core'}/${r.resource}/`;
}

/** The prefix of a resource's objects in one namespace, ending in '/'. */
export function namespacePrefix(r: ResourceKeyParts, namespace: string): string {
  return `${resourcePrefix(r)}${namespace}/`;
}

export function objectKey(r: ResourceKeyParts, namespace: string | undefined, name: string): string {
  return namespace ? `${namespacePrefix(r, namespace)}${name}` : `${resourcePrefix(r)}${name}`;
}
