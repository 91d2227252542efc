/**
 * The path of a request body to a valid object of one kind, in Kubernetes' order:
 *   decode (types; unknown fields by fieldValidation)  → 400 BadRequest
 *   schema validation (required, enums, ranges)         → 422 Invalid
 *   defaults (schema defaults, then the kind's own)
 *   validation (object metadata, then the kind's own)   → 422 Invalid
 * A kind's own functions only ever see objects that passed the schema, so they can trust types.
 */
import type { FieldError } from '../field/errors';
import { checkSchema } from '../schema/ajv';
import { applyDefaults, isPlainObject, normalize } from '../schema/walk';
import { badRequest, invalid } from '../status';
import { validateObjectMeta, validateObjectMetaUpdate } from '../validation/objectMeta';
import { apiVersionOf, type KubeObject, type ResourceKind } from './kind';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export interface Decoded<T> {
  readonly object: T;
  /** Warnings for the client (fieldValidation=Warn): `unknown field "spec.foo"`. */
  readonly warnings: readonly string[];
}

/**
 * Decodes a parsed body into an object of `kind`. Fills apiVersion and kind when absent; rejects
 * other values. Mutates and returns `body`.
 */
export function decodeObject<T extends KubeObject>(kind: ResourceKind<T>, body: unknown, fieldValidation: FieldValidation = 'Strict'): Decoded<T> {
  const apiVersion = apiVersionOf(kind);
  if (!isPlainObject(body)) {
    throw badRequest(`the object provided is unrecognized (must be of type ${kind.kind}): body is ${body === null ? 'null' : Array.isArray(body) ? 'an array' : typeof body}, not a JSON object`);
  }
  if (body.apiVersion !== undefined && body.apiVersion !== apiVersion) {
    throw badRequest(`the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${apiVersion})`);
  }
  if (body.kind !== undefined && body.kind !== kind.kind) {
    throw badRequest(`the kind in the data (${String(body.kind)}) does not match the expected kind (${kind.kind})`);
  }
  body.apiVersion = apiVersion;
  body.kind = kind.kind;

  const { unknownFields } = normalize(kind.schema, body);
  const { decodeErrors, fieldErrors } = kind.unstructured ? { decodeErrors: [], fieldErrors: [] } : checkSchema(kind.schema, body);
  if (decodeErrors.length) {
    throw badRequest(`${kind.kind} in version "${kind.version}" cannot be handled as a ${kind.kind}: ${decodeErrors.join('; ')}`);
  }
  const unknownMessages = unknownFields.map((path) => `unknown field "${path}"`);
  if (fieldValidation === 'Strict' && unknownMessages.length) {
    throw badRequest(`strict decoding error: ${unknownMessages.join(', ')}`);
  }
  const object = body as T;
  if (fieldErrors.length) {
    throw invalid(kind, nameOf(object), fieldErrors);
  }
  return { object, warnings: fieldValidation === 'Warn' ? unknownMessages : [] };
}

/** Schema defaults, then the kind's computed defaults. Mutates `obj`. */
export function defaultObject<T extends KubeObject>(kind: ResourceKind<T>, obj: T): void {
  applyDefaults(kind.schema, obj);
  kind.defaults?.(obj);
}

/** Throws 422 Invalid listing every problem, or returns when `obj` is valid (as an update of `old`). */
export function validateObject<T extends KubeObject>(kind: ResourceKind<T>, obj: T, old?: T): void {
  const errs: FieldError[] = [...metaErrors(kind, obj)];
  if (old?.metadata && obj.metadata) errs.push(...validateObjectMetaUpdate(obj.metadata, old.metadata));
  errs.push(...(kind.validate?.(obj, old) ?? []));
  if (errs.length) throw invalid(kind, nameOf(obj), errs);
}

function metaErrors<T extends KubeObject>(kind: ResourceKind<T>, obj: T): FieldError[] {
  return validateObjectMeta(obj.metadata ?? {}, { namespaced: kind.namespaced, nameRule: kind.nameRule ?? 'dns1123Subdomain' });
}

function nameOf(obj: KubeObject): string {
  return obj.metadata?.name ?? obj.metadata?.generateName ?? '';
}
