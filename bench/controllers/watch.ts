/**
 * A watch that keeps going: it lists once (each item handed over as ADDED), watches from the
 * list's resourceVersion with bookmarks, and reopens from the last resourceVersion seen when the
 * server ends the stream, relisting when that is too old (410). For the benchmark's pod player
 * and its wait on the Deployment.
 */
import type { KubeObject } from '../../api/kinds/kind';
import { isStatusError } from '../../api/status';
import type { ListOptions, ResourceClient } from '../../client/resource';
import type { Watch, WatchEvent } from '../../client/restClient';
import { requestKey, type RequestCounts } from './metrics';

export interface KeptWatch {
  stop(): Promise<void>;
}

export async function keepWatching<T extends KubeObject>(
  resource: ResourceClient<T>,
  counts: RequestCounts,
  options: Pick<ListOptions, 'fieldSelector' | 'labelSelector'>,
  onEvent: (event: WatchEvent<T>) => void,
): Promise<KeptWatch> {
  let stopped = false;
  const abort = new AbortController();
  const relist = async (type: 'ADDED' | 'MODIFIED'): Promise<string> => {
    const list = await resource.list(options);
    counts.add(requestKey('list', resource.gvr.resource));
    for (const object of list.items) onEvent({ type, object });
    return list.metadata.resourceVersion ?? '';
  };
  let resourceVersion = await relist('ADDED');
  const loop = (async () => {
    while (!stopped) {
      let expired = false;
      try {
        const watch: Watch = await resource.watch({ ...options, resourceVersion, allowWatchBookmarks: true, signal: abort.signal }, (event) => {
          if (event.type === 'ERROR') {
            expired = true;
            return;
          }
          const rv = event.object.metadata?.resourceVersion;
          if (rv) resourceVersion = rv;
          if (event.type !== 'BOOKMARK') onEvent(event);
        });
        await watch.done;
      } catch (err) {
        if (stopped) break;
        expired = isStatusError(err, 410);
        if (!expired) await new Promise((r) => setTimeout(r, 200));
      }
      if (expired && !stopped) resourceVersion = await relist('MODIFIED').catch(() => resourceVersion);
    }
  })();
  return {
    async stop() {
      stopped = true;
      abort.abort();
      await loop;
    },
  };
}
