/**
 * The patches client-side apply sends, as kubectl computes them: a three-way diff of the last
 * applied configuration (`original`, from the object's last-applied-configuration annotation), the
 * manifest (`modified`) and the live object (`current`). Additions and changes come from current →
 * modified; deletions are what the user removed from the manifest since the last apply (original →
 * modified), so fields set by others (controllers, defaults, `scale`) are left alone.
 *
 * For built-in kinds the patch is a strategic merge patch (strategicpatch.CreateThreeWayMergePatch):
 * merging lists are patched element by element by their merge key, with `$patch: delete` for
 * removed elements, `$deleteFromPrimitiveList/…` for removed scalars, `$setElementOrder/…` for the
 * manifest's order and `$retainKeys` for retainKeys fields. Custom resources get a JSON merge patch
 * (jsonmergepatch.CreateThreeWayJSONMergePatch): lists are replaced whole.
 */
import type { Schema } from '../../api/schema/schema';
import { lookupForMap, lookupForSlice, type PatchMeta } from '../../api/patch/strategicMergeMeta';
import { deepEqual } from '../../api/util/deepEqual';

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export interface ThreeWayOptions {
  /** Strategic (built-in kinds, with the kind's schema) or a JSON merge patch. */
  readonly strategic: boolean;
  readonly schema?: Schema;
}

/** The patch from `current` to `modified` that also removes what `original` had and `modified` has not. */
export function createThreeWayPatch(original: Json | undefined, modified: Json, current: Json, options: ThreeWayOptions): Json {
  return diffObjects(original, modified, current, options.strategic ? options.schema : undefined, options.strategic, false);
}

function meta(fn: typeof lookupForMap, schema: Schema | undefined, key: string): PatchMeta {
  try {
    return fn(schema, key);
  } catch {
    // A field the schema does not know: the server will say so; diff it without strategy.
    return { schema: undefined, strategy: '', mergeKey: '' };
  }
}

function retainsKeys(schema: Schema | undefined, key: string): boolean {
  if (!schema) return false;
  try {
    const node = schema.resolved().node;
    if (node.type !== 'object' || !Object.prototype.hasOwnProperty.call(node.properties, key)) return false;
    const field = node.properties[key]!;
    const strategy = field.meta.patchStrategy ?? field.resolved().meta.patchStrategy ?? '';
    return strategy.split(',').includes('retainKeys');
  } catch {
    return false;
  }
}

function diffObjects(original: Json | undefined, modified: Json, current: Json, schema: Schema | undefined, strategic: boolean, retainKeys: boolean): Json {
  const patch: Json = {};
  for (const [key, mod] of Object.entries(modified)) {
    const cur = Object.prototype.hasOwnProperty.call(current, key) ? current[key] : undefined;
    const orig = original && Object.prototype.hasOwnProperty.call(original, key) ? original[key] : undefined;
    if (mod === null) {
      if (cur !== undefined) patch[key] = null;
      continue;
    }
    if (cur === undefined || cur === null) {
      patch[key] = mod;
      continue;
    }
    if (isObject(mod) && isObject(cur)) {
      const m = strategic ? meta(lookupForMap, schema, key) : undefined;
      if (m?.strategy === 'replace') {
        if (!deepEqual(cur, mod)) patch[key] = mod;
        continue;
      }
      const sub = diffObjects(isObject(orig) ? orig : undefined, mod, cur, m?.schema, strategic, strategic && retainsKeys(schema, key));
      if (Object.keys(sub).length) patch[key] = sub;
      continue;
    }
    if (Array.isArray(mod) && Array.isArray(cur)) {
      if (strategic) {
        const m = meta(lookupForSlice, schema, key);
        if (m.strategy === 'merge') {
          diffMergingList(patch, key, Array.isArray(orig) ? orig : undefined, mod, cur, m);
          continue;
        }
      }
      if (!deepEqual(cur, mod)) patch[key] = mod;
      continue;
    }
    if (!deepEqual(cur, mod)) patch[key] = mod;
  }
  if (original) {
    for (const key of Object.keys(original)) {
      if (!Object.prototype.hasOwnProperty.call(modified, key) && Object.prototype.hasOwnProperty.call(current, key) && current[key] !== null) patch[key] = null;
    }
  }
  if (retainKeys && Object.keys(patch).length) {
    patch['$retainKeys'] = Object.keys(modified)
      .filter((k) => modified[k] !== null)
      .sort();
  }
  return patch;
}

function diffMergingList(patch: Json, key: string, original: unknown[] | undefined, modified: unknown[], current: unknown[], m: PatchMeta): void {
  const objects = modified.every(isObject) && current.every(isObject) && m.mergeKey !== '';
  if (!objects) {
    if (modified.some(isObject) || current.some(isObject)) {
      if (!deepEqual(current, modified)) patch[key] = modified;
      return;
    }
    // A merging list of scalars.
    const added = modified.filter((v) => !current.some((c) => deepEqual(c, v)));
    const removed = (original ?? []).filter((v) => !modified.some((x) => deepEqual(x, v)) && current.some((c) => deepEqual(c, v)));
    if (added.length) patch[key] = added;
    if (removed.length) patch[`$deleteFromPrimitiveList/${key}`] = removed;
    const currentOrder = current.filter((c) => modified.some((x) => deepEqual(x, c)));
    if (added.length || removed.length || !deepEqual(currentOrder, modified)) patch[`$setElementOrder/${key}`] = modified;
    return;
  }
  const mk = m.mergeKey;
  const keyOf = (v: unknown) => (v as Json)[mk];
  const find = (list: readonly unknown[] | undefined, k: unknown) => list?.find((e) => isObject(e) && deepEqual(keyOf(e), k)) as Json | undefined;
  const items: unknown[] = [];
  for (const mod of modified as Json[]) {
    const k = keyOf(mod);
    const cur = find(current, k);
    if (!cur) {
      items.push(mod);
      continue;
    }
    const sub = diffObjects(find(original, k), mod, cur, m.schema, true, false);
    if (Object.keys(sub).length) items.push({ ...sub, [mk]: k });
  }
  for (const orig of (original ?? []) as Json[]) {
    const k = keyOf(orig);
    if (!find(modified, k) && find(current, k)) items.push({ $patch: 'delete', [mk]: k });
  }
  const currentOrder = (current as Json[]).map(keyOf).filter((k) => find(modified, k));
  const modifiedOrder = (modified as Json[]).map(keyOf);
  if (items.length) patch[key] = items;
  if (items.length || !deepEqual(currentOrder, modifiedOrder)) patch[`$setElementOrder/${key}`] = modifiedOrder.map((k) => ({ [mk]: k }));
}
