/**
 * A watch over HTTP: status 200, chunked, one JSON event per line. Events queued in one turn of
 * the event loop go out in one write, so a burst costs one syscall per watcher, not one per event.
 * A client whose socket buffer grows past `maxBufferedBytes` is too slow and is cut off, as
 * Kubernetes drops watchers that cannot keep up.
 */
import type { Response } from './request';
import type { Status } from '../../api/status';
import type { WatchSink } from '../cacher/cacheWatcher';
import type { StoredObject, WatchEventType } from '../storage/interface';
import { storedJson } from '../storage/storedJson';

export interface WatchStreamOptions {
  /** The kind and apiVersion of bookmark objects. */
  readonly kind: string;
  readonly apiVersion: string;
  /**
   * The JSON of an event's object. Default: the object itself, serialized once and shared by every
   * watcher; Table and metadata-only watches convert each object for their watcher.
   */
  readonly objectJson?: (object: StoredObject) => string;
  /** Default 16 MiB. */
  readonly maxBufferedBytes?: number;
}

export class WatchStream implements WatchSink {
  private pending: string[] = [];
  private scheduled = false;
  private ended = false;
  private readonly maxBufferedBytes: number;

  constructor(
    private readonly res: Response,
    private readonly options: WatchStreamOptions,
  ) {
    this.maxBufferedBytes = options.maxBufferedBytes ?? 16 * 1024 * 1024;
  }

  /** Sends the 200 and headers; events follow as they come. */
  open(): void {
    this.res.statusCode = 200;
    this.res.setHeader('Content-Type', 'application/json');
    this.res.setHeader('Cache-Control', 'no-cache, private');
    this.res.flushHeaders();
  }

  send(type: WatchEventType, object: StoredObject): boolean {
    const json = this.options.objectJson ? this.options.objectJson(object) : storedJson(object);
    return this.enqueue(`{"type":"${type}","object":${json}}\n`);
  }

  bookmark(revision: number, initialEventsEnd = false): boolean {
    const metadata = {
      resourceVersion: String(revision),
      ...(initialEventsEnd ? { annotations: { 'k8s.io/initial-events-end': 'true' } } : {}),
    };
    return this.enqueue(JSON.stringify({ type: 'BOOKMARK', object: { kind: this.options.kind, apiVersion: this.options.apiVersion, metadata } }) + '\n');
  }

  /** An ERROR event carrying a Status (e.g. 410 for a too old resourceVersion). */
  error(status: Status): void {
    this.enqueue(JSON.stringify({ type: 'ERROR', object: status }) + '\n');
  }

  end(_reason: string): void {
    if (this.ended) return;
    this.flush();
    this.ended = true;
    this.res.end();
  }

  get isEnded(): boolean {
    return this.ended;
  }

  private enqueue(line: string): boolean {
    if (this.ended) return false;
    this.pending.push(line);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
    return this.res.writableLength <= this.maxBufferedBytes;
  }

  private flush(): void {
    this.scheduled = false;
    if (this.ended || this.pending.length === 0) return;
    const chunk = this.pending.length === 1 ? this.pending[0]! : this.pending.join('');
    this.pending = [];
    this.res.write(chunk);
  }
}
