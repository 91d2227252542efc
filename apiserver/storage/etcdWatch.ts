/**
 * One etcd watch on a key prefix, on its own gRPC stream (grpc/grpcChannel.ts), that survives
 * broken streams: it reconnects with jittered exponential backoff and resumes after the last
 * revision it delivered, so no event is lost or repeated. It ends (onError) only when the history
 * it needs has been compacted or the caller closes it.
 *
 * Each stream carries one watch, created by its first message; its resume point is the revision
 * after the last event delivered, never the creation response's revision (which could skip
 * events still in flight after a reconnect).
 *
 * Previous values are not asked for (prev_kv): a deletion reports its key and revision only, and
 * the watch cache, which holds every object's last state, supplies the deleted object.
 */
import { decodeValue, prefixEnd } from './etcd';
import { decodeWatchResponse, encodeWatchCreate, type WatchResponse } from './grpc/etcdMessages';
import { grpcFrame, type GrpcChannel, type StreamCall } from './grpc/grpcChannel';
import { ExpiredError, type StorageEvent, type StorageWatch, type StorageWatchHandlers, type StoredObject } from './interface';

/** An event's stored value as an object at `revision`. */
export type ValueDecoder = (key: string, value: Buffer, revision: number) => StoredObject;

const decodeEventValue: ValueDecoder = (_key, value, revision) => decodeValue(value, revision);

const initialBackoffMs = 100;
const maxBackoffMs = 5_000;

export function openPrefixWatch(channel: GrpcChannel, prefix: string, fromRevision: number, handlers: StorageWatchHandlers, decode: ValueDecoder = decodeEventValue): StorageWatch {
  let next = fromRevision + 1; // first revision not yet delivered
  let stream: StreamCall | undefined;
  let closed = false;
  let backoffMs = initialBackoffMs;
  let retryTimer: NodeJS.Timeout | undefined;

  const fail = (error: Error) => {
    if (closed) return;
    close();
    handlers.onError(error);
  };

  const onResponse = (res: WatchResponse) => {
    if (closed) return;
    backoffMs = initialBackoffMs;
    if (res.compactRevision) {
      fail(new ExpiredError(next - 1, res.compactRevision));
      return;
    }
    if (res.canceled) {
      fail(new Error(`etcd watch canceled: ${res.cancelReason || 'no reason given'}`));
      return;
    }
    if (res.created) return;
    const revision = res.revision;
    if (res.events.length === 0) {
      // A progress notification: every event up to `revision` has been delivered.
      next = Math.max(next, revision + 1);
      handlers.onProgress(revision);
      return;
    }
    const events: StorageEvent[] = [];
    for (const ev of res.events) {
      const modRevision = ev.kv.modRevision;
      if (modRevision < next) continue; // already delivered before a reconnect
      const key = ev.kv.key.toString();
      if (ev.type === 'DELETE') {
        events.push({ type: 'DELETED', key, revision: modRevision });
      } else {
        const type = ev.kv.createRevision === ev.kv.modRevision ? 'ADDED' : 'MODIFIED';
        events.push({ type, key, object: decode(key, ev.kv.value, modRevision), revision: modRevision });
      }
    }
    if (events.length === 0) return;
    next = events[events.length - 1]!.revision + 1;
    try {
      handlers.onEvents(events, revision);
    } catch (err) {
      fail(err instanceof Error ? err : new Error(String(err)));
    }
  };

  const reconnect = () => {
    stream = undefined;
    if (closed) return;
    const delay = backoffMs / 2 + Math.random() * (backoffMs / 2);
    backoffMs = Math.min(maxBackoffMs, backoffMs * 2);
    retryTimer = setTimeout(connect, delay);
  };

  const connect = () => {
    retryTimer = undefined;
    if (closed) return;
    const s: StreamCall = channel.stream('/etcdserverpb.Watch/Watch', {
      onMessage: (message) => {
        let res: WatchResponse;
        try {
          res = decodeWatchResponse(message);
        } catch (err) {
          s.cancel();
          fail(new Error(`malformed etcd watch response: ${(err as Error).message}`));
          return;
        }
        onResponse(res);
      },
      onEnd: () => {
        if (stream === s) reconnect();
      },
    });
    stream = s;
    s.send(grpcFrame(encodeWatchCreate({ key: Buffer.from(prefix), rangeEnd: prefixEnd(prefix), startRevision: next, progressNotify: true, prevKv: false })));
  };

  const close = () => {
    closed = true;
    if (retryTimer) clearTimeout(retryTimer);
    const s = stream;
    stream = undefined;
    s?.cancel();
  };

  connect();
  return { close };
}
