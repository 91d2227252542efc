/**
 * One client's watch on a cacher: filters the resource's events through the client's selectors
 * and hands them to its sink. An object that starts matching arrives as ADDED, one that stops
 * matching as DELETED (its last matching state, at the event's revision), as Kubernetes does.
 */
import type { StoredObject, WatchEventType } from '../storage/interface';
import type { CachedEvent } from './watchCache';

export interface WatchFilter {
  /** Only keys under this prefix (a namespace, or the whole resource). */
  readonly keyPrefix: string;
  /** Label and field selectors; absent: everything matches. */
  readonly matches?: (obj: StoredObject) => boolean;
}

export interface WatchSink {
  /** Delivers one event; false when the client cannot keep up, which ends the watch. */
  send(type: WatchEventType, object: StoredObject): boolean;
  /** A bookmark at `revision`; `initialEventsEnd` marks the end of a watch's initial events. */
  bookmark(revision: number, initialEventsEnd?: boolean): boolean;
  /** The server ended the watch (the cache restarted, the client was too slow, shutdown). */
  end(reason: string): void;
}

export class CacheWatcher {
  private stopped = false;

  constructor(
    private readonly filter: WatchFilter,
    private readonly sink: WatchSink,
    /** Events at or before this revision were already sent (or are older than the start). */
    private minRevision: number,
    readonly allowBookmarks: boolean,
    private readonly onStop: (w: CacheWatcher) => void,
  ) {}

  get isStopped(): boolean {
    return this.stopped;
  }

  matches(obj: StoredObject, key: string): boolean {
    return key.startsWith(this.filter.keyPrefix) && (this.filter.matches ? this.filter.matches(obj) : true);
  }

  /** Sends the current state as ADDED events (a watch without a resourceVersion, or "0"). */
  sendInitial(objects: readonly StoredObject[], keyOf: (o: StoredObject) => string, revision: number, withEndBookmark: boolean): void {
    for (const obj of objects) {
      if (this.stopped) return;
      if (this.matches(obj, keyOf(obj)) && !this.sink.send('ADDED', obj)) return this.stop('client too slow');
    }
    this.minRevision = Math.max(this.minRevision, revision);
    if (withEndBookmark && !this.sink.bookmark(revision, true)) this.stop('client too slow');
  }

  process(event: CachedEvent): void {
    if (this.stopped || event.revision <= this.minRevision || !event.key.startsWith(this.filter.keyPrefix)) return;
    const test = (o: StoredObject) => (this.filter.matches ? this.filter.matches(o) : true);
    let delivered = true;
    if (event.type === 'DELETED') {
      if (test(event.object)) delivered = this.sink.send('DELETED', event.object);
    } else {
      const now = test(event.object);
      const before = event.prevObject !== undefined && test(event.prevObject);
      if (now) delivered = this.sink.send(before ? 'MODIFIED' : 'ADDED', event.object);
      else if (before) delivered = this.sink.send('DELETED', atRevision(event.prevObject!, event.revision));
    }
    if (!delivered) this.stop('client too slow');
  }

  /** A bookmark never goes below where the watch started: a client may resume from it. */
  bookmark(revision: number): void {
    if (this.stopped || !this.allowBookmarks || revision < this.minRevision) return;
    if (!this.sink.bookmark(revision)) this.stop('client too slow');
  }

  /** Ends the watch from the server side. */
  stop(reason: string): void {
    if (this.stopped) return;
    this.stopped = true;
    this.onStop(this);
    this.sink.end(reason);
  }

  /** Ends the watch because the client went away: nothing more is sent. */
  detach(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.onStop(this);
  }
}

function atRevision(obj: StoredObject, revision: number): StoredObject {
  return { ...obj, metadata: { ...obj.metadata, resourceVersion: String(revision) } };
}
