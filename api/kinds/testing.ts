/**
 * Test helpers for the kinds: the API server's create path (decode, defaults, validation), the
 * causes of the 422 it answers, a value checked against one schema as decode checks it, and the
 * Kubernetes website manifests (test/fixtures/manifests/k8s-website) to admit.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { errorMessage, type FieldError } from '../field/errors';
import { checkSchema } from '../schema/ajv';
import type { Schema } from '../schema/schema';
import { applyDefaults, isPlainObject, normalize } from '../schema/walk';
import { isStatusError, type StatusError } from '../status';
import { decodeObject, defaultObject, validateObject, type FieldValidation } from './decode';
import { apiVersionOf, type KubeObject, type ResourceKind } from './kind';

/**
 * decode → defaults → validation, as the API server runs them on create (or update with `old`).
 * Works on a copy of `body`.
 */
export function admit<T extends KubeObject>(kind: ResourceKind<T>, body: unknown, old?: T, fieldValidation: FieldValidation = 'Strict'): T {
  const { object } = decodeObject(kind, structuredClone(body), fieldValidation);
  defaultObject(kind, object);
  validateObject(kind, object, old);
  return object;
}

/**
 * The causes of the Status error `fn` throws (422 Invalid unless `code` says otherwise), as
 * `field: message`. Asserts the error's code, so a test fails with the error it got instead;
 * a test fails too when `fn` does not throw.
 */
export function causesOf(fn: () => unknown, code = 422): string[] {
  try {
    fn();
  } catch (err) {
    expect(isStatusError(err, code) ? code : err).toBe(code);
    return ((err as StatusError).details?.causes ?? []).map((c) => `${c.field ?? ''}: ${c.message ?? ''}`);
  }
  throw new Error(`expected a ${code} error`);
}

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

const manifestsRoot = join(__dirname, '../../test/fixtures/manifests/k8s-website');

/** The YAML files below `dir`, as paths relative to the manifests' root. */
function yamlFiles(dir = ''): string[] {
  return readdirSync(join(manifestsRoot, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory()) return yamlFiles(path);
    return /\.ya?ml$/.test(entry.name) ? [path] : [];
  });
}

/** The documents of one website manifest, by its path below the manifests' root (null for an empty one). */
export function manifestFile(file: string): unknown[] {
  return parseAllDocuments(readFileSync(join(manifestsRoot, file), 'utf8')).map((d) => d.toJS() as unknown);
}

/** Every document of every website manifest, with its file. */
export function manifestDocuments(): { file: string; doc: unknown }[] {
  return yamlFiles().flatMap((file) => manifestFile(file).map((doc) => ({ file, doc })));
}

/** Every document of `kind` in the website manifests, namespaced to default when absent. */
export function websiteManifests(kind: ResourceKind): { file: string; doc: Record<string, unknown> }[] {
  const out: { file: string; doc: Record<string, unknown> }[] = [];
  for (const { file, doc } of manifestDocuments()) {
    if (!isPlainObject(doc)) continue;
    if (doc.kind !== kind.kind || doc.apiVersion !== apiVersionOf(kind)) continue;
    const metadata = (doc.metadata ?? {}) as Record<string, unknown>;
    if (kind.namespaced) metadata.namespace ??= 'default';
    doc.metadata = metadata;
    out.push({ file, doc });
  }
  return out;
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
  for (const { file, doc } of manifestDocuments()) walk(doc, file);
  return found;
}
