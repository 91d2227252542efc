/**
 * Storage on etcd v3, through Marina's lean gRPC client: reads and writes with the KV service
 * (grpc/etcdKv.ts), watches on streams of the same channel (etcdWatch.ts). Every write is one
 * transaction whose compare clause is the precondition (absent for create, mod revision for
 * update and delete), and whose failure branch reads the key so a conflict comes back with the
 * current state.
 */
import type { KubeObject } from '../../api/kinds/kind';
import type { Histogram } from '../../client/metrics';
import { openPrefixWatch } from './etcdWatch';
import { EtcdKv } from './grpc/etcdKv';
import { RecentWrites } from './recentWrites';
import { encodeObject, storedAt } from './storedJson';
import { GrpcChannel } from './grpc/grpcChannel';
import type { KeyValue, ResponseOp } from './grpc/etcdMessages';
import {
  ConflictError,
  ExpiredError,
  KeyExistsError,
  KeyNotFoundError,
  ValueTooLargeError,
  type ListOptions,
  type ListResult,
  type Storage,
  type StorageWatch,
  type StorageWatchHandlers,
  type StoredObject,
} from './interface';

export interface EtcdStorageOptions {
  /** etcd client URLs, e.g. ['http://127.0.0.1:2379']. */
  readonly endpoints: readonly string[];
  /** Observes each etcd call's latency in seconds, labelled by operation. */
  readonly latency?: Histogram;
  /** Largest encoded object written. Default 1.5 MiB, etcd's default request limit. */
  readonly maxValueBytes?: number;
}

export class EtcdStorage implements Storage {
  private readonly channel: GrpcChannel;
  private readonly kv: EtcdKv;
  private readonly latency: Histogram | undefined;
  /** What this server wrote, for its own watch events (recentWrites.ts). */
  private readonly written = new RecentWrites();
  readonly maxValueBytes: number;

  constructor(options: EtcdStorageOptions) {
    this.maxValueBytes = options.maxValueBytes ?? 1.5 * 1024 * 1024;
    this.channel = new GrpcChannel({ endpoints: options.endpoints });
    this.kv = new EtcdKv(this.channel);
    this.latency = options.latency;
  }

  async create(key: string, obj: KubeObject): Promise<StoredObject> {
    return this.write(key, obj, async (value) => {
      const res = await this.call('create', () =>
        this.kv.txn({
          compare: [{ key: Buffer.from(key), target: 'create', revision: 0 }],
          success: [{ put: { key: Buffer.from(key), value } }],
          failure: [],
        }),
      );
      if (!res.succeeded) throw new KeyExistsError(key);
      return res.revision;
    });
  }

