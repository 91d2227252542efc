/**
 * Helpers of the list and watch integration tests: config maps to list and watch, and a watch
 * that records its events and lets a test wait for them.
 */
import type { RestClient, Watch, WatchEvent } from '../../client/restClient';
import type { Meta, Obj } from './helpers';

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
