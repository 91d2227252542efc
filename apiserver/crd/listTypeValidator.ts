/**
 * Uniqueness of x-kubernetes-list-type lists in custom resources, as apiextensions-apiserver's
 * listtype validation: a `set` holds no value twice, a `map` no two items with the same values of
 * its x-kubernetes-list-map-keys. Duplicates are reported at the later item:
 *   spec.tags[2]: Duplicate value: "a"
 *   spec.ports[1]: Duplicate value: {"name":"http"}   (the item's keys)
 * The schema is compiled into a tree of only the nodes leading to such lists, so objects without
 * them cost nothing.
 */
import * as field from '../../api/field/errors';
import type { FieldError } from '../../api/field/errors';
import { child, index, key } from '../../api/field/path';
import { additionalPropertiesSchema, itemsSchema, type JSONSchemaProps } from '../../api/kinds/apiextensions/jsonSchemaProps';
import { isPlainObject } from '../../api/schema/walk';

interface ListNode {
  /** set: scalar items compared by value; map: items compared by these keys. */
  readonly listType?: { readonly kind: 'set' } | { readonly kind: 'map'; readonly keys: readonly string[] };
  readonly properties: ReadonlyMap<string, ListNode>;
  readonly additionalProperties?: ListNode;
  readonly items?: ListNode;
}

export type ListTypeValidator = (obj: unknown) => FieldError[];

/** The validator of `schema`'s set and map lists; undefined when it has none. */
export function compileListTypeValidator(schema: JSONSchemaProps | undefined): ListTypeValidator | undefined {
  const root = schema ? compile(schema) : undefined;
  if (!root) return undefined;
  return (obj) => {
    const errs: FieldError[] = [];
    visit(root, obj, '', errs);
    return errs;
  };
}

function compile(schema: JSONSchemaProps): ListNode | undefined {
  const type = schema['x-kubernetes-list-type'];
  const keys = schema['x-kubernetes-list-map-keys'] ?? [];
  const listType = type === 'set' ? ({ kind: 'set' } as const) : type === 'map' && keys.length > 0 ? ({ kind: 'map', keys } as const) : undefined;
  const properties = new Map<string, ListNode>();
  for (const [name, prop] of Object.entries(schema.properties ?? {})) {
    const node = compile(prop);
    if (node) properties.set(name, node);
  }
  const ap = additionalPropertiesSchema(schema);
  const additionalProperties = ap ? compile(ap) : undefined;
  const itemSchema = itemsSchema(schema);
  const items = itemSchema ? compile(itemSchema) : undefined;
  if (!listType && properties.size === 0 && !additionalProperties && !items) return undefined;
  return { ...(listType ? { listType } : {}), properties, ...(additionalProperties ? { additionalProperties } : {}), ...(items ? { items } : {}) };
}

function visit(node: ListNode, value: unknown, path: string, errs: FieldError[]): void {
  if (Array.isArray(value)) {
    if (node.listType) duplicates(node.listType, value, path, errs);
    if (node.items) value.forEach((item, i) => visit(node.items!, item, index(path, i), errs));
  } else if (isPlainObject(value)) {
    for (const [name, sub] of node.properties) visit(sub, value[name], child(path, name), errs);
    if (node.additionalProperties) {
      for (const [k, v] of Object.entries(value)) if (!node.properties.has(k)) visit(node.additionalProperties, v, key(path, k), errs);
    }
  }
}

function duplicates(listType: NonNullable<ListNode['listType']>, items: readonly unknown[], path: string, errs: FieldError[]): void {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    const identity = listType.kind === 'set' ? item : isPlainObject(item) ? Object.fromEntries(listType.keys.filter((k) => item[k] !== undefined).map((k) => [k, item[k]])) : item;
    const id = JSON.stringify(identity);
    if (seen.has(id)) errs.push(field.duplicate(index(path, i), identity));
    seen.add(id);
  });
}

