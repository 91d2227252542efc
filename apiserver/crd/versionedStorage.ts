/**
 * Storage as one served version of a custom resource sees it. Every version of a CRD shares one
 * etcd prefix, where objects are kept in the storage version; this wrapper converts on the way in
 * and out, as Kubernetes' storage codec does with conversion strategy None:
 *   - writes get the storage version's apiVersion (and, when that differs from the served version,
 *     are pruned to the storage schema);
 *   - reads get the served version's apiVersion, are pruned to its schema when they were stored in
 *     another version, and get its defaults (Kubernetes defaults objects read from etcd).
 * The wrapped store's cacher, lists, watches, gets and writes all go through it, so the generic
 * registry code serves every version unchanged.
 *
 * Objects the underlying storage reads are freshly decoded and held by no one else, so they are
 * converted in place; what its writes return is also its watch events' object (shared with every
 * served version's cache), so those are converted as copies.
 */
import { cloneJson } from '../../api/util/cloneJson';
import type { KubeObject } from '../../api/kinds/kind';
import type { Schema } from '../../api/schema/schema';
import { applyDefaults, normalize } from '../../api/schema/walk';
import type { ListOptions, ListResult, Storage, StorageEvent, StorageWatch, StorageWatchHandlers, StoredObject } from '../storage/interface';

export interface VersionedStorageOptions {
  /** `group/version` of the served version. */
  readonly servedVersion: string;
  readonly servedSchema: Schema;
  /** `group/version` of the storage version. */
  readonly storageVersion: string;
  readonly storageSchema: Schema;
}

export class VersionedStorage implements Storage {
  constructor(
    private readonly base: Storage,
    private readonly options: VersionedStorageOptions,
  ) {}

  get maxValueBytes(): number {
    return this.base.maxValueBytes;
  }

  async create(key: string, obj: KubeObject): Promise<StoredObject> {
    return this.fromShared(await this.base.create(key, this.toStorage(obj)));
  }

  async get(key: string): Promise<StoredObject | undefined> {
    const obj = await this.base.get(key);
    return obj && this.fromStorage(obj);
  }

  async list(prefix: string, options?: ListOptions): Promise<ListResult> {
    const result = await this.base.list(prefix, options);
    return { ...result, items: result.items.map((item) => this.fromStorage(item)) };
  }

  async update(key: string, obj: KubeObject, revision: number): Promise<StoredObject> {
    return this.fromShared(await this.base.update(key, this.toStorage(obj), revision));
  }

  async delete(key: string, revision: number): Promise<StoredObject> {
    return this.fromStorage(await this.base.delete(key, revision));
  }

  watch(prefix: string, fromRevision: number, handlers: StorageWatchHandlers): StorageWatch {
    return this.base.watch(prefix, fromRevision, {
      ...handlers,
      onEvents: (events, revision) =>
        handlers.onEvents(
          events.map((event): StorageEvent => (event.object ? { ...event, object: this.fromShared(event.object) } : event)),
          revision,
        ),
    });
  }

  count(prefix: string, revision: number, modifiedAfter: number): Promise<{ total: number; modified: number }> {
    return this.base.count(prefix, revision, modifiedAfter);
  }

  currentRevision(): Promise<number> {
    return this.base.currentRevision();
  }

  compact(revision: number): Promise<void> {
    return this.base.compact(revision);
  }

  ping(): Promise<void> {
    return this.base.ping();
  }

  /** The underlying storage is shared: closing one version's view of it closes nothing. */
  async close(): Promise<void> {}

  private toStorage(obj: KubeObject): KubeObject {
    const { storageVersion, servedVersion, storageSchema } = this.options;
    if (obj.apiVersion === storageVersion) return obj;
    const converted: KubeObject = { ...cloneJson(obj), apiVersion: storageVersion };
    if (obj.apiVersion === servedVersion || obj.apiVersion === undefined) normalize(storageSchema, converted);
    return converted;
  }

  /**
   * The served version of an object the base storage may share: what its writes return is also
   * its watch events' object (recentWrites.ts), which every served version reads. Converts a copy.
   */
  private fromShared(stored: StoredObject): StoredObject {
    return this.fromStorage(cloneJson(stored));
  }

  /** The served version of a stored object this view alone holds (read or deleted): converted in place. */
  private fromStorage(obj: StoredObject): StoredObject {
    const { servedVersion, servedSchema } = this.options;
    if (obj.apiVersion !== servedVersion) {
      obj.apiVersion = servedVersion;
      normalize(servedSchema, obj);
    }
    applyDefaults(servedSchema, obj);
    return obj;
  }
}
