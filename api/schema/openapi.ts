/**
 * The published OpenAPI form of schemas (schema.ts), as Kubernetes publishes its types in
 * /openapi/v3 (OpenAPI 3.0 components) and /openapi/v2 (Swagger 2.0 definitions):
 *   - a named object is a component, used through `$ref`. A use that adds a description, default
 *     or extension wraps the `$ref` in `allOf` in v3 (OpenAPI 3.0 ignores siblings of `$ref`), and
 *     keeps them beside the `$ref` in v2, as Kubernetes does. Recursive types (JSONSchemaProps)
 *     are components too, so they end in a `$ref` to themselves;
 *   - IntOrString and Quantity are Kubernetes' own components (oneOf in v3, a string in v2), which
 *     is what `kubectl explain` prints as <IntOrString> and <Quantity>;
 *   - merge semantics are x-kubernetes-list-type, -list-map-keys, -map-type, -patch-merge-key and
 *     -patch-strategy on the use; top-level kinds carry x-kubernetes-group-version-kind (an array);
 *   - a custom resource's own keywords (meta.extensions) are published as they are; v2 drops those
 *     it cannot express (nullable and the junctors), as Kubernetes' v2 conversion does.
 * kubectl reads these: explain walks the properties and descriptions, client-side apply takes the
 * strategic merge keys from them.
 */
import type { ObjectNode, Schema, SchemaMeta, SchemaNode } from './schema';

export type OpenApiVersion = 'v2' | 'v3';

/** A JSON object of an OpenAPI document. */
export interface JsonObject {
  [key: string]: unknown;
}

export const intOrStringComponent = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
export const quantityComponent = 'io.k8s.apimachinery.pkg.api.resource.Quantity';

/** The schemas of Kubernetes' own scalar types, as its generated OpenAPI defines them. */
const sharedComponents: Readonly<Record<string, Readonly<Record<OpenApiVersion, JsonObject>>>> = {
  [intOrStringComponent]: (() => {
    const description =
      'IntOrString is a type that can hold an int32 or a string.  When used in JSON or YAML marshalling and unmarshalling, it produces or consumes the inner type.  This allows you to have, for example, a JSON field that can accept a name or number.';
    return {
      v3: { description, format: 'int-or-string', oneOf: [{ type: 'integer' }, { type: 'string' }] },
      v2: { description, format: 'int-or-string', type: 'string' },
    };
  })(),
  [quantityComponent]: (() => {
    const description =
      'Quantity is a fixed-point representation of a number. It provides convenient marshaling/unmarshaling in JSON and YAML, in addition to String() and AsInt64() accessors. It is written as a number with an optional suffix: a binary SI suffix (Ki, Mi, Gi, Ti, Pi, Ei), a decimal SI suffix (m, "", k, M, G, T, P, E) or a decimal exponent (e3, E-2); no quantity may be greater than 2^63-1 in magnitude or have more than 3 decimal places.';
    return {
      v3: { description, oneOf: [{ type: 'string' }, { type: 'number' }] },
      v2: { description, type: 'string' },
    };
  })(),
};

/** Keywords Swagger 2.0 has no room for; Kubernetes drops them from custom resource schemas in v2. */
const notInV2 = new Set(['nullable', 'allOf', 'anyOf', 'oneOf', 'not']);

type ResolvedNode = Exclude<SchemaNode, { readonly type: 'ref' }>;

/**
 * Collects the OpenAPI schemas of one document: `use` and `ref` answer what to put where a schema
 * is used, and every named object they meet becomes a component, listed by `components()`.
 */
export class OpenApiSchemas {
  private readonly defined = new Map<string, JsonObject>();

  constructor(readonly version: OpenApiVersion) {}

  /** `#/components/schemas/<name>` (v3) or `#/definitions/<name>` (v2). */
  refTo(name: string): JsonObject {
    return { $ref: `${this.version === 'v3' ? '#/components/schemas/' : '#/definitions/'}${name}` };
  }

  /** The schema of one use of `schema`: its node's schema with what this use adds. */
  use(schema: Schema): JsonObject {
    const { node, meta } = resolveUse(schema);
    return this.withUse(this.nodeSchema(node, meta), meta);
  }

  /**
   * A bare `$ref` to the component of the named object `schema` (the body of a request or a
   * response). The schema's own metadata belongs to the component: it is a custom resource's
   * root (its description and keywords), used nowhere else.
   */
  ref(schema: Schema): JsonObject {
    const { node, meta } = resolveUse(schema);
    if (node.type !== 'object' || node.name === undefined) throw new Error('OpenApiSchemas.ref needs a named object schema');
    return this.refTo(this.define(node, node.name, meta));
  }

