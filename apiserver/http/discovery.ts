/**
 * Discovery, built from the registered kinds so that new resources (CRDs) appear at once:
 * - legacy: /api (APIVersions), /apis (APIGroupList), /api/v1 and /apis/<g>/<v>
 *   (APIResourceList with verbs, short names, categories and subresources as `pods/status`);
 * - aggregated (apidiscovery.k8s.io/v2, and v2beta1 as Kubernetes 1.32 still serves): /api and
 *   /apis answer every group, version and resource in one APIGroupDiscoveryList when the Accept
 *   header asks for it, as kubectl does first. kubectl reads the format from the response
 *   Content-Type alone, so that header names the aggregated type exactly.
 * Both forms come from `apiResources`, so they always agree.
 */
import { createHash } from 'node:crypto';
import type { ResourceKind } from '../../api/kinds/kind';
import { pathNotFound } from '../../api/status';
import { compareVersions } from '../crd/customResourceController';
import type { ResourceRegistry } from '../registry/resourceRegistry';
import { sendObject } from './codec';
import type { ApiRequest, Response } from './request';

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
  /** The response kind's group and version when they differ from the resource's. */
  readonly group?: string;
  readonly version?: string;
  readonly verbs: readonly string[];
}

/** A kind's subresources with the kind and verbs Kubernetes lists for them. */
export function subresourcesOf(kind: ResourceKind): SubresourceInfo[] {
  const subs: SubresourceInfo[] = [];
  if (kind.subresources.status) subs.push({ name: 'status', kind: kind.kind, verbs: ['get', 'patch', 'update'] });
  if (kind.subresources.scale) subs.push({ name: 'scale', kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: ['get', 'patch', 'update'] });
  if (kind.group === '' && kind.plural === 'pods') {
    subs.push(
      { name: 'binding', kind: 'Binding', verbs: ['create'] },
      { name: 'eviction', kind: 'Eviction', group: 'policy', version: 'v1', verbs: ['create'] },
      { name: 'exec', kind: 'PodExecOptions', verbs: ['create', 'get'] },
      { name: 'log', kind: 'Pod', verbs: ['get'] },
    );
  }
  if (kind.group === '' && kind.plural === 'namespaces') subs.push({ name: 'finalize', kind: 'Namespace', verbs: ['update'] });
  return subs;
}

/** The served API groups (without the core group), by name, each with its versions, preferred first. */
function servedGroups(registry: ResourceRegistry): Map<string, string[]> {
  const groups = new Map<string, Set<string>>();
  for (const s of registry.all()) {
    if (s.kind.group === '') continue;
    const versions = groups.get(s.kind.group) ?? new Set<string>();
    versions.add(s.kind.version);
    groups.set(s.kind.group, versions);
  }
  const sorted = [...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return new Map(sorted.map(([name, versions]) => [name, [...versions].sort(compareVersions)]));
}

function kindsOf(registry: ResourceRegistry, group: string, version: string): ResourceKind[] {
  return registry
    .all()
    .map((s) => s.kind)
    .filter((k) => k.group === group && k.version === version);
}

/** Answers a discovery path (segments after /api or /apis), or throws 404. */
export function legacyDiscovery(registry: ResourceRegistry, prefix: 'api' | 'apis', segments: readonly string[]): unknown {
  if (prefix === 'api') {
    if (segments.length === 0) {
      return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '' }] };
    }
    if (segments.length === 1 && segments[0] === 'v1') return resourceList('v1', kindsOf(registry, '', 'v1'));
    throw pathNotFound();
  }
  const groups = servedGroups(registry);
  const groupObject = (name: string, versions: readonly string[]) => {
    const list = versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
    return { name, versions: list, preferredVersion: list[0] };
  };
  if (segments.length === 0) {
    return { kind: 'APIGroupList', apiVersion: 'v1', groups: [...groups].map(([n, v]) => groupObject(n, v)) };
  }
  const versions = groups.get(segments[0]!);
  if (!versions) throw pathNotFound();
  if (segments.length === 1) return { kind: 'APIGroup', apiVersion: 'v1', ...groupObject(segments[0]!, versions) };
  if (segments.length === 2 && versions.includes(segments[1]!)) {
    return resourceList(`${segments[0]}/${segments[1]}`, kindsOf(registry, segments[0]!, segments[1]!));
  }
  throw pathNotFound();
}

function resourceList(groupVersion: string, kinds: readonly ResourceKind[]) {
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion, resources: kinds.flatMap(apiResources) };
}

// --- aggregated discovery ----------------------------------------------------------------

/** The apidiscovery.k8s.io versions served; Kubernetes 1.32 serves both. */
export type AggregatedDiscoveryVersion = 'v2' | 'v2beta1';

/** The Content-Type of an aggregated discovery answer, which is how kubectl recognizes it. */
export function aggregatedContentType(version: AggregatedDiscoveryVersion): string {
  return `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`;
}

