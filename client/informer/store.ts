/**
 * The informer's cache: objects by key, plus indices (client-go's ThreadSafeStore + Indexer).
 *
 * Invariants:
 *   - for every index name and value, index[name][value] is exactly the set of keys whose
 *     current object the index function files under that value;
 *   - every change (set, delete) runs synchronously, so a reader on the event loop never sees an
 *     object without its index entries or the reverse ("thread-safe" in a single-threaded world);
 *   - objects are shared with every reader and never mutated by the store; the informer freezes
 *     them, so copy (structuredClone) before modifying.
 */
import type { KubeObject } from '../../api/kinds/kind';
import { byNamespace, namespaceIndex, type IndexFunc, type Indexers } from './indexers';
import { objectKey } from './keys';

/** The read side of a store, which listers and consumers get. */
export interface ReadonlyIndexer<T> {
  get(key: string): T | undefined;
  list(): T[];
  keys(): string[];
  readonly size: number;
  /** Objects filed under `value` by index `indexName` (throws for an unknown index). */
  byIndex(indexName: string, value: string): T[];
  /** Keys filed under `value` by index `indexName`. */
  indexKeys(indexName: string, value: string): string[];
  /** The values index `indexName` has entries for. */
  indexValues(indexName: string): string[];
  hasIndex(indexName: string): boolean;
}

export interface ThreadSafeStoreOptions<T> {
  /** Indices besides `namespace`, which every store has. */
  readonly indexers?: Indexers<T>;
  /** Where an index function's error goes (the object is then filed under no value). */
  readonly onIndexError?: (err: unknown, indexName: string, key: string) => void;
}

export class ThreadSafeStore<T extends KubeObject> implements ReadonlyIndexer<T> {
  private readonly items = new Map<string, T>();
  private readonly indexers = new Map<string, IndexFunc<T>>();
  /** index name → value → keys */
  private readonly indices = new Map<string, Map<string, Set<string>>>();
  private readonly onIndexError: (err: unknown, indexName: string, key: string) => void;

  constructor(options: ThreadSafeStoreOptions<T> = {}) {
    this.onIndexError = options.onIndexError ?? (() => {});
    this.addIndexers({ [namespaceIndex]: byNamespace, ...options.indexers });
  }

  /**
   * Adds indices (built at once over the current contents). Adding the same function under the
   * same name again is a no-op; another function under a taken name throws.
   */
  addIndexers(indexers: Indexers<T>): void {
    for (const [name, fn] of Object.entries(indexers)) {
      const existing = this.indexers.get(name);
      if (existing === fn) continue;
      if (existing) throw new Error(`index ${JSON.stringify(name)} already exists with another function`);
      this.indexers.set(name, fn);
      const index = new Map<string, Set<string>>();
      this.indices.set(name, index);
      for (const [key, obj] of this.items) for (const v of this.values(name, fn, obj, key)) addTo(index, v, key);
    }
  }

  get(key: string): T | undefined {
    return this.items.get(key);
  }

  list(): T[] {
    return [...this.items.values()];
  }

  keys(): string[] {
    return [...this.items.keys()];
  }

  get size(): number {
    return this.items.size;
  }

  /** Stores `obj` under its key; returns the object it replaced. */
  set(obj: T, key = objectKey(obj)): T | undefined {
    const old = this.items.get(key);
    this.items.set(key, obj);
    this.reindex(key, old, obj);
    return old;
  }

  /** Removes the object under `key`; returns it. */
  delete(key: string): T | undefined {
    const old = this.items.get(key);
    if (old === undefined) return undefined;
    this.items.delete(key);
    this.reindex(key, old, undefined);
    return old;
  }

  hasIndex(indexName: string): boolean {
    return this.indices.has(indexName);
  }

  indexKeys(indexName: string, value: string): string[] {
    return [...(this.index(indexName).get(value) ?? [])];
  }

  byIndex(indexName: string, value: string): T[] {
    const keys = this.index(indexName).get(value);
    if (!keys) return [];
    const out: T[] = [];
    for (const key of keys) out.push(this.items.get(key)!);
    return out;
  }

  indexValues(indexName: string): string[] {
    return [...this.index(indexName).keys()];
  }

  private index(indexName: string): Map<string, Set<string>> {
    const index = this.indices.get(indexName);
    if (!index) throw new Error(`no index named ${JSON.stringify(indexName)}`);
    return index;
  }

  private reindex(key: string, old: T | undefined, obj: T | undefined): void {
    for (const [name, fn] of this.indexers) {
      const index = this.indices.get(name)!;
      const before = old === undefined ? [] : this.values(name, fn, old, key);
      const after = obj === undefined ? [] : this.values(name, fn, obj, key);
      if (before.length === 1 && after.length === 1 && before[0] === after[0]) continue;
      for (const v of before) if (!after.includes(v)) removeFrom(index, v, key);
      for (const v of after) addTo(index, v, key);
    }
  }

  private values(name: string, fn: IndexFunc<T>, obj: T, key: string): readonly string[] {
    try {
      return fn(obj);
    } catch (err) {
      this.onIndexError(err, name, key);
      return [];
    }
  }
}

function addTo(index: Map<string, Set<string>>, value: string, key: string): void {
  let keys = index.get(value);
  if (!keys) index.set(value, (keys = new Set()));
  keys.add(key);
}

function removeFrom(index: Map<string, Set<string>>, value: string, key: string): void {
  const keys = index.get(value);
  if (!keys) return;
  keys.delete(key);
  if (keys.size === 0) index.delete(value);
}
