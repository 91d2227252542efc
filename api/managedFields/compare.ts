/**
 * What changed between two versions of an object, field by field (structured-merge-diff's
 * Compare): leaves added, modified or removed, and list items, map entries and objects that
 * appeared or disappeared as a whole. Atomic values compare as one leaf.
 *
 * Every write of every object runs this, so the walk avoids allocating per node: one path array
 * is pushed and popped along the way (FieldSet.insert copies the elements, never the array), and
 * the children of both sides are visited straight from their keys.
 */
import type { Schema } from '../schema/schema';
import { deepEqual } from '../util/deepEqual';
import { FieldSet } from './fieldSet';
import { hasOwnKeys } from './ownKeys';
import { fieldElement, type Element } from './pathElement';
import { fits, itemElement, shapeOf, type Shape } from './shape';

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

type ListShape = Shape & { kind: 'list' };
type FieldsShape = Shape & { kind: 'struct' | 'map' };

/** `path` is the path of lhs and rhs, shared by the whole walk: restored before returning. */
function walk(schema: Schema | undefined, lhs: unknown, rhs: unknown, path: Element[], c: Comparison): void {
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
  if (shape.kind === 'list') walkItems(shape, lhs, rhs, path, c);
  else walkFields(shape as FieldsShape, lhs, rhs, path, c);
  // A container that appeared or disappeared as a whole.
  if (lhs === undefined) c.added.insert(path);
  else if (rhs === undefined) c.removed.insert(path);
}

function walkChild(schema: Schema | undefined, element: Element, lhs: unknown, rhs: unknown, path: Element[], c: Comparison): void {
  path.push(element);
  walk(schema, lhs, rhs, path, c);
  path.pop();
}

/** An absent side reads as this: no own fields (a read of e.g. `constructor` still sees Object's, as `{}` would). */
const noFields: Readonly<Record<string, unknown>> = Object.freeze({});

/** The fields (or map entries) of both sides: the left side's in order, then those only the right side has. */
function walkFields(shape: FieldsShape, lhs: unknown, rhs: unknown, path: Element[], c: Comparison): void {
  const l = (lhs ?? noFields) as Readonly<Record<string, unknown>>;
  const r = (rhs ?? noFields) as Readonly<Record<string, unknown>>;
  const leftNames = Object.keys(l);
  for (const name of leftNames) walkField(shape, name, l[name], r[name], path, c);
  const rightNames = Object.keys(r);
  for (let i = 0; i < rightNames.length; i++) {
    const name = rightNames[i]!;
    // Exactly the names Object.keys(l) listed (own and enumerable) were visited above; most
    // often both sides list the same names in the same order, which needs no lookup.
    if (name !== leftNames[i] && (leftNames.length === 0 || !propertyIsEnumerable.call(l, name))) walkField(shape, name, l[name], r[name], path, c);
  }
}

/** Walks the field `name`: childSchema of `f:<name>`, with a declared field's element and schema looked up at once. */
function walkField(shape: FieldsShape, name: string, lhs: unknown, rhs: unknown, path: Element[], c: Comparison): void {
  if (shape.kind === 'map') return walkChild(shape.values, fieldElement(name), lhs, rhs, path, c);
  const declared = shape.declared.get(name);
  if (declared) walkChild(declared.schema, declared.element, lhs, rhs, path, c);
  else walkChild(undefined, fieldElement(name), lhs, rhs, path, c);
}

/** The items of both sides by element, each by its first occurrence: the left side's in order, then the right's. */
function walkItems(shape: ListShape, lhs: unknown, rhs: unknown, path: Element[], c: Comparison): void {
  const l = indexItems(shape, lhs);
  const r = indexItems(shape, rhs);
  for (const [element, item] of l) walkChild(shape.items, element, item, r.get(element), path, c);
  for (const [element, item] of r) if (!l.has(element)) walkChild(shape.items, element, undefined, item, path, c);
}

const noItems: ReadonlyMap<Element, unknown> = new Map();

function indexItems(shape: ListShape, list: unknown): ReadonlyMap<Element, unknown> {
  if (!Array.isArray(list) || list.length === 0) return noItems;
  const items = new Map<Element, unknown>();
  list.forEach((item, i) => {
    const element = itemElement(shape, item, i, false);
    if (!items.has(element)) items.set(element, item);
  });
  return items;
}

const propertyIsEnumerable = Object.prototype.propertyIsEnumerable;

/** Absent, `[]` or `{}`. */
function isEmpty(value: unknown): boolean {
  if (value === undefined) return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === 'object' && value !== null && !hasOwnKeys(value);
}
