/**
 * Objects this API server wrote, kept by revision until its own etcd watch reports them: the
 * watch event then carries the very object the write returned instead of decoding the same bytes
 * again, and a JSON serialisation of it made for the write's answer serves the watchers too
 * (http/codec.ts cachedJson). That was about 7% of the API server's CPU under a pod-creation load.
 *
 * Invariants:
 *   - an entry is used only for an event of the same key and revision whose value is byte for byte
 *     the one written, so the event's object is exactly what decoding would give;
 *   - an entry is used at most once; entries whose event came first (the watch may report a write
 *     before the write's own answer arrives) are dropped oldest first beyond `capacity`;
 *   - the objects are shared between the write's caller and the watch cache: neither may mutate them.
 */
import type { StoredObject } from './interface';

interface Written {
  readonly key: string;
  readonly value: Buffer;
  readonly object: StoredObject;
}

export class RecentWrites {
  private readonly byRevision = new Map<number, Written>();

  /** `capacity`: entries kept at most (default 1024). */
  constructor(private readonly capacity = 1024) {}

  remember(key: string, revision: number, value: Buffer, object: StoredObject): void {
    this.byRevision.set(revision, { key, value, object });
    if (this.byRevision.size > this.capacity) this.byRevision.delete(this.byRevision.keys().next().value!);
  }

  /** The object written as `value` to `key` at `revision`, once; undefined when not known. */
  take(key: string, revision: number, value: Buffer): StoredObject | undefined {
    const written = this.byRevision.get(revision);
    if (!written || written.key !== key || !written.value.equals(value)) return undefined;
    this.byRevision.delete(revision);
    return written.object;
  }

  get size(): number {
    return this.byRevision.size;
  }
}
