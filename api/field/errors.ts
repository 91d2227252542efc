/**
 * Field errors: what validation found wrong at one field. They become the `causes` of a 422
 * Invalid Status and print as Kubernetes prints them: `spec.replicas: Invalid value: -1: must be
 * greater than or equal to 0`.
 */
import type { FieldPath } from './path';

export type FieldErrorType =
  | 'FieldValueRequired'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueDuplicate'
  | 'FieldValueNotFound'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany';

export interface FieldError {
  readonly type: FieldErrorType;
  readonly field: FieldPath;
  /** Shown after the type's text; absent for Required and Duplicate. */
  readonly detail?: string;
  readonly badValue?: unknown;
}

export function required(field: FieldPath, detail?: string): FieldError {
  return { type: 'FieldValueRequired', field, ...(detail ? { detail } : {}) };
}

export function invalid(field: FieldPath, badValue: unknown, detail: string): FieldError {
  return { type: 'FieldValueInvalid', field, badValue, detail };
}

export function notSupported(field: FieldPath, badValue: unknown, supported: readonly string[]): FieldError {
  return {
    type: 'FieldValueNotSupported',
    field,
    badValue,
    detail: `supported values: ${supported.map((v) => JSON.stringify(v)).join(', ')}`,
  };
}

/** A reference to something that does not exist: `Not found: "data"`. */
export function notFound(field: FieldPath, badValue: unknown): FieldError {
  return { type: 'FieldValueNotFound', field, badValue };
}

export function duplicate(field: FieldPath, badValue: unknown): FieldError {
  return { type: 'FieldValueDuplicate', field, badValue };
}

export function forbidden(field: FieldPath, detail: string): FieldError {
  return { type: 'FieldValueForbidden', field, detail };
}

export function tooLong(field: FieldPath, maxLength: number): FieldError {
  return { type: 'FieldValueTooLong', field, detail: `may not be more than ${maxLength} bytes` };
}

export function tooMany(field: FieldPath, actual: number, max: number): FieldError {
  return { type: 'FieldValueTooMany', field, detail: `must have at most ${max} items`, badValue: actual };
}

const typeText: Record<FieldErrorType, string> = {
  FieldValueRequired: 'Required value',
  FieldValueInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueNotFound: 'Not found',
  FieldValueForbidden: 'Forbidden',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
};

/** The cause message without the field: `Invalid value: "x": detail`. */
export function causeMessage(error: FieldError): string {
  const parts = [typeText[error.type]];
  const showsValue =
    error.type === 'FieldValueInvalid' || error.type === 'FieldValueNotSupported' || error.type === 'FieldValueDuplicate' || error.type === 'FieldValueNotFound' || error.type === 'FieldValueTooMany';
  if (showsValue) parts.push(formatValue(error.badValue));
  if (error.detail) parts.push(error.detail);
  return parts.join(': ');
}

/** The whole message: `field: Invalid value: "x": detail`. */
export function errorMessage(error: FieldError): string {
  return `${error.field}: ${causeMessage(error)}`;
}

function formatValue(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}
