/**
 * apiextensions.k8s.io/v1 JSONSchemaProps: the OpenAPI v3 schema of a CustomResourceDefinition
 * version. Recursive, so its static type is written out by hand and the schema refers to itself
 * through s.lazy. Fields that hold "a schema OR a bool" (JSONSchemaPropsOrBool), "a schema OR an
 * array" (JSONSchemaPropsOrArray) or "a schema OR a string array" are s.any(); schemaSlots() finds
 * the schemas inside them so they get the same checks as the typed fields.
 */
import type { FieldError } from '../../field/errors';
import * as field from '../../field/errors';
import { child, index, key } from '../../field/path';
import { checkSchema } from '../../schema/ajv';
import * as s from '../../schema/schema';
import { isPlainObject, normalize } from '../../schema/walk';

export interface ExternalDocumentation {
  description?: string;
  url?: string;
}

export interface ValidationRule {
  fieldPath?: string;
  message?: string;
  messageExpression?: string;
  optionalOldSelf?: boolean;
  reason?: string;
  rule: string;
}

export interface JSONSchemaProps {
  $ref?: string;
  $schema?: string;
  /** JSONSchemaPropsOrBool */
  additionalItems?: unknown;
  /** JSONSchemaPropsOrBool */
  additionalProperties?: unknown;
  allOf?: JSONSchemaProps[];
  anyOf?: JSONSchemaProps[];
  default?: unknown;
  definitions?: Record<string, JSONSchemaProps>;
  /** map of JSONSchemaPropsOrStringArray */
  dependencies?: Record<string, unknown>;
  description?: string;
  enum?: unknown[];
  example?: unknown;
  exclusiveMaximum?: boolean;
  exclusiveMinimum?: boolean;
  externalDocs?: ExternalDocumentation;
  format?: string;
  id?: string;
  /** JSONSchemaPropsOrArray */
  items?: unknown;
  maxItems?: number;
  maxLength?: number;
  maxProperties?: number;
  maximum?: number;
  minItems?: number;
  minLength?: number;
  minProperties?: number;
  minimum?: number;
  multipleOf?: number;
  not?: JSONSchemaProps;
  nullable?: boolean;
  oneOf?: JSONSchemaProps[];
  pattern?: string;
  patternProperties?: Record<string, JSONSchemaProps>;
  properties?: Record<string, JSONSchemaProps>;
  required?: string[];
  title?: string;
  type?: string;
  uniqueItems?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-list-type'?: string;
  'x-kubernetes-map-type'?: string;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-validations'?: ValidationRule[];
}

const self = s.lazy<JSONSchemaProps>(() => JSONSchemaProps);

export const ExternalDocumentation: s.Schema<ExternalDocumentation> = s.object(
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.ExternalDocumentation',
  'ExternalDocumentation allows referencing an external resource for extended documentation.',
  {
    description: s.string('A short description of the target documentation.'),
    url: s.string('The URL of the target documentation.'),
  },
);

export const ValidationRule: s.Schema<ValidationRule> = s.object(
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.ValidationRule',
  'ValidationRule describes a validation rule written in the CEL expression language.',
  {
    fieldPath: s.string(
      'fieldPath represents the field path returned when the validation fails. It must be a relative JSON path (i.e. with array notation) scoped to the location of this x-kubernetes-validations extension in the schema and refer to an existing field.',
    ),
    message: s.string('Message represents the message displayed when validation fails. The message is required if the Rule contains line breaks and must not contain line breaks.'),
    messageExpression: s.string(
      'MessageExpression declares a CEL expression that evaluates to the validation failure message that is returned when this rule fails. Since messageExpression is used as a failure message, it must evaluate to a string.',
    ),
    optionalOldSelf: s.boolean(
      'optionalOldSelf is used to opt a transition rule into evaluation even when the object is first created, or if the old object is missing the value. May not be set unless `oldSelf` is used in `rule`.',
    ),
    reason: s.string(
      'reason provides a machine-readable validation failure reason that is returned to the caller when a request fails this validation rule. Supported values: FieldValueInvalid, FieldValueForbidden, FieldValueRequired, FieldValueDuplicate; defaults to FieldValueInvalid.',
    ),
    rule: s.string(
      'Rule represents the expression which will be evaluated by CEL. The Rule is scoped to the location of the x-kubernetes-validations extension in the schema; the `self` variable in the CEL expression is bound to the scoped value.',
    ),
  },
  { required: ['rule'] },
);

