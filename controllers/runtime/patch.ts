/**
 * patchObject: a PATCH of one object (or its status/scale subresource) with any patch type the
 * API server takes: merge (RFC 7386), strategic merge, JSON patch (RFC 6902) or server-side
 * apply (which needs a fieldManager).
 */
import type { KubeObject } from '../../api/kinds/kind';
import { resourcePath, type GroupVersionResource } from '../../client/resource';
import type { RestClient } from '../../client/restClient';

export type PatchType = 'merge' | 'strategic' | 'json' | 'apply';

export interface PatchOptions {
  /** Required for 'apply'; names the writer in managedFields. */
  readonly fieldManager?: string;
  /** 'apply' only: take ownership of fields other managers own. Default false. */
  readonly force?: boolean;
  /** e.g. 'status' or 'scale'. */
  readonly subresource?: string;
  readonly dryRun?: boolean;
  readonly signal?: AbortSignal;
}

export const patchContentTypes: Readonly<Record<PatchType, string>> = {
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  json: 'application/json-patch+json',
  apply: 'application/apply-patch+yaml',
};

/** Patches `name` in `namespace` (undefined for cluster-scoped kinds); the object as stored. */
export function patchObject<T extends KubeObject = KubeObject>(
  client: RestClient,
  gvr: GroupVersionResource,
  namespace: string | undefined,
  name: string,
  patch: unknown,
  type: PatchType,
  opts: PatchOptions = {},
): Promise<T> {
  if (type === 'apply' && !opts.fieldManager) return Promise.reject(new Error('patchObject: server-side apply needs a fieldManager'));
  const query = {
    fieldManager: opts.fieldManager,
    force: type === 'apply' && opts.force ? true : undefined,
    dryRun: opts.dryRun ? 'All' : undefined,
  };
  // JSON is YAML, so an apply patch is sent as JSON under the apply content type.
  return client.call<T>('PATCH', resourcePath(gvr, namespace || undefined, name, opts.subresource), {
    body: patch,
    contentType: patchContentTypes[type],
    query,
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
}
