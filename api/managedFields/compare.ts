/**
 * What changed between two versions of an object, field by field (structured-merge-diff's
 * Compare): leaves added, modified or removed, and list items, map entries and objects that
 * appeared or disappeared as a whole. Atomic values compare as one leaf.
 */
import type { Schema } from '../schema/schema';
import { deepEqual } from '../util/deepEqual';
import { FieldSet } from './fieldSet';
import { fieldElement, type Element, type FieldPath } from './pathElement';
import { childSchema, fits, itemElement, shapeOf, type Shape } from './shape';

export interface Comparison {
  readonly added: FieldSet;
  readonly modified: FieldSet;
  readonly removed: FieldSet;
}

export function compareObjects(schema: Schema, lhs: unknown, rhs: unknown): Comparison {
  const c = { added: new FieldSet(), modified: new FieldSet(), removed: new FieldSet() };
  walk(schema, lhs, rhs, [], c);
  return c;
}

export function isSame(c: Comparison): boolean {
  return c.added.empty && c.modified.empty && c.removed.empty;
}

/** The comparison restricted by `keep` (e.g. to what a subresource may change). */
export function filterComparison(c: Comparison, keep: (set: FieldSet) => FieldSet): Comparison {
  return { added: keep(c.added), modified: keep(c.modified), removed: keep(c.removed) };
}

function walk(schema: Schema | undefined, lhs: unknown, rhs: unknown, path: FieldPath, c: Comparison): void {
  if (lhs === undefined && rhs === undefined) return;
  const shape = shapeOf(schema);
  const leaf =
    shape.kind === 'leaf' ||
    (lhs !== undefined && !fits(shape, lhs)) ||
    (rhs !== undefined && !fits(shape, rhs)) ||
    // Both empty (or absent): one leaf, so that `{}` versus absent still shows.
    (isEmpty(lhs) && isEmpty(rhs));
  if (leaf) {
    if (lhs === undefined) c.added.insert(path);
    else if (rhs === undefined) c.removed.insert(path);
    else if (!deepEqual(lhs, rhs)) c.modified.insert(path);
    return;
  }
  for (const [element, l, r] of zipChildren(shape, lhs, rhs)) walk(childSchema(shape, element), l, r, [...path, element], c);
  // A container that appeared or disappeared as a whole.
  if (lhs === undefined) c.added.insert(path);
  else if (rhs === undefined) c.removed.insert(path);
}

/** The children of both sides, by element; list items by their first occurrence. */
function zipChildren(shape: Shape, lhs: unknown, rhs: unknown): [Element, unknown, unknown][] {
  if (shape.kind === 'list') {
    const index = (list: unknown): Map<Element, unknown> => {
      const items = new Map<Element, unknown>();
      if (Array.isArray(list)) list.forEach((item, i) => {
        const element = itemElement(shape, item, i, false);
        if (!items.has(element)) items.set(element, item);
      });
      return items;
    };
    const l = index(lhs);
    const r = index(rhs);
    return [...new Set([...l.keys(), ...r.keys()])].map((e) => [e, l.get(e), r.get(e)]);
  }
  const l = (lhs ?? {}) as Record<string, unknown>;
  const r = (rhs ?? {}) as Record<string, unknown>;
  return [...new Set([...Object.keys(l), ...Object.keys(r)])].map((name) => [fieldElement(name), l[name], r[name]]);
}

function isEmpty(value: unknown): boolean {
  if (value === undefined) return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === 'object' && value !== null && Object.keys(value).length === 0;
}
