/**
 * Validates decoded objects against a schema with ajv. Errors fall in two families, as in
 * Kubernetes:
 *   - decode errors: the JSON does not fit the Go types (a string where an int32 goes, a
 *     malformed quantity or timestamp). The API server answers 400 BadRequest.
 *   - field errors: required fields, unsupported enum values, out-of-range values. These are
 *     validation and become the causes of a 422 Invalid.
 * Unknown fields are not checked here: normalize() (walk.ts) has already removed them.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import * as field from '../field/errors';
import type { FieldError } from '../field/errors';
import type { FieldPath } from '../field/path';
import type { Schema, SchemaNode } from './schema';

export interface SchemaCheck {
  readonly decodeErrors: readonly string[];
  readonly fieldErrors: readonly FieldError[];
}

/** Kubernetes' resource.Quantity syntax: a decimal number with an optional SI/binary suffix. */
export const quantityPattern = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+|[numkMGTPE]|Ki|Mi|Gi|Ti|Pi|Ei)?$/;
const rfc3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/;
const base64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Formats whose failure is a decode error, with what the Go type is called in messages. */
const decodeFormats: Record<string, string> = {
  int32: 'int32',
  int64: 'int64',
  quantity: 'resource.Quantity',
  'date-time': 'metav1.Time (RFC 3339)',
  byte: 'base64 []byte',
};

/**
 * Two compilations of each schema: a fast one that stops at the first error (the common case is
 * a valid object) and a reporting one that collects every error, made and run only when the first fails.
 */
const reporting = new Ajv({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true, validateFormats: true });
const fast = new Ajv({ allErrors: false, strict: true, allowUnionTypes: true, validateFormats: true });
for (const instance of [reporting, fast]) {
  instance.addFormat('int32', { type: 'number', validate: (n: number) => n >= -(2 ** 31) && n < 2 ** 31 });
  instance.addFormat('int64', { type: 'number', validate: (n: number) => Number.isSafeInteger(n) });
  instance.addFormat('quantity', { type: 'string', validate: (s: string) => quantityPattern.test(s) });
  instance.addFormat('date-time', { type: 'string', validate: (s: string) => rfc3339.test(s) && !Number.isNaN(Date.parse(s)) });
  instance.addFormat('byte', { type: 'string', validate: (s: string) => base64.test(s) });
}

interface Validators {
  readonly json: JsonSchema;
  readonly fast: ValidateFunction;
  /**
   * Compiled when the first invalid value comes: compiling costs as much as the fast one (about
   * 0.35 s of CPU for a Pod), and most schemas never see an invalid value.
   */
  reporting?: ValidateFunction;
}

const compiled = new WeakMap<Schema, Validators>();

/** Checks `value` against `schema`; the validators are compiled once per schema. */
export function checkSchema(schema: Schema, value: unknown, root: FieldPath = ''): SchemaCheck {
  let validators = compiled.get(schema);
  if (!validators) {
    const json = toJsonSchema(schema);
    validators = { json, fast: fast.compile(json) };
    compiled.set(schema, validators);
  }
  if (validators.fast(value)) return { decodeErrors: [], fieldErrors: [] };
  const report = (validators.reporting ??= reporting.compile(validators.json));
  report(value);
  return classify(report.errors ?? [], schema, root);
}

type JsonSchema = Record<string, unknown>;

/** Emits a JSON Schema (draft 7) with named objects as $defs, so recursion and sharing work. */
export function toJsonSchema(root: Schema): JsonSchema {
  const defs: Record<string, JsonSchema> = {};
  const emit = (schema: Schema): JsonSchema => {
    const node = schema.resolved().node;
    if (node.type === 'object' && node.name !== undefined) {
      const name = node.name;
      if (!(name in defs)) {
        defs[name] = {}; // placeholder first: a recursive type refers to itself
        defs[name] = emitNode(node, emit);
      }
      return { $ref: `#/$defs/${name}` };
    }
    return emitNode(node, emit);
  };
  const body = emit(root);
  return { ...body, $defs: defs };
}

