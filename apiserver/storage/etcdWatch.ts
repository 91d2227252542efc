/**
 * One etcd watch on a key prefix, on its own gRPC stream, that survives broken streams: it
 * reconnects with jittered exponential backoff and resumes after the last revision it delivered,
 * so no event is lost or repeated. It ends (onError) only when the history it needs has been
 * compacted or the caller closes it.
 *
 * Written on the raw Watch RPC rather than etcd3's Watcher, whose resume point advances to the
 * creation response's revision and could skip events still in flight after a reconnect.
 */
import type { Etcd3, IDuplexStream, IWatchRequest, IWatchResponse } from 'etcd3';
import { decodeValue, prefixEnd } from './etcd';
import { ExpiredError, type StorageEvent, type StorageWatch, type StorageWatchHandlers } from './interface';

const initialBackoffMs = 100;
const maxBackoffMs = 5_000;

export function openPrefixWatch(client: Etcd3, prefix: string, fromRevision: number, handlers: StorageWatchHandlers): StorageWatch {
  let next = fromRevision + 1; // first revision not yet delivered
  let stream: IDuplexStream<IWatchRequest, IWatchResponse> | undefined;
  let closed = false;
  let backoffMs = initialBackoffMs;
  let retryTimer: NodeJS.Timeout | undefined;

  const fail = (error: Error) => {
    if (closed) return;
    close();
    handlers.onError(error);
  };

  const onResponse = (res: IWatchResponse) => {
    if (closed) return;
    backoffMs = initialBackoffMs;
    if (res.compact_revision && res.compact_revision !== '0') {
      fail(new ExpiredError(next - 1, Number(res.compact_revision)));
      return;
    }
    if (res.canceled) {
      fail(new Error(`etcd watch canceled: ${res.cancel_reason || 'no reason given'}`));
      return;
    }
    if (res.created) return;
    const revision = Number(res.header.revision);
    if (res.events.length === 0) {
      // A progress notification: every event up to `revision` has been delivered.
      next = Math.max(next, revision + 1);
      handlers.onProgress(revision);
      return;
    }
    const events: StorageEvent[] = [];
    for (const ev of res.events) {
      const modRevision = Number(ev.kv.mod_revision);
      if (modRevision < next) continue; // already delivered before a reconnect
      const key = ev.kv.key.toString();
      if (ev.type === 'Delete') {
        if (!ev.prev_kv) continue;
        const object = decodeValue(ev.prev_kv.value, modRevision);
        events.push({ type: 'DELETED', key, object, revision: modRevision });
      } else {
        const type = ev.kv.create_revision === ev.kv.mod_revision ? 'ADDED' : 'MODIFIED';
        events.push({ type, key, object: decodeValue(ev.kv.value, modRevision), revision: modRevision });
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
    client.watchClient.watch().then(
      (s) => {
        if (closed) {
          s.cancel();
          return;
        }
        stream = s;
        s.on('data', onResponse);
        s.on('error', () => {
          if (stream === s) reconnect();
        });
        s.on('end', () => {
          if (stream === s) reconnect();
        });
        s.write({
          create_request: {
            key: Buffer.from(prefix),
            range_end: prefixEnd(prefix),
            start_revision: next,
            progress_notify: true,
            prev_kv: true,
          },
        });
      },
      () => reconnect(),
    );
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
