/**
 * Structural schema rules (apiextensions-apiserver pkg/apiserver/schema ValidateStructural): every
 * specified field has a type unless it preserves unknown fields or is an int-or-string, logical
 * junctors (allOf, anyOf, oneOf, not) only restrict values, and metadata at the root only
 * restricts name and generateName. Also resolves field paths against a schema, as selectableFields
 * and x-kubernetes-validations fieldPath need.
 */
import * as field from '../../field/errors';
import type { FieldError } from '../../field/errors';
import { child, index, key } from '../../field/path';
import { additionalPropertiesSchema, itemsSchema, type JSONSchemaProps } from './jsonSchemaProps';

type Level = 'root' | 'item' | 'field';

const levelText: Record<Level, string> = {
  root: 'must not be empty at the root',
  item: 'must not be empty for specified array items',
  field: 'must not be empty for specified object fields',
};

/** ValidateStructural: invariants then completeness, sorted by message as Kubernetes sorts them. */
export function validateStructural(schema: JSONSchemaProps, path: string): FieldError[] {
  const errs = [...invariants(schema, 'root', path), ...completeness(schema, path)];
  return errs.sort((a, b) => (field.errorMessage(a) < field.errorMessage(b) ? -1 : field.errorMessage(a) > field.errorMessage(b) ? 1 : 0));
}

function invariants(s: JSONSchemaProps, lvl: Level, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const items = itemsSchema(s);
  if (s.type === 'array' && s.items === undefined) errs.push(field.required(child(path, 'items'), 'must be specified'));
  if (items) errs.push(...invariants(items, 'item', child(path, 'items')));
  for (const [k, v] of Object.entries(s.properties ?? {})) errs.push(...invariants(v, 'field', key(child(path, 'properties'), k)));
  if (s.additionalProperties !== undefined) {
    if (lvl === 'root') errs.push(field.forbidden(child(path, 'additionalProperties'), 'must not be used at the root'));
    const ap = additionalPropertiesSchema(s);
    if (ap) errs.push(...invariants(ap, 'field', child(path, 'additionalProperties')));
  }
  const intOrString = s['x-kubernetes-int-or-string'] === true;
  const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
  const embedded = s['x-kubernetes-embedded-resource'] === true;
  if (intOrString && preserve) errs.push(field.invalid(child(path, 'x-kubernetes-preserve-unknown-fields'), true, 'must be false if x-kubernetes-int-or-string is true'));
  if (intOrString && embedded) errs.push(field.invalid(child(path, 'x-kubernetes-embedded-resource'), true, 'must be false if x-kubernetes-int-or-string is true'));
  errs.push(...valueValidation(s, isIntOrStringAnyOf(s.anyOf), isIntOrStringAnyOf(s.allOf?.[0]?.anyOf), lvl, path));

  if (embedded && s.type !== 'object') {
    const detail = 'must be object if x-kubernetes-embedded-resource is true';
    errs.push(s.type ? field.invalid(child(path, 'type'), s.type, detail) : field.required(child(path, 'type'), detail));
  } else if (!s.type && !intOrString && !preserve) {
    errs.push(field.required(child(path, 'type'), levelText[lvl]));
  }
  if (embedded && s.additionalProperties !== undefined) {
    errs.push(field.forbidden(child(path, 'additionalProperties'), 'must not be used if x-kubernetes-embedded-resource is set'));
  }
  if (lvl === 'root' && s.type && s.type !== 'object') errs.push(field.invalid(child(path, 'type'), s.type, 'must be object at the root'));

  const props = s.properties ?? {};
  if (lvl === 'root' || embedded) {
    for (const [name, type] of [['kind', 'string'], ['apiVersion', 'string'], ['metadata', 'object']] as const) {
      const p = props[name];
      if (p && p.type !== type) errs.push(field.invalid(child(key(child(path, 'properties'), name), 'type'), p.type ?? '', `must be ${type}`));
    }
  }
  const metadata = props.metadata;
  if (lvl === 'root' && metadata && restrictsMoreThanNames(metadata)) {
    errs.push(
      field.forbidden(key(child(path, 'properties'), 'metadata'), 'must not specify anything other than name and generateName, but metadata is implicitly specified'),
    );
  }
  if (embedded && !preserve && Object.keys(props).length === 0) {
    errs.push(field.required(child(path, 'properties'), 'must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields'));
  }
  return errs;
}

