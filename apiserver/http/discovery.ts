/**
 * Legacy discovery: /api (APIVersions), /apis (APIGroupList), /api/v1 and /apis/<g>/<v>
 * (APIResourceList with verbs, short names, categories and subresources), built from the
 * registered kinds so new resources appear at once.
 */
import type { ResourceKind } from '../../api/kinds/kind';
import { pathNotFound } from '../../api/status';
import { sendObject } from './codec';
import type { ApiRequest, Response } from './request';
import type { ResourceRegistry } from '../registry/resourceRegistry';

const verbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export interface APIResource {
  readonly name: string;
  readonly singularName: string;
  readonly namespaced: boolean;
  readonly group?: string;
  readonly version?: string;
  readonly kind: string;
  readonly verbs: readonly string[];
  readonly shortNames?: readonly string[];
  readonly categories?: readonly string[];
}

/** The resource and its subresources, as legacy discovery lists them. */
export function apiResources(kind: ResourceKind): APIResource[] {
  const base = { namespaced: kind.namespaced };
  const out: APIResource[] = [
    {
      ...base,
      name: kind.plural,
      singularName: kind.singular,
      kind: kind.kind,
      verbs,
      ...(kind.shortNames.length ? { shortNames: kind.shortNames } : {}),
      ...(kind.categories.length ? { categories: kind.categories } : {}),
    },
  ];
  for (const sub of subresourcesOf(kind)) {
    out.push({ ...base, name: `${kind.plural}/${sub.name}`, singularName: '', kind: sub.kind, verbs: sub.verbs, ...(sub.group !== undefined ? { group: sub.group, version: sub.version } : {}) });
  }
  return out;
}

export interface SubresourceInfo {
  readonly name: string;
  readonly kind: string;
  readonly group?: string;
  readonly version?: string;
  readonly verbs: readonly string[];
}

export function subresourcesOf(kind: ResourceKind): SubresourceInfo[] {
  const subs: SubresourceInfo[] = [];
  if (kind.subresources.status) subs.push({ name: 'status', kind: kind.kind, verbs: ['get', 'patch', 'update'] });
  if (kind.subresources.scale) subs.push({ name: 'scale', kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: ['get', 'patch', 'update'] });
  if (kind.group === '' && kind.plural === 'pods') subs.push({ name: 'binding', kind: 'Binding', verbs: ['create'] });
  if (kind.group === '' && kind.plural === 'namespaces') subs.push({ name: 'finalize', kind: 'Namespace', verbs: ['update'] });
  return subs;
}

/** Answers a discovery path (segments after /api or /apis), or throws 404. */
export function legacyDiscovery(registry: ResourceRegistry, prefix: 'api' | 'apis', segments: readonly string[]): unknown {
  const stores = registry.all();
  if (prefix === 'api') {
    if (segments.length === 0) {
      return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '' }] };
    }
    if (segments.length === 1 && segments[0] === 'v1') return resourceList('v1', stores.filter((s) => s.kind.group === '').map((s) => s.kind));
    throw pathNotFound();
  }
  const groups = new Map<string, Set<string>>();
  for (const s of stores) {
    if (s.kind.group === '') continue;
    const versions = groups.get(s.kind.group) ?? new Set<string>();
    versions.add(s.kind.version);
    groups.set(s.kind.group, versions);
  }
  const groupObject = (name: string, versions: Set<string>) => {
    const list = [...versions].map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
    return { name, versions: list, preferredVersion: list[0] };
  };
  if (segments.length === 0) {
    return { kind: 'APIGroupList', apiVersion: 'v1', groups: [...groups].sort(([a], [b]) => a.localeCompare(b)).map(([n, v]) => groupObject(n, v)) };
  }
  const versions = groups.get(segments[0]!);
  if (!versions) throw pathNotFound();
  if (segments.length === 1) return { kind: 'APIGroup', apiVersion: 'v1', ...groupObject(segments[0]!, versions) };
  if (segments.length === 2 && versions.has(segments[1]!)) {
    const gv = `${segments[0]}/${segments[1]}`;
    return resourceList(gv, stores.filter((s) => s.kind.group === segments[0] && s.kind.version === segments[1]).map((s) => s.kind));
  }
  throw pathNotFound();
}

function resourceList(groupVersion: string, kinds: readonly ResourceKind[]) {
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion, resources: kinds.flatMap(apiResources) };
}

/** Answers a discovery request (GET /api, /apis, /api/v1, /apis/<group>[/<version>]). */
export function serveDiscovery(req: ApiRequest, res: Response, registry: ResourceRegistry, prefix: 'api' | 'apis', segments: readonly string[]): void {
  sendObject(res, 200, legacyDiscovery(registry, prefix, segments));
  void req;
}
