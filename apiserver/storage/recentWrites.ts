/**
 * Objects this API server writes, kept until its own etcd watch reports them: the watch event
 * then carries the very object the write returns instead of decoding the same bytes again, and
 * the JSON text the write made of it serves the watchers too (storedJson.ts). That was about 7% of
 * the API server's CPU under a pod-creation load.
 *
 * A write is known from before it is sent (`begin`), because under load etcd usually reports the
 * watch event before the write's own answer arrives: the event then makes the stored object from
 * the pending write, and the answer (`complete`) returns that same instance.
 *
 * Invariants:
 *   - an object is handed to a watch event only for the same key and byte-for-byte the same value,
 *     so it is exactly what decoding the event would give (the revision comes from the event);
 *   - each write's object goes to at most one event;
 *   - a pending write stays until its caller completes or abandons it; completed writes whose
 *     event has not come yet are dropped oldest first beyond `capacity`;
 *   - the objects are shared between the write's caller and the watch cache: neither may mutate them.
 */
import type { StoredObject } from './interface';

/** A write on its way to etcd (from begin until complete or abandon). */
export interface PendingWrite {
  readonly key: string;
  readonly value: Buffer;
  /** The written object as stored at a revision (what decoding `value` at that revision gives). */
  readonly at: (revision: number) => StoredObject;
  /** Set when the watch event came first: what it carried, at the revision it reported. */
  early?: { readonly revision: number; readonly object: StoredObject };
}

interface Completed {
  readonly key: string;
  readonly value: Buffer;
  readonly object: StoredObject;
}

export class RecentWrites {
  private readonly pending = new Map<string, PendingWrite[]>();
  private readonly completed = new Map<number, Completed>();

  /** `capacity`: completed writes kept at most while their events are awaited (default 1024). */
  constructor(private readonly capacity = 1024) {}

  /** Before `value` is sent to `key`; `at` makes the object as stored at a revision. */
  begin(key: string, value: Buffer, at: (revision: number) => StoredObject): PendingWrite {
    const write: PendingWrite = { key, value, at };
    const list = this.pending.get(key);
    if (list) list.push(write);
    else this.pending.set(key, [write]);
    return write;
  }

  /** The write failed or was refused: it will have no event. */
  abandon(write: PendingWrite): void {
    const list = this.pending.get(write.key);
    if (!list) return;
    const i = list.indexOf(write);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) this.pending.delete(write.key);
  }

  /** The write succeeded at `revision`: the object as stored, the same instance its watch event carries. */
  complete(write: PendingWrite, revision: number): StoredObject {
    this.abandon(write);
    if (write.early?.revision === revision) return write.early.object;
    const object = write.at(revision);
    this.completed.set(revision, { key: write.key, value: write.value, object });
    if (this.completed.size > this.capacity) this.completed.delete(this.completed.keys().next().value!);
    return object;
  }

  /** For a watch event: the object written as `value` to `key` at `revision`, once; undefined when not known. */
  take(key: string, revision: number, value: Buffer): StoredObject | undefined {
    const done = this.completed.get(revision);
    if (done) {
      if (done.key !== key || !done.value.equals(value)) return undefined;
      this.completed.delete(revision);
      return done.object;
    }
    const list = this.pending.get(key);
    if (!list) return undefined;
    for (const write of list) {
      if (write.early || !write.value.equals(value)) continue;
      const object = write.at(revision);
      write.early = { revision, object };
      return object;
    }
    return undefined;
  }

  /** Writes pending and completed writes awaiting their events. */
  get size(): number {
    let n = this.completed.size;
    for (const list of this.pending.values()) n += list.length;
    return n;
  }
}
