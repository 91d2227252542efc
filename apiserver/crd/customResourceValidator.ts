/**
 * Value validation of custom resources against their CRD version's openAPIV3Schema, as Kubernetes'
 * apiextensions-apiserver does it with kube-openapi's validator (ValidateCustomResource), with its
 * field paths and messages:
 *   spec.size: Unsupported value: "XXL": supported values: "S", "M", "L"
 *   spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"
 *   spec.color: Required value
 *   spec.name: Invalid value: "x": spec.name in body should match '^[a-z]+$'
 *   <nil>: Invalid value: "": "spec" must validate one and only one schema (oneOf). Found none valid
 * plus the checks of x-kubernetes-embedded-resource objects (apiVersion, kind, metadata) and the
 * uniqueness of set and map lists (listTypeValidator.ts).
 *
 * The schema is translated to JSON Schema and compiled once, on a private Ajv instance (strict
 * off, so the x-kubernetes-* keywords never matter). As in Kubernetes: `nullable` admits null;
 * x-kubernetes-int-or-string is type integer or string; formats are the ones Kubernetes
 * validates (uri, email, hostname, ipv4, ipv6, cidr, mac, uuid*, isbn*, creditcard, ssn, hexcolor,
 * rgbcolor, byte, password, date, duration, date-time, bsonobjectid); any other format
 * (int32, int64, float, double, or unknown ones) is accepted without a check; patterns are Go
 * regular expressions (leading (?i)/(?s)/(?m) flags, (?P<name>...), \A, \z and POSIX classes are
 * translated).
 * Map keys appear in paths as `.key` and list items as `[i]`, as kube-openapi writes them.
 *
 * CEL rules (x-kubernetes-validations) are celValidator.ts. Not done: validation ratcheting on update.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import * as field from '../../api/field/errors';
import type { FieldError } from '../../api/field/errors';
import { additionalPropertiesSchema, itemsSchema, type JSONSchemaProps } from '../../api/kinds/apiextensions/jsonSchemaProps';
import { ObjectMeta, type ObjectMeta as ObjectMetaType } from '../../api/kinds/meta';
import { checkSchema } from '../../api/schema/ajv';
import { isPlainObject } from '../../api/schema/walk';
import { parseCIDR, parseIP } from '../../api/validation/ip';
import { isDNS1035Label } from '../../api/validation/names';
import { validateObjectMeta } from '../../api/validation/objectMeta';
import { compileListTypeValidator } from './listTypeValidator';

/** Every problem with a custom resource's values; [] when it is valid. */
export type CustomResourceValidator = (obj: unknown) => FieldError[];

type JsonSchema = Record<string, unknown>;

const patternKeyword = 'x-marina-pattern';
const multipleOfKeyword = 'x-marina-multipleOf';

/** Compiles the validator of one CRD version's schema (no schema: nothing to check). */
export function compileCustomResourceValidator(schema: JSONSchemaProps | undefined): CustomResourceValidator {
  if (!schema) return () => [];
  const formatsUsed = new Set<string>();
  const jsonSchema = toJsonSchema(schema, formatsUsed);
  const ajv = newAjv(formatsUsed);
  const validate: ValidateFunction = ajv.compile(jsonSchema);
  const validateListTypes = compileListTypeValidator(schema);
  return (obj) => {
    const errs: FieldError[] = [];
    if (!validate(obj)) errs.push(...toFieldErrors(validate.errors ?? [], obj, jsonSchema));
    errs.push(...embeddedResourceErrors(schema, obj, ''));
    if (validateListTypes) errs.push(...validateListTypes(obj));
    return errs;
  };
}

function newAjv(formatsUsed: ReadonlySet<string>): Ajv {
  const ajv = new Ajv({
    strict: false,
    allErrors: true,
    verbose: true,
    validateFormats: true,
    validateSchema: false,
    addUsedSchema: false,
    unicodeRegExp: false,
  });
  ajv.addKeyword({
    keyword: patternKeyword,
    type: 'string',
    schemaType: 'string',
    compile: (pattern: string) => {
      const re = goRegExp(pattern);
      return (data: string) => re instanceof RegExp && re.test(data);
    },
  });
  ajv.addKeyword({
    keyword: multipleOfKeyword,
    type: 'number',
    schemaType: 'number',
    compile: (factor: number) => (data: number) => isMultipleOf(data, factor),
  });
  for (const name of formatsUsed) {
    const check = stringFormats[normalizeFormat(name)];
    if (check) ajv.addFormat(name, { type: 'string', validate: check });
  }
  return ajv;
}

