/**
 * Structural walks over decoded JSON, guided by a schema. Both mutate the value in place: they
 * run on a freshly decoded request body that nobody else holds.
 */
import { cloneJson } from '../util/cloneJson';
import { child, index, key, type FieldPath } from '../field/path';
import type { ObjectNode, Schema, SchemaNode } from './schema';

export interface NormalizeResult {
  /** Paths of fields the schema does not define, e.g. `spec.containers[0].imagePullPolicyy`. */
  readonly unknownFields: readonly FieldPath[];
}

/**
 * Does what Kubernetes' JSON decoding does before validation: a `null` field (unless nullable; or "" in an optional
 * enum) means "not set" and is dropped, and fields the schema does not define are removed and reported (the caller decides,
 * by fieldValidation, whether they are an error, a warning or nothing).
 */
export function normalize(schema: Schema, value: unknown, path: FieldPath = ''): NormalizeResult {
  const unknownFields: FieldPath[] = [];
  walkNormalize(schema, value, path, unknownFields);
  return { unknownFields };
}

function walkNormalize(schema: Schema, value: unknown, path: FieldPath, unknown: FieldPath[]): void {
  const node = schema.resolved().node;
  switch (node.type) {
    case 'object': {
      if (!isPlainObject(value)) return;
      for (const [name, fieldValue] of Object.entries(value)) {
        // Own properties only: a body field named "constructor" or "__proto__" is unknown, not Object's.
        const fieldSchema = Object.prototype.hasOwnProperty.call(node.properties, name) ? node.properties[name] : undefined;
        if (fieldValue === null && fieldSchema?.meta.nullable) {
          // nullable: an explicit null is a value, kept as sent.
        } else if (fieldValue === null && (fieldSchema || !node.preserveUnknownFields)) {
          delete value[name];
        } else if (fieldValue === '' && fieldSchema && isOptionalEnum(fieldSchema, name, node.required)) {
          // Go reads "" in an enum string as unset, to be defaulted: `protocol: ""` means TCP.
          delete value[name];
        } else if (fieldSchema) {
          walkNormalize(fieldSchema, fieldValue, child(path, name), unknown);
        } else if (!node.preserveUnknownFields) {
          unknown.push(child(path, name));
          delete value[name];
        }
      }
      return;
    }
    case 'map': {
      if (!isPlainObject(value)) return;
      const valueNode = node.values.resolved().node;
      for (const [k, v] of Object.entries(value)) {
        // Go decodes a null map value as the zero value: "" for string maps.
        if (v === null && node.values.meta.nullable) continue;
        if (v === null && valueNode.type === 'string') value[k] = '';
        else walkNormalize(node.values, v, key(path, k), unknown);
      }
      return;
    }
    case 'array': {
      if (!Array.isArray(value)) return;
      value.forEach((item, i) => walkNormalize(node.items, item, index(path, i), unknown));
      return;
    }
    default:
      return;
  }
}

function isOptionalEnum(schema: Schema, name: string, required: readonly string[]): boolean {
  const node = schema.resolved().node;
  return node.type === 'string' && node.enum !== undefined && !node.enum.includes('') && !required.includes(name);
}

/**
 * Sets every absent field that has a default, descending into present and newly defaulted
 * objects, so a default of `{}` lets the defaults of its own fields apply. Only the parts of the
 * schema that hold defaults are visited (computed once per schema).
 */
export function applyDefaults(schema: Schema, value: unknown): void {
  if (schema.meta.keepAsWritten) return;
  const node = schema.resolved().node;
  switch (node.type) {
    case 'object': {
      if (!isPlainObject(value)) return;
      for (const [name, fieldSchema] of defaultedFields(node)) {
        if (value[name] === undefined && fieldSchema.meta.default !== undefined) {
          value[name] = cloneJson(fieldSchema.meta.default);
        }
        if (value[name] !== undefined) applyDefaults(fieldSchema, value[name]);
      }
      return;
    }
    case 'map':
      if (isPlainObject(value) && holdsDefaults(node.values)) for (const v of Object.values(value)) applyDefaults(node.values, v);
      return;
    case 'array':
      if (Array.isArray(value) && holdsDefaults(node.items)) for (const item of value) applyDefaults(node.items, item);
      return;
    default:
      return;
  }
}

const fieldsWithDefaults = new WeakMap<ObjectNode, [string, Schema][]>();
const subtreeDefaults = new WeakMap<SchemaNode, boolean>();

/** The fields of an object type that have a default or hold fields that do. */
function defaultedFields(node: ObjectNode): [string, Schema][] {
  let fields = fieldsWithDefaults.get(node);
  if (!fields) {
    fields = Object.entries(node.properties).filter(([, f]) => f.meta.default !== undefined || (!f.meta.keepAsWritten && holdsDefaults(f)));
    fieldsWithDefaults.set(node, fields);
  }
  return fields;
}

/** Whether any field below this schema has a default. */
function holdsDefaults(schema: Schema): boolean {
  return searchDefaults(schema.resolved().node, new Set()).found;
}

/**
 * Depth-first search for a default. A node met again on the current path (recursion) counts as
 * "not found here"; a negative answer that depended on such a node is not cached, since the
 * node may still turn out to hold defaults.
 */
function searchDefaults(node: SchemaNode, path: Set<SchemaNode>): { found: boolean; cyclic: boolean } {
  const known = subtreeDefaults.get(node);
  if (known !== undefined) return { found: known, cyclic: false };
  if (path.has(node)) return { found: false, cyclic: true };
  path.add(node);
  const children: Schema[] =
    node.type === 'object' ? Object.values(node.properties) : node.type === 'map' ? [node.values] : node.type === 'array' ? [node.items] : [];
  let found = false;
  let cyclic = false;
  for (const child of children) {
    if (child.meta.default !== undefined) {
      found = true;
      break;
    }
    const result = searchDefaults(child.resolved().node, path);
    cyclic ||= result.cyclic;
    if (result.found) {
      found = true;
      break;
    }
  }
  path.delete(node);
  if (found || !cyclic) subtreeDefaults.set(node, found);
  return { found, cyclic: !found && cyclic };
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
