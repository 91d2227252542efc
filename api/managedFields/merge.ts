/**
 * The two value operations of server-side apply (structured-merge-diff's Merge and RemoveItems):
 *   - merge: the applied configuration laid over the live object. Nothing is removed; a leaf
 *     takes the configuration's value; objects and maps merge field by field; list-type maps and
 *     sets merge item by item (by key or value), in the configuration's order for the items it
 *     names, live-only items staying where they were; atomic values are replaced whole.
 *   - removeItems: the value without the given fields, list items and map entries.
 * Both return new containers but share unchanged subtrees with their inputs: pass copies.
 */
import type { Schema } from '../schema/schema';
import type { FieldSet } from './fieldSet';
import { fieldElement, type Element } from './pathElement';
import { childSchema, fits, itemElement, shapeOf, type Shape } from './shape';

export function mergeValues(schema: Schema | undefined, lhs: unknown, rhs: unknown): unknown {
  if (rhs === undefined) return lhs;
  if (lhs === undefined) return rhs;
  const shape = shapeOf(schema);
  if (!fits(shape, lhs) || !fits(shape, rhs)) return rhs;
  if (shape.kind === 'list') return mergeLists(shape, lhs as unknown[], rhs as unknown[]);
  const l = lhs as Record<string, unknown>;
  const r = rhs as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(l)) out[name] = mergeValues(childSchema(shape, fieldElement(name)), value, r[name]);
  for (const [name, value] of Object.entries(r)) if (!(name in l)) out[name] = value;
  return out;
}

const duplicated = Symbol('duplicated');

/**
 * Items named by both sides appear in the applied order; items only in the live list keep their
 * place relative to them, and applied-only items come where the configuration puts them.
 */
function mergeLists(shape: Shape & { kind: 'list' }, lhs: unknown[], rhs: unknown[]): unknown[] {
  const rhsOrder = rhs.map((item, i) => itemElement(shape, item, i, false));
  const rhsItems = new Map<Element, unknown>();
  rhsOrder.forEach((e, i) => rhsItems.set(e, rhs[i]));
  const lhsOrder = lhs.map((item, i) => itemElement(shape, item, i, false));
  // A stored list may hold an item twice: the applied item then replaces every copy.
  const lhsItems = new Map<Element, unknown>();
  lhsOrder.forEach((e, i) => lhsItems.set(e, lhsItems.has(e) ? duplicated : lhs[i]));
  const live = (e: Element) => {
    const item = lhsItems.get(e);
    return item === duplicated ? undefined : item;
  };

  const shared = rhsOrder.filter((e) => lhsItems.has(e));
  let nextShared: Element | undefined = shared.shift();
  const placed = new Set<Element>();
  const out: unknown[] = [];
  const mergeItem = (l: unknown, r: unknown) => {
    const merged = mergeValues(shape.items, l, r);
    if (merged !== undefined) out.push(merged);
  };

  for (let li = 0, ri = 0; li < lhsOrder.length || ri < rhsOrder.length; ) {
    if (li < lhsOrder.length && ri < rhsOrder.length) {
      const e = lhsOrder[li]!;
      if (e === rhsOrder[ri]) {
        placed.add(e);
        mergeItem(live(e), rhsItems.get(e));
        li++;
        ri++;
        nextShared = shared.shift();
        continue;
      }
      // A shared item, but not the next one in the applied order: it is placed when that order reaches it.
      if (rhsItems.has(e) && nextShared !== undefined && nextShared !== e) {
        li++;
        continue;
      }
    }
    if (li < lhsOrder.length) {
      const e = lhsOrder[li]!;
      if (!rhsItems.has(e)) {
        mergeItem(lhs[li], undefined);
        li++;
        continue;
      }
      if (placed.has(e)) {
        li++;
        continue;
      }
    }
    if (ri < rhsOrder.length) {
      const e = rhsOrder[ri]!;
      placed.add(e);
      mergeItem(live(e), rhsItems.get(e));
      ri++;
      if (nextShared === e) nextShared = shared.shift();
    }
  }
  return out;
}

/**
 * The value without the paths of `set` that are members (a member removes its whole subtree).
 * A map, object or list left empty by the removal is removed too (undefined), as Kubernetes
 * stores it as null.
 */
export function removeItems(schema: Schema | undefined, value: unknown, set: FieldSet): unknown {
  const shape = shapeOf(schema);
  if (!fits(shape, value)) return value;
  if (shape.kind === 'list') {
    const out: unknown[] = [];
    (value as unknown[]).forEach((item, i) => {
      const e = itemElement(shape, item, i, false);
      if (set.hasMember(e)) return;
      const below = set.child(e);
      const kept = below ? removeItems(shape.items, item, below) : item;
      if (kept !== undefined) out.push(kept);
    });
    return out.length > 0 ? out : undefined;
  }
  const out: Record<string, unknown> = {};
  for (const [name, fieldValue] of Object.entries(value as Record<string, unknown>)) {
    const e = fieldElement(name);
    if (set.hasMember(e)) continue;
    const below = set.child(e);
    const kept = below ? removeItems(childSchema(shape, e), fieldValue, below) : fieldValue;
    if (kept !== undefined) out[name] = kept;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}