/** `anyOf: [{type: integer}, {type: string}]` exactly: the int-or-string pattern allowed to carry types. */
function isIntOrStringAnyOf(anyOf: readonly JSONSchemaProps[] | undefined): boolean {
  if (!anyOf || anyOf.length !== 2) return false;
  const only = (s: JSONSchemaProps, type: string) => s.type === type && Object.keys(s).every((k) => k === 'type');
  return only(anyOf[0]!, 'integer') && only(anyOf[1]!, 'string');
}

function valueValidation(v: JSONSchemaProps, skipAnyOf: boolean, skipFirstAllOfAnyOf: boolean, lvl: Level, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!skipAnyOf) (v.anyOf ?? []).forEach((n, i) => errs.push(...nested(n, false, false, lvl, index(child(path, 'anyOf'), i))));
  (v.allOf ?? []).forEach((n, i) => errs.push(...nested(n, skipFirstAllOfAnyOf && i === 0, false, lvl, index(child(path, 'allOf'), i))));
  (v.oneOf ?? []).forEach((n, i) => errs.push(...nested(n, false, false, lvl, index(child(path, 'oneOf'), i))));
  if (v.not) errs.push(...nested(v.not, false, false, lvl, child(path, 'not')));
  return errs;
}

/** A schema under a logical junctor: it may only restrict values, not specify types or structure. */
function nested(v: JSONSchemaProps, skipAnyOf: boolean, skipAllOfAnyOf: boolean, lvl: Level, path: string): FieldError[] {
  const errs = valueValidation(v, skipAnyOf, skipAllOfAnyOf, lvl, path);
  const items = itemsSchema(v);
  if (items) errs.push(...nested(items, false, false, lvl, child(path, 'items')));
  for (const [k, p] of Object.entries(v.properties ?? {})) errs.push(...nested(p, false, false, 'field', key(child(path, 'properties'), k)));
  const forbid = (name: string, detail: string) => errs.push(field.forbidden(child(path, name), detail));
  if (v.type) forbid('type', 'must be empty to be structural');
  if (v.additionalProperties !== undefined) forbid('additionalProperties', 'must be undefined to be structural');
  if (v.default !== undefined) forbid('default', 'must be undefined to be structural');
  if (v.title) forbid('title', 'must be empty to be structural');
  if (v.description) forbid('description', 'must be empty to be structural');
  if (v.nullable) forbid('nullable', 'must be false to be structural');
  if (v['x-kubernetes-preserve-unknown-fields']) forbid('x-kubernetes-preserve-unknown-fields', 'must be false to be structural');
  if (v['x-kubernetes-embedded-resource']) forbid('x-kubernetes-embedded-resource', 'must be false to be structural');
  if (v['x-kubernetes-int-or-string']) forbid('x-kubernetes-int-or-string', 'must be false to be structural');
  if ((v['x-kubernetes-list-map-keys'] ?? []).length > 0) forbid('x-kubernetes-list-map-keys', 'must be empty to be structural');
  if (v['x-kubernetes-list-type'] !== undefined) forbid('x-kubernetes-list-type', 'must be undefined to be structural');
  if (v.properties && 'metadata' in v.properties) errs.push(field.forbidden(key(child(path, 'properties'), 'metadata'), 'must not be specified in a nested context'));
  return errs;
}

/** Whether a root metadata schema says anything beyond its type, a default and name/generateName properties. */
function restrictsMoreThanNames(m: JSONSchemaProps): boolean {
  const propNames = Object.keys(m.properties ?? {});
  if (propNames.some((n) => n !== 'name' && n !== 'generateName')) return true;
  const set = (v: unknown) => v !== undefined && v !== false && v !== '' && !(Array.isArray(v) && v.length === 0);
  const ignored = new Set(['type', 'default', 'properties', 'example', 'externalDocs', '$schema', 'id', '$ref', 'definitions', 'dependencies', 'patternProperties', 'additionalItems']);
  return Object.entries(m).some(([k, v]) => !ignored.has(k) && set(v));
}

/** Every property a junctor (allOf, anyOf, oneOf, not) mentions must also be specified structurally. */
function completeness(s: JSONSchemaProps, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const items = itemsSchema(s);
  if (items) errs.push(...completeness(items, child(path, 'items')));
  for (const [k, v] of Object.entries(s.properties ?? {})) errs.push(...completeness(v, key(child(path, 'properties'), k)));
  const ap = additionalPropertiesSchema(s);
  if (ap) errs.push(...completeness(ap, child(path, 'additionalProperties')));
  errs.push(...junctorCompleteness(s, s, path, path));
  return errs;
}

