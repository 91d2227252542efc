/**
 * Test helpers for the volume and scheduling types: check a value against one schema the way the
 * API server's decode does (unknown fields, decode errors, schema field errors), and collect the
 * objects of interest from the k8s-website manifests.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { errorMessage, type FieldError } from '../../field/errors';
import { checkSchema } from '../../schema/ajv';
import type { Schema } from '../../schema/schema';
import { applyDefaults, isPlainObject, normalize } from '../../schema/walk';

export const manifestsDir = join(__dirname, '../../../test/fixtures/manifests/k8s-website');

export interface Checked {
  readonly unknownFields: readonly string[];
  readonly decodeErrors: readonly string[];
  readonly fieldErrors: readonly FieldError[];
}

/** normalize + checkSchema of `value` (mutated) at `root`; applies schema defaults when clean. */
export function checkValue(schema: Schema, value: unknown, root = ''): Checked {
  const { unknownFields } = normalize(schema, value, root);
  const { decodeErrors, fieldErrors } = checkSchema(schema, value, root);
  if (!decodeErrors.length && !fieldErrors.length) applyDefaults(schema, value);
  return { unknownFields, decodeErrors, fieldErrors };
}

export function messages(errs: readonly FieldError[]): string[] {
  return errs.map(errorMessage);
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return yamlFiles(path);
    return /\.ya?ml$/.test(name) ? [path] : [];
  });
}

/** Every document of every manifest, with the file it came from. */
export function manifestDocuments(): { file: string; doc: unknown }[] {
  return yamlFiles(manifestsDir).flatMap((file) => parseAllDocuments(readFileSync(file, 'utf8')).map((d) => ({ file, doc: d.toJSON() as unknown })));
}

/** Every value stored under a field named `fieldName`, anywhere in the manifests, with its path. */
export function findFields(fieldName: string): { where: string; value: unknown }[] {
  const found: { where: string; value: unknown }[] = [];
  const walk = (value: unknown, where: string) => {
    if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${where}[${i}]`));
    else if (isPlainObject(value)) {
      for (const [k, v] of Object.entries(value)) {
        if (k === fieldName) found.push({ where: `${where}.${k}`, value: v });
        walk(v, `${where}.${k}`);
      }
    }
  };
  for (const { file, doc } of manifestDocuments()) walk(doc, file.slice(manifestsDir.length + 1));
  return found;
}
