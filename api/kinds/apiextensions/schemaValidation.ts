/**
 * Validation of one version's openAPIV3Schema, as Kubernetes' validateCustomResourceDefinitionValidation
 * does: root restrictions, structural schema rules (structural.ts), then the OpenAPI rules for every
 * sub-schema (unsupported keywords, x-kubernetes-* extensions, x-kubernetes-validations syntax).
 * Not done: compiling CEL rules and checking that defaults validate against the schema.
 */
import { compileCel } from '../../cel/expression';
import * as field from '../../field/errors';
import type { FieldError } from '../../field/errors';
import { child, index, key } from '../../field/path';
import { additionalPropertiesSchema, itemsSchema, type JSONSchemaProps } from './jsonSchemaProps';
import { resolveFieldPath, validateStructural } from './structural';

const openapiTypes = ['array', 'boolean', 'integer', 'number', 'object', 'string'];
const validationReasons = ['FieldValueDuplicate', 'FieldValueForbidden', 'FieldValueInvalid', 'FieldValueRequired'];
const metaFields = new Set(['metadata', 'kind', 'apiVersion']);

/** The JSON names of the fields Kubernetes allows at the root of a schema when /status is enabled. */
const allowedAtRoot = new Set([
  'description', 'type', 'format', 'title', 'maximum', 'exclusiveMaximum', 'minimum', 'exclusiveMinimum', 'maxLength', 'minLength',
  'pattern', 'maxItems', 'minItems', 'uniqueItems', 'multipleOf', 'required', 'items', 'properties', 'externalDocs', 'example',
  'x-kubernetes-preserve-unknown-fields', 'x-kubernetes-validations',
]);
/** The same, as Kubernetes names them in its message (Go field names). */
const allowedAtRootGoNames =
  '[Description Type Format Title Maximum ExclusiveMaximum Minimum ExclusiveMinimum MaxLength MinLength Pattern MaxItems MinItems UniqueItems MultipleOf Required Items Properties ExternalDocs Example XPreserveUnknownFields XValidations]';
/** Fields whose Go type is a plain bool or string, so false / "" count as unset. */
const zeroable = new Set(['nullable', 'x-kubernetes-embedded-resource', 'x-kubernetes-int-or-string', 'id', '$schema', 'exclusiveMaximum', 'exclusiveMinimum', 'uniqueItems', 'description', 'type', 'format', 'title', 'pattern']);

/** Rules an update does not enforce when the stored CustomResourceDefinition did not meet them. */
export interface SchemaRules {
  readonly requireStructural: boolean;
  readonly requireValidTypes: boolean;
}

/** `path` is the schema's own path, e.g. `spec.versions[0].schema.openAPIV3Schema`. */
export function validateVersionSchema(
  schema: JSONSchemaProps,
  path: string,
  statusEnabled: boolean,
  rules: SchemaRules = { requireStructural: true, requireValidTypes: true },
): FieldError[] {
  const errs: FieldError[] = [];
  if (statusEnabled) errs.push(...rootForStatus(schema, path));
  if (schema.nullable) errs.push(field.forbidden(child(path, 'nullable'), 'nullable cannot be true at the root'));
  if (rules.requireStructural) errs.push(...validateStructural(schema, path));
  errs.push(...validateOpenAPISchema(schema, path, { isRoot: true, insideResourceMeta: false, requireValidTypes: rules.requireValidTypes }));
  return errs;
}

/** JSONSchemaProps' fields in Go declaration order: Kubernetes reports the first one not allowed. */
const goFieldOrder: readonly (keyof JSONSchemaProps)[] = [
  'id', '$schema', '$ref', 'description', 'type', 'nullable', 'format', 'title', 'default', 'maximum', 'exclusiveMaximum', 'minimum',
  'exclusiveMinimum', 'maxLength', 'minLength', 'pattern', 'maxItems', 'minItems', 'uniqueItems', 'multipleOf', 'enum', 'maxProperties',
  'minProperties', 'required', 'items', 'allOf', 'oneOf', 'anyOf', 'not', 'properties', 'additionalProperties', 'patternProperties',
  'dependencies', 'additionalItems', 'definitions', 'externalDocs', 'example', 'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-embedded-resource', 'x-kubernetes-int-or-string', 'x-kubernetes-list-map-keys', 'x-kubernetes-list-type',
  'x-kubernetes-map-type', 'x-kubernetes-validations',
];

