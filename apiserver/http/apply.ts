/**
 * Server-side apply (PATCH with application/apply-patch+yaml). Not implemented yet: answered
 * 415 like any unsupported patch type.
 */
import * as status from '../../api/status';
import type { ResourceStore } from '../registry/store';
import { contentTypeOf } from './codec';
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
  void store;
  void res;
  void namespace;
  void name;
  void subresource;
  throw status.unsupportedMediaType(contentTypeOf(req), ['application/json-patch+json', 'application/merge-patch+json']);
}
