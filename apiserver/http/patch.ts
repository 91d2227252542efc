/**
 * PATCH bodies by Content-Type. Each yields a function from the stored object to the patched one,
 * applied inside the store's read-modify-write loop so a conflict re-applies it to a fresh read.
 */
import type { ApiRequest } from './request';
import { decodeObject } from '../../api/kinds/decode';
import type { KubeObject, ResourceKind } from '../../api/kinds/kind';
import type { ResourceStore, UpdateFn, WriteOptions } from '../registry/store';
import { applyJsonPatch, JsonPatchError, parseJsonPatch } from '../../api/patch/jsonPatch';
import { applyMergePatch } from '../../api/patch/mergePatch';
import { applyStrategicMergePatch } from '../../api/patch/strategicMergePatch';
import { isPlainObject } from '../../api/schema/walk';
import * as field from '../../api/field/errors';
import * as status from '../../api/status';
import { bodyText, contentTypeOf, parseJson } from './codec';

/** The patch types a kind accepts: custom resources have no strategic merge patch. */
export function patchTypesOf(kind: ResourceKind): string[] {
  return [
    'application/json-patch+json',
    'application/merge-patch+json',
    ...(kind.unstructured ? [] : ['application/strategic-merge-patch+json']),
    'application/apply-patch+yaml',
  ];
}

export type PatchFn = (current: KubeObject) => unknown;

/** The patch of `req` as a function of the stored object, for a resource of `kind`. */
export function patchFunction(req: ApiRequest, kind: ResourceKind): PatchFn {
  const type = contentTypeOf(req);
  const text = bodyText(req);
  if (req.query.force !== undefined) {
    throw status.invalid({ group: 'meta.k8s.io', kind: 'PatchOptions' }, '', [field.forbidden('force', 'may not be specified for non-apply patch')]);
  }
  switch (type) {
    case 'application/json-patch+json': {
      let operations;
      try {
        operations = parseJsonPatch(parseJson(text));
      } catch (err) {
        if (err instanceof JsonPatchError) throw status.badRequest(`invalid JSON patch: ${err.message}`);
        throw err;
      }
      return (current) => {
        try {
          return applyJsonPatch(current, operations);
        } catch (err) {
          if (err instanceof JsonPatchError) throw new status.StatusError(422, 'Invalid', `the JSON patch could not be applied: ${err.message}`);
          throw err;
        }
      };
    }
    case 'application/merge-patch+json': {
      const patch = parseJson(text);
      if (!isPlainObject(patch)) throw status.badRequest('a merge patch must be a JSON object');
      return (current) => applyMergePatch(current, patch);
    }
    case 'application/strategic-merge-patch+json': {
      // Custom resources have no patch strategies in their schema: Kubernetes answers 415.
      if (kind.unstructured) throw status.unsupportedMediaType(type, patchTypesOf(kind));
      const patch = parseJson(text);
      if (!isPlainObject(patch)) throw status.badRequest('a strategic merge patch must be a JSON object');
      return (current) => applyStrategicMergePatch(kind.schema, current, patch);
    }
    default:
      throw status.unsupportedMediaType(type, patchTypesOf(kind));
  }
}

/** A PATCH of the main resource or of status: the patch applies to the whole stored object. */
export function patchUpdate(store: ResourceStore, req: ApiRequest, options: WriteOptions): UpdateFn {
  const apply = patchFunction(req, store.kind);
  return (current) => {
    const decoded = decodeObject(store.kind, apply(current), options.fieldValidation);
    // The stored resourceVersion carried through the patch is no precondition: a patch that does
    // not set one applies to whatever is stored, and is re-applied on a conflict.
    const meta = decoded.object.metadata;
    if (meta && meta.resourceVersion === current.metadata?.resourceVersion) delete meta.resourceVersion;
    return decoded;
  };
}