// ---------------------------------------------------------------------------------------------
// JSONSchemaProps → JSON Schema (draft 7, as Ajv reads it)

function toJsonSchema(p: JSONSchemaProps, formatsUsed: Set<string>): JsonSchema {
  const out: JsonSchema = {};
  const types = p['x-kubernetes-int-or-string'] === true ? ['integer', 'string'] : p.type ? [p.type] : [];
  if (types.length) out.type = p.nullable ? [...types, 'null'] : types.length === 1 ? types[0] : types;
  if (p.properties) {
    out.properties = Object.fromEntries(Object.entries(p.properties).map(([k, v]) => [k, toJsonSchema(v, formatsUsed)]));
  }
  if (p.required?.length) out.required = [...p.required];
  const values = additionalPropertiesSchema(p);
  if (values) out.additionalProperties = toJsonSchema(values, formatsUsed);
  else if (p.additionalProperties === false) out.additionalProperties = false;
  const items = itemsSchema(p);
  if (items) out.items = toJsonSchema(items, formatsUsed);
  if (p.enum) out.enum = p.enum;
  if (p.pattern !== undefined && p.pattern !== '') out[patternKeyword] = p.pattern;
  if (p.format && stringFormats[normalizeFormat(p.format)]) {
    out.format = p.format;
    formatsUsed.add(p.format);
  }
  if (p.maximum !== undefined) out[p.exclusiveMaximum ? 'exclusiveMaximum' : 'maximum'] = p.maximum;
  if (p.minimum !== undefined) out[p.exclusiveMinimum ? 'exclusiveMinimum' : 'minimum'] = p.minimum;
  if (p.multipleOf !== undefined) out[multipleOfKeyword] = p.multipleOf;
  for (const k of ['maxLength', 'minLength', 'maxItems', 'minItems', 'maxProperties', 'minProperties'] as const) {
    if (p[k] !== undefined) out[k] = p[k];
  }
  if (p.uniqueItems) out.uniqueItems = true;
  for (const k of ['allOf', 'anyOf', 'oneOf'] as const) {
    const list = p[k];
    if (list?.length) out[k] = list.map((sub) => toJsonSchema(sub, formatsUsed));
  }
  if (p.not) out.not = toJsonSchema(p.not, formatsUsed);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Ajv errors → Kubernetes field errors

/** An error to report: one of Ajv's, or a junctor failure (anyOf, oneOf, allOf, not). */
interface Entry {
  readonly error?: ErrorObject;
  readonly composite?: string;
  readonly schemaPath: string;
  readonly instancePath: string;
  /** Output order. */
  order: number;
  dropped?: boolean;
}

function toFieldErrors(errors: readonly ErrorObject[], root: unknown, schema: JsonSchema): FieldError[] {
  const entries: Entry[] = errors.map((error, i) => ({ error, schemaPath: error.schemaPath, instancePath: error.instancePath, order: i }));
  resolveJunctors(entries, root, schema);
  return entries
    .filter((e) => !e.dropped)
    .sort((a, b) => a.order - b.order)
    .map((e) => (e.composite !== undefined ? field.invalid('<nil>', '', e.composite) : toFieldError(e.error!, root)));
}

interface Site {
  readonly kind: 'anyOf' | 'oneOf' | 'allOf';
  readonly schemaPath: string;
  readonly instancePath: string;
  /** The anyOf/oneOf error itself. */
  readonly entry?: Entry;
}

/**
 * kube-openapi reports a failed anyOf/oneOf as one composite error plus the errors of its best
 * alternative only, and a failed allOf as the errors of its branches plus a composite error.
 * Junctors are resolved innermost first, so an inner composite counts as an error of its branch.
 */
function resolveJunctors(entries: Entry[], root: unknown, schema: JsonSchema): void {
  const sites = new Map<string, Site>();
  for (const entry of entries) {
    const keyword = entry.error!.keyword;
    if (keyword === 'anyOf' || keyword === 'oneOf') {
      sites.set(`${entry.schemaPath} ${entry.instancePath}`, { kind: keyword, schemaPath: entry.schemaPath, instancePath: entry.instancePath, entry });
    }
    const segments = entry.schemaPath.split('/');
    for (let i = 1; i < segments.length - 1; i++) {
      if (segments[i] !== 'allOf' || !/^\d+$/.test(segments[i + 1]!)) continue;
      const at = segments.slice(0, i + 1);
      const instancePath = truncatePointer(entry.instancePath, dataDepth(at));
      const schemaPath = at.join('/');
      sites.set(`${schemaPath} ${instancePath}`, { kind: 'allOf', schemaPath, instancePath });
    }
  }
  const depth = (s: Site) => s.schemaPath.split('/').length;
  for (const site of [...sites.values()].sort((a, b) => depth(b) - depth(a))) {
    const prefix = `${site.schemaPath}/`;
    const members = entries.filter(
      (e) => !e.dropped && e.schemaPath.startsWith(prefix) && (e.instancePath === site.instancePath || e.instancePath.startsWith(`${site.instancePath}/`)),
    );
    const branches = new Map<number, Entry[]>();
    for (const m of members) {
      const branch = Number(m.schemaPath.slice(prefix.length).split('/')[0]);
      branches.set(branch, [...(branches.get(branch) ?? []), m]);
    }
    const path = dataPath(root, site.instancePath);
    if (site.kind === 'allOf') {
      const total = resolvePointer(schema, site.schemaPath);
      const none = Array.isArray(total) && branches.size === total.length ? '. None validated' : '';
      entries.push({
        composite: `${JSON.stringify(path)} must validate all the schemas (allOf)${none}`,
        schemaPath: site.schemaPath,
        instancePath: site.instancePath,
        order: Math.max(...members.map((m) => m.order)) + 0.5,
      });
      continue;
    }
    // The alternative with the fewest errors explains the failure best (the first, on a tie).
    let best: number | undefined;
    for (const [branch, errs] of branches) {
      if (best === undefined || errs.length < branches.get(best)!.length || (errs.length === branches.get(best)!.length && branch < best)) best = branch;
    }
    for (const [branch, errs] of branches) if (branch !== best) for (const e of errs) e.dropped = true;
    const entry = site.entry!;
    const kept = best === undefined ? [] : branches.get(best)!;
    entry.dropped = true;
    let message: string;
    if (site.kind === 'anyOf') {
      message = `${JSON.stringify(path)} must validate at least one schema (anyOf)`;
    } else {
      const passing = entry.error!.params.passingSchemas as unknown;
      const found = Array.isArray(passing) ? `Found ${passing.length} valid alternatives` : 'Found none valid';
      message = `${JSON.stringify(path)} must validate one and only one schema (oneOf). ${found}`;
    }
    entries.push({
      composite: message,
      schemaPath: site.schemaPath,
      instancePath: site.instancePath,
      order: Math.min(entry.order, ...kept.map((k) => k.order)) - 0.5,
    });
  }
}

/** How many steps into the data a schema path (as segments, from '#') has gone. */
function dataDepth(segments: readonly string[]): number {
  let depth = 0;
  for (let i = 1; i < segments.length; i++) {
    const s = segments[i];
    if (s === 'properties') {
      depth++;
      i++;
    } else if (s === 'items' || s === 'additionalProperties') {
      depth++;
    } else if (s === 'allOf' || s === 'anyOf' || s === 'oneOf') {
      i++;
    }
  }
  return depth;
}

function truncatePointer(pointer: string, depth: number): string {
  return pointer.split('/').slice(0, depth + 1).join('/');
}

/** The schema value at an Ajv schema path (`#/properties/spec/allOf`). */
function resolvePointer(schema: JsonSchema, schemaPath: string): unknown {
  let at: unknown = schema;
  for (const raw of schemaPath.split('/').slice(1)) {
    const segment = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    at = isPlainObject(at) ? at[segment] : Array.isArray(at) ? at[Number(segment)] : undefined;
  }
  return at;
}

/** `/spec/items/0/name` → `spec.items[0].name`, as kube-openapi names data (map keys with dots). */
function dataPath(root: unknown, pointer: string): string {
  let path = '';
  let at: unknown = root;
  for (const raw of pointer.split('/').slice(1)) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(at)) {
      path = `${path}[${segment}]`;
      at = at[Number(segment)];
    } else {
      path = path === '' ? segment : `${path}.${segment}`;
      at = isPlainObject(at) ? at[segment] : undefined;
    }
  }
  return path;
}