  /** The components met so far, by name in alphabetical order. */
  components(): Record<string, JsonObject> {
    const out: Record<string, JsonObject> = {};
    for (const name of [...this.defined.keys()].sort()) out[name] = this.defined.get(name)!;
    return out;
  }

  private nodeSchema(node: ResolvedNode, meta: SchemaMeta): JsonObject {
    switch (node.type) {
      case 'string':
        return compact({ type: 'string', format: node.format, enum: node.enum, pattern: node.pattern, maxLength: node.maxLength });
      case 'integer':
        return compact({ type: 'integer', format: node.format, minimum: node.minimum, maximum: node.maximum });
      case 'number':
        return compact({ type: 'number', format: node.format });
      case 'boolean':
        return { type: 'boolean' };
      case 'int-or-string':
        // A custom resource's int-or-string is published as its CRD wrote it (its extensions).
        return meta.extensions?.['x-kubernetes-int-or-string'] === true ? {} : this.shared(intOrStringComponent);
      case 'quantity':
        return this.shared(quantityComponent);
      case 'object':
        return node.name === undefined ? this.objectSchema(node) : this.refTo(this.define(node, node.name));
      case 'map':
        return { type: 'object', additionalProperties: this.use(node.values) };
      case 'array':
        return { type: 'array', items: this.use(node.items) };
      case 'any':
        return {};
    }
  }

  /**
   * Registers a component once: it is in the map before its properties are walked (recursion).
   * `meta` (see `ref`) is added to it, whenever it comes.
   */
  private define(node: ObjectNode, name: string, meta: SchemaMeta = {}): string {
    let component = this.defined.get(name);
    if (component === undefined) {
      component = {};
      this.defined.set(name, component);
      Object.assign(component, this.objectSchema(node));
    }
    Object.assign(component, this.useKeywords(meta));
    return name;
  }

  private shared(name: string): JsonObject {
    if (!this.defined.has(name)) this.defined.set(name, sharedComponents[name]![this.version]);
    return this.refTo(name);
  }

  private objectSchema(node: ObjectNode): JsonObject {
    const properties: JsonObject = {};
    for (const [field, schema] of Object.entries(node.properties)) properties[field] = this.use(schema);
    return compact({
      description: node.description,
      type: 'object',
      properties: Object.keys(properties).length ? properties : undefined,
      required: node.required.length ? [...node.required] : undefined,
      'x-kubernetes-group-version-kind': node.gvk?.map((g) => ({ group: g.group, kind: g.kind, version: g.version })),
      'x-kubernetes-preserve-unknown-fields': node.preserveUnknownFields ? true : undefined,
    });
  }

  /** `schema` with what a use adds; a `$ref` with siblings is wrapped in allOf in v3. */
  private withUse(schema: JsonObject, meta: SchemaMeta): JsonObject {
    const added = this.useKeywords(meta);
    if (Object.keys(added).length === 0) return schema;
    if (schema.$ref !== undefined && this.version === 'v3') return { allOf: [schema], ...added };
    return { ...schema, ...added };
  }

  private useKeywords(meta: SchemaMeta): JsonObject {
    const extensions: JsonObject = {};
    for (const [key, value] of Object.entries(meta.extensions ?? {})) {
      if (this.version === 'v2' && notInV2.has(key)) continue;
      extensions[key] = value;
    }
    return compact({
      description: meta.description,
      default: meta.default,
      nullable: meta.nullable && this.version === 'v3' ? true : undefined,
      'x-kubernetes-list-type': meta.listType,
      'x-kubernetes-list-map-keys': meta.listMapKeys ? [...meta.listMapKeys] : undefined,
      'x-kubernetes-map-type': meta.mapType,
      'x-kubernetes-patch-merge-key': meta.patchMergeKey,
      'x-kubernetes-patch-strategy': meta.patchStrategy,
      ...extensions,
    });
  }
}

/** Follows lazy references; metadata given at the reference wins over the target's. */
function resolveUse(schema: Schema): { readonly node: ResolvedNode; readonly meta: SchemaMeta } {
  let current = schema;
  let meta = schema.meta;
  for (let depth = 0; current.node.type === 'ref'; depth++) {
    if (depth > 100) throw new Error('a lazy schema refers to itself without a named object in between');
    current = current.node.resolve();
    meta = { ...current.meta, ...meta };
  }
  return { node: current.node as ResolvedNode, meta };
}

/** The object without its undefined values. */
function compact(obj: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(obj)) if (value !== undefined) out[key] = value;
  return out;
}
