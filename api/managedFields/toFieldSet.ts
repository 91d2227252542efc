/**
 * The set of fields a value sets, as structured-merge-diff's ToFieldSet: every leaf, every list
 * item and map entry (the item as a whole is owned too), and fields whose value is empty (`{}`)
 * or null. Named fields holding non-empty objects are not members themselves: their fields are.
 */
import type { Schema } from '../schema/schema';
import { isPlainObject } from '../schema/walk';
import { FieldSet } from './fieldSet';
import { elementString, fieldElement, PathElementError, pathString, type FieldPath } from './pathElement';
import { childSchema, fits, isNamedField, itemElement, shapeOf } from './shape';

export interface ToFieldSetOptions {
  /**
   * An applied configuration must identify each list item by its keys and hold no duplicates
   * (else PathElementError, naming the list). Default false: stored objects fall back to item indices.
   */
  readonly strict?: boolean;
}

export function toFieldSet(schema: Schema, value: unknown, options: ToFieldSetOptions = {}): FieldSet {
  const set = new FieldSet();
  walk(schema, value, [], set, options.strict ?? false);
  return set;
}

function walk(schema: Schema | undefined, value: unknown, path: FieldPath, set: FieldSet, strict: boolean): void {
  const shape = shapeOf(schema);
  if (!fits(shape, value)) {
    set.insert(path);
    return;
  }
  if (shape.kind === 'list') {
    const seen = new Set<string>();
    (value as unknown[]).forEach((item, i) => {
      const element = identify(() => itemElement(shape, item, i, strict), path, i);
      if (strict && seen.has(element)) throw new PathElementError(`${pathString(path)}: duplicate entries for key ${elementString(element)}`);
      seen.add(element);
      const itemPath = [...path, element];
      walk(shape.items, item, itemPath, set, strict);
      set.insert(itemPath);
    });
    return;
  }
  for (const [name, fieldValue] of Object.entries(value as Record<string, unknown>)) {
    if (fieldValue === undefined) continue;
    const element = fieldElement(name);
    const fieldPath = [...path, element];
    walk(childSchema(shape, element), fieldValue, fieldPath, set, strict);
    const emptyObject = isPlainObject(fieldValue) && Object.keys(fieldValue).length === 0;
    if (fieldValue === null || emptyObject || !isNamedField(shape, element)) set.insert(fieldPath);
  }
}

/** Names the list in an item's identification error: `.spec.ports: element 0: ...` */
function identify(element: () => string, path: FieldPath, index: number): string {
  try {
    return element();
  } catch (err) {
    if (err instanceof PathElementError) throw new PathElementError(`${pathString(path)}: element ${index}: ${err.message}`);
    throw err;
  }
}

/**
 * The set with every named field that has owned fields below it made a member too
 * (structured-merge-diff's EnsureNamedFieldsAreMembers): pruning by such a set removes a struct
 * once nobody owns anything in it, while list items and map entries go by their own membership.
 */
export function withNamedFieldsAsMembers(schema: Schema, set: FieldSet): FieldSet {
  const extra = new FieldSet();
  const walkSet = (s: Schema | undefined, node: FieldSet, path: FieldPath) => {
    const shape = shapeOf(s);
    for (const element of node.elements()) {
      const child = node.child(element);
      if (!child) continue;
      if (isNamedField(shape, element)) extra.insert([...path, element]);
      walkSet(childSchema(shape, element), child, [...path, element]);
    }
  };
  walkSet(schema, set, []);
  return set.union(extra);
}
