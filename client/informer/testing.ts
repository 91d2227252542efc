/**
 * A fake API for informer unit tests: an in-memory resource with resourceVersions, paged lists,
 * and watches the test drives (events, bookmarks, ERROR 410, hangs, failures).
 */
import type { KubeObject } from '../../api/kinds/kind';
import { StatusError } from '../../api/status';
import type { ObjectList, Watch, WatchEvent } from '../restClient';
import { objectKey } from './keys';
import type { ListerWatcher, ListPageOptions, WatchFromOptions } from './listerWatcher';

export interface TestObject extends KubeObject {
  metadata: { name: string; namespace?: string; resourceVersion?: string; uid?: string; labels?: Record<string, string>; ownerReferences?: { apiVersion: string; kind: string; name: string; uid: string }[] };
  spec?: { nodeName?: string; value?: number };
}

export interface FakeWatch {
  readonly options: WatchFromOptions;
  send(event: WatchEvent<TestObject>): void;
  /** The server ends the stream. */
  end(): void;
  /** The connection breaks. */
  fail(err: Error): void;
  readonly closed: boolean;
}

export class FakeServer implements ListerWatcher<TestObject> {
  rv = 100;
  readonly objects = new Map<string, TestObject>();
  readonly watches: FakeWatch[] = [];
  listCalls: ListPageOptions[] = [];
  /** Thrown by the next watch opening(s), in order. */
  watchOpenErrors: Error[] = [];
  /** Thrown by the next list call(s), in order. */
  listErrors: Error[] = [];
  /** When true, watch openings hang until aborted. */
  hangWatchOpen = false;

  /** Creates or updates an object (new resourceVersion); does not notify watches. */
  put(name: string, extra: Partial<TestObject> = {}, namespace = 'ns'): TestObject {
    const obj: TestObject = { ...extra, metadata: { name, namespace, uid: `uid-${name}`, ...extra.metadata, resourceVersion: String(++this.rv) } };
    this.objects.set(objectKey(obj), obj);
    return obj;
  }

  remove(name: string, namespace = 'ns'): TestObject {
    const key = `${namespace}/${name}`;
    const obj = this.objects.get(key)!;
    this.objects.delete(key);
    return { ...obj, metadata: { ...obj.metadata, resourceVersion: String(++this.rv) } };
  }

  async list(options: ListPageOptions): Promise<ObjectList<TestObject>> {
    this.listCalls.push(options);
    const err = this.listErrors.shift();
    if (err) throw err;
    const all = [...this.objects.values()].sort((a, b) => objectKey(a).localeCompare(objectKey(b)));
    const start = options.continue ? Number(options.continue.split(':')[1]) : 0;
    const snapshotRv = options.continue ? options.continue.split(':')[0]! : String(this.rv);
    const items = all.slice(start, start + options.limit);
    const next = start + options.limit < all.length ? `${snapshotRv}:${start + options.limit}` : undefined;
    return { metadata: { resourceVersion: snapshotRv, ...(next ? { continue: next } : {}) }, items };
  }

  async watch(options: WatchFromOptions, onEvent: (event: WatchEvent<TestObject>) => void): Promise<Watch> {
    const err = this.watchOpenErrors.shift();
    if (err) throw err;
    if (this.hangWatchOpen) {
      await new Promise<void>((_, reject) => options.signal.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' }))));
    }
    let resolve!: () => void;
    let reject!: (err: Error) => void;
    const done = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      resolve();
    };
    options.signal.addEventListener('abort', close, { once: true });
    const w: FakeWatch = {
      options,
      send: (event) => {
        if (!closed) onEvent(event);
      },
      end: close,
      fail: (e) => {
        if (closed) return;
        closed = true;
        reject(e);
      },
      get closed() {
        return closed;
      },
    };
    this.watches.push(w);
    return { done, close };
  }

  /** The newest watch. */
  get current(): FakeWatch | undefined {
    return this.watches[this.watches.length - 1];
  }
}

export const gone = () => new StatusError(410, 'Expired', 'too old resource version');

export const expiredEvent = (): WatchEvent<TestObject> => ({
  type: 'ERROR',
  object: { kind: 'Status', apiVersion: 'v1', metadata: { name: '' }, status: 'Failure', reason: 'Expired', message: 'too old resource version: 1 (50)', code: 410 } as unknown as TestObject,
});

export const bookmark = (rv: number | string): WatchEvent<TestObject> => ({ type: 'BOOKMARK', object: { metadata: { name: '', resourceVersion: String(rv) } } });

/** Waits until `fn` returns true, polling every few ms. */
export async function until(what: string, fn: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!fn()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}