function rootForStatus(schema: JSONSchemaProps, path: string): FieldError[] {
  for (const name of goFieldOrder) {
    const value = schema[name];
    if (value === undefined || (zeroable.has(name) && (value === false || value === ''))) continue;
    if (name === 'type') {
      if (value !== 'object') {
        return [field.invalid(child(path, 'type'), value, 'only "object" is allowed as the type at the root of the schema if the status subresource is enabled')];
      }
    } else if (!allowedAtRoot.has(name)) {
      return [field.invalid(path, schema, `only ${allowedAtRootGoNames} fields are allowed at the root of the schema if the status subresource is enabled`)];
    }
  }
  return [];
}

interface Context {
  readonly isRoot: boolean;
  readonly requireValidTypes: boolean;
  readonly insideResourceMeta: boolean;
  /** Set where defaults are forbidden: why, as Kubernetes words it. */
  readonly forbidDefaults?: string;
}

function validateOpenAPISchema(s: JSONSchemaProps, path: string, ctx: Context): FieldError[] {
  const errs = keywordErrors(s, path, ctx);
  const sub: Context = { ...ctx, isRoot: false };
  if (s.uniqueItems) errs.push(field.forbidden(child(path, 'uniqueItems'), 'uniqueItems cannot be set to true since the runtime complexity becomes quadratic'));
  const props = s.properties ?? {};
  if (s.additionalProperties !== undefined) {
    const ap = additionalPropertiesSchema(s);
    if (Object.keys(props).length > 0 && (s.additionalProperties === false || ap)) {
      errs.push(field.forbidden(child(path, 'additionalProperties'), 'additionalProperties and properties are mutual exclusive'));
    }
    const apCtx = ctx.insideResourceMeta ? { ...sub, forbidDefaults: 'inside additionalProperties applying to object metadata' } : sub;
    if (ap) errs.push(...validateOpenAPISchema(ap, child(path, 'additionalProperties'), apCtx));
  }
  for (const [name, p] of Object.entries(props)) {
    let pCtx = sub;
    if ((ctx.isRoot || s['x-kubernetes-embedded-resource']) && metaFields.has(name)) {
      pCtx = { ...pCtx, insideResourceMeta: true, ...(ctx.isRoot ? { forbidDefaults: `in top-level ${name}` } : {}) };
    }
    errs.push(...validateOpenAPISchema(p, key(child(path, 'properties'), name), pCtx));
  }
  if (s.not) errs.push(...validateOpenAPISchema(s.not, child(path, 'not'), sub));
  for (const name of ['allOf', 'oneOf', 'anyOf'] as const) {
    (s[name] ?? []).forEach((n, i) => errs.push(...validateOpenAPISchema(n, index(child(path, name), i), sub)));
  }
  for (const [name, d] of Object.entries(s.definitions ?? {})) errs.push(...validateOpenAPISchema(d, key(child(path, 'definitions'), name), sub));
  const items = itemsSchema(s);
  if (items) errs.push(...validateOpenAPISchema(items, child(path, 'items'), sub));
  else if (Array.isArray(s.items)) s.items.forEach((it, i) => errs.push(...validateOpenAPISchema(it as JSONSchemaProps, index(child(path, 'items'), i), sub)));
  for (const [name, d] of Object.entries(s.dependencies ?? {})) {
    if (!Array.isArray(d)) errs.push(...validateOpenAPISchema(d as JSONSchemaProps, key(child(path, 'dependencies'), name), sub));
  }
  errs.push(...extensionErrors(s, path), ...listKeyErrors(s, path), ...validationRuleErrors(s, path));
  return errs;
}