function toFieldError(error: ErrorObject, root: unknown): FieldError {
  const path = dataPath(root, error.instancePath);
  const at = path === '' ? '<nil>' : path;
  const data: unknown = error.data;
  const params = error.params as Record<string, unknown>;
  const body = `${path} in body`;
  switch (error.keyword) {
    case 'type': {
      const declared = (Array.isArray(params.type) ? (params.type as string[]) : String(params.type).split(',')).filter((t) => t !== 'null');
      const actual = jsonType(data);
      return field.invalid(at, actual, `${body} must be of type ${declared.join(',')}: ${JSON.stringify(actual)}`);
    }
    case 'required':
      return field.required(path === '' ? String(params.missingProperty) : `${path}.${String(params.missingProperty)}`);
    case 'enum': {
      const allowed = Array.isArray(params.allowedValues) ? (params.allowedValues as unknown[]) : [];
      return field.notSupported(at, data, allowed.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))));
    }
    case 'maxLength':
      return field.tooLong(at, Number(params.limit));
    case 'minLength':
      return field.invalid(at, data, `${body} should be at least ${Number(params.limit)} chars long`);
    case patternKeyword: {
      const pattern = String(error.schema);
      const re = goRegExp(pattern);
      const shown = re instanceof RegExp ? pattern : `${pattern}, but pattern is invalid: ${re.message}`;
      return field.invalid(at, data, `${body} should match '${shown}'`);
    }
    case 'format':
      return field.invalid(at, data, `${body} must be of type ${String(params.format)}: ${JSON.stringify(data)}`);
    case 'maximum':
    case 'exclusiveMaximum': {
      const relation = error.keyword === 'maximum' ? 'less than or equal to' : 'less than';
      return field.invalid(at, data, `${body} should be ${relation} ${limitText(Number(params.limit), data)}`);
    }
    case 'minimum':
    case 'exclusiveMinimum': {
      const relation = error.keyword === 'minimum' ? 'greater than or equal to' : 'greater than';
      return field.invalid(at, data, `${body} should be ${relation} ${limitText(Number(params.limit), data)}`);
    }
    case multipleOfKeyword:
      return field.invalid(at, data, `${body} should be a multiple of ${limitText(Number(error.schema), data)}`);
    case 'minItems':
      return field.invalid(at, Array.isArray(data) ? data.length : data, `${body} should have at least ${Number(params.limit)} items`);
    case 'maxItems':
      return field.tooMany(at, Array.isArray(data) ? data.length : 0, Number(params.limit));
    case 'uniqueItems':
      return field.invalid(at, '', `${body} shouldn't contain duplicates`);
    case 'minProperties':
      return field.invalid(at, isPlainObject(data) ? Object.keys(data).length : data, `${body} should have at least ${Number(params.limit)} properties`);
    case 'maxProperties':
      return field.tooMany(at, isPlainObject(data) ? Object.keys(data).length : 0, Number(params.limit));
    case 'additionalProperties': {
      const name = String(params.additionalProperty);
      return field.invalid(at, name, `${path}.${name} in body is a forbidden property`);
    }
    case 'not':
      return field.invalid('<nil>', '', `${JSON.stringify(path)} must not validate the schema (not)`);
    default:
      return field.invalid(at, data, `${body} ${error.message ?? 'is invalid'}`);
  }
}