const schemaOrBool = 'JSONSchemaPropsOrBool: a schema, or a boolean (true allows anything, false nothing).';

export const JSONSchemaProps: s.Schema<JSONSchemaProps> = s.object(
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps',
  'JSONSchemaProps is a JSON-Schema following Specification Draft 4 (http://json-schema.org/).',
  {
    $ref: s.string('A JSON reference to another schema; not supported in CustomResourceDefinitions.'),
    $schema: s.string('The URI of the JSON Schema dialect (JSONSchemaURL).'),
    additionalItems: s.any(`${schemaOrBool} Not supported in CustomResourceDefinitions.`),
    additionalProperties: s.any(`${schemaOrBool} The schema of the values of a map; mutually exclusive with properties.`),
    allOf: s.array(self, 'The value must be valid against all of these schemas.', { listType: 'atomic' }),
    anyOf: s.array(self, 'The value must be valid against at least one of these schemas.', { listType: 'atomic' }),
    default: s.any('default is a default value for undefined object fields. Defaulting requires spec.preserveUnknownFields to be false.'),
    definitions: s.map(self, 'Schema definitions for $ref; not supported in CustomResourceDefinitions.'),
    dependencies: s.map(s.any(), 'JSONSchemaPropsOrStringArray per property: a schema or a list of property names; not supported in CustomResourceDefinitions.'),
    description: s.string('A description of the value.'),
    enum: s.array(s.any(), 'The value must be equal to one of these JSON values.', { listType: 'atomic' }),
    example: s.any('An example value (any JSON).'),
    exclusiveMaximum: s.boolean('Whether maximum is exclusive.'),
    exclusiveMinimum: s.boolean('Whether minimum is exclusive.'),
    externalDocs: ExternalDocumentation.doc('A reference to external documentation.'),
    format: s.string(
      'format is an OpenAPI v3 format string. Unknown formats are ignored. Validated formats include uri, email, hostname, ipv4, ipv6, cidr, mac, uuid, byte, date, duration and date-time.',
    ),
    id: s.string('The schema identifier; not supported in CustomResourceDefinitions.'),
    items: s.any('JSONSchemaPropsOrArray: the schema of the items of an array (an array of schemas is not supported in CustomResourceDefinitions).'),
    maxItems: s.int64('The maximum number of items of an array.'),
    maxLength: s.int64('The maximum length of a string.'),
    maxProperties: s.int64('The maximum number of properties of an object.'),
    maximum: s.number('The maximum value of a number.'),
    minItems: s.int64('The minimum number of items of an array.'),
    minLength: s.int64('The minimum length of a string.'),
    minProperties: s.int64('The minimum number of properties of an object.'),
    minimum: s.number('The minimum value of a number.'),
    multipleOf: s.number('The value must be a multiple of this number.'),
    not: self.doc('The value must not be valid against this schema.'),
    nullable: s.boolean('Whether null is an allowed value (it is kept instead of being pruned).'),
    oneOf: s.array(self, 'The value must be valid against exactly one of these schemas.', { listType: 'atomic' }),
    pattern: s.string('A regular expression a string must match.'),
    patternProperties: s.map(self, 'Schemas of the properties whose names match a pattern; not supported in CustomResourceDefinitions.'),
    properties: s.map(self, 'The schemas of the fields of an object; mutually exclusive with additionalProperties.'),
    required: s.array(s.string(), 'The properties an object must have.', { listType: 'atomic' }),
    title: s.string('A title for the value.'),
    type: s.string('The type of the value: object, array, string, integer, number or boolean.'),
    uniqueItems: s.boolean('Whether the items of an array must be unique; may not be true in CustomResourceDefinitions.'),
    'x-kubernetes-embedded-resource': s.boolean(
      'x-kubernetes-embedded-resource defines that the value is an embedded Kubernetes runtime.Object, with TypeMeta and ObjectMeta. The type must be object. kind, apiVersion and metadata are validated automatically.',
    ),
    'x-kubernetes-int-or-string': s.boolean(
      'x-kubernetes-int-or-string specifies that this value is either an integer or a string. If this is true, an empty type is allowed and type as child of anyOf is permitted if following the anyOf integer/string patterns.',
    ),
    'x-kubernetes-list-map-keys': s.array(
      s.string(),
      'x-kubernetes-list-map-keys annotates an array with the x-kubernetes-list-type `map` by specifying the keys used as the index of the map. The properties specified must either be required or have a default value.',
      { listType: 'atomic' },
    ),
    'x-kubernetes-list-type': s.string(
      'x-kubernetes-list-type annotates an array to further describe its topology: `atomic` (replaced as a whole), `set` (unique scalar values) or `map` (items identified by x-kubernetes-list-map-keys). Defaults to atomic for arrays.',
    ),
    'x-kubernetes-map-type': s.string(
      'x-kubernetes-map-type annotates an object to further describe its topology: `granular` (fields are independent, the default) or `atomic` (replaced as a whole). Only used when type is object.',
    ),
    'x-kubernetes-preserve-unknown-fields': s.boolean(
      'x-kubernetes-preserve-unknown-fields stops the API server decoding step from pruning fields which are not specified in the validation schema. This can either be true or undefined. False is forbidden.',
    ),
    'x-kubernetes-validations': s.array(ValidationRule, 'x-kubernetes-validations describes a list of validation rules written in the CEL expression language.', {
      listType: 'map',
      listMapKeys: ['rule'],
      patchMergeKey: 'rule',
      patchStrategy: 'merge',
    }),
  },
);

