/**
 * Starting a watch, with Kubernetes' resourceVersion semantics:
 *   ""   the current state (read consistently from etcd) as ADDED events, then every change;
 *   "0"  the watch cache's current state as ADDED events, then every change;
 *   N    every change after revision N (410 Expired when the cache's window no longer reaches N).
 * sendInitialEvents=true sends the cache's state, once it is current (or not older than the
 * resourceVersion given), and marks its end with a bookmark annotated k8s.io/initial-events-end
 * (streaming lists).
 */
import type { CacheWatcher, WatchSink } from '../cacher/cacheWatcher';
import { compileSelection, type SelectorParams } from './selection';
import { parseResourceVersion, type ResourceStore } from './store';

export interface WatchParams extends SelectorParams {
  readonly resourceVersion?: string | undefined;
  readonly resourceVersionMatch?: string | undefined;
  readonly allowWatchBookmarks: boolean;
  readonly sendInitialEvents?: boolean | undefined;
}

export async function startWatch(store: ResourceStore, namespace: string | undefined, params: WatchParams, sink: WatchSink): Promise<CacheWatcher> {
  const { predicate } = compileSelection(store.kind, params);
  const filter = { keyPrefix: store.prefix(namespace), ...(predicate ? { matches: predicate } : {}) };
  const rv = parseResourceVersion(params.resourceVersion);

  if (params.sendInitialEvents) {
    // The initial events are a consistent list (RV unset) or one not older than the RV given.
    await store.cacher.waitUntilFresh(rv || undefined);
    return store.cacher.watch({ kind: 'snapshot', initialEventsEndBookmark: params.allowWatchBookmarks }, filter, sink, params.allowWatchBookmarks);
  }
  if (rv === 0) {
    return store.cacher.watch({ kind: 'snapshot', initialEventsEndBookmark: false }, filter, sink, params.allowWatchBookmarks);
  }
  if (rv !== undefined) {
    return store.cacher.watch({ kind: 'fromRevision', revision: rv }, filter, sink, params.allowWatchBookmarks);
  }
  // No resourceVersion: a consistent snapshot from etcd, then the changes after it.
  const snapshot = await store.storage.list(filter.keyPrefix);
  for (const obj of snapshot.items) {
    if ((!predicate || predicate(obj)) && !sink.send('ADDED', obj)) break;
  }
  return store.cacher.watch({ kind: 'fromRevision', revision: snapshot.revision }, filter, sink, params.allowWatchBookmarks);
}