function junctorCompleteness(v: JSONSchemaProps, s: JSONSchemaProps, sPath: string, vPath: string): FieldError[] {
  const errs: FieldError[] = [];
  if (v.not) errs.push(...nestedCompleteness(v.not, s, sPath, child(vPath, 'not')));
  for (const name of ['allOf', 'anyOf', 'oneOf'] as const) {
    (v[name] ?? []).forEach((n, i) => errs.push(...nestedCompleteness(n, s, sPath, index(child(vPath, name), i))));
  }
  return errs;
}

function nestedCompleteness(v: JSONSchemaProps, s: JSONSchemaProps | undefined, sPath: string, vPath: string): FieldError[] {
  if (!s) return [field.required(sPath, `because it is defined in ${vPath}`)];
  const errs = junctorCompleteness(v, s, sPath, vPath);
  const vItems = itemsSchema(v);
  if (vItems) errs.push(...nestedCompleteness(vItems, itemsSchema(s), child(sPath, 'items'), child(vPath, 'items')));
  for (const [k, vField] of Object.entries(v.properties ?? {})) {
    const sField = s.properties?.[k];
    const vFieldPath = key(child(vPath, 'properties'), k);
    if (sField) {
      errs.push(...nestedCompleteness(vField, sField, key(child(sPath, 'properties'), k), vFieldPath));
    } else {
      const ap = additionalPropertiesSchema(s);
      if (ap) errs.push(...nestedCompleteness(vField, ap, child(sPath, 'additionalProperties'), vFieldPath));
      else errs.push(field.required(key(child(sPath, 'properties'), k), `because it is defined in ${vFieldPath}`));
    }
  }
  return errs;
}

/** A field path resolved against a schema: its segments (for comparison) and the schema it reaches. */
export interface ResolvedFieldPath {
  readonly segments: readonly string[];
  readonly schema: JSONSchemaProps;
}

/**
 * Resolves `.spec.foo['bar.baz']` (and `[0]` when array notation is allowed) against `schema`, as
 * Kubernetes' cel.ValidFieldPath does; throws an Error whose message says why the path is invalid.
 */
export function resolveFieldPath(path: string, schema: JSONSchemaProps, allowArrayNotation = true): ResolvedFieldPath {
  const segments: string[] = [];
  let at = schema;
  const step = (name: string, bracketed: boolean) => {
    const ap = additionalPropertiesSchema(at);
    const prop = at.properties?.[name];
    if (prop && (!bracketed || !ap)) at = prop;
    else if (bracketed && ap) at = ap;
    else throw new Error('does not refer to a valid field');
    segments.push(name);
  };
  let i = 0;
  while (i < path.length) {
    const c = path[i]!;
    if (c === '.') {
      const m = /^[^.[\]]+/.exec(path.slice(i + 1));
      if (!m) throw new Error('unexpected end of JSON path');
      step(m[0], false);
      i += 1 + m[0].length;
    } else if (c === '[') {
      const close = path[i + 1] === "'" ? findQuoteEnd(path, i + 2) + 1 : path.indexOf(']', i);
      if (close <= i || path[close] !== ']') throw new Error('unexpected end of JSON path');
      const inner = path.slice(i + 1, close);
      if (inner.length >= 2 && inner.startsWith("'") && inner.endsWith("'")) {
        step(inner.slice(1, -1).replace(/\\'/g, "'"), true);
      } else if (allowArrayNotation && /^\d+$/.test(inner)) {
        const items = itemsSchema(at);
        if (at.type !== 'array' || !items) throw new Error('does not refer to a valid field');
        at = items;
        segments.push(`[${inner}]`);
      } else {
        throw new Error(`expected single quoted string but got ${inner}`);
      }
      i = close + 1;
    } else {
      throw new Error(`expected [ or . but got: ${path.slice(i).split(/[.[]/)[0]}`);
    }
  }
  return { segments, schema: at };
}

/** The index of the quote closing a single-quoted string that starts at `from` (-2 when unclosed). */
function findQuoteEnd(path: string, from: number): number {
  for (let i = from; i < path.length; i++) {
    if (path[i] === '\\') i++;
    else if (path[i] === "'") return i;
  }
  return -2;
}