/** specStandardValidatorV3.validate: keywords CRD schemas do not support. */
function keywordErrors(s: JSONSchemaProps, path: string, ctx: Context): FieldError[] {
  const errs: FieldError[] = [];
  if (ctx.requireValidTypes && s.type && !openapiTypes.includes(s.type)) errs.push(field.notSupported(child(path, 'type'), s.type, openapiTypes));
  if (s.default !== undefined && ctx.forbidDefaults) errs.push(field.forbidden(child(path, 'default'), `must not be set ${ctx.forbidDefaults}`));
  if (s.id) errs.push(field.forbidden(child(path, 'id'), 'id is not supported'));
  if (s.additionalItems !== undefined) errs.push(field.forbidden(child(path, 'additionalItems'), 'additionalItems is not supported'));
  if (Object.keys(s.patternProperties ?? {}).length) errs.push(field.forbidden(child(path, 'patternProperties'), 'patternProperties is not supported'));
  if (Object.keys(s.definitions ?? {}).length) errs.push(field.forbidden(child(path, 'definitions'), 'definitions is not supported'));
  if (s.dependencies !== undefined) errs.push(field.forbidden(child(path, 'dependencies'), 'dependencies is not supported'));
  if (s.$ref !== undefined) errs.push(field.forbidden(child(path, '$ref'), '$ref is not supported'));
  if (s.type === 'null') errs.push(field.forbidden(child(path, 'type'), 'type cannot be set to null, use nullable as an alternative'));
  if (Array.isArray(s.items) && s.items.length) errs.push(field.forbidden(child(path, 'items'), 'items must be a schema object and not an array'));
  if (ctx.insideResourceMeta && s['x-kubernetes-embedded-resource']) {
    errs.push(field.forbidden(child(path, 'x-kubernetes-embedded-resource'), 'must not be used inside of resource meta'));
  }
  return errs;
}

function extensionErrors(s: JSONSchemaProps, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (s['x-kubernetes-preserve-unknown-fields'] === false) {
    errs.push(field.invalid(child(path, 'x-kubernetes-preserve-unknown-fields'), false, 'must be true or undefined'));
  }
  const mapType = s['x-kubernetes-map-type'];
  if (mapType !== undefined && s.type !== 'object') errs.push(typeMust(s, path, 'must be object if x-kubernetes-map-type is specified'));
  if (mapType !== undefined && mapType !== 'atomic' && mapType !== 'granular') {
    errs.push(field.notSupported(child(path, 'x-kubernetes-map-type'), mapType, ['atomic', 'granular']));
  }
  const listType = s['x-kubernetes-list-type'];
  const items = itemsSchema(s);
  if (listType !== undefined && s.type !== 'array') {
    errs.push(typeMust(s, path, 'must be array if x-kubernetes-list-type is specified'));
  } else if (listType === 'set' && items) {
    if (items.type === 'array' && items['x-kubernetes-list-type'] !== undefined && items['x-kubernetes-list-type'] !== 'atomic') {
      errs.push(field.invalid(child(child(path, 'items'), 'x-kubernetes-list-type'), items['x-kubernetes-list-type'], 'must be atomic as item of a list with x-kubernetes-list-type=set'));
    }
    if (items.type === 'object' && items['x-kubernetes-map-type'] !== 'atomic') {
      errs.push(field.invalid(child(child(path, 'items'), 'x-kubernetes-map-type'), items['x-kubernetes-list-type'] ?? null, 'must be atomic as item of a list with x-kubernetes-list-type=set'));
    }
  }
  if (listType !== undefined && !['atomic', 'set', 'map'].includes(listType)) {
    errs.push(field.notSupported(child(path, 'x-kubernetes-list-type'), listType, ['atomic', 'set', 'map']));
  }
  return errs;
}

function typeMust(s: JSONSchemaProps, path: string, detail: string): FieldError {
  return s.type ? field.invalid(child(path, 'type'), s.type, detail) : field.required(child(path, 'type'), detail);
}

