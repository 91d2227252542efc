/**
 * Validation of metadata common to every kind, as Kubernetes' ValidateObjectMeta does: name or
 * generateName, namespace by scope, label and annotation syntax, owner references, finalizers,
 * and on update the fields that may not change.
 */
import * as field from '../field/errors';
import type { FieldError } from '../field/errors';
import { child, index, type FieldPath } from '../field/path';
import type { NameRule } from '../kinds/kind';
import type { ObjectMeta } from '../kinds/meta';
import { checkName, isDNS1123Label, isQualifiedName, isValidLabelValue } from './names';

/** Kubernetes' limit on the total size of all annotations of one object. */
export const totalAnnotationSizeLimit = 256 * 1024;

export interface ObjectMetaRules {
  readonly namespaced: boolean;
  readonly nameRule: NameRule;
}

export function validateObjectMeta(meta: ObjectMeta, rules: ObjectMetaRules, path: FieldPath = 'metadata'): FieldError[] {
  const errs: FieldError[] = [];
  if (meta.generateName) {
    // generateName is a prefix: validate it as a name, ignoring a trailing dash.
    const prefix = meta.generateName.replace(/-$/, '') || 'a';
    for (const msg of checkName(rules.nameRule, prefix)) errs.push(field.invalid(child(path, 'generateName'), meta.generateName, msg));
  }
  if (!meta.name) {
    if (!meta.generateName) errs.push(field.required(child(path, 'name'), 'name or generateName is required'));
  } else {
    for (const msg of checkName(rules.nameRule, meta.name)) errs.push(field.invalid(child(path, 'name'), meta.name, msg));
  }
  if (rules.namespaced) {
    if (!meta.namespace) errs.push(field.required(child(path, 'namespace')));
    else for (const msg of isDNS1123Label(meta.namespace)) errs.push(field.invalid(child(path, 'namespace'), meta.namespace, msg));
  } else if (meta.namespace) {
    errs.push(field.forbidden(child(path, 'namespace'), 'not allowed on this type'));
  }
  errs.push(...validateLabels(meta.labels, child(path, 'labels')));
  errs.push(...validateAnnotations(meta.annotations, child(path, 'annotations')));
  errs.push(...validateOwnerReferences(meta.ownerReferences ?? [], child(path, 'ownerReferences')));
  errs.push(...validateFinalizers(meta.finalizers ?? [], child(path, 'finalizers')));
  return errs;
}

export function validateLabels(labels: Readonly<Record<string, string>> | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels ?? {})) {
    for (const msg of isQualifiedName(k)) errs.push(field.invalid(path, k, msg));
    for (const msg of isValidLabelValue(v)) errs.push(field.invalid(path, v, msg));
  }
  return errs;
}

export function validateAnnotations(annotations: Readonly<Record<string, string>> | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  let total = 0;
  for (const [k, v] of Object.entries(annotations ?? {})) {
    for (const msg of isQualifiedName(k.toLowerCase())) errs.push(field.invalid(path, k, msg));
    total += Buffer.byteLength(k) + Buffer.byteLength(v);
  }
  if (total > totalAnnotationSizeLimit) {
    errs.push({ type: 'FieldValueTooLong', field: path, detail: `must have at most ${totalAnnotationSizeLimit} bytes` });
  }
  return errs;
}

function validateOwnerReferences(refs: NonNullable<ObjectMeta['ownerReferences']>, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  let controllers = 0;
  refs.forEach((ref, i) => {
    const at = index(path, i);
    if (!ref.apiVersion) errs.push(field.invalid(child(at, 'apiVersion'), ref.apiVersion ?? '', 'version must not be empty'));
    if (!ref.kind) errs.push(field.invalid(child(at, 'kind'), ref.kind ?? '', 'kind must not be empty'));
    if (!ref.name) errs.push(field.invalid(child(at, 'name'), ref.name ?? '', 'name must not be empty'));
    if (!ref.uid) errs.push(field.invalid(child(at, 'uid'), ref.uid ?? '', 'uid must not be empty'));
    if (ref.controller) controllers++;
  });
  if (controllers > 1) errs.push(field.invalid(path, refs, 'Only one reference can have Controller set to true'));
  return errs;
}

function validateFinalizers(finalizers: readonly string[], path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  // Duplicates are allowed, as Kubernetes allows them.
  finalizers.forEach((f, i) => {
    for (const msg of isQualifiedName(f)) errs.push(field.invalid(index(path, i), f, msg));
  });
  if (finalizers.includes('orphan') && finalizers.includes('foregroundDeletion')) {
    errs.push(field.invalid(path, finalizers, "finalizer orphan and foregroundDeletion cannot be both set"));
  }
  return errs;
}

/** What may not change on update; uid and creationTimestamp are copied by the server beforehand. */
export function validateObjectMetaUpdate(meta: ObjectMeta, old: ObjectMeta, path: FieldPath = 'metadata'): FieldError[] {
  const errs: FieldError[] = [];
  const immutable = ['name', 'namespace', 'uid', 'creationTimestamp'] as const;
  for (const name of immutable) {
    if ((meta[name] ?? '') !== (old[name] ?? '')) errs.push(field.invalid(child(path, name), meta[name] ?? '', 'field is immutable'));
  }
  if (old.deletionTimestamp) {
    const added = (meta.finalizers ?? []).filter((f) => !(old.finalizers ?? []).includes(f));
    if (added.length) errs.push(field.forbidden(child(path, 'finalizers'), 'no new finalizers can be added if the object is being deleted, found new finalizers ' + JSON.stringify(added)));
  }
  return errs;
}
