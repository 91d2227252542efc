/**
 * The schema language every kind is written in. One definition yields three things:
 *   - the TypeScript type, through `Static<typeof X>`;
 *   - the ajv validator (ajv.ts) and the structural walks: null dropping, unknown-field
 *     detection, defaulting (walk.ts);
 *   - the published OpenAPI v2/v3 schema (openapi.ts), with Kubernetes' x-kubernetes-* extensions.
 *
 * A Schema is immutable: `.doc()` and `.with()` return copies that share the node, so a named
 * object (one with an OpenAPI component name) keeps its identity wherever it is used.
 */

declare const staticType: unique symbol;

/** Where a field sits in Kubernetes' list and map merge semantics (strategic merge, apply). */
export interface ListSemantics {
  /** x-kubernetes-list-type */
  readonly listType?: 'atomic' | 'set' | 'map';
  /** x-kubernetes-list-map-keys, for listType map */
  readonly listMapKeys?: readonly string[];
  /** x-kubernetes-patch-merge-key (strategic merge patch) */
  readonly patchMergeKey?: string;
  /** x-kubernetes-patch-strategy: merge, retainKeys, "merge,retainKeys" or replace */
  readonly patchStrategy?: string;
}

/** What a use of a schema adds: its documentation, default, and merge semantics. */
export interface SchemaMeta extends ListSemantics {
  readonly description?: string;
  /** Applied by the API server when the field is absent (see walk.ts applyDefaults). */
  readonly default?: unknown;
  /** The server applies no defaults below this field: what the client wrote is kept as written. */
  readonly keepAsWritten?: boolean;
  /** x-kubernetes-map-type */
  readonly mapType?: 'atomic' | 'granular';
  /**
   * OpenAPI `nullable`: an explicit null is a value, kept as sent (not dropped as "unset") and not
   * defaulted. Used by custom resource schemas; built-in kinds never set it.
   */
  readonly nullable?: boolean;
  /**
   * Further OpenAPI keywords to publish with this use as they are, where the node has no field
   * for them: a custom resource schema's value validations (enum, pattern, minimum, format...),
   * junctors (allOf, anyOf, oneOf, not) and x-kubernetes-* extensions. The walks ignore them.
   */
  readonly extensions?: Readonly<Record<string, unknown>>;
}

export interface GroupVersionKind {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

export type SchemaNode =
  | {
      readonly type: 'string';
      readonly format?: 'date-time' | 'byte' | 'int-or-string';
      readonly enum?: readonly string[];
      readonly pattern?: string;
      readonly maxLength?: number;
    }
  | { readonly type: 'integer'; readonly format: 'int32' | 'int64'; readonly minimum?: number; readonly maximum?: number }
  | { readonly type: 'number'; readonly format?: 'double' }
  | { readonly type: 'boolean' }
  /** IntOrString: a JSON number or string. */
  | { readonly type: 'int-or-string' }
  /** resource.Quantity: "100m", "1Gi" or a plain JSON number. */
  | { readonly type: 'quantity' }
  | ObjectNode
  /** A JSON object with arbitrary keys whose values share one schema. */
  | { readonly type: 'map'; readonly values: Schema }
  | { readonly type: 'array'; readonly items: Schema }
  /** Any JSON value, kept as it is (x-kubernetes-preserve-unknown-fields). */
  | { readonly type: 'any' }
  /** A reference resolved on use, so that recursive types (JSONSchemaProps) can be written. */
  | { readonly type: 'ref'; readonly resolve: () => Schema };

export interface ObjectNode {
  readonly type: 'object';
  /** The OpenAPI component name, e.g. io.k8s.api.core.v1.Container; absent for inline objects. */
  readonly name?: string;
  /** What the type is (the use site's description is SchemaMeta.description). */
  readonly description?: string;
  readonly properties: Readonly<Record<string, Schema>>;
  readonly required: readonly string[];
  /** Top-level kinds carry x-kubernetes-group-version-kind. */
  readonly gvk?: readonly GroupVersionKind[];
  /** Fields outside `properties` are kept instead of being unknown (x-kubernetes-preserve-unknown-fields). */
  readonly preserveUnknownFields?: boolean;
}

export class Schema<T = unknown> {
  /** Phantom: carries the static type; never set at run time. */
  declare readonly [staticType]: T;

  constructor(
    readonly node: SchemaNode,
    readonly meta: SchemaMeta = {},
  ) {}

  /** The same schema with a description at this use. */
  doc(description: string): Schema<T> {
    return new Schema<T>(this.node, { ...this.meta, description });
  }

  /** The same schema with more metadata at this use. */
  with(meta: SchemaMeta & { readonly default?: T }): Schema<T> {
    return new Schema<T>(this.node, { ...this.meta, ...meta });
  }