/** The JSON type of a value as kube-openapi names it in type errors. */
function jsonType(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** A bound as Go prints it: as an int64 when the value is an integer, else as a float64 (%v). */
function limitText(limit: number, data: unknown): string {
  return typeof data === 'number' && Number.isInteger(data) ? String(Math.trunc(limit)) : goFloat(limit);
}

/** Go's %v of a float64: shortest digits, exponent form below 1e-4 and from 1e+06. */
export function goFloat(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : '-Inf';
  if (n === 0) return '0';
  const [mantissa, exponent] = n.toExponential().split('e') as [string, string];
  const exp = Number(exponent);
  if (exp < -4 || exp >= 6) {
    const digits = String(Math.abs(exp)).padStart(2, '0');
    return `${mantissa}e${exp < 0 ? '-' : '+'}${digits}`;
  }
  return String(n);
}

/** kube-openapi's multipleOf: exact for integers, a relative tolerance of 1e-9 for floats. */
function isMultipleOf(data: number, factor: number): boolean {
  if (factor <= 0) return false;
  if (Number.isInteger(data) && Number.isInteger(factor)) return data % factor === 0;
  const mult = factor < 1 ? (1 / factor) * data : data / factor;
  if (!Number.isFinite(mult)) return false;
  const trunc = Math.trunc(mult);
  if (mult === trunc) return true;
  const diff = Math.abs(mult - trunc);
  return diff / (Math.abs(mult) + Math.abs(trunc)) < 1e-9;
}

// ---------------------------------------------------------------------------------------------
// Go regular expressions

const posixClasses: Readonly<Record<string, string>> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

const regExpCache = new Map<string, RegExp | Error>();

/** A Go (RE2) pattern as a JavaScript RegExp, or the Error saying why it cannot be one. */
export function goRegExp(pattern: string): RegExp | Error {
  const cached = regExpCache.get(pattern);
  if (cached) return cached;
  let source = pattern;
  let flags = '';
  const leading = /^\(\?([imsU]+)\)/.exec(source);
  if (leading) {
    source = source.slice(leading[0].length);
    for (const f of leading[1]!) if ((f === 'i' || f === 'm' || f === 's') && !flags.includes(f)) flags += f;
  }
  let out = '';
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\' && i + 1 < source.length) {
      const next = source[i + 1]!;
      out += next === 'A' ? '^' : next === 'z' ? '$' : `\\${next}`;
      i++;
      continue;
    }
    if (c === '(' && source.startsWith('(?P<', i)) {
      out += '(?<'; // Go's named group syntax
      i += 3;
      continue;
    }
    const posix = c === '[' ? /^\[:(\^?)([a-z]+):\]/.exec(source.slice(i)) : null;
    if (posix && posixClasses[posix[2]!] && !posix[1]) {
      out += posixClasses[posix[2]!];
      i += posix[0].length - 1;
      continue;
    }
    out += c;
  }
  let result: RegExp | Error;
  try {
    result = new RegExp(out, `${flags}u`);
  } catch {
    try {
      result = new RegExp(out, flags);
    } catch (err) {
      result = err instanceof Error ? err : new Error(String(err));
    }
  }
  if (regExpCache.size > 10_000) regExpCache.clear();
  regExpCache.set(pattern, result);
  return result;
}

