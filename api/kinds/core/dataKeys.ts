/** Key and size rules shared by ConfigMap and Secret data. */
import * as field from '../../field/errors';
import type { FieldError } from '../../field/errors';
import { deepEqual } from '../../util/deepEqual';

const configKey = /^[-._a-zA-Z0-9]+$/;
/** Total data of one ConfigMap or Secret, as Kubernetes limits it. */
export const maxDataSize = 1024 * 1024;

/** Each key must be a valid file name: alphanumerics, '-', '_', '.'; keys may not repeat across maps. */
export function validateDataKeys(maps: readonly Readonly<Record<string, string>>[], paths: readonly string[]): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  let size = 0;
  maps.forEach((data, i) => {
    const path = paths[i]!;
    for (const [key, value] of Object.entries(data)) {
      if (key.length > 253) errs.push(field.invalid(`${path}[${key}]`, key, 'must be no more than 253 characters'));
      if (!configKey.test(key)) {
        errs.push(field.invalid(`${path}[${key}]`, key, "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"));
      } else if (key === '.' || key === '..') {
        errs.push(field.invalid(`${path}[${key}]`, key, `must not be '${key}'`));
      }
      if (seen.has(key)) errs.push(field.invalid(`${path}[${key}]`, key, 'duplicate of key present in ' + paths[0]));
      seen.add(key);
      size += value.length;
    }
  });
  if (size > maxDataSize) errs.push(field.tooLong('', maxDataSize));
  return errs;
}

/** With `immutable: true`, the data may not change and immutable may not be unset. */
export function validateImmutableData<T extends { immutable?: boolean }>(obj: T, old: T, dataFields: readonly (keyof T & string)[]): FieldError[] {
  if (!old.immutable) return [];
  const errs: FieldError[] = [];
  if (!obj.immutable) errs.push(field.forbidden('immutable', 'field is immutable when `immutable` is set'));
  for (const name of dataFields) {
    if (!deepEqual(obj[name] ?? {}, old[name] ?? {})) errs.push(field.forbidden(name, 'field is immutable when `immutable` is set'));
  }
  return errs;
}