/**
 * The aggregated discovery version the Accept header prefers, or undefined when it prefers the
 * legacy form (plain JSON, or nothing that names apidiscovery.k8s.io). Entries are taken in the
 * client's order, as kubectl lists its preference first.
 */
export function acceptedAggregatedVersion(accept: string | undefined): AggregatedDiscoveryVersion | undefined {
  for (const entry of (accept ?? '').split(',')) {
    const [type = '', ...params] = entry.split(';').map((s) => s.trim());
    const param = new Map(params.map((p) => [p.slice(0, p.indexOf('=')).trim().toLowerCase(), p.slice(p.indexOf('=') + 1).trim()]));
    if (param.has('q') && Number(param.get('q')) === 0) continue;
    const essence = type.toLowerCase();
    if (essence !== 'application/json' && essence !== 'application/*' && essence !== '*/*') continue;
    if (!param.has('g') && !param.has('as')) return undefined; // plain JSON: the legacy form
    const version = param.get('v');
    if (param.get('g') === 'apidiscovery.k8s.io' && param.get('as') === 'APIGroupDiscoveryList' && (version === 'v2' || version === 'v2beta1')) return version;
  }
  return undefined;
}

interface GroupVersionKind {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

export interface APIResourceDiscovery {
  readonly resource: string;
  readonly responseKind: GroupVersionKind;
  readonly scope: 'Namespaced' | 'Cluster';
  readonly singularResource: string;
  readonly verbs: readonly string[];
  readonly shortNames?: readonly string[];
  readonly categories?: readonly string[];
  readonly subresources?: readonly { readonly subresource: string; readonly responseKind: GroupVersionKind; readonly verbs: readonly string[] }[];
}

/** A kind in aggregated discovery: the legacy entries of `apiResources`, regrouped. */
export function resourceDiscovery(kind: ResourceKind): APIResourceDiscovery {
  const [main, ...subs] = apiResources(kind);
  const responseKind = (r: APIResource): GroupVersionKind => ({ group: r.group ?? kind.group, version: r.version ?? kind.version, kind: r.kind });
  return {
    resource: main!.name,
    responseKind: responseKind(main!),
    scope: kind.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: main!.singularName,
    verbs: main!.verbs,
    ...(main!.shortNames ? { shortNames: main!.shortNames } : {}),
    ...(main!.categories ? { categories: main!.categories } : {}),
    ...(subs.length
      ? { subresources: subs.map((s) => ({ subresource: s.name.slice(main!.name.length + 1), responseKind: responseKind(s), verbs: s.verbs })) }
      : {}),
  };
}

/** The APIGroupDiscoveryList of /api (the core group, named "") or /apis (every other group). */
export function aggregatedDiscovery(registry: ResourceRegistry, prefix: 'api' | 'apis', version: AggregatedDiscoveryVersion): unknown {
  const groups: [string, string[]][] = prefix === 'api' ? [['', ['v1']]] : [...servedGroups(registry)];
  const byName = (a: APIResourceDiscovery, b: APIResourceDiscovery) => (a.resource < b.resource ? -1 : a.resource > b.resource ? 1 : 0);
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: `apidiscovery.k8s.io/${version}`,
    metadata: {},
    items: groups.map(([group, versions]) => ({
      metadata: group === '' ? {} : { name: group },
      versions: versions.map((v) => ({ version: v, resources: kindsOf(registry, group, v).map(resourceDiscovery).sort(byName), freshness: 'Current' })),
    })),
  };
}

/**
 * Sends an aggregated answer with an ETag (a hash of the body), answering 304 to a client that
 * already holds it, as Kubernetes does. No max-age: a new CRD must be seen at the next request.
 */
function sendAggregated(req: ApiRequest, res: Response, version: AggregatedDiscoveryVersion, obj: unknown): void {
  const body = JSON.stringify(obj);
  const etag = `"${createHash('sha256').update(body).digest('hex')}"`;
  res.setHeader('ETag', etag);
  const known = (req.headers['if-none-match'] ?? '').split(',').map((t) => t.trim());
  if (known.includes(etag)) {
    res.statusCode = 304;
    res.end();
    return;
  }
  res.statusCode = 200;
  res.setHeader('Content-Type', aggregatedContentType(version));
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}

/** Answers a discovery request (GET /api, /apis, /api/v1, /apis/<group>[/<version>]). */
export function serveDiscovery(req: ApiRequest, res: Response, registry: ResourceRegistry, prefix: 'api' | 'apis', segments: readonly string[]): void {
  if (segments.length === 0) {
    // The same URL answers two forms: caches must key on Accept.
    res.setHeader('Vary', 'Accept');
    const version = acceptedAggregatedVersion(req.headers.accept);
    if (version) return sendAggregated(req, res, version, aggregatedDiscovery(registry, prefix, version));
  }
  sendObject(res, 200, legacyDiscovery(registry, prefix, segments));
}