/** x-kubernetes-list-map-keys and the map/set item rules. */
function listKeyErrors(s: JSONSchemaProps, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const listType = s['x-kubernetes-list-type'];
  const keys = s['x-kubernetes-list-map-keys'] ?? [];
  const keysPath = child(path, 'x-kubernetes-list-map-keys');
  const itemsPath = child(path, 'items');
  if (keys.length > 0) {
    const detail = 'must be map if x-kubernetes-list-map-keys is non-empty';
    if (listType === undefined) errs.push(field.required(child(path, 'x-kubernetes-list-type'), detail));
    else if (listType !== 'map') errs.push(field.invalid(child(path, 'x-kubernetes-list-type'), listType, detail));
  }
  const items = itemsSchema(s);
  if (listType === 'map') {
    if (keys.length === 0) errs.push(field.required(keysPath, 'must not be empty if x-kubernetes-list-type is map'));
    if (s.items === undefined) errs.push(field.required(itemsPath, 'must have a schema if x-kubernetes-list-type is map'));
    else if (!items) errs.push(field.invalid(itemsPath, s.items, 'must only have a single schema if x-kubernetes-list-type is map'));
    else if (items.type !== 'object') errs.push(field.invalid(child(itemsPath, 'type'), items.type ?? '', "must be object if parent array's x-kubernetes-list-type is map"));
    else {
      const seen = new Set<string>();
      for (const k of keys) {
        const p = items.properties?.[k];
        if (!p) errs.push(field.invalid(keysPath, keys, 'entries must all be names of item properties'));
        else if (p.type === 'array' || p.type === 'object') {
          errs.push(field.invalid(child(key(child(itemsPath, 'properties'), k), 'type'), items.type, "must be a scalar type if parent array's x-kubernetes-list-type is map"));
        }
        if (seen.has(k)) errs.push(field.invalid(keysPath, keys, 'must not contain duplicate entries'));
        seen.add(k);
      }
    }
  }
  if (items && (listType === 'set' || listType === 'map')) {
    if (items.nullable) errs.push(field.forbidden(child(itemsPath, 'nullable'), `cannot be nullable when x-kubernetes-list-type is ${listType}`));
    if (listType === 'map') {
      for (const k of keys) {
        const p = items.properties?.[k];
        if (!p) continue;
        const propPath = key(child(itemsPath, 'properties'), k);
        if (!(items.required ?? []).includes(k) && p.default === undefined) {
          errs.push(field.required(child(propPath, 'default'), 'this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property'));
        }
        if (p.nullable) errs.push(field.forbidden(child(propPath, 'nullable'), 'this property is in x-kubernetes-list-map-keys, so it cannot be nullable'));
      }
    }
  }
  return errs;
}

const newlines = /[\n\r]+/;

/** x-kubernetes-validations: their fields, and rules and messageExpressions that compile. */
function validationRuleErrors(s: JSONSchemaProps, path: string): FieldError[] {
  const errs: FieldError[] = [];
  (s['x-kubernetes-validations'] ?? []).forEach((rule, i) => {
    const at = index(child(path, 'x-kubernetes-validations'), i);
    const ruleText = rule.rule.trim();
    const message = rule.message ?? '';
    const msg = message.trim();
    if (!ruleText) errs.push(field.required(child(at, 'rule'), 'rule is not specified'));
    else if (message && !msg) errs.push(field.invalid(child(at, 'message'), message, 'message must be non-empty if specified'));
    else if (newlines.test(msg)) errs.push(field.invalid(child(at, 'message'), message, 'message must not contain line breaks'));
    else if (newlines.test(ruleText) && !msg) errs.push(field.required(child(at, 'message'), 'message must be specified if rule contains line breaks'));
    if (ruleText) errs.push(...celCompileErrors(child(at, 'rule'), rule.rule));
    if (rule.messageExpression && !rule.messageExpression.trim()) {
      errs.push(field.required(child(at, 'messageExpression'), 'messageExpression must be non-empty if specified'));
    } else if (rule.messageExpression) {
      errs.push(...celCompileErrors(child(at, 'messageExpression'), rule.messageExpression));
    }
    if (rule.reason !== undefined && !validationReasons.includes(rule.reason)) errs.push(field.notSupported(child(at, 'reason'), rule.reason, validationReasons));
    const fieldPath = rule.fieldPath ?? '';
    if (fieldPath && !fieldPath.trim()) errs.push(field.invalid(child(at, 'fieldPath'), fieldPath, 'fieldPath must be non-empty if specified'));
    if (newlines.test(fieldPath)) errs.push(field.invalid(child(at, 'fieldPath'), fieldPath, 'fieldPath must not contain line breaks'));
    if (fieldPath && !fieldPathValid(s, fieldPath)) errs.push(field.invalid(child(at, 'fieldPath'), fieldPath, 'fieldPath must be a valid path'));
  });
  return errs;
}

function celCompileErrors(path: string, expression: string): FieldError[] {
  try {
    compileCel(expression);
    return [];
  } catch (err) {
    return [field.invalid(path, expression, `compilation failed: ${err instanceof Error ? err.message : String(err)}`)];
  }
}

function fieldPathValid(schema: JSONSchemaProps, path: string): boolean {
  try {
    resolveFieldPath(path, schema);
    return true;
  } catch {
    return false;
  }
}
