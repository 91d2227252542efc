/**
 * The watch cache of one resource: the current objects, and a window of recent events.
 *
 * Invariants:
 *   - `revision` is the newest revision the cache has seen for its prefix (event or progress).
 *   - every change to the prefix with a revision in (oldestRevision, revision] is in `events`,
 *     in order; a watch may start from any revision >= oldestRevision, older ones are expired.
 *   - objects are shared with readers and never mutated: a change replaces the object.
 */
import type { StorageEvent, StoredObject, WatchEventType } from '../storage/interface';
import { withRevision } from '../storage/storedJson';

export interface CachedEvent {
  readonly type: WatchEventType;
  readonly key: string;
  readonly object: StoredObject;
  /** The object before this change (absent for ADDED). */
  readonly prevObject: StoredObject | undefined;
  readonly revision: number;
}

export class WatchCache {
  private readonly objects = new Map<string, StoredObject>();
  private events: CachedEvent[] = [];
  /** Index of the oldest event in `events` (a ring of at most `capacity` entries, compacted lazily). */
  private head = 0;
  private _revision = 0;
  private _oldestRevision = 0;

  constructor(private readonly capacity: number) {}

  get revision(): number {
    return this._revision;
  }

  get oldestRevision(): number {
    return this._oldestRevision;
  }

  get size(): number {
    return this.objects.size;
  }

  /** Starts over from a full list read at `revision`; the event window is emptied. */
  replace(items: readonly StoredObject[], keyOf: (obj: StoredObject) => string, revision: number): void {
    this.objects.clear();
    for (const item of items) this.objects.set(keyOf(item), item);
    this.events = [];
    this.head = 0;
    this._revision = revision;
    this._oldestRevision = revision;
  }

  /**
   * Applies one change from storage, returning the event as watchers see it. A deletion without
   * its object (etcd's) carries the last state held here, with the deletion's revision; the
   * deletion of something never held (no watcher can have seen it) changes only the revision.
   */
  apply(event: StorageEvent): CachedEvent | undefined {
    const prevObject = this.objects.get(event.key);
    let object: StoredObject;
    if (event.type === 'DELETED') {
      const last = event.object ?? (prevObject && (withRevision(prevObject, event.revision) as StoredObject));
      if (!last) {
        this._revision = Math.max(this._revision, event.revision);
        return undefined;
      }
      object = last;
      this.objects.delete(event.key);
    } else {
      object = event.object;
      this.objects.set(event.key, object);
    }
    const type = event.type === 'DELETED' ? 'DELETED' : prevObject ? 'MODIFIED' : 'ADDED';
    const cached: CachedEvent = { type, key: event.key, object, prevObject, revision: event.revision };
    this.events.push(cached);
    if (this.events.length - this.head > this.capacity) {
      // Forget the oldest event: watches from before it can no longer be served.
      this._oldestRevision = this.events[this.head]!.revision;
      this.head++;
      if (this.head > this.capacity) {
        this.events = this.events.slice(this.head);
        this.head = 0;
      }
    }
    this._revision = Math.max(this._revision, event.revision);
    return cached;
  }

  /** Storage reports no changes up to `revision`. */
  progress(revision: number): void {
    this._revision = Math.max(this._revision, revision);
  }

  /** Events after `revision`, or undefined when the window no longer reaches back that far. */
  eventsAfter(revision: number): CachedEvent[] | undefined {
    if (revision < this._oldestRevision) return undefined;
    const out: CachedEvent[] = [];
    // Events are ordered: scan back from the newest until at or below `revision`.
    let i = this.events.length - 1;
    while (i >= this.head && this.events[i]!.revision > revision) i--;
    for (let j = i + 1; j < this.events.length; j++) out.push(this.events[j]!);
    return out;
  }

  /** Current objects whose key starts with `prefix`, in key order. */
  list(prefix: string): StoredObject[] {
    const keys: string[] = [];
    for (const key of this.objects.keys()) if (key.startsWith(prefix)) keys.push(key);
    keys.sort();
    return keys.map((k) => this.objects.get(k)!);
  }

  get(key: string): StoredObject | undefined {
    return this.objects.get(key);
  }
}