/** A schema held in an s.any() slot (additionalProperties, additionalItems, items, dependencies). */
export interface SchemaSlot {
  readonly path: string;
  readonly value: unknown;
}

/** The values of the "schema or something else" fields of one schema that hold a schema object. */
export function schemaSlots(schema: JSONSchemaProps, path: string): SchemaSlot[] {
  const slots: SchemaSlot[] = [];
  for (const name of ['additionalProperties', 'additionalItems'] as const) {
    if (isPlainObject(schema[name])) slots.push({ path: child(path, name), value: schema[name] });
  }
  if (isPlainObject(schema.items)) slots.push({ path: child(path, 'items'), value: schema.items });
  else if (Array.isArray(schema.items)) schema.items.forEach((item, i) => slots.push({ path: index(child(path, 'items'), i), value: item }));
  const deps: unknown = schema.dependencies;
  for (const [k, v] of Object.entries(isPlainObject(deps) ? deps : {})) {
    if (isPlainObject(v)) slots.push({ path: key(child(path, 'dependencies'), k), value: v });
  }
  return slots;
}

/**
 * The typed sub-schemas of one schema, with their paths (not those in s.any() slots). Defensive:
 * values of the wrong JSON type are skipped, so it may run on schemas not yet type checked.
 */
export function typedChildren(schema: JSONSchemaProps, path: string): { path: string; schema: JSONSchemaProps }[] {
  const out: { path: string; schema: JSONSchemaProps }[] = [];
  for (const name of ['properties', 'patternProperties', 'definitions'] as const) {
    const map: unknown = schema[name];
    if (!isPlainObject(map)) continue;
    for (const [k, v] of Object.entries(map)) if (isPlainObject(v)) out.push({ path: key(child(path, name), k), schema: v as JSONSchemaProps });
  }
  for (const name of ['allOf', 'anyOf', 'oneOf'] as const) {
    const list: unknown = schema[name];
    if (!Array.isArray(list)) continue;
    list.forEach((v: unknown, i) => {
      if (isPlainObject(v)) out.push({ path: index(child(path, name), i), schema: v as JSONSchemaProps });
    });
  }
  if (isPlainObject(schema.not)) out.push({ path: child(path, 'not'), schema: schema.not });
  return out;
}

