/**
 * Shared helpers of the list and watch integration tests: objects, namespaces, polls with
 * deadlines, and a watch that records its events and lets a test wait for them.
 */
import type { RestClient, Watch, WatchEvent } from '../../client/restClient';

export interface Meta {
  name: string;
  namespace?: string;
  resourceVersion: string;
  uid: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface Obj {
  kind?: string;
  apiVersion?: string;
  metadata: Meta;
  data?: Record<string, string>;
  [key: string]: unknown;
}

export interface ListOf<T = Obj> {
  kind: string;
  apiVersion: string;
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  items: T[];
}

export interface StatusBody {
  kind: string;
  apiVersion: string;
  metadata: { continue?: string; resourceVersion?: string };
  status: string;
  message: string;
  reason: string;
  code: number;
  details?: { name?: string; group?: string; kind?: string; causes?: { reason?: string; message?: string; field?: string }[] };
}

let counter = 0;
/** A name unique within the test file (DNS-1123). */
export function uniqueName(base: string): string {
  counter++;
  return `${base}-${counter}`;
}

export async function createNamespace(c: RestClient, base: string): Promise<string> {
  const name = uniqueName(base);
  await c.create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  return name;
}

export function configMap(name: string, labels?: Record<string, string>, data?: Record<string, string>): Obj {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, ...(labels ? { labels } : {}) } as Meta,
    ...(data ? { data } : {}),
  };
}

export function createConfigMap(c: RestClient, ns: string, name: string, labels?: Record<string, string>, data?: Record<string, string>): Promise<Obj> {
  return c.create<Obj>(`/api/v1/namespaces/${ns}/configmaps`, configMap(name, labels, data));
}

export const names = (items: readonly Obj[]): string[] => items.map((o) => o.metadata.name);

/** Calls `fn` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(what: string, fn: () => Promise<T | undefined> | T | undefined, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A watch whose events are recorded; tests wait for them with deadlines. */
export class RecordedWatch<T = Obj> {
  readonly events: WatchEvent<T>[] = [];
  private waiters: (() => void)[] = [];
  private watch!: Watch;
  ended = false;

  static async open<T = Obj>(c: RestClient, path: string, query: Record<string, string | number | boolean | undefined>): Promise<RecordedWatch<T>> {
    const w = new RecordedWatch<T>();
    w.watch = await c.watch<T>(path, query, (e) => {
      w.events.push(e);
      w.notify();
    });
    void w.watch.done.then(
      () => {
        w.ended = true;
        w.notify();
      },
      () => {
        w.ended = true;
        w.notify();
      },
    );
    return w;
  }

  /** Events other than bookmarks. */
  get changes(): WatchEvent<T>[] {
    return this.events.filter((e) => e.type !== 'BOOKMARK');
  }

  get bookmarks(): WatchEvent<T>[] {
    return this.events.filter((e) => e.type === 'BOOKMARK');
  }

  get done(): Promise<void> {
    return this.watch.done;
  }

  /** Waits until `predicate` holds over the recorded events. */
  async waitFor(what: string, predicate: (events: readonly WatchEvent<T>[]) => boolean, timeoutMs = 5_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.events)) {
      if (this.ended) throw new Error(`the server ended the stream before ${what}; got ${JSON.stringify(this.events.map((e) => describe(e)))}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; got ${JSON.stringify(this.events.map((e) => describe(e)))}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Waits for at least `n` non-bookmark events. */
  waitForChanges(n: number, timeoutMs = 5_000): Promise<void> {
    return this.waitFor(`${n} events`, (events) => events.filter((e) => e.type !== 'BOOKMARK').length >= n, timeoutMs);
  }

  /** Waits until the server ends the stream. */
  waitForEnd(timeoutMs = 5_000): Promise<void> {
    return this.waitFor('the end of the stream', () => this.ended, timeoutMs);
  }

  close(): void {
    this.watch.close();
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}

/** "TYPE name" of an event (kind for bookmarks and errors). */
export function describe(e: WatchEvent<unknown>): string {
  const o = e.object as { kind?: string; metadata?: { name?: string } };
  return `${e.type} ${o.metadata?.name ?? o.kind ?? ''}`;
}

/** "TYPE name" of each non-bookmark event. */
export function describeChanges(events: readonly WatchEvent<unknown>[]): string[] {
  return events.filter((e) => e.type !== 'BOOKMARK').map(describe);
}

/** The value of one series of a metric in Prometheus text format (undefined when absent). */
export function metricValue(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)/.exec(line);
    if (!m || m[1] !== name) continue;
    const have: Record<string, string> = {};
    for (const l of (m[3] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) have[l[1]!] = l[2]!;
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[4]);
  }
  return undefined;
}
