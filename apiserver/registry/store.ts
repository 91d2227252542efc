/**
 * The generic REST store: every verb of one resource, on etcd, for any kind. A kind's ResourceKind
 * (schema, defaults, validation) and Strategy (REST-level specifics) are all it needs, so built-in
 * kinds and custom resources share this code.
 *
 * Every write is optimistic: it reads the current object, computes the new one, and writes it only
 * if the stored revision is unchanged; on a conflict it re-reads and recomputes, unless the client
 * named a resourceVersion, in which case the client gets 409 Conflict.
 */
import { cloneJson } from '../../api/util/cloneJson';
import { decodeObject, defaultObject, validateObject, type FieldValidation } from '../../api/kinds/decode';
import { apiVersionOf, type KubeObject, type ResourceKind, type Stored } from '../../api/kinds/kind';
import * as status from '../../api/status';
import type { AdmissionChain, Operation } from '../admission/admission';
import type { Cacher } from '../cacher/cacher';
import { ConflictError, KeyExistsError, KeyNotFoundError, ValueTooLargeError, type Storage, type StoredObject } from '../storage/interface';
import { namespacePrefix, objectKey, resourcePrefix } from '../storage/keys';
import { deleteObject, type DeleteResult } from './deletion';
import { recordManagedFields } from './fieldManager';
import { listObjects, type ListParams, type ObjectList } from './list';
import type { DeleteOptions, Strategy } from './strategy';
import { generateName, keepSystemFields, objectChanged, setCreateFields, specChanged } from './systemFields';
import { startWatch, type WatchParams } from './watch';
import type { WatchSink } from '../cacher/cacheWatcher';
import type { CacheWatcher } from '../cacher/cacheWatcher';

export interface StoreOptions {
  readonly kind: ResourceKind;
  readonly strategy: Strategy;
  readonly storage: Storage;
  readonly cacher: Cacher;
  readonly admission: AdmissionChain;
}

export interface WriteOptions {
  readonly dryRun: boolean;
  readonly fieldValidation: FieldValidation;
  /**
   * Who writes, as recorded in metadata.managedFields: the fieldManager parameter, or what the
   * User-Agent names. Default '' (an entry without a manager name, as Kubernetes records it).
   */
  readonly fieldManager?: string;
}

export interface WriteResult {
  readonly object: StoredObject;
  readonly warnings: readonly string[];
  /** True when the write created the object (201). */
  readonly created: boolean;
}

/** What an UpdateFn computes: the desired object. */
export interface ComputedUpdate {
  readonly object: KubeObject;
  readonly warnings: readonly string[];
  /** The object's managedFields are already computed (server-side apply): not recorded as an Update. */
  readonly managed?: boolean;
  /**
   * The update only set fields it checked itself on the stored, valid object (a binding's nodeName
   * and PodScheduled condition): as Kubernetes' binding, the object is not defaulted or validated again.
   */
  readonly checked?: boolean;
}

/**
 * How an update computes the new object from the stored one; may throw Status errors. It gets a
 * copy of its own, which it may change and return. One marked `readsStored` gets the stored
 * object itself, shared and never to be changed: it copies what it changes (a binding changes
 * three fields of a pod, so a deep copy of the whole pod would be most of its work).
 */
export type UpdateFn = ((current: StoredObject) => ComputedUpdate) & { readonly readsStored?: boolean };

/** One turn of an update: the prepared object, the warnings of its decoding, and its resourceVersion precondition. */
interface UpdateAttempt {
  readonly next: KubeObject;
  readonly warnings: readonly string[];
  readonly precondition: string | undefined;
}

/** What an update does when the object does not exist. */
export interface CreateOnUpdate {
  /** The object to create. */
  readonly object: () => KubeObject;
  /** Create even where the strategy does not allow create on update (server-side apply). Default false. */
  readonly always?: boolean;
  /** The object's managedFields are already computed. Default false. */
  readonly managed?: boolean;
}

/**
 * Which part of the object a write addresses: the main resource (undefined), `status` (only
 * status changes), or another subresource (binding, scale, finalize) whose handler computes the
 * whole new object itself.
 */
export type Subresource = string | undefined;

export class ResourceStore {
  readonly kind: ResourceKind;
  readonly strategy: Strategy;
  readonly storage: Storage;
  readonly cacher: Cacher;
  private readonly admission: AdmissionChain;

