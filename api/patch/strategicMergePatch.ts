/**
 * Strategic merge patch (application/strategic-merge-patch+json) for built-in kinds, as
 * Kubernetes' API server applies it (k8s.io/apimachinery/pkg/util/strategicpatch
 * StrategicMergeMapPatch, which merges parallel lists and ignores unmatched nulls):
 *   - objects merge recursively and `null` deletes a key; maps (labels) merge key by key;
 *   - lists merge by the field's patch strategy and merge key (strategicMergeList.ts), in the
 *     order strategicMergeOrder.ts computes;
 *   - directives: `$patch: replace` (the object or list is the patch's), `$patch: delete` (the
 *     object is emptied; in a list, the element with that merge key goes), `$retainKeys` (keys not
 *     listed are cleared, sent by clients for retainKeys fields such as Deployment.spec.strategy
 *     and volume sources), `$setElementOrder/<list>` (the order of the merged list) and
 *     `$deleteFromPrimitiveList/<list>` (values to remove from a list of primitives);
 *   - a field with strategy "replace" (PodDisruptionBudget.spec.selector) takes the patch's value.
 * Errors are answered as Kubernetes answers them (strategicMergeErrors.ts).
 */
import { cloneJson } from '../util/cloneJson';
import type { Schema } from '../schema/schema';
import { isPlainObject } from '../schema/walk';
import { badArgType, badFormat, badPatchFormat, badPatchType } from './strategicMergeErrors';
import { lookupForMap, lookupForSlice, type PatchMeta } from './strategicMergeMeta';
import { elementKind, jsonType, mergeList } from './strategicMergeList';
import { checkSetElementOrder, directiveMarker, normalizeElementOrder, partitionByPresence } from './strategicMergeOrder';
import { hasOwn, setOwn } from './ownMembers';

type JsonObject = Record<string, unknown>;

const retainKeysDirective = '$retainKeys';
const setElementOrderPrefix = '$setElementOrder';
const deleteFromPrimitiveListPrefix = '$deleteFromPrimitiveList';

/** `original` (a stored object of the kind described by `schema`) patched by `patch`. Neither is modified. */
export function applyStrategicMergePatch(schema: Schema, original: unknown, patch: Record<string, unknown>): unknown {
  const live = isPlainObject(original) ? cloneJson(original) : {};
  return mergeObject(live, cloneJson(patch), schema);
}

/** mergeMap: merges `patch` into `live`, both owned by the merge (mutated and reused in the result). */
function mergeObject(live: JsonObject, patch: JsonObject, schema: Schema | undefined): JsonObject {
  if (hasOwn(patch, directiveMarker)) return objectDirective(patch);
  applyRetainKeys(live, patch);
  applySetElementOrder(live, patch, schema);
  const deletionLists: [string, unknown][] = [];
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith(deleteFromPrimitiveListPrefix)) deletionLists.push([listKeyOf(key, deleteFromPrimitiveListPrefix) || key, value]);
    else mergeField(live, key, value, schema, false);
  }
  // After the additions to the same lists: Kubernetes walks the patch in Go's random map order,
  // so a value both added and deleted has no defined outcome there; here deletion wins.
  for (const [key, value] of deletionLists) mergeField(live, key, value, schema, true);
  return live;
}

/** One member of a patched object: `value` merged into `live[key]`. */
function mergeField(live: JsonObject, key: string, value: unknown, schema: Schema | undefined, isDeleteList: boolean): void {
  if (value === null) {
    delete live[key];
    return;
  }
  const current = hasOwn(live, key) ? live[key] : undefined;
  if (current === undefined || jsonType(current) !== jsonType(value)) {
    // A new value (or one of another type) is taken as it is, without its nulls and directives.
    if (isDeleteList) return;
    dropNulls(value);
    setOrDelete(live, key, withoutDirectives(value));
    return;
  }
  if (isPlainObject(current)) {
    const meta = lookupForMap(schema, key);
    setOwn(live, key, meta.strategy === 'replace' ? value : mergeObject(current, value as JsonObject, meta.schema));
  } else if (Array.isArray(current)) {
    setOwn(live, key, mergeList(current, value as unknown[], lookupForSlice(schema, key), isDeleteList, mergeObject));
  } else {
    setOwn(live, key, value);
  }
}

