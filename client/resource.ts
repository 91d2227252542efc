/**
 * Typed helpers for one resource, by its group, version and plural name: the REST paths
 * (`/api/v1/namespaces/NS/pods/NAME/status`), list (one page, every page, all items), watch, and
 * the CRUD verbs. A ResourceClient is cheap: make one wherever it reads well.
 */
import type { KubeObject } from '../api/kinds/kind';
import type { ObjectList, Query, RestClient, Watch, WatchEvent } from './restClient';

export interface GroupVersionResource {
  /** '' for the legacy core group (served under /api/v1). */
  readonly group: string;
  readonly version: string;
  /** The plural REST name, e.g. `pods`. */
  readonly resource: string;
}

export interface ListOptions {
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  readonly limit?: number;
  readonly continue?: string;
  /** Unset: a consistent read; "0": any cached state; N: not older than N. */
  readonly resourceVersion?: string;
  readonly resourceVersionMatch?: 'NotOlderThan' | 'Exact';
  readonly signal?: AbortSignal;
}

export interface WatchOptions {
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  /** Unset: current state as ADDED events first; N: only changes after N (410 when too old). */
  readonly resourceVersion?: string;
  /** The server ends the watch after this (with a last bookmark). */
  readonly timeoutSeconds?: number;
  readonly allowWatchBookmarks?: boolean;
  readonly sendInitialEvents?: boolean;
  /** Aborting it closes the watch. */
  readonly signal?: AbortSignal;
}

/** The path prefix of a group version: `/api/v1` or `/apis/GROUP/VERSION`. */
export function groupVersionPath(gvr: Pick<GroupVersionResource, 'group' | 'version'>): string {
  return gvr.group ? `/apis/${gvr.group}/${gvr.version}` : `/api/${gvr.version}`;
}

/** A resource's path: its collection, or one object, or one object's subresource. */
export function resourcePath(gvr: GroupVersionResource, namespace?: string, name?: string, subresource?: string): string {
  let path = groupVersionPath(gvr);
  if (namespace) path += `/namespaces/${encodeURIComponent(namespace)}`;
  path += `/${gvr.resource}`;
  if (name !== undefined) path += `/${encodeURIComponent(name)}`;
  if (subresource) path += `/${subresource}`;
  return path;
}

function listQuery(options: ListOptions): Query {
  return {
    labelSelector: options.labelSelector || undefined,
    fieldSelector: options.fieldSelector || undefined,
    limit: options.limit,
    continue: options.continue || undefined,
    resourceVersion: options.resourceVersion,
    resourceVersionMatch: options.resourceVersionMatch,
  };
}

export class ResourceClient<T extends KubeObject = KubeObject> {
  constructor(
    readonly client: RestClient,
    readonly gvr: GroupVersionResource,
    /** Every call is scoped to this namespace; undefined: cluster-scoped, or all namespaces. */
    readonly namespace?: string,
  ) {}

  /** The same resource in another namespace (undefined: all namespaces). */
  inNamespace(namespace: string | undefined): ResourceClient<T> {
    return new ResourceClient<T>(this.client, this.gvr, namespace);
  }

  path(name?: string, subresource?: string): string {
    return resourcePath(this.gvr, this.namespace, name, subresource);
  }

  /** One page (or everything, without `limit`). */
  list(options: ListOptions = {}): Promise<ObjectList<T>> {
    return this.client.call<ObjectList<T>>('GET', this.path(), { query: listQuery(options), ...(options.signal ? { signal: options.signal } : {}) });
  }

  /** Every page, following continue tokens (see RestClient.listPages). */
  listPages(options: ListOptions = {}): AsyncGenerator<ObjectList<T>, void, undefined> {
    return this.client.listPages<T>(this.path(), listQuery(options), options.signal);
  }

  /** Every item, read in pages, and the snapshot's resourceVersion. */
  listAll(options: ListOptions = {}): Promise<{ items: T[]; resourceVersion: string }> {
    return this.client.listAll<T>(this.path(), listQuery(options), options.signal);
  }

  get(name: string): Promise<T> {
    return this.client.get<T>(this.path(name));
  }

  create(obj: T, query?: Query): Promise<T> {
    return this.client.create<T>(this.path(), obj, query);
  }

  /** PUT of the whole object; carries its resourceVersion, so a stale one answers 409. */
  update(obj: T, query?: Query): Promise<T> {
    return this.client.update<T>(this.path(nameOf(obj)), obj, query);
  }

  updateStatus(obj: T, query?: Query): Promise<T> {
    return this.client.update<T>(this.path(nameOf(obj), 'status'), obj, query);
  }

  patch(name: string, patch: unknown, type: 'merge' | 'json' = 'merge', query?: Query): Promise<T> {
    return this.client.patch<T>(this.path(name), patch, type, query);
  }

  /** DELETE with optional DeleteOptions (propagationPolicy, preconditions, gracePeriodSeconds…). */
  delete(name: string, options?: unknown): Promise<unknown> {
    return this.client.delete(this.path(name), options);
  }

  watch(options: WatchOptions, onEvent: (event: WatchEvent<T>) => void): Promise<Watch> {
    const query: Query = {
      labelSelector: options.labelSelector || undefined,
      fieldSelector: options.fieldSelector || undefined,
      resourceVersion: options.resourceVersion,
      timeoutSeconds: options.timeoutSeconds,
      allowWatchBookmarks: options.allowWatchBookmarks || undefined,
      sendInitialEvents: options.sendInitialEvents || undefined,
    };
    return this.client.watch<T>(this.path(), query, onEvent, options.signal ? { signal: options.signal } : {});
  }
}

function nameOf(obj: KubeObject): string {
  const name = obj.metadata?.name;
  if (!name) throw new Error('the object has no metadata.name');
  return name;
}
