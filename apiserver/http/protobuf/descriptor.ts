/**
 * Message descriptors: what the generic decoder needs to know of a Kubernetes protobuf message
 * to produce the JSON Kubernetes would: for each field, its number (from Kubernetes'
 * generated.proto), its JSON name, its type (a scalar or another message), whether it is
 * repeated, a map or an embedded struct inlined into its parent, and whether a zero value is
 * kept.
 *
 * Zero values: Kubernetes' Go structs put every non-pointer field on the wire, zero or not, and
 * drop zeros again when writing JSON (`omitempty`). Pointer fields are on the wire only when set,
 * and then their zero is meaningful (`replicas: 0`, `automountServiceAccountToken: false`), as is
 * the zero of a field without `omitempty` (`PriorityClass.value: 0`). So a field drops its zero
 * value unless it is declared `always(...)`. Empty lists and maps are always dropped; nested
 * messages are kept even when empty (`resources: {}`), as Go writes structs.
 *
 * The tables are written with the builders below, one `defineMessage` per message, fields in
 * the order of the .proto file (which is the order of the Go struct, and so of the JSON).
 */

export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

/** The scalar types Kubernetes' messages use. int64 values become JSON numbers. */
export type ScalarType = 'string' | 'bytes' | 'bool' | 'int32' | 'int64';

export interface MessageType {
  /** The protobuf message name, e.g. k8s.io.api.core.v1.Container (for errors and tests). */
  readonly name: string;
  readonly fields: readonly Field[];
  /** Messages with a JSON form of their own (Time, IntOrString, Quantity): converts the decoded fields. */
  readonly toJson?: (fields: JsonObject) => JsonValue;
  /** Whether a converted value is the type's zero value; messages without `toJson` are never zero. */
  readonly isZero?: (value: JsonValue) => boolean;
}

export type ValueType = ScalarType | MessageType;

/**
 * single: one value (the last one on the wire wins); repeated: a JSON array; map: a JSON object
 * (map<string, V> on the wire: repeated entries {key = 1, value = 2}); inline: an embedded Go
 * struct whose JSON fields are written into the parent's object.
 */
export type Cardinality = 'single' | 'repeated' | 'map' | 'inline';

export interface FieldSpec {
  readonly number: number;
  readonly type: ValueType;
  readonly cardinality: Cardinality;
  /** Keep a zero value (Go pointer fields, fields without omitempty). */
  readonly keepZero: boolean;
}

export interface Field extends FieldSpec {
  /** The JSON name (Kubernetes' proto field names are the JSON names, except inlined structs). */
  readonly json: string;
}

const field = (number: number, type: ValueType, cardinality: Cardinality = 'single'): FieldSpec => ({ number, type, cardinality, keepZero: false });

export const str = (number: number): FieldSpec => field(number, 'string');
export const bytes = (number: number): FieldSpec => field(number, 'bytes');
export const bool = (number: number): FieldSpec => field(number, 'bool');
export const int32 = (number: number): FieldSpec => field(number, 'int32');
export const int64 = (number: number): FieldSpec => field(number, 'int64');
/** A nested message. */
export const msg = (number: number, type: MessageType): FieldSpec => field(number, type);
export const list = (number: number, type: ValueType): FieldSpec => field(number, type, 'repeated');
/** A map with string keys (the only kind Kubernetes uses). */
export const map = (number: number, value: ValueType): FieldSpec => field(number, value, 'map');
/** An embedded Go struct (`json:",inline"`), such as LocalObjectReference in ConfigMapKeySelector. */
export const inline = (number: number, type: MessageType): FieldSpec => field(number, type, 'inline');
/** Keeps the field's zero value: a Go pointer, or a field without omitempty. */
export const always = (spec: FieldSpec): FieldSpec => ({ ...spec, keepZero: true });

export interface SpecialJson {
  readonly toJson: (fields: JsonObject) => JsonValue;
  readonly isZero: (value: JsonValue) => boolean;
}

/** A message from its fields by JSON name (for inlined fields the key is the proto name). */
export function defineMessage(name: string, fields: Readonly<Record<string, FieldSpec>>, special?: SpecialJson): MessageType {
  return {
    name,
    fields: Object.entries(fields).map(([json, spec]) => ({ ...spec, json })),
    ...(special ? { toJson: special.toJson, isZero: special.isZero } : {}),
  };
}