/**
 * Decodes the schemas inside s.any() slots as the typed fields were decoded: nulls and unknown
 * fields dropped (their paths returned). Mutates `schema`; run before checkSchemaSlots.
 */
export function normalizeSchemaSlots(schema: JSONSchemaProps, path: string): string[] {
  const unknown: string[] = [];
  for (const slot of schemaSlots(schema, path)) unknown.push(...normalize(JSONSchemaProps, slot.value, slot.path).unknownFields);
  for (const sub of [...typedChildren(schema, path), ...slotSchemas(schema, path)]) unknown.push(...normalizeSchemaSlots(sub.schema, sub.path));
  return unknown;
}

/** Type checks for the s.any() slots: each must be a schema (or a bool / array where the slot allows). */
export function checkSchemaSlots(schema: JSONSchemaProps, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const name of ['additionalProperties', 'additionalItems'] as const) {
    const v = schema[name];
    if (v !== undefined && typeof v !== 'boolean' && !isPlainObject(v)) errs.push(field.invalid(child(path, name), v, 'must be a schema object or a boolean'));
  }
  const items = schema.items;
  if (items !== undefined && !isPlainObject(items) && !Array.isArray(items)) {
    errs.push(field.invalid(child(path, 'items'), items, 'must be a schema object or an array of schema objects'));
  } else if (Array.isArray(items)) {
    items.forEach((item, i) => {
      if (!isPlainObject(item)) errs.push(field.invalid(index(child(path, 'items'), i), item, 'must be a schema object'));
    });
  }
  for (const [k, v] of Object.entries(schema.dependencies ?? {})) {
    const isStrings = Array.isArray(v) && v.every((x) => typeof x === 'string');
    if (!isPlainObject(v) && !isStrings) errs.push(field.invalid(key(child(path, 'dependencies'), k), v, 'must be a schema object or an array of strings'));
  }
  for (const slot of schemaSlots(schema, path)) {
    const { decodeErrors, fieldErrors } = checkSchema(JSONSchemaProps, slot.value, slot.path);
    errs.push(...decodeErrors.map((msg) => decodeError(slot, msg)), ...fieldErrors);
  }
  if (errs.length) return errs;
  for (const sub of [...typedChildren(schema, path), ...slotSchemas(schema, path)]) errs.push(...checkSchemaSlots(sub.schema, sub.path));
  return errs;
}

/** A decode error (`<path>: expected integer, got string`) inside a slot, as a field error at its path. */
function decodeError(slot: SchemaSlot, message: string): FieldError {
  const at = message.startsWith(`${slot.path}`) ? message.indexOf(': ', slot.path.length) : -1;
  if (at < 0) return field.invalid(slot.path, slot.value, message);
  const path = message.slice(0, at);
  let value: unknown = slot.value;
  for (const m of path.slice(slot.path.length).matchAll(/\.([^.[]+)|\[([^\]]*)\]/g)) {
    const step = m[1] ?? m[2] ?? '';
    value = isPlainObject(value) ? value[step] : Array.isArray(value) ? value[Number(step)] : undefined;
  }
  return field.invalid(path, value, message.slice(at + 2));
}

/** The schema objects in the s.any() slots, typed; call only on checked or normalized schemas. */
function slotSchemas(schema: JSONSchemaProps, path: string): { path: string; schema: JSONSchemaProps }[] {
  return schemaSlots(schema, path).map((slot) => ({ path: slot.path, schema: slot.value as JSONSchemaProps }));
}

/** additionalProperties as a schema, when it is one (not a bool). */
export function additionalPropertiesSchema(schema: JSONSchemaProps): JSONSchemaProps | undefined {
  return isPlainObject(schema.additionalProperties) ? (schema.additionalProperties as JSONSchemaProps) : undefined;
}

/** items as a single schema, when it is one (not an array). */
export function itemsSchema(schema: JSONSchemaProps): JSONSchemaProps | undefined {
  return isPlainObject(schema.items) ? (schema.items as JSONSchemaProps) : undefined;
}
