/**
 * Server-side apply: PATCH with Content-Type application/apply-patch+yaml (a YAML or JSON body)
 * on an object, its status or its scale. The fieldManager parameter is required; force=true takes
 * fields other managers own. The merge and ownership live in the registry (serverSideApply.ts).
 */
import * as field from '../../api/field/errors';
import * as status from '../../api/status';
import { applyObject, applyScale, type ApplyWriteOptions } from '../registry/serverSideApply';
import type { ResourceStore } from '../registry/store';
import { toScale } from '../registry/subresources';
import { bodyText, contentTypeOf, negotiate, parseYamlDocument, sendObject } from './codec';
import { bool, param, writeOptions } from './query';
import type { ApiRequest, Response } from './request';

export const applyPatchType = 'application/apply-patch+yaml';

export function isApplyPatch(req: ApiRequest): boolean {
  return contentTypeOf(req) === applyPatchType;
}

export async function serveApply(
  store: ResourceStore,
  req: ApiRequest,
  res: Response,
  namespace: string | undefined,
  name: string | undefined,
  subresource: string | undefined,
): Promise<void> {
  const kind = store.kind;
  if (!name || (kind.namespaced && !namespace)) throw status.methodNotSupported(store.groupResource, 'patch');
  const options = applyOptions(req);
  const media = negotiate(req);
  const body = parseYamlDocument(bodyText(req));
  if (subresource === 'scale') {
    const scale = kind.subresources.scale;
    if (!scale) throw status.pathNotFound();
    const result = await applyScale(store, namespace, name, body, options);
    return sendObject(res, 200, toScale(result.object, scale), media);
  }
  if (subresource !== undefined && !(subresource === 'status' && kind.subresources.status)) throw status.pathNotFound();
  const result = await applyObject(store, namespace, name, body, options, subresource);
  return sendObject(res, result.created ? 201 : 200, result.object, media, result.warnings);
}

/** PatchOptions of an apply: fieldManager is required (422, as Kubernetes validates PatchOptions). */
function applyOptions(req: ApiRequest): ApplyWriteOptions {
  const options = writeOptions(req);
  const manager = param(req.query, 'fieldManager');
  if (manager === '') {
    throw status.invalid({ group: 'meta.k8s.io', kind: 'PatchOptions' }, '', [field.required('fieldManager', 'is required for apply patch')]);
  }
  return { ...options, fieldManager: manager, force: bool(req.query, 'force') ?? false };
}