  constructor(options: StoreOptions) {
    this.kind = options.kind;
    this.strategy = options.strategy;
    this.storage = options.storage;
    this.cacher = options.cacher;
    this.admission = options.admission;
  }

  get groupResource(): status.GroupResource {
    return { group: this.kind.group, resource: this.kind.plural };
  }

  key(namespace: string | undefined, name: string): string {
    return objectKey(this.groupResource, this.kind.namespaced ? namespace : undefined, name);
  }

  /** The key prefix of a namespace's objects, or of all of them. */
  prefix(namespace: string | undefined): string {
    return this.kind.namespaced && namespace ? namespacePrefix(this.groupResource, namespace) : resourcePrefix(this.groupResource);
  }

  /** resourceVersion "" reads etcd (consistent); "0" or a revision the cache has reached reads the cache. */
  async get(namespace: string | undefined, name: string, resourceVersion = ''): Promise<StoredObject> {
    const key = this.key(namespace, name);
    const rv = parseResourceVersion(resourceVersion);
    const obj = rv !== undefined && this.cacher.revision >= rv ? await this.cacher.get(key) : await this.storage.get(key);
    if (!obj) throw status.notFound(this.groupResource, name);
    return obj;
  }

  list(namespace: string | undefined, params: ListParams): Promise<ObjectList> {
    return listObjects(this, namespace, params);
  }

  watch(namespace: string | undefined, params: WatchParams, sink: WatchSink): Promise<CacheWatcher> {
    return startWatch(this, namespace, params, sink);
  }

