/**
 * createOrUpdate, as controllerutil.CreateOrUpdate: make an object look the way `mutate` says,
 * creating it when absent. `mutate` is called on the live object (a fresh read) or, when there
 * is none, on a copy of `obj`; it should set only the fields this controller manages, so fields
 * others set survive.
 *
 * Invariants:
 *   - no write when `mutate` changes nothing ('unchanged');
 *   - updates carry the resourceVersion read, so a concurrent change is a 409 and the whole
 *     read-mutate-write runs again (bounded); a create that races another create (409
 *     AlreadyExists) is retried as an update;
 *   - `mutate` must not change the name or namespace (an Error).
 */
import type { KubeObject } from '../../api/kinds/kind';
import { isStatusError } from '../../api/status';
import type { GroupVersionResource } from '../../client/resource';
import type { RestClient } from '../../client/restClient';
import { cloneJson, equalJson } from './json';
import { retryOnConflict, type RetryOptions } from './retry';

export type OperationResult = 'created' | 'updated' | 'unchanged';

export type Mutate<T> = (live: T) => void | Promise<void>;

/** Creates or updates `obj` (identified by its namespace and name) as `mutate` says; what happened. */
export async function createOrUpdate<T extends KubeObject>(client: RestClient, gvr: GroupVersionResource, obj: T, mutate: Mutate<T>, options?: RetryOptions): Promise<OperationResult> {
  return (await createOrUpdateObject(client, gvr, obj, mutate, options)).operation;
}

/** createOrUpdate that also returns the object as stored (or as read, when unchanged). */
export async function createOrUpdateObject<T extends KubeObject>(
  client: RestClient,
  gvr: GroupVersionResource,
  obj: T,
  mutate: Mutate<T>,
  options?: RetryOptions,
): Promise<{ readonly operation: OperationResult; readonly object: T }> {
  const name = obj.metadata?.name;
  const namespace = obj.metadata?.namespace || undefined;
  if (!name) throw new Error('createOrUpdate: the object has no metadata.name');
  const resource = client.resource<T>(gvr, namespace);
  const checkIdentity = (o: T) => {
    if (o.metadata?.name !== name || (o.metadata?.namespace || undefined) !== namespace) throw new Error(`createOrUpdate: mutate changed the name or namespace of ${namespace ? `${namespace}/` : ''}${name}`);
  };
  return retryOnConflict(async () => {
    let live: T | undefined;
    try {
      live = await resource.get(name);
    } catch (err) {
      if (!isStatusError(err, 404)) throw err;
    }
    if (live === undefined) {
      const fresh = cloneJson(obj);
      await mutate(fresh);
      checkIdentity(fresh);
      // A 409 AlreadyExists (someone created it since our read) goes round again, as an update.
      return { operation: 'created' as const, object: await resource.create(fresh) };
    }
    const before = cloneJson(live);
    await mutate(live);
    checkIdentity(live);
    if (equalJson(before, live)) return { operation: 'unchanged' as const, object: live };
    return { operation: 'updated' as const, object: await resource.update(live) };
  }, options, (err) => isStatusError(err, 409));
}
