/**
 * The storage interface the API server's registry is written against, and its errors. Objects are
 * stored as JSON without metadata.resourceVersion; reads set it to the key's etcd mod revision, so
 * resourceVersion is never stale and never stored twice.
 */
import type { KubeObject, Stored } from '../../api/kinds/kind';

export type StoredObject = Stored<KubeObject>;

export interface ListOptions {
  /** At most this many objects (0 or absent: all). */
  readonly limit?: number;
  /** Continue after this key (exclusive), from a previous page. */
  readonly startAfter?: string;
  /** Read at this revision (0 or absent: the latest). Fails with Expired if compacted. */
  readonly revision?: number;
}

export interface ListResult {
  readonly items: StoredObject[];
  /** The revision the list was read at: the list's resourceVersion. */
  readonly revision: number;
  /** Set when there are more objects: the last key returned, to pass as startAfter. */
  readonly lastKey?: string;
  /** How many objects remain after this page, when there are more. */
  readonly remaining?: number;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** A change reported by a storage watch. */
export type StorageEvent = StoredChange | StoredDeletion;

export interface StoredChange {
  readonly type: 'ADDED' | 'MODIFIED';
  readonly key: string;
  /** The object after the change. */
  readonly object: StoredObject;
  readonly revision: number;
}

export interface StoredDeletion {
  readonly type: 'DELETED';
  readonly key: string;
  /**
   * The last state with the deletion's revision, when the storage has it. etcd's watch does not
   * carry it: asking etcd for every event's previous value costs it a read and a send per update
   * (about 30% of a pod binding's etcd CPU), and the watch cache holds the last state anyway.
   */
  readonly object?: StoredObject;
  readonly revision: number;
}

export interface StorageWatchHandlers {
  /** Events in revision order. */
  readonly onEvents: (events: readonly StorageEvent[], revision: number) => void;
  /** The store has reached `revision` with no further events for this prefix before it. */
  readonly onProgress: (revision: number) => void;
  /** The watch cannot go on (history compacted, or an unrecoverable error); it is closed. */
  readonly onError: (error: Error) => void;
}

export interface StorageWatch {
  close(): void;
}

export interface Storage {
  /** Writes of an object whose encoding is larger than this fail with ValueTooLargeError. */
  readonly maxValueBytes: number;
  create(key: string, obj: KubeObject): Promise<StoredObject>;
  get(key: string): Promise<StoredObject | undefined>;
  list(prefix: string, options?: ListOptions): Promise<ListResult>;
  /** Writes `obj` only if the key's mod revision is still `revision`; else throws ConflictError. */
  update(key: string, obj: KubeObject, revision: number): Promise<StoredObject>;
  /** Deletes only if the key's mod revision is still `revision`; returns the deleted object. */
  delete(key: string, revision: number): Promise<StoredObject>;
  /**
   * How many keys under `prefix` exist at `revision`, and how many of those were last modified
   * after `modifiedAfter` (a cheap way to prove nothing changed between two revisions).
   */
  count(prefix: string, revision: number, modifiedAfter: number): Promise<{ readonly total: number; readonly modified: number }>;
  /** Every change under `prefix` after `fromRevision`, in order. */
  watch(prefix: string, fromRevision: number, handlers: StorageWatchHandlers): StorageWatch;
  /** The store's current revision. */
  currentRevision(): Promise<number>;
  /** Drops history before `revision`; reads and watches at older revisions fail with Expired. */
  compact(revision: number): Promise<void>;
  /** A round trip that fails after `timeoutMs` (default 2 s), for /readyz. */
  ping(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export class KeyNotFoundError extends Error {
  constructor(readonly key: string) {
    super(`key not found: ${key}`);
  }
}

export class KeyExistsError extends Error {
  constructor(readonly key: string) {
    super(`key exists: ${key}`);
  }
}

/** A precondition on the mod revision failed; `current` is the state now, if the key exists. */
export class ConflictError extends Error {
  constructor(
    readonly key: string,
    readonly current: StoredObject | undefined,
  ) {
    super(`revision conflict on ${key}`);
  }
}

/** The encoded object is larger than the store accepts. */
export class ValueTooLargeError extends Error {
  constructor(
    readonly key: string,
    readonly size: number,
    readonly limit: number,
  ) {
    super(`the object at ${key} is ${size} bytes, the limit for a stored object is ${limit} bytes`);
  }
}

/** The requested revision has been compacted away. */
export class ExpiredError extends Error {
  constructor(readonly revision: number, readonly compactedRevision?: number) {
    super(`revision ${revision} has been compacted${compactedRevision ? ` (oldest available ${compactedRevision})` : ''}`);
  }
}