/** An object carrying `$patch` (handleDirectiveInMergeMap). */
function objectDirective(patch: JsonObject): JsonObject {
  const directive = patch[directiveMarker];
  if (directive === 'replace') {
    delete patch[directiveMarker];
    return patch;
  }
  if (directive === 'delete') return {};
  throw badPatchType(directive, patch);
}

/**
 * `$retainKeys`: clears the live keys not listed. Every key the patch sets must be listed
 * (applyRetainKeysDirective).
 */
function applyRetainKeys(live: JsonObject, patch: JsonObject): void {
  if (!hasOwn(patch, retainKeysDirective)) return;
  const retained = patch[retainKeysDirective];
  delete patch[retainKeysDirective];
  if (!Array.isArray(retained)) throw badFormat(badPatchFormat.retainKeys);
  const keep = new Set<unknown>(retained);
  for (const [key, value] of Object.entries(patch)) {
    if (value === null || key.startsWith(deleteFromPrimitiveListPrefix) || key.startsWith(setElementOrderPrefix)) continue;
    if (!keep.has(key)) throw badFormat(badPatchFormat.retainKeys);
  }
  for (const key of Object.keys(live)) if (!keep.has(key)) delete live[key];
}

/**
 * `$setElementOrder/<list>`: merges the patch's `<list>` (if any) into the live one and orders the
 * result by the directive (mergePatchIntoOriginal). Both are then done: `<list>` leaves the patch.
 */
function applySetElementOrder(live: JsonObject, patch: JsonObject, schema: Schema | undefined): void {
  for (const directiveKey of Object.keys(patch)) {
    if (!directiveKey.startsWith(setElementOrderPrefix)) continue;
    const order = patch[directiveKey];
    delete patch[directiveKey];
    if (!Array.isArray(order)) throw badArgType('slice', order);
    const key = listKeyOf(directiveKey, setElementOrderPrefix);
    const liveList = listMember(live, key);
    const patchList = listMember(patch, key);
    const meta: PatchMeta = lookupForSlice(schema, key);
    checkSetElementOrder(patchList ?? [], order, meta.mergeKey);
    let merged: unknown[];
    if (liveList && patchList) merged = mergeList(liveList, patchList, meta, false, mergeObject);
    else if (patchList) merged = withoutDirectives(patchList) as unknown[];
    else if (liveList) merged = liveList;
    else continue;
    const [named, serverOnly] = partitionByPresence(merged, order, meta.mergeKey);
    const kind = elementKind(liveList ?? [], patchList ?? []);
    setOwn(live, key, normalizeElementOrder(named, serverOnly, order, liveList ?? [], meta.mergeKey, kind));
    delete patch[key];
  }
}

/** `obj[key]` when present, which must be a list. */
function listMember(obj: JsonObject, key: string): unknown[] | undefined {
  if (!hasOwn(obj, key)) return undefined;
  const value = obj[key];
  if (!Array.isArray(value)) throw badArgType('slice', value);
  return value;
}

/** The list a parallel-list directive key names: `$setElementOrder/containers` → `containers` (extractKey). */
function listKeyOf(directiveKey: string, prefix: typeof setElementOrderPrefix | typeof deleteFromPrimitiveListPrefix): string {
  const slash = directiveKey.indexOf('/');
  if (slash < 0 || directiveKey.slice(0, slash) !== prefix) {
    throw badFormat(prefix === setElementOrderPrefix ? badPatchFormat.setElementOrder : badPatchFormat.primitiveList);
  }
  return directiveKey.slice(slash + 1);
}

/**
 * `value` without the objects carrying `$patch` (removeDirectives): a directive has nothing to act
 * on in a value the live object does not have. Undefined when `value` itself is such an object.
 */
function withoutDirectives(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutDirectives).filter((v) => v !== undefined);
  if (!isPlainObject(value)) return value;
  if (hasOwn(value, directiveMarker)) return undefined;
  for (const [key, v] of Object.entries(value)) setOrDelete(value, key, withoutDirectives(v));
  return value;
}

/** Removes null members from the objects in `value`, at any depth (discardNullValuesFromPatch). */
function dropNulls(value: unknown): void {
  if (Array.isArray(value)) value.forEach(dropNulls);
  else if (isPlainObject(value)) {
    for (const [key, v] of Object.entries(value)) {
      if (v === null) delete value[key];
      else dropNulls(v);
    }
  }
}

function setOrDelete(obj: JsonObject, key: string, value: unknown): void {
  if (value === undefined) delete obj[key];
  else setOwn(obj, key, value);
}
