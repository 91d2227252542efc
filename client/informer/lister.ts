/**
 * A lister reads an informer's cache: never the API server. What it returns is shared and frozen:
 * copy an object before changing it.
 */
import type { KubeObject } from '../../api/kinds/kind';
import { matches, parseLabelSelector, type Requirement } from '../../api/labels/selector';
import { namespaceIndex } from './indexers';
import { keyOf } from './keys';
import type { ReadonlyIndexer } from './store';

export class Lister<T extends KubeObject> {
  constructor(private readonly indexer: ReadonlyIndexer<T>) {}

  /**
   * Objects in `namespace` (undefined: every namespace) whose labels match `selector` (a label
   * selector string such as `app=web,tier!=db`, or parsed requirements; undefined: all).
   */
  list(namespace?: string, selector?: string | readonly Requirement[]): T[] {
    const objs = namespace === undefined ? this.indexer.list() : this.indexer.byIndex(namespaceIndex, namespace);
    const reqs = typeof selector === 'string' ? parseLabelSelector(selector) : selector;
    if (!reqs || reqs.length === 0) return objs;
    return objs.filter((o) => matches(reqs, o.metadata?.labels));
  }

  /** The object `name` in `namespace` (undefined or '' for cluster-scoped kinds). */
  get(namespace: string | undefined, name: string): T | undefined {
    return this.indexer.get(keyOf(namespace, name));
  }

  /** Objects an index files under `value`, e.g. byIndex(nodeNameIndex, 'n1'). */
  byIndex(indexName: string, value: string): T[] {
    return this.indexer.byIndex(indexName, value);
  }
}
