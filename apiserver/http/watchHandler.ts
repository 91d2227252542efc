/**
 * Serves a watch: opens the stream, registers with the resource's cacher, and ends on the
 * client's disconnect, on timeoutSeconds (with a last bookmark), or on server shutdown.
 */
import type { ApiRequest, Response } from './request';
import { apiVersionOf } from '../../api/kinds/kind';
import { isStatusError } from '../../api/status';
import type { ResourceStore } from '../registry/store';
import { negotiateOutput } from './codec';
import { watchParams } from './query';
import { partialObjectMetadataType, watchObjectEncoder } from './table';
import { WatchStream, type WatchStreamOptions } from './watchStream';

export interface WatchServeOptions {
  /** A watch without timeoutSeconds lasts between this and twice this. Default 1800 s. */
  readonly minRequestTimeoutSeconds?: number;
}

export async function serveWatch(
  options: WatchServeOptions,
  store: ResourceStore,
  req: ApiRequest,
  res: Response,
  namespace: string | undefined,
  name: string | undefined,
): Promise<void> {
  const params = watchParams(req.query);
  // The legacy /watch/.../NAME path watches one object.
  const fieldSelector = name ? [params.fieldSelector, `metadata.name=${name}`].filter(Boolean).join(',') : params.fieldSelector;
  const stream = new WatchStream(res, streamOptions(store, req));
  let watcher;
  try {
    // Selectors are checked before the stream opens, so a bad one is a plain 400.
    watcher = await store.watch(namespace, { ...params, fieldSelector }, {
      send: (type, obj) => (opened(), stream.send(type, obj)),
      bookmark: (rv, end) => (opened(), stream.bookmark(rv, end)),
      end: (reason) => (opened(), stream.end(reason)),
    });
  } catch (err) {
    // A too old resourceVersion is reported inside the stream, as Kubernetes does.
    if (!isStatusError(err, 410)) throw err;
    opened();
    stream.error(err.toStatus());
    stream.end('expired');
    return;
  }
  opened();
  const minTimeout = options.minRequestTimeoutSeconds ?? 1800;
  // timeoutSeconds 0 means "not set", as in Kubernetes.
  const seconds = params.timeoutSeconds || minTimeout * (1 + Math.random());
  const timer = setTimeout(() => {
    watcher.bookmark(store.cacher.revision);
    watcher.stop('timeout');
  }, seconds * 1000);
  const cleanup = () => {
    clearTimeout(timer);
    watcher.detach();
  };
  res.on('close', cleanup);
  if (stream.isEnded) cleanup();

  function opened(): void {
    if (!res.headersSent) stream.open();
  }
}

/**
 * What the Accept asks each event's object to be: the object itself, a one-row Table, or its
 * PartialObjectMetadata (bookmarks too, as metadata-only clients decode every event so). Table
 * watches send bookmarks and errors unchanged.
 */
function streamOptions(store: ResourceStore, req: ApiRequest): WatchStreamOptions {
  const plain = { kind: store.kind.kind, apiVersion: apiVersionOf(store.kind) };
  const { convert } = negotiateOutput(req);
  if (!convert) return plain;
  const objectJson = watchObjectEncoder(store.kind, convert, req.query);
  return convert.kind === 'PartialObjectMetadata' ? { ...partialObjectMetadataType(convert.version), objectJson } : { ...plain, objectJson };
}