  async create(namespace: string | undefined, body: unknown, options: WriteOptions): Promise<WriteResult> {
    const { object, warnings } = decodeObject(this.kind, body, options.fieldValidation);
    const meta = (object.metadata ??= {});
    if (meta.resourceVersion) throw status.badRequest('resourceVersion should not be set on objects to be created');
    if (this.kind.namespaced) {
      if (meta.namespace && namespace && meta.namespace !== namespace) {
        throw status.badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      if (namespace) meta.namespace = namespace;
    } else {
      delete meta.namespace;
    }
    const generated = !meta.name && !!meta.generateName;
    // A generated name can collide; Kubernetes retries with a fresh one.
    for (let attempt = 0; ; attempt++) {
      const candidate = generated ? cloneJson(object) : object;
      if (generated) candidate.metadata!.name = generateName(meta.generateName!);
      try {
        return { object: await this.createPrepared(candidate, options), warnings, created: true };
      } catch (err) {
        if (!(generated && status.isStatusError(err, 409) && err.reason === 'AlreadyExists' && attempt < 7)) throw err;
      }
    }
  }

  private async createPrepared(obj: KubeObject, options: WriteOptions, managed = false): Promise<StoredObject> {
    setCreateFields(obj);
    if (this.strategy.resetStatusOnCreate && 'status' in obj) delete obj.status;
    this.strategy.prepareForCreate?.(obj);
    defaultObject(this.kind, obj);
    await this.admit('admit', 'CREATE', obj, undefined, undefined, options.dryRun);
    if (!managed) recordManagedFields(this.kind, undefined, undefined, obj, options.fieldManager ?? '');
    validateObject(this.kind, obj);
    await this.admit('validate', 'CREATE', obj, undefined, undefined, options.dryRun);
    const key = this.key(obj.metadata!.namespace, obj.metadata!.name!);
    if (options.dryRun) {
      // A dry run answers what the write would: AlreadyExists included.
      if (await this.storage.get(key)) throw status.alreadyExists(this.groupResource, obj.metadata!.name!);
      this.checkSize(obj);
      return obj as StoredObject;
    }
    try {
      return await this.storage.create(key, obj);
    } catch (err) {
      if (err instanceof KeyExistsError) throw status.alreadyExists(this.groupResource, obj.metadata!.name!);
      throw tooLargeStatus(err);
    }
  }

  /** PUT: replaces the object (or its status) with the decoded body. */
  update(namespace: string | undefined, name: string, body: unknown, options: WriteOptions, subresource: Subresource): Promise<WriteResult> {
    const decoded = decodeObject(this.kind, body, options.fieldValidation);
    const meta = decoded.object.metadata ?? {};
    if (meta.name !== undefined && meta.name !== name) {
      throw status.badRequest(`the name of the object (${meta.name}) does not match the name on the URL (${name})`);
    }
    if (this.kind.namespaced && meta.namespace && meta.namespace !== namespace) {
      throw status.badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    const fresh = () => {
      const object = cloneJson(decoded.object);
      object.metadata = { ...object.metadata, name, ...(this.kind.namespaced ? { namespace } : {}) };
      return object;
    };
    return this.guaranteedUpdate(namespace, name, () => ({ object: fresh(), warnings: decoded.warnings }), options, subresource, { object: fresh });
  }

  /**
   * The read-modify-write loop under every update: `compute` gets the stored object and returns
   * the desired one. A resourceVersion in the desired object is a precondition (409 when stale);
   * without one, conflicts are retried on fresh reads. `create` makes PUT (and apply) create.
   *
   * As Kubernetes' GuaranteedUpdate, it starts from the watch cache's copy, which saves an etcd
   * read per write: the compare-and-swap refuses a stale copy, and its failure carries the current
   * object. Any decision other than a write (an error, a failed precondition, no change, a dry
   * run) is only taken on an object read from etcd, so a stale cache never decides an answer.
   */
  async guaranteedUpdate(
    namespace: string | undefined,
    name: string,
    compute: UpdateFn,
    options: WriteOptions,
    subresource: Subresource,
    create?: CreateOnUpdate,
  ): Promise<WriteResult> {
    const key = this.key(namespace, name);
    let current = await this.cacher.get(key);
    let fresh = false;
    for (;;) {
      if (!current && !fresh) {
        current = await this.storage.get(key);
        fresh = true;
      }
      if (!current) {
        if (create && (create.always || this.strategy.allowCreateOnUpdate) && !subresource) {
          const obj = create.object();
          delete obj.metadata?.resourceVersion;
          return { object: await this.createPrepared(obj, options, create.managed), warnings: [], created: true };
        }
        throw status.notFound(this.groupResource, name);
      }
      let attempt: UpdateAttempt;
      try {
        attempt = await this.prepareAttempt(current, compute, options, subresource);
      } catch (err) {
        if (fresh) throw err;
        current = undefined;
        continue;
      }
      const { next, warnings, precondition } = attempt;
      if (!fresh && (!objectChanged(next, current) || options.dryRun)) {
        current = undefined;
        continue;
      }
      if (!objectChanged(next, current)) return { object: current, warnings, created: false };
      if (options.dryRun) {
        this.checkSize(next);
        return { object: next as StoredObject, warnings, created: false };
      }
      try {
        const written = this.shouldDeleteNow(next)
          ? await this.storage.delete(key, Number(current.metadata.resourceVersion))
          : await this.storage.update(key, next, Number(current.metadata.resourceVersion));
        return { object: written, warnings, created: false };
      } catch (err) {
        if (err instanceof KeyNotFoundError) throw status.notFound(this.groupResource, name);
        if (!(err instanceof ConflictError)) throw tooLargeStatus(err);
        if (precondition) throw status.conflict(this.groupResource, name, status.staleObjectMessage);
        // Someone else wrote first (or the cache was behind): recompute from the current version.
        current = err.current;
        fresh = true;
      }
    }
  }

  /** One turn of the update loop: the desired object from `current`, checked against its precondition and prepared. */
  private async prepareAttempt(current: StoredObject, compute: UpdateFn, options: WriteOptions, subresource: Subresource): Promise<UpdateAttempt> {
    const { object: desired, warnings, managed, checked } = compute(compute.readsStored ? current : cloneJson(current));
    const precondition = desired.metadata?.resourceVersion;
    if (precondition && precondition !== current.metadata.resourceVersion) {
      throw status.conflict(this.groupResource, current.metadata.name!, status.staleObjectMessage);
    }
    const next = await this.prepareUpdate(desired, current, subresource, options, managed ?? false, checked ?? false);
    return { next, warnings, precondition };
  }

  private async prepareUpdate(desired: KubeObject, current: Stored, subresource: Subresource, options: WriteOptions, managed: boolean, checked: boolean): Promise<KubeObject> {
    let next: KubeObject;
    if (subresource === 'status') {
      // A status write changes status only: everything else stays as stored.
      next = { ...cloneJson(current), status: desired.status };
      if (desired.status === undefined) delete next.status;
      // ...but for the managedFields an apply computed for this write.
      if (managed) {
        const { managedFields } = desired.metadata ?? {};
        next.metadata = { ...next.metadata, managedFields };
        if (managedFields === undefined) delete next.metadata.managedFields;
      }
      this.strategy.prepareForStatusUpdate?.(next, current);
    } else {
      next = desired;
      const uid = next.metadata?.uid;
      if (uid && uid !== current.metadata.uid) {
        throw status.conflict(this.groupResource, current.metadata.name!, `Precondition failed: UID in precondition: ${current.metadata.uid}, UID in object meta: ${uid}`);
      }
      keepSystemFields(next, current);
      if (subresource === undefined) {
        if (this.kind.subresources.status) {
          if (current.status === undefined) delete next.status;
          else next.status = cloneJson(current.status);
        }
        this.strategy.prepareForUpdate?.(next, current);
      }
    }
    if (!checked) defaultObject(this.kind, next);
    await this.admit('admit', 'UPDATE', next, current, subresource, options.dryRun);
    if (!managed) recordManagedFields(this.kind, subresource, current, next, options.fieldManager ?? '');
    // A subresource handler may change what the main resource may not (a scale sets replicas):
    // it is validated as an object, not as an update of the main resource.
    if (!checked) validateObject(this.kind, next, subresource === undefined || subresource === 'status' ? current : undefined);
    if (specChanged(next, current)) next.metadata!.generation = (current.metadata.generation ?? 0) + 1;
    await this.admit('validate', 'UPDATE', next, current, subresource, options.dryRun);
    return next;
  }

  /** An object being deleted whose last finalizer is gone (and grace period over) is removed. */
  shouldDeleteNow(obj: KubeObject): boolean {
    const meta = obj.metadata ?? {};
    return (
      meta.deletionTimestamp !== undefined &&
      (meta.finalizers ?? []).length === 0 &&
      (meta.deletionGracePeriodSeconds ?? 0) === 0 &&
      !this.strategy.pendingFinalization?.(obj)
    );
  }

  delete(namespace: string | undefined, name: string, options: DeleteOptions): Promise<DeleteResult> {
    return deleteObject(this, namespace, name, options);
  }

  /** Deletes every object a list would return, one by one, with the same options. */
  async deleteCollection(namespace: string | undefined, params: ListParams, options: DeleteOptions): Promise<ObjectList> {
    const { items } = await this.list(namespace, { ...params, limit: undefined, continue: undefined, resourceVersion: '' });
    const deleted: StoredObject[] = [];
    for (const item of items) {
      try {
        const result = await this.delete(item.metadata.namespace, item.metadata.name!, options);
        deleted.push(result.object);
      } catch (err) {
        if (!status.isStatusError(err, 404)) throw err; // deleted meanwhile: fine
      }
    }
    return { kind: this.kind.listKind, apiVersion: apiVersionOf(this.kind), metadata: {}, items: deleted };
  }

  /** One phase of admission: `admit` (mutating, before validation) or `validate` (after). */
  async admit(
    phase: 'admit' | 'validate',
    operation: Operation,
    object: KubeObject | undefined,
    oldObject: KubeObject | undefined,
    subresource: Subresource,
    dryRun: boolean,
  ): Promise<void> {
    const meta = (object ?? oldObject)?.metadata ?? {};
    await this.admission[phase]({
      operation,
      kind: this.kind,
      namespace: meta.namespace,
      name: meta.name ?? '',
      subresource,
      object,
      oldObject,
      dryRun,
    });
  }

  /** What storage checks on real writes, checked here for dry runs. */
  private checkSize(obj: KubeObject): void {
    const size = Buffer.byteLength(JSON.stringify(obj));
    if (size > this.storage.maxValueBytes) throw tooLargeStatus(new ValueTooLargeError('', size, this.storage.maxValueBytes));
  }
}

function tooLargeStatus(err: unknown): unknown {
  if (!(err instanceof ValueTooLargeError)) return err;
  return status.tooLarge(`Request entity too large: the object is ${err.size} bytes, the limit for a stored object is ${err.limit} bytes`);
}

/** "" → undefined (latest); otherwise a non-negative revision; 400 for anything else. */
export function parseResourceVersion(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^\d+$/.test(value)) throw status.badRequest(`invalid resource version: ${JSON.stringify(value)}`);
  return Number(value);
}
