/**
 * updateStatus: writes an object's status through its /status subresource as a read-modify-write
 * that survives concurrent writers: read the latest object, let `mutate` change its status, PUT
 * it with the resourceVersion read; on 409 Conflict read again and re-apply `mutate` (bounded).
 * `mutate` must therefore be a function of the object it is given (set, not increment blindly
 * from outside state). When it changes nothing, nothing is written.
 */
import type { KubeObject } from '../../api/kinds/kind';
import type { GroupVersionResource } from '../../client/resource';
import type { RestClient } from '../../client/restClient';
import { cloneJson, equalJson } from './json';
import { retryOnConflict, type RetryOptions } from './retry';

export async function updateStatus<T extends KubeObject>(
  client: RestClient,
  gvr: GroupVersionResource,
  namespace: string | undefined,
  name: string,
  mutate: (latest: T) => void | Promise<void>,
  options?: RetryOptions,
): Promise<T> {
  const resource = client.resource<T>(gvr, namespace || undefined);
  return retryOnConflict(async () => {
    const latest = await resource.get(name);
    const before = cloneJson(latest);
    await mutate(latest);
    if (equalJson(before, latest)) return latest;
    return resource.updateStatus(latest);
  }, options);
}
