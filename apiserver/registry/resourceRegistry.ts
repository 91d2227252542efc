/**
 * The resources an API server serves: for each kind, its store (with its own cacher). Built-in
 * kinds are added at start; custom resources are added and removed as CRDs come and go.
 */
import { apiVersionOf, type ResourceKind } from '../../api/kinds/kind';
import type { Logger } from '../../client/log';
import type { AdmissionChain } from '../admission/admission';
import { Cacher } from '../cacher/cacher';
import type { Storage, StoredObject } from '../storage/interface';
import { objectKey, resourcePrefix } from '../storage/keys';
import { ResourceStore } from './store';
import type { Strategy } from './strategy';

export interface ResourceRegistryOptions {
  readonly storage: Storage;
  readonly admission: AdmissionChain;
  readonly log: Logger;
  /** Watch cache window per resource (events). */
  readonly watchCacheCapacity?: number;
  readonly bookmarkIntervalMs?: number;
  readonly onWatcherCount?: (resource: string, count: number) => void;
}

export class ResourceRegistry {
  private readonly stores = new Map<string, ResourceStore>();

  constructor(private readonly options: ResourceRegistryOptions) {}

  /**
   * Serves a kind; a kind already served under the same path is replaced (its watches end).
   * `options.storage` replaces the registry's storage for this kind (a custom resource version's
   * view of its objects, converted to and from the storage version).
   */
  add(kind: ResourceKind, strategy: Strategy, options: { readonly storage?: Storage } = {}): ResourceStore {
    const storage = options.storage ?? this.options.storage;
    const previous = this.stores.get(pathKey(kind.group, kind.version, kind.plural));
    if (previous) void previous.cacher.stop();
    const gr = { group: kind.group, resource: kind.plural };
    const qualified = kind.group ? `${kind.plural}.${kind.group}` : kind.plural;
    const cacher = new Cacher({
      storage,
      prefix: resourcePrefix(gr),
      keyOf: (obj: StoredObject) => objectKey(gr, kind.namespaced ? obj.metadata.namespace : undefined, obj.metadata.name!),
      log: this.options.log,
      ...(this.options.watchCacheCapacity ? { capacity: this.options.watchCacheCapacity } : {}),
      ...(this.options.bookmarkIntervalMs ? { bookmarkIntervalMs: this.options.bookmarkIntervalMs } : {}),
      onWatcherCount: (count) => this.options.onWatcherCount?.(qualified, count),
    });
    const store = new ResourceStore({ kind, strategy, storage, cacher, admission: this.options.admission });
    this.stores.set(pathKey(kind.group, kind.version, kind.plural), store);
    return store;
  }

  /** Stops serving a resource (a deleted CRD): its watches end. */
  async remove(group: string, version: string, resource: string): Promise<void> {
    const key = pathKey(group, version, resource);
    const store = this.stores.get(key);
    if (!store) return;
    this.stores.delete(key);
    await store.cacher.stop();
  }

  lookup(group: string, version: string, resource: string): ResourceStore | undefined {
    return this.stores.get(pathKey(group, version, resource));
  }

  /** The store of a kind by group and kind name, e.g. ('', 'Namespace'). */
  byKind(group: string, kind: string): ResourceStore | undefined {
    for (const store of this.stores.values()) if (store.kind.group === group && store.kind.kind === kind) return store;
    return undefined;
  }

  all(): ResourceStore[] {
    return [...this.stores.values()];
  }

  /** The group versions served, e.g. ['v1', 'apps/v1']. */
  groupVersions(): string[] {
    return [...new Set(this.all().map((s) => apiVersionOf(s.kind)))];
  }

  async ready(): Promise<void> {
    await Promise.all(this.all().map((s) => s.cacher.ready()));
  }

  async stop(): Promise<void> {
    await Promise.all(this.all().map((s) => s.cacher.stop()));
  }
}

function pathKey(group: string, version: string, resource: string): string {
  return `${group}/${version}/${resource}`;
}
