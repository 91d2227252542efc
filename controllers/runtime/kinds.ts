/**
 * The kind behind a resource: owner references name their owner by apiVersion and kind, while
 * informers and clients work by group, version and resource. Built-in kinds are looked up in
 * api/kinds' registry; custom resources say theirs (the builder's `kind` option).
 */
import { apiVersionOf } from '../../api/kinds/kind';
import { builtinKinds } from '../../api/kinds/registry';
import type { GroupVersionResource } from '../../client/resource';

/** The identity of a kind as owner references use it, and whether its objects live in namespaces. */
export interface KindInfo {
  /** e.g. `apps/v1`, or `v1` for the core group. */
  readonly apiVersion: string;
  readonly kind: string;
  /** Default true. Requests for a cluster-scoped owner carry no namespace. */
  readonly namespaced?: boolean;
}

/** The built-in kind served as `gvr`, or undefined for resources Marina does not build in. */
export function builtinKindOf(gvr: GroupVersionResource): KindInfo | undefined {
  const kind = builtinKinds.find((k) => k.group === gvr.group && k.version === gvr.version && k.plural === gvr.resource);
  return kind && { apiVersion: apiVersionOf(kind), kind: kind.kind, namespaced: kind.namespaced };
}

/** The API group of an apiVersion: '' for `v1`, `apps` for `apps/v1`. */
export function groupOf(apiVersion: string | undefined): string {
  const slash = (apiVersion ?? '').indexOf('/');
  return slash < 0 ? '' : apiVersion!.slice(0, slash);
}

/** Whether a reference's apiVersion/kind names `kind` (any version of the same group, as Kubernetes compares). */
export function sameGroupKind(ref: { readonly apiVersion?: string; readonly kind?: string }, kind: KindInfo): boolean {
  return ref.kind === kind.kind && groupOf(ref.apiVersion) === groupOf(kind.apiVersion);
}
