/**
 * The Marina schema of a custom resource version, built from its CustomResourceDefinition's
 * openAPIV3Schema. The schema drives what Kubernetes does structurally with a custom resource:
 *   - pruning: fields the structural schema does not specify are dropped (and reported, for
 *     fieldValidation), except under x-kubernetes-preserve-unknown-fields;
 *   - defaulting: `default`s apply to absent fields (and to nulls of non-nullable fields);
 *   - publishing: descriptions, list/map semantics and every other keyword (kept as extensions).
 * Types and values are not checked with it: custom resources are `unstructured` kinds whose
 * values customResourceValidator.ts checks against the CRD schema itself.
 *
 * The root always has apiVersion, kind and metadata (ObjectMeta, so metadata is pruned to the
 * fields ObjectMeta has), as does every x-kubernetes-embedded-resource object.
 */
import type { JSONSchemaProps } from '../../api/kinds/apiextensions/jsonSchemaProps';
import { additionalPropertiesSchema, itemsSchema } from '../../api/kinds/apiextensions/jsonSchemaProps';
import type { KubeObject } from '../../api/kinds/kind';
import { ObjectMeta, typeMeta } from '../../api/kinds/meta';
import * as s from '../../api/schema/schema';
import type { ListSemantics, Schema, SchemaMeta, SchemaNode } from '../../api/schema/schema';

/** Keywords the node or SchemaMeta represent; every other keyword is kept as an extension. */
const represented = new Set([
  'type',
  'properties',
  'additionalProperties',
  'items',
  'required',
  'description',
  'default',
  'nullable',
  'x-kubernetes-list-type',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-map-type',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-int-or-string',
]);

/**
 * The schema of a custom resource from a version's openAPIV3Schema. Without a schema (only
 * possible for CRDs stored before schemas were required) everything is preserved.
 */
export function schemaFromJSONSchemaProps(root: JSONSchemaProps | undefined): Schema<KubeObject> {
  if (!root) {
    return s.object(undefined, undefined, { ...typeMeta(), metadata: ObjectMeta }, { preserveUnknownFields: true }) as Schema<unknown> as Schema<KubeObject>;
  }
  const converted = convert(root, false, true);
  return converted as Schema<unknown> as Schema<KubeObject>;
}

/**
 * `inheritPreserve`: the parent is an array that preserves unknown fields, whose items keep
 * theirs too (Kubernetes' skipPrune descends into items). `isRoot`: the resource itself.
 */
function convert(p: JSONSchemaProps, inheritPreserve: boolean, isRoot = false): Schema {
  const preserve = p['x-kubernetes-preserve-unknown-fields'] === true || inheritPreserve;
  return new s.Schema(nodeOf(p, preserve, isRoot), metaOf(p));
}

function nodeOf(p: JSONSchemaProps, preserve: boolean, isRoot: boolean): SchemaNode {
  if (p['x-kubernetes-int-or-string'] === true) return { type: 'int-or-string' };
  const embedded = p['x-kubernetes-embedded-resource'] === true;
  const values = additionalPropertiesSchema(p);
  if (isRoot || embedded) return objectNode(p, preserve, true);
  switch (p.type) {
    case 'object':
      if (values) return { type: 'map', values: convert(values, false) };
      if (p.additionalProperties === true) return { type: 'map', values: s.any() };
      return objectNode(p, preserve, false);
    case 'array': {
      const items = itemsSchema(p);
      // An array that preserves unknown fields passes that on to its items.
      return { type: 'array', items: items ? convert(items, preserve) : s.any() };
    }
    case 'string':
      return p.format === 'date-time' || p.format === 'byte' ? { type: 'string', format: p.format } : { type: 'string' };
    case 'integer':
      return { type: 'integer', format: p.format === 'int32' ? 'int32' : 'int64' };
    case 'number':
      return p.format === 'double' ? { type: 'number', format: 'double' } : { type: 'number' };
    case 'boolean':
      return { type: 'boolean' };
    default:
      // No type: allowed only with x-kubernetes-preserve-unknown-fields (structural schemas).
      if (p.properties) return objectNode(p, true, false);
      return { type: 'any' };
  }
}

/** An inline object; the root and embedded resources also get apiVersion, kind and metadata. */
function objectNode(p: JSONSchemaProps, preserve: boolean, resource: boolean): SchemaNode {
  const properties: Record<string, Schema> = {};
  for (const [name, sub] of Object.entries(p.properties ?? {})) properties[name] = convert(sub, false);
  if (resource) {
    const meta = typeMeta();
    // The schema may restrict these (name and generateName patterns, say): validation checks that;
    // structurally they are always the object's type meta and ObjectMeta.
    properties.apiVersion = withUseMeta(meta.apiVersion, p.properties?.apiVersion);
    properties.kind = withUseMeta(meta.kind, p.properties?.kind);
    properties.metadata = withUseMeta(ObjectMeta, p.properties?.metadata);
  }
  return {
    type: 'object',
    properties,
    required: p.required ?? [],
    ...(preserve ? { preserveUnknownFields: true } : {}),
  };
}

/** `base` with the description and extensions the CRD gives at this use. */
function withUseMeta(base: Schema, p: JSONSchemaProps | undefined): Schema {
  if (!p) return base;
  const meta = { ...metaOf(p) };
  delete meta.default;
  return base.with(meta);
}

function metaOf(p: JSONSchemaProps): SchemaMeta {
  const extensions: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(p)) {
    if (v !== undefined && !represented.has(k)) extensions[k] = v;
  }
  // Booleans Go would omit when false are not worth publishing.
  if (p['x-kubernetes-preserve-unknown-fields'] === true) extensions['x-kubernetes-preserve-unknown-fields'] = true;
  if (p['x-kubernetes-int-or-string'] === true) extensions['x-kubernetes-int-or-string'] = true;
  return {
    ...(p.description !== undefined ? { description: p.description } : {}),
    ...(p.default !== undefined ? { default: p.default } : {}),
    ...(p.nullable === true ? { nullable: true } : {}),
    ...listSemantics(p),
    ...(p['x-kubernetes-map-type'] === 'atomic' || p['x-kubernetes-map-type'] === 'granular' ? { mapType: p['x-kubernetes-map-type'] } : {}),
    ...(Object.keys(extensions).length ? { extensions } : {}),
  };
}

function listSemantics(p: JSONSchemaProps): ListSemantics {
  const listType = p['x-kubernetes-list-type'];
  const keys = p['x-kubernetes-list-map-keys'];
  return {
    ...(listType === 'atomic' || listType === 'set' || listType === 'map' ? { listType } : {}),
    ...(keys && keys.length ? { listMapKeys: keys } : {}),
  };
}