  /** Follows `ref` nodes to the schema they stand for. */
  resolved(): Schema {
    let schema: Schema = this;
    while (schema.node.type === 'ref') schema = schema.node.resolve();
    return schema;
  }
}

export type Static<S> = S extends Schema<infer T> ? T : never;
export type Props = Readonly<Record<string, Schema<unknown>>>;

type Simplify<T> = { [K in keyof T]: T[K] } & {};
export type ObjectStatic<P extends Props, R extends keyof P> = Simplify<
  { -readonly [K in R]: Static<P[K]> } & { -readonly [K in Exclude<keyof P, R>]?: Static<P[K]> }
>;

interface ScalarOptions<T> {
  readonly default?: T;
}

interface StringOptions extends ScalarOptions<string> {
  readonly pattern?: string;
  readonly maxLength?: number;
}

export function string(description?: string, options: StringOptions = {}): Schema<string> {
  const { default: def, ...node } = options;
  return new Schema<string>({ type: 'string', ...node }, meta(description, def));
}

/** A string restricted to the given values; its static type is their union. */
export function enumOf<const V extends readonly string[]>(
  values: V,
  description?: string,
  options: ScalarOptions<V[number]> = {},
): Schema<V[number]> {
  return new Schema<V[number]>({ type: 'string', enum: values }, meta(description, options.default));
}

/** An RFC 3339 timestamp (metav1.Time), e.g. 2024-01-02T15:04:05Z. */
export function time(description?: string): Schema<string> {
  return new Schema<string>({ type: 'string', format: 'date-time' }, meta(description));
}

/** Base64-encoded bytes ([]byte in Go), e.g. Secret data values. */
export function bytes(description?: string): Schema<string> {
  return new Schema<string>({ type: 'string', format: 'byte' }, meta(description));
}

export function int32(description?: string, options: ScalarOptions<number> & { readonly minimum?: number } = {}): Schema<number> {
  const { default: def, minimum } = options;
  return new Schema<number>(
    { type: 'integer', format: 'int32', ...(minimum === undefined ? {} : { minimum }) },
    meta(description, def),
  );
}

export function int64(description?: string, options: ScalarOptions<number> & { readonly minimum?: number } = {}): Schema<number> {
  const { default: def, minimum } = options;
  return new Schema<number>(
    { type: 'integer', format: 'int64', ...(minimum === undefined ? {} : { minimum }) },
    meta(description, def),
  );
}

export function number(description?: string): Schema<number> {
  return new Schema<number>({ type: 'number', format: 'double' }, meta(description));
}

export function boolean(description?: string, options: ScalarOptions<boolean> = {}): Schema<boolean> {
  return new Schema<boolean>({ type: 'boolean' }, meta(description, options.default));
}

export function intOrString(description?: string, options: ScalarOptions<number | string> = {}): Schema<number | string> {
  return new Schema<number | string>({ type: 'int-or-string' }, meta(description, options.default));
}

export function quantity(description?: string): Schema<string | number> {
  return new Schema<string | number>({ type: 'quantity' }, meta(description));
}

/** Any JSON value, stored and returned unchanged (runtime.RawExtension, apiextensions JSON). */
export function any(description?: string): Schema<unknown> {
  return new Schema<unknown>({ type: 'any' }, meta(description));
}

export interface ObjectOptions<R> {
  /** Fields a client must send; missing ones are 422 Required value. */
  readonly required?: readonly R[];
  readonly gvk?: readonly GroupVersionKind[];
  readonly preserveUnknownFields?: boolean;
}

/**
 * A named object type, published as an OpenAPI component. Fields are optional unless listed in
 * `required`, as in Kubernetes where nearly every field may be omitted.
 */
export function object<P extends Props, R extends keyof P & string = never>(
  name: string | undefined,
  description: string | undefined,
  properties: P,
  options: ObjectOptions<R> = {},
): Schema<ObjectStatic<P, R>> {
  const node: ObjectNode = {
    type: 'object',
    properties,
    required: options.required ?? [],
    ...(name === undefined ? {} : { name }),
    ...(description === undefined ? {} : { description }),
    ...(options.gvk === undefined ? {} : { gvk: options.gvk }),
    ...(options.preserveUnknownFields ? { preserveUnknownFields: true } : {}),
  };
  return new Schema<ObjectStatic<P, R>>(node);
}

export function array<T>(items: Schema<T>, description?: string, semantics: ListSemantics = {}): Schema<T[]> {
  return new Schema<T[]>({ type: 'array', items }, { ...meta(description), ...semantics });
}

export function map<T>(values: Schema<T>, description?: string): Schema<Record<string, T>> {
  return new Schema<Record<string, T>>({ type: 'map', values }, meta(description));
}

/** A schema defined later or by itself (recursion); give the static type explicitly. */
export function lazy<T>(resolve: () => Schema<T>): Schema<T> {
  return new Schema<T>({ type: 'ref', resolve });
}

function meta(description: string | undefined, def?: unknown): SchemaMeta {
  return {
    ...(description === undefined ? {} : { description }),
    ...(def === undefined ? {} : { default: def }),
  };
}