// ---------------------------------------------------------------------------------------------
// Formats: the ones Kubernetes validates (apiextensions-apiserver supportedFormats, checked as
// go-openapi/strfmt does). Names are compared without dashes, as strfmt normalizes them.

function normalizeFormat(name: string): string {
  return name.replace(/-/g, '');
}

const uuidAny = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const uuid3 = /^[0-9a-f]{8}-?[0-9a-f]{4}-?3[0-9a-f]{3}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const uuid4 = /^[0-9a-f]{8}-?[0-9a-f]{4}-?4[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$/i;
const uuid5 = /^[0-9a-f]{8}-?[0-9a-f]{4}-?5[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$/i;
const base64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const hexColor = /^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;
const rgbColor = /^rgb\(\s*(?:0|[1-9]\d?|1\d\d?|2[0-4]\d|25[0-5])\s*,\s*(?:0|[1-9]\d?|1\d\d?|2[0-4]\d|25[0-5])\s*,\s*(?:0|[1-9]\d?|1\d\d?|2[0-4]\d|25[0-5])\s*\)$/;
const ssn = /^\d{3}[- ]?\d{2}[- ]?\d{4}$/;
const creditCard =
  /^(?:4[0-9]{12}(?:[0-9]{3})?|5[1-5][0-9]{14}|6(?:011|5[0-9][0-9])[0-9]{12}|3[47][0-9]{13}|3(?:0[0-5]|[68][0-9])[0-9]{11}|(?:2131|1800|35\d{3})\d{11})$/;
const dateTime = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[Zz]|[+-]\d{2}:?\d{2})?$/;
/** Go's time.ParseDuration syntax: "1h30m", "1.5s", "-300ms", "0". */
const goDuration = /^[-+]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$|^[-+]?0$/;
const durationUnits = new Set(['ns', 'nano', 'us', 'µs', 'micro', 'ms', 'milli', 's', 'sec', 'm', 'min', 'h', 'hr', 'hour', 'd', 'day', 'w', 'wk', 'week']);

/** strfmt.ParseDuration: Go's syntax, or somewhere a number with a unit word ("3 days"). */
function isDuration(s: string): boolean {
  if (goDuration.test(s)) return true;
  for (const m of s.matchAll(/(\d+)\s*([A-Za-zµ]+)/g)) {
    const unit = m[2]!.toLowerCase();
    if (durationUnits.has(unit) || (unit.endsWith('s') && durationUnits.has(unit.slice(0, -1)))) return true;
  }
  return false;
}

function isValidDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const days = [31, year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return day <= days[month - 1]!;
}

function isDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  return m !== null && isValidDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

function isDateTime(s: string): boolean {
  const m = dateTime.exec(s);
  if (!m) return false;
  return isValidDate(Number(m[1]), Number(m[2]), Number(m[3])) && Number(m[4]) < 24 && Number(m[5]) < 60 && Number(m[6]) < 60;
}

function isHostname(s: string): boolean {
  if (s.length === 0 || s.length > 255) return false;
  return s.split('.').every((label) => /^[\p{L}\p{N}\p{S}](?:[\p{L}\p{N}\p{S}-]{0,61}[\p{L}\p{N}\p{S}])?$/u.test(label));
}

/** net/mail.ParseAddress, roughly: `local@domain`, optionally as `Name <local@domain>`. */
function isEmail(s: string): boolean {
  const angle = /^[^<>]*<([^<>]+)>$/.exec(s.trim());
  const address = angle ? angle[1]! : s;
  return /^[^\s@<>()[\],;:"]+@[^\s@<>()[\],;:"]+$/.test(address);
}

/** net/url.ParseRequestURI: an absolute URI, or an absolute path. */
function isRequestURI(s: string): boolean {
  if (s.startsWith('/')) return !/\s/.test(s);
  return /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$/.test(s);
}

/** Go's net.ParseIP (unlike Kubernetes' sloppy parsing) rejects leading zeros in IPv4 octets. */
function noLeadingZeros(s: string): boolean {
  const m = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(s.split('/')[0]!);
  return !m || m.slice(1).every((octet) => !/^0\d/.test(octet));
}

/** net.ParseMAC: 6, 8 or 20 bytes as colon or dash separated pairs, or dot separated quads. */
function isMAC(s: string): boolean {
  const sizes = new Set([6, 8, 20]);
  if (/^[0-9a-fA-F]{2}(?::[0-9a-fA-F]{2})+$/.test(s) || /^[0-9a-fA-F]{2}(?:-[0-9a-fA-F]{2})+$/.test(s)) return sizes.has((s.length + 1) / 3);
  if (/^[0-9a-fA-F]{4}(?:\.[0-9a-fA-F]{4})+$/.test(s)) return sizes.has(((s.length + 1) / 5) * 2);
  return false;
}

function isISBN10(s: string): boolean {
  const digits = s.replace(/[\s-]/g, '');
  if (!/^\d{9}[\dX]$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 10; i++) sum += (10 - i) * (digits[i] === 'X' ? 10 : Number(digits[i]));
  return sum % 11 === 0;
}

function isISBN13(s: string): boolean {
  const digits = s.replace(/[\s-]/g, '');
  if (!/^\d{13}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 13; i++) sum += (i % 2 === 0 ? 1 : 3) * Number(digits[i]);
  return sum % 10 === 0;
}

const stringFormats: Readonly<Record<string, (s: string) => boolean>> = {
  bsonobjectid: (s) => /^[0-9a-fA-F]{24}$/.test(s),
  uri: isRequestURI,
  email: isEmail,
  hostname: isHostname,
  ipv4: (s) => s.includes('.') && parseIP(s) !== undefined && noLeadingZeros(s),
  ipv6: (s) => s.includes(':') && parseIP(s) !== undefined,
  cidr: (s) => parseCIDR(s) !== undefined && noLeadingZeros(s),
  mac: isMAC,
  uuid: (s) => uuidAny.test(s),
  uuid3: (s) => uuid3.test(s),
  uuid4: (s) => uuid4.test(s),
  uuid5: (s) => uuid5.test(s),
  isbn: (s) => isISBN10(s) || isISBN13(s),
  isbn10: isISBN10,
  isbn13: isISBN13,
  creditcard: (s) => creditCard.test(s.replace(/\D/g, '')),
  ssn: (s) => ssn.test(s),
  hexcolor: (s) => hexColor.test(s),
  rgbcolor: (s) => rgbColor.test(s),
  byte: (s) => base64.test(s),
  password: () => true,
  date: isDate,
  duration: isDuration,
  datetime: isDateTime,
};

// ---------------------------------------------------------------------------------------------
// x-kubernetes-embedded-resource (apiextensions-apiserver objectmeta.Validate)

function embeddedResourceErrors(p: JSONSchemaProps, value: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (Array.isArray(value)) {
    const items = itemsSchema(p);
    if (items) value.forEach((v, i) => errs.push(...embeddedResourceErrors(items, v, `${path}[${i}]`)));
    return errs;
  }
  if (!isPlainObject(value)) return errs;
  if (p['x-kubernetes-embedded-resource'] === true) errs.push(...embeddedResource(value, path));
  const values = additionalPropertiesSchema(p);
  for (const [k, v] of Object.entries(value)) {
    const prop = p.properties && Object.prototype.hasOwnProperty.call(p.properties, k) ? p.properties[k] : undefined;
    if (prop) errs.push(...embeddedResourceErrors(prop, v, path === '' ? k : `${path}.${k}`));
    else if (values) errs.push(...embeddedResourceErrors(values, v, `${path}[${k}]`));
  }
  return errs;
}

function embeddedResource(obj: Record<string, unknown>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const at = (name: string) => (path === '' ? name : `${path}.${name}`);
  if (!('apiVersion' in obj)) errs.push(field.required(at('apiVersion'), 'must not be empty'));
  if (!('kind' in obj)) errs.push(field.required(at('kind'), 'must not be empty'));
  const apiVersion = obj.apiVersion;
  if (apiVersion !== undefined) {
    if (typeof apiVersion !== 'string') errs.push(field.invalid(at('apiVersion'), apiVersion, 'must be a string'));
    else if (apiVersion === '') errs.push(field.invalid(at('apiVersion'), apiVersion, 'must not be empty'));
    else if (apiVersion.split('/').length > 2) errs.push(field.invalid(at('apiVersion'), apiVersion, `unexpected GroupVersion string: ${apiVersion}`));
  }
  const kind = obj.kind;
  if (kind !== undefined) {
    if (typeof kind !== 'string') errs.push(field.invalid(at('kind'), kind, 'must be a string'));
    else if (kind === '') errs.push(field.invalid(at('kind'), kind, 'must not be empty'));
    else {
      const msgs = isDNS1035Label(kind.toLowerCase());
      if (msgs.length) errs.push(field.invalid(at('kind'), kind, `may have mixed case, but should otherwise match: ${msgs.join(',')}`));
    }
  }
  const metadata = obj.metadata;
  if (metadata !== undefined) {
    const metaPath = at('metadata');
    const { decodeErrors, fieldErrors } = checkSchema(ObjectMeta, metadata, metaPath);
    if (decodeErrors.length || fieldErrors.length) {
      errs.push(...decodeErrors.map((msg) => field.invalid(metaPath, metadata, msg)), ...fieldErrors);
    } else {
      const meta = { ...(metadata as ObjectMetaType) };
      if (!meta.name) meta.name = 'fakename'; // as Kubernetes does: embedded objects need no name
      errs.push(...validateObjectMeta(meta, { namespaced: !!meta.namespace, nameRule: 'pathSegment' }, metaPath));
    }
  }
  return errs;
}
