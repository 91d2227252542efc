/**
 * Lists in a strategic merge patch (strategicpatch mergeSliceHandler, mergeSlice). A list whose
 * field has patch strategy "merge" merges with the live list:
 *   - objects by their merge key: an element with a known key merges into the live one, a new one
 *     is added; `{"<key>": v, "$patch": "delete"}` deletes the elements with that key;
 *     `{"$patch": "replace"}` makes the patch's elements the whole list;
 *   - primitives as a set: the union, without duplicates; the parallel list
 *     `$deleteFromPrimitiveList/<list>` removes values.
 * Any other list is replaced by the patch's. The result's order is strategicMergeOrder's.
 */
import { isPlainObject } from '../schema/walk';
import type { Schema } from '../schema/schema';
import type { PatchMeta } from './strategicMergeMeta';
import { badPatchType, goValue, listOfLists, mergeFailure, noMergeKey } from './strategicMergeErrors';
import { directiveMarker, indexByMergeKey, normalizeElementOrder, partitionByPresence, type ElementKind } from './strategicMergeOrder';
import { hasOwn } from './ownMembers';

/** Merges one element of a list of objects into the live one (mergeMap, injected to keep the modules acyclic). */
export type MergeElement = (live: Record<string, unknown>, patch: Record<string, unknown>, schema: Schema | undefined) => Record<string, unknown>;

/**
 * The live list `original` patched by `patch` for a field described by `meta`. `isDeleteList`:
 * `patch` is a `$deleteFromPrimitiveList` list, which deletes whatever the field's strategy.
 */
export function mergeList(original: unknown[], patch: unknown[], meta: PatchMeta, isDeleteList: boolean, mergeElement: MergeElement): unknown[] {
  if (meta.strategy !== 'merge' && !isDeleteList) return patch;
  if (!original.length && !patch.length) return original;
  const kind = elementKind(original, patch);
  let live = original;
  let named = patch;
  let merged: unknown[];
  if (kind === 'primitive') {
    if (isDeleteList) {
      const deleted = new Set(patch);
      return original.filter((v) => !deleted.has(v));
    }
    merged = withoutDuplicates([...original, ...patch]);
  } else {
    if (!meta.mergeKey) throw mergeFailure('cannot merge lists without merge key for struct');
    [live, named] = applySpecialElements(original, patch, meta.mergeKey);
    merged = mergeElements(live, named, meta.mergeKey, meta.schema, mergeElement);
  }
  const [patchItems, serverOnly] = partitionByPresence(merged, named, meta.mergeKey);
  return normalizeElementOrder(patchItems, serverOnly, named, live, meta.mergeKey, kind);
}

/**
 * Whether the elements of `lists` are objects or primitives; they must all be of one JSON type,
 * and not lists (sliceElementType).
 */
export function elementKind(...lists: readonly (readonly unknown[])[]): ElementKind {
  let first: string | undefined;
  for (const list of lists) {
    for (const v of list) {
      const type = jsonType(v);
      if (first === undefined) {
        if (type === 'slice') throw listOfLists();
        first = type;
      } else if (type !== first) {
        throw mergeFailure(`list element types are not identical: ${goValue(lists)}`);
      }
    }
  }
  if (first === undefined) throw mergeFailure('no elements in any of the given slices');
  return first === 'map' ? 'map' : 'primitive';
}

/**
 * Applies the elements carrying `$patch` (mergeSliceWithSpecialElements): deletions take
 * elements out of the live list, `replace` makes the live list the patch's other elements.
 * Returns the live list and the patch's plain elements.
 */
function applySpecialElements(original: unknown[], patch: readonly unknown[], mergeKey: string): [unknown[], unknown[]] {
  let live = original;
  const plain: unknown[] = [];
  let replace = false;
  for (const element of patch) {
    // elementKind has checked that every element is an object.
    const v = element as Record<string, unknown>;
    if (!hasOwn(v, directiveMarker)) {
      plain.push(v);
      continue;
    }
    const directive = v[directiveMarker];
    if (directive === 'delete') {
      if (!hasOwn(v, mergeKey)) throw noMergeKey(v, mergeKey);
      const key = v[mergeKey];
      live = live.filter((e) => !(isPlainObject(e) && hasOwn(e, mergeKey) && e[mergeKey] === key));
    } else if (directive === 'replace') {
      replace = true; // the other $patch elements are still pruned
    } else if (directive === 'merge') {
      throw mergeFailure('merging lists cannot yet be specified in the patch');
    } else {
      throw badPatchType(directive, v);
    }
  }
  return replace ? [plain, []] : [live, plain];
}

/** Merges each patch element into the live element with its key, or appends it (mergeSliceWithoutSpecialElements). */
function mergeElements(live: readonly unknown[], patch: readonly unknown[], mergeKey: string, schema: Schema | undefined, mergeElement: MergeElement): unknown[] {
  const out = [...live];
  for (const element of patch) {
    const v = element as Record<string, unknown>;
    if (!hasOwn(v, mergeKey)) throw noMergeKey(v, mergeKey);
    const at = indexByMergeKey(out, mergeKey, v[mergeKey]);
    if (at >= 0) out[at] = mergeElement(out[at] as Record<string, unknown>, v, schema);
    else out.push(v);
  }
  return out;
}

function withoutDuplicates(values: readonly unknown[]): unknown[] {
  return [...new Set(values)];
}

/** The JSON type of a value as Go's decoding tells them apart (numbers as one). */
export function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'slice';
  if (isPlainObject(v)) return 'map';
  return typeof v;
}