  async get(key: string): Promise<StoredObject | undefined> {
    const res = await this.call('get', () => this.kv.range({ key: Buffer.from(key) }));
    const kv = res.kvs[0];
    return kv ? decode(kv) : undefined;
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListResult> {
    const start = options.startAfter !== undefined ? options.startAfter + '\0' : prefix;
    try {
      const res = await this.call('list', () =>
        this.kv.range({
          key: Buffer.from(start),
          rangeEnd: prefixEnd(prefix),
          limit: options.limit ?? 0,
          revision: options.revision ?? 0,
        }),
      );
      const items = res.kvs.map(decode);
      const revision = options.revision || res.revision;
      if (!res.more || items.length === 0) return { items, revision };
      return { items, revision, lastKey: res.kvs[res.kvs.length - 1]!.key.toString(), remaining: res.count - items.length };
    } catch (err) {
      throw translateCompacted(err, options.revision ?? 0);
    }
  }

  async update(key: string, obj: KubeObject, revision: number): Promise<StoredObject> {
    return this.write(key, obj, async (value) => {
      const res = await this.call('update', () =>
        this.kv.txn({
          compare: [{ key: Buffer.from(key), target: 'mod', revision }],
          success: [{ put: { key: Buffer.from(key), value } }],
          failure: [{ range: { key: Buffer.from(key) } }],
        }),
      );
      if (!res.succeeded) throw conflictFrom(key, res.responses);
      return res.revision;
    });
  }

  async delete(key: string, revision: number): Promise<StoredObject> {
    const res = await this.call('delete', () =>
      this.kv.txn({
        compare: [{ key: Buffer.from(key), target: 'mod', revision }],
        success: [{ deleteRange: { key: Buffer.from(key), prevKv: true } }],
        failure: [{ range: { key: Buffer.from(key) } }],
      }),
    );
    if (!res.succeeded) {
      const conflict = conflictFrom(key, res.responses);
      if (!conflict.current) throw new KeyNotFoundError(key);
      throw conflict;
    }
    const prev = res.responses[0]?.kvs[0];
    if (!prev) throw new KeyNotFoundError(key);
    // A deleted object reports the revision of its deletion, as watch DELETED events do.
    return decodeValue(prev.value, res.revision);
  }

  async count(prefix: string, revision: number, modifiedAfter: number): Promise<{ total: number; modified: number }> {
    const range = { key: Buffer.from(prefix), rangeEnd: prefixEnd(prefix), revision };
    // etcd's count ignores mod-revision filters, so the modified keys are fetched (keys only).
    const [total, modified] = await Promise.all([
      this.call('count', () => this.kv.range({ ...range, countOnly: true })),
      this.call('count', () => this.kv.range({ ...range, keysOnly: true, minModRevision: modifiedAfter + 1 })),
    ]);
    return { total: total.count, modified: modified.kvs.length };
  }

  watch(prefix: string, fromRevision: number, handlers: StorageWatchHandlers): StorageWatch {
    return openPrefixWatch(this.channel, prefix, fromRevision, handlers, (key, value, revision) => this.written.take(key, revision, value) ?? decodeValue(value, revision));
  }

  async currentRevision(deadlineMs?: number): Promise<number> {
    // A range over a key that never exists costs nothing and carries the store's revision.
    const probe = { key: Buffer.from('/registry-revision-probe'), countOnly: true };
    const res = await this.call('revision', () => this.kv.range(probe, deadlineMs));
    return res.revision;
  }

  async compact(revision: number): Promise<void> {
    try {
      await this.call('compact', () => this.kv.compact(revision));
    } catch (err) {
      // Another API server compacted further already: nothing to do.
      if (!(translateCompacted(err, revision) instanceof ExpiredError)) throw err;
    }
  }

  async ping(timeoutMs = 2_000): Promise<void> {
    await this.currentRevision(timeoutMs);
  }

  async close(): Promise<void> {
    this.channel.close();
  }

  /**
   * Encodes `obj` and runs `send` (a put of the encoded value, answering the revision written),
   * returning the object as stored: what reading it back would give, its JSON text already made
   * (storedJson.ts). The write is known to this server's watch from before it is sent, so its
   * event carries that same object (recentWrites.ts). Callers must not mutate it: the watch cache
   * shares it.
   */
  private async write(key: string, obj: KubeObject, send: (value: Buffer) => Promise<number>): Promise<StoredObject> {
    const encoded = encodeObject(obj);
    const value = Buffer.from(encoded.value);
    if (value.length > this.maxValueBytes) throw new ValueTooLargeError(key, value.length, this.maxValueBytes);
    const pending = this.written.begin(key, value, (revision) => storedAt(obj, revision, encoded) as StoredObject);
    let revision: number;
    try {
      revision = await send(value);
    } catch (err) {
      this.written.abandon(pending);
      throw err;
    }
    return this.written.complete(pending, revision);
  }

  private async call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    const start = process.hrtime.bigint();
    try {
      return await fn();
    } finally {
      this.latency?.observe(Number(process.hrtime.bigint() - start) / 1e9, { operation });
    }
  }
}

/** The first key after every key with this prefix. */
export function prefixEnd(prefix: string): Buffer {
  const end = Buffer.from(prefix);
  for (let i = end.length - 1; i >= 0; i--) {
    if (end[i]! < 0xff) {
      end[i]!++;
      return end.subarray(0, i + 1);
    }
  }
  return Buffer.from([0]);
}

export function decode(kv: KeyValue): StoredObject {
  return decodeValue(kv.value, kv.modRevision);
}

/** A stored value as an object whose resourceVersion is `revision`. */
export function decodeValue(value: Buffer, revision: number): StoredObject {
  const obj = JSON.parse(value.toString()) as StoredObject;
  obj.metadata = { ...obj.metadata, resourceVersion: String(revision) };
  return obj;
}

function conflictFrom(key: string, responses: readonly ResponseOp[]): ConflictError {
  const kv = responses[0]?.kvs[0];
  return new ConflictError(key, kv ? decode(kv) : undefined);
}

export function isCompactedError(err: unknown): boolean {
  return err instanceof Error && /required revision has been compacted/.test(err.message);
}

function translateCompacted(err: unknown, revision: number): unknown {
  return isCompactedError(err) ? new ExpiredError(revision) : err;
}
