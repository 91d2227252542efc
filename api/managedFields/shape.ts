/**
 * How a schema takes part in field ownership and apply merges, as structured-merge-diff reads the
 * OpenAPI extensions:
 *   - leaf: scalars, and whatever is atomic (x-kubernetes-map-type / list-type atomic, lists
 *     without merge semantics, values kept as they are under x-kubernetes-preserve-unknown-fields);
 *   - struct: an object with named fields, each owned separately;
 *   - map: an object with arbitrary keys (labels), each entry owned separately;
 *   - list: a list-type map (items identified by their key fields) or set (by their value).
 */
import type { Schema } from '../schema/schema';
import { isPlainObject } from '../schema/walk';
import { fieldElement, fieldName, indexElement, keyElementOf, PathElementError, valueElement, type Element } from './pathElement';

export type Shape =
  | { readonly kind: 'leaf' }
  | {
      readonly kind: 'struct';
      readonly fields: Readonly<Record<string, Schema>>;
      /** The same fields with their elements, for walks: one lookup instead of an own-property check and a new string. */
      readonly declared: ReadonlyMap<string, DeclaredField>;
    }
  | { readonly kind: 'map'; readonly values: Schema }
  /** `key` undefined: a set of scalar values. */
  | { readonly kind: 'list'; readonly items: Schema; readonly key: ListKey | undefined };

/** How the items of a list-type map are identified. */
export interface ListKey {
  /** The key fields, in the schema's order (the order they are checked in). */
  readonly names: readonly string[];
  /** The item's element from the values of `names`, in their order (keyElementOf). */
  readonly element: (values: readonly unknown[]) => Element;
}

export interface DeclaredField {
  readonly schema: Schema;
  /** `f:<name>` */
  readonly element: Element;
}

const leaf: Shape = { kind: 'leaf' };
const shapes = new WeakMap<Schema, Shape>();

/** The shape of a schema; undefined (a field outside the schema) is an atomic leaf. */
export function shapeOf(schema: Schema | undefined): Shape {
  if (!schema) return leaf;
  let shape = shapes.get(schema);
  if (!shape) {
    shape = computeShape(schema);
    shapes.set(schema, shape);
  }
  return shape;
}

function computeShape(schema: Schema): Shape {
  const resolved = schema.resolved();
  // The use site's metadata (e.g. `.with({ mapType })`) wins over the definition's.
  const meta = { ...resolved.meta, ...schema.meta };
  const node = resolved.node;
  switch (node.type) {
    case 'object':
      return meta.mapType === 'atomic' ? leaf : { kind: 'struct', fields: node.properties, declared: declaredFields(node.properties) };
    case 'map':
      return meta.mapType === 'atomic' ? leaf : { kind: 'map', values: node.values };
    case 'array': {
      const listType = meta.listType ?? listTypeFromPatchStrategy(meta.patchStrategy, meta.patchMergeKey);
      if (listType === 'map' || listType === 'set') {
        const keys = listType === 'map' ? (meta.listMapKeys ?? (meta.patchMergeKey ? [meta.patchMergeKey] : undefined)) : undefined;
        return { kind: 'list', items: node.items, key: keys && { names: keys, element: keyElementOf(keys) } };
      }
      return leaf;
    }
    default:
      return leaf;
  }
}

/** Own properties only, as childSchema reads them (schemas are not changed once built). */
function declaredFields(properties: Readonly<Record<string, Schema>>): ReadonlyMap<string, DeclaredField> {
  return new Map(Object.keys(properties).map((name) => [name, { schema: properties[name]!, element: fieldElement(name) }]));
}

/** Lists without x-kubernetes-list-type: a merge strategy makes them a map (with a merge key) or a set. */
function listTypeFromPatchStrategy(strategy: string | undefined, mergeKey: string | undefined): 'map' | 'set' | undefined {
  if (!strategy?.split(',').includes('merge')) return undefined;
  return mergeKey ? 'map' : 'set';
}

/** The schema below `element` of a value of this shape (undefined: outside the schema, a leaf). */
export function childSchema(shape: Shape, element: Element): Schema | undefined {
  switch (shape.kind) {
    case 'struct': {
      const name = fieldName(element);
      return name !== undefined && Object.prototype.hasOwnProperty.call(shape.fields, name) ? shape.fields[name] : undefined;
    }
    case 'map':
      return shape.values;
    case 'list':
      return shape.items;
    default:
      return undefined;
  }
}

/** Whether `element` names a declared field of a struct (not a map entry or list item). */
export function isNamedField(shape: Shape, element: Element): boolean {
  const name = fieldName(element);
  return shape.kind === 'struct' && name !== undefined && Object.prototype.hasOwnProperty.call(shape.fields, name);
}

/** Whether a value can be walked as this shape; anything else is compared and merged as a leaf. */
export function fits(shape: Shape, value: unknown): boolean {
  switch (shape.kind) {
    case 'struct':
    case 'map':
      return isPlainObject(value);
    case 'list':
      return Array.isArray(value);
    default:
      return false;
  }
}

/**
 * The element that identifies a list item: its key fields (a missing key takes its schema default,
 * as the protocol of a container port does), or its value in a set. `strict` (an applied
 * configuration) throws PathElementError for an item that has no identity; otherwise (stored
 * objects) such an item is identified by its index.
 */
export function itemElement(shape: Shape & { kind: 'list' }, item: unknown, index: number, strict: boolean): Element {
  try {
    if (shape.key === undefined) {
      if (typeof item === 'object' && item !== null) throw new PathElementError('associative list without keys has an element that is not a scalar');
      return valueElement(item);
    }
    if (!isPlainObject(item)) throw new PathElementError('associative list with keys has an element that is not a map');
    const itemShape = shapeOf(shape.items);
    const values = shape.key.names.map((key) => {
      const value = item[key] ?? defaultOf(itemShape, key);
      if (value === undefined) throw new PathElementError(`associative list with keys has an element that omits key field ${JSON.stringify(key)} (and doesn't have default value)`);
      return value;
    });
    return shape.key.element(values);
  } catch (err) {
    if (strict || !(err instanceof PathElementError)) throw err;
    return indexElement(index);
  }
}

function defaultOf(shape: Shape, field: string): unknown {
  if (shape.kind !== 'struct') return undefined;
  const schema = shape.fields[field];
  return schema ? (schema.meta.default ?? schema.resolved().meta.default) : undefined;
}
