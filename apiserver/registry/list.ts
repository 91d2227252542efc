/**
 * Lists, with Kubernetes' resourceVersion semantics:
 *   ""              consistent: read from etcd at its latest revision, in pages of `limit`;
 *   "0"             any state: served whole from the watch cache;
 *   N               not older than N: the cache if it has reached N, else etcd;
 *   N with Exact    exactly revision N, from etcd (410 once compacted).
 * Every page of a paged list is read at the first page's revision, so the pages form one
 * consistent snapshot; the continue token carries that revision.
 */
import { apiVersionOf } from '../../api/kinds/kind';
import { badRequest, expired } from '../../api/status';
import { ExpiredError, type StoredObject } from '../storage/interface';
import { decodeContinue, encodeContinue } from './continueToken';
import { compileSelection, type SelectorParams } from './selection';
import { parseResourceVersion, type ResourceStore } from './store';

export interface ListParams extends SelectorParams {
  readonly limit?: number | undefined;
  readonly continue?: string | undefined;
  readonly resourceVersion?: string | undefined;
  readonly resourceVersionMatch?: string | undefined;
}

export interface ObjectList {
  readonly kind: string;
  readonly apiVersion: string;
  readonly metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  readonly items: StoredObject[];
}

const expiredContinueMessage =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, ' +
  'or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an ' +
  'inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';

export async function listObjects(store: ResourceStore, namespace: string | undefined, params: ListParams): Promise<ObjectList> {
  const { predicate } = compileSelection(store.kind, params);
  const rv = parseResourceVersion(params.resourceVersion);
  // The combinations of resourceVersion, resourceVersionMatch and continue were validated with the request.
  const match = params.resourceVersionMatch || undefined;
  if (params.continue && rv !== undefined && rv !== 0) throw badRequest('specifying resource version is not allowed when using continue');
  if (params.limit !== undefined && (!Number.isInteger(params.limit) || params.limit < 0)) throw badRequest('limit: Invalid value: must be a non-negative integer');

  const list = (items: StoredObject[], metadata: ObjectList['metadata']): ObjectList => ({
    kind: store.kind.listKind,
    apiVersion: apiVersionOf(store.kind),
    metadata,
    items,
  });
  const prefix = store.prefix(namespace);

  if (!params.continue && rv !== undefined && match !== 'Exact' && (rv === 0 || store.cacher.revision >= rv)) {
    const { items, revision } = await store.cacher.list(prefix);
    return list(predicate ? items.filter(predicate) : items, { resourceVersion: String(revision) });
  }

  const token = params.continue ? decodeContinue(params.continue) : undefined;
  const limit = params.limit || 0;
  let revision = token ? token.revision : match === 'Exact' ? rv! : 0;
  let startAfter = token ? prefix + token.startAfter : undefined;
  const items: StoredObject[] = [];
  let more: { lastKey: string; remaining?: number } | undefined;
  try {
    for (;;) {
      const page = await store.storage.list(prefix, { limit, ...(startAfter ? { startAfter } : {}), revision });
      revision = page.revision;
      for (const item of page.items) {
        if (predicate && !predicate(item)) continue;
        items.push(item);
        if (limit && items.length === limit) break;
      }
      if (limit > 0 && items.length === limit) {
        const last = items[items.length - 1]!;
        const lastKey = store.key(last.metadata.namespace, last.metadata.name!);
        const atPageEnd = lastKey === keyOfLast(store, page.items);
        if (!atPageEnd || page.lastKey !== undefined) {
          more = { lastKey, ...(!predicate && atPageEnd && page.remaining !== undefined ? { remaining: page.remaining } : {}) };
        }
        break;
      }
      if (!page.lastKey) break;
      startAfter = page.lastKey;
    }
  } catch (err) {
    if (!(err instanceof ExpiredError)) throw err;
    if (token) throw expired(expiredContinueMessage, encodeContinue({ revision: 0, startAfter: token.startAfter }));
    throw expired(`The resourceVersion for the provided list is too old.`);
  }
  const metadata: ObjectList['metadata'] = { resourceVersion: String(revision) };
  if (more) {
    metadata.continue = encodeContinue({ revision, startAfter: more.lastKey.slice(prefix.length) });
    if (more.remaining !== undefined) metadata.remainingItemCount = more.remaining;
  }
  return list(items, metadata);
}

function keyOfLast(store: ResourceStore, items: readonly StoredObject[]): string | undefined {
  const last = items[items.length - 1];
  return last ? store.key(last.metadata.namespace, last.metadata.name!) : undefined;
}
