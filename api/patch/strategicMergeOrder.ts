/**
 * The order of a merged list, as strategicpatch computes it: the elements the patch mentions
 * (in the patch list, or in its `$setElementOrder/<list>` directive) take the patch's order; the
 * elements only the server has keep their relative order and are interleaved by their place in
 * the live list (normalizeElementOrder, mergeSortedSlice). The precedence is $setElementOrder,
 * then the order of the patch list, then the order of the live list.
 *
 * Elements of a list of objects are identified by the merge key's value; primitives by value.
 */
import { isPlainObject } from '../schema/walk';
import { badArgType, goValue, mergeFailure, noMergeKey } from './strategicMergeErrors';
import { hasOwn, own } from './ownMembers';

export const directiveMarker = '$patch';

/** What the elements of a list are: objects, or primitives. */
export type ElementKind = 'map' | 'primitive';

/**
 * Splits `merged` into the elements present in `partitionBy` and the others (partitionMapsByPresentInList,
 * partitionPrimitivesByPresentInList).
 */
export function partitionByPresence(merged: readonly unknown[], partitionBy: readonly unknown[], mergeKey: string): [unknown[], unknown[]] {
  const present: unknown[] = [];
  const others: unknown[] = [];
  if (!mergeKey) {
    const inPatch = new Set(partitionBy);
    for (const v of merged) (inPatch.has(v) ? present : others).push(v);
    return [present, others];
  }
  for (const v of merged) {
    if (!isPlainObject(v)) throw badArgType('map', v);
    if (!hasOwn(v, mergeKey)) throw noMergeKey(v, mergeKey);
    (indexByMergeKey(partitionBy, mergeKey, v[mergeKey]) >= 0 ? present : others).push(v);
  }
  return [present, others];
}

/** The index of the first object in `list` whose `mergeKey` is `value` (findMapInSliceBasedOnKeyValue). */
export function indexByMergeKey(list: readonly unknown[], mergeKey: string, value: unknown): number {
  for (let i = 0; i < list.length; i++) {
    const v = list[i];
    if (!isPlainObject(v)) throw mergeFailure(`value for key ${i} is not a map`);
    if (hasOwn(v, mergeKey) && v[mergeKey] === value) return i;
  }
  return -1;
}

/**
 * The patch's elements in `patchOrder`, the server-only elements in `serverOrder`, merged so that
 * both keep their relative order (normalizeElementOrder).
 */
export function normalizeElementOrder(
  patchItems: unknown[],
  serverOnly: unknown[],
  patchOrder: readonly unknown[],
  serverOrder: readonly unknown[],
  mergeKey: string,
  kind: ElementKind,
): unknown[] {
  const patch = normalizeSliceOrder(patchItems, patchOrder, mergeKey, kind);
  const server = normalizeSliceOrder(serverOnly, serverOrder, mergeKey, kind);
  return mergeSortedSlice(server, patch, serverOrder, mergeKey, kind);
}

/**
 * Inserts each server-only element (`left`) before the first patch element (`right`) that comes
 * after it in the live list; a patch element the live list does not have goes first.
 */
function mergeSortedSlice(left: readonly unknown[], right: readonly unknown[], serverOrder: readonly unknown[], mergeKey: string, kind: ElementKind): unknown[] {
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++]);
    else if (j >= right.length) out.push(left[i++]);
    else {
      const li = indexOf(serverOrder, left[i], mergeKey, kind);
      const ri = indexOf(serverOrder, right[j], mergeKey, kind);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
      else out.push(right[j++]);
    }
  }
  return out;
}

/**
 * `toSort` stably sorted by the place of each element in `order`; for objects, the elements
 * carrying `$patch: delete` go last (normalizeSliceOrder).
 */
function normalizeSliceOrder(toSort: unknown[], order: readonly unknown[], mergeKey: string, kind: ElementKind): unknown[] {
  let kept = toSort;
  let deleted: unknown[] = [];
  if (kind === 'map') {
    requireMergeKey(mergeKey, toSort);
    requireMergeKey(mergeKey, order);
    [kept, deleted] = splitDeletions(toSort);
  }
  // Elements missing from `order` (not reachable with a consistent patch) keep their place after the others.
  const rank = (v: unknown) => {
    const i = indexOf(order, v, mergeKey, kind);
    return i < 0 ? Number.POSITIVE_INFINITY : i;
  };
  const sorted = kept
    .map((v, at) => ({ v, at, rank: rank(v) }))
    .sort((a, b) => (a.rank === b.rank ? a.at - b.at : a.rank < b.rank ? -1 : 1))
    .map((e) => e.v);
  return [...sorted, ...deleted];
}

/** The elements of a patch list without and with `$patch: delete` (extractToDeleteItems). */
export function splitDeletions(list: readonly unknown[]): [unknown[], unknown[]] {
  const kept: unknown[] = [];
  const deleted: unknown[] = [];
  for (const v of list) {
    if (!isPlainObject(v)) throw badArgType('map', v);
    (own(v, directiveMarker) === 'delete' ? deleted : kept).push(v);
  }
  return [kept, deleted];
}

/**
 * Checks that the elements a patch list names appear in its `$setElementOrder` list, in the same
 * relative order (validatePatchWithSetOrderList). Deletions and other directives are not named.
 */
export function checkSetElementOrder(patchList: readonly unknown[], setOrder: readonly unknown[], mergeKey: string): void {
  if (!setOrder.length || !patchList.length) return;
  const named = mergeKey ? splitDeletions(patchList)[0] : patchList;
  let p = 0;
  let s = 0;
  while (p < named.length && s < setOrder.length) {
    const element = named[p];
    if (isPlainObject(element) && hasOwn(element, directiveMarker)) {
      p++;
      continue;
    }
    if (mergeKeyValueEqual(element, setOrder[s], mergeKey)) p++;
    s++;
  }
  if (p < named.length && s >= setOrder.length) {
    throw mergeFailure(`the order in patch list:\n${goValue(patchList)}\n doesn't match $setElementOrder list:\n${goValue(setOrder)}`);
  }
}

function mergeKeyValueEqual(left: unknown, right: unknown, mergeKey: string): boolean {
  if (!mergeKey) return left === right;
  if (!isPlainObject(left)) throw badArgType('map', left);
  if (!isPlainObject(right)) throw badArgType('map', right);
  if (!hasOwn(left, mergeKey)) throw noMergeKey(left, mergeKey);
  if (!hasOwn(right, mergeKey)) throw noMergeKey(right, mergeKey);
  return left[mergeKey] === right[mergeKey];
}

function requireMergeKey(mergeKey: string, list: readonly unknown[]): void {
  for (const v of list) {
    if (!isPlainObject(v)) throw badArgType('map', v);
    if (!hasOwn(v, mergeKey)) throw noMergeKey(v, mergeKey);
  }
}

/** The place of `value` in `list`: by merge key for objects, by value for primitives (-1 when absent). */
function indexOf(list: readonly unknown[], value: unknown, mergeKey: string, kind: ElementKind): number {
  const id = (v: unknown) => (kind === 'map' ? (isPlainObject(v) ? own(v, mergeKey) : undefined) : v);
  const wanted = id(value);
  return list.findIndex((v) => id(v) === wanted);
}
