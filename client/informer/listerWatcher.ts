/**
 * What a reflector needs from the API: list a page, and watch from a resourceVersion. The REST
 * implementation is one resource (group/version/resource), optionally in one namespace and with
 * label/field selectors; tests pass fakes.
 */
import type { KubeObject } from '../../api/kinds/kind';
import type { GroupVersionResource } from '../resource';
import type { ObjectList, RestClient, Watch, WatchEvent } from '../restClient';

export interface ListPageOptions {
  readonly limit: number;
  readonly continue?: string;
  readonly signal: AbortSignal;
}

export interface WatchFromOptions {
  readonly resourceVersion: string;
  readonly timeoutSeconds: number;
  readonly allowWatchBookmarks: boolean;
  readonly signal: AbortSignal;
}

export interface ListerWatcher<T> {
  /** One page of a consistent list (resourceVersion unset). */
  list(options: ListPageOptions): Promise<ObjectList<T>>;
  /** Opens a watch of the changes after `resourceVersion`; resolves once the stream is open. */
  watch(options: WatchFromOptions, onEvent: (event: WatchEvent<T>) => void): Promise<Watch>;
}

/** Which objects of a resource: one namespace (default all) and selectors (default none). */
export interface InformerScope {
  readonly namespace?: string;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
}

export function restListerWatcher<T extends KubeObject>(client: RestClient, gvr: GroupVersionResource, scope: InformerScope = {}): ListerWatcher<T> {
  const resource = client.resource<T>(gvr, scope.namespace || undefined);
  const selectors = {
    ...(scope.labelSelector ? { labelSelector: scope.labelSelector } : {}),
    ...(scope.fieldSelector ? { fieldSelector: scope.fieldSelector } : {}),
  };
  return {
    list: (o) => resource.list({ ...selectors, limit: o.limit, ...(o.continue ? { continue: o.continue } : {}), signal: o.signal }),
    watch: (o, onEvent) =>
      resource.watch({ ...selectors, resourceVersion: o.resourceVersion, timeoutSeconds: o.timeoutSeconds, allowWatchBookmarks: o.allowWatchBookmarks, signal: o.signal }, onEvent),
  };
}