function emitNode(node: SchemaNode, emit: (s: Schema) => JsonSchema): JsonSchema {
  switch (node.type) {
    case 'string': {
      const out: JsonSchema = { type: 'string' };
      if (node.enum) out.enum = [...node.enum];
      if (node.pattern) out.pattern = node.pattern;
      if (node.maxLength !== undefined) out.maxLength = node.maxLength;
      if (node.format === 'date-time' || node.format === 'byte') out.format = node.format;
      return out;
    }
    case 'integer': {
      const out: JsonSchema = { type: 'integer', format: node.format };
      if (node.minimum !== undefined) out.minimum = node.minimum;
      if (node.maximum !== undefined) out.maximum = node.maximum;
      return out;
    }
    case 'number':
      return { type: 'number' };
    case 'boolean':
      return { type: 'boolean' };
    case 'int-or-string':
      return { type: ['integer', 'string'] };
    case 'quantity':
      return { type: ['string', 'number'], format: 'quantity' };
    case 'object':
      return {
        type: 'object',
        properties: Object.fromEntries(Object.entries(node.properties).map(([k, v]) => [k, emit(v)])),
        ...(node.required.length ? { required: [...node.required] } : {}),
      };
    case 'map':
      return { type: 'object', additionalProperties: emit(node.values) };
    case 'array':
      return { type: 'array', items: emit(node.items) };
    case 'any':
      return {};
    case 'ref':
      return emit(node.resolve());
  }
}

function classify(errors: readonly ErrorObject[], schema: Schema, root: FieldPath): SchemaCheck {
  const decodeErrors: string[] = [];
  const fieldErrors: FieldError[] = [];
  for (const error of errors) {
    const path = toFieldPath(error.instancePath, schema, root);
    switch (error.keyword) {
      case 'type':
        decodeErrors.push(`${path || 'object'}: expected ${expected(error)}, got ${jsonType(error.data)}`);
        break;
      case 'format': {
        const format = String(error.params.format);
        const goType = decodeFormats[format];
        if (goType) decodeErrors.push(`${path}: cannot decode ${JSON.stringify(error.data)} as ${goType}`);
        else fieldErrors.push(field.invalid(path, error.data, `must be a valid ${format}`));
        break;
      }
      case 'required':
        fieldErrors.push(field.required(joinPath(path, String(error.params.missingProperty))));
        break;
      case 'enum':
        fieldErrors.push(field.notSupported(path, error.data, (error.params.allowedValues as string[]) ?? []));
        break;
      case 'minimum':
        fieldErrors.push(field.invalid(path, error.data, `must be greater than or equal to ${String(error.params.limit)}`));
        break;
      case 'maximum':
        fieldErrors.push(field.invalid(path, error.data, `must be less than or equal to ${String(error.params.limit)}`));
        break;
      case 'maxLength':
        fieldErrors.push(field.tooLong(path, Number(error.params.limit)));
        break;
      case 'pattern':
        fieldErrors.push(field.invalid(path, error.data, `must match the regular expression '${String(error.params.pattern)}'`));
        break;
      default:
        fieldErrors.push(field.invalid(path, error.data, error.message ?? 'invalid'));
    }
  }
  return { decodeErrors, fieldErrors };
}

function expected(error: ErrorObject): string {
  const type = error.params.type as string | string[];
  const names = (Array.isArray(type) ? type : String(type).split(',')).map((t) => (t === 'object' ? 'object' : t));
  if (names.includes('integer') && names.includes('string')) return 'integer or string';
  if (names.includes('number') && names.includes('string')) return 'quantity (string or number)';
  return names.join(' or ');
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/**
 * `/spec/containers/0/image` → `spec.containers[0].image`; map entries are written as keys,
 * `/metadata/labels/app` → `metadata.labels[app]`, which needs the schema to tell maps apart.
 */
export function toFieldPath(pointer: string, schema: Schema | undefined, root: FieldPath = ''): FieldPath {
  let path = root;
  let at: Schema | undefined = schema;
  for (const raw of pointer.split('/').slice(1)) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const node = at?.resolved().node;
    if (node?.type === 'array') {
      path = `${path}[${segment}]`;
      at = node.items;
    } else if (node?.type === 'map') {
      path = `${path}[${segment}]`;
      at = node.values;
    } else {
      path = joinPath(path, segment);
      at = node?.type === 'object' ? node.properties[segment] : undefined;
    }
  }
  return path;
}

function joinPath(path: FieldPath, name: string): FieldPath {
  return path === '' ? name : `${path}.${name}`;
}
