/**
 * Discovery for controllers that work on every kind of object (the garbage collector, the
 * namespace controller): which resources the API server serves, in which version, with which
 * verbs, namespaced or not — read from legacy discovery (GET /api/v1, /apis, /apis/<g>/<v>), so
 * custom resources appear as soon as their CRD is served.
 *
 * `preferred` follows client-go's ServerPreferredResources: one entry per group and resource, in the
 * group's preferred version when it serves the resource there, else in the first version that
 * does. `all` keeps every version, which is what owner references (apiVersion + kind) are resolved
 * against. A group whose discovery fails is reported in `failedGroups` and left out; the rest is
 * still returned, as Kubernetes' controllers go on with what they could discover.
 */
import type { GroupVersionResource } from '../../client/resource';
import type { RestClient } from '../../client/restClient';

export interface DiscoveredResource {
  readonly gvr: GroupVersionResource;
  readonly kind: string;
  readonly namespaced: boolean;
  readonly verbs: readonly string[];
}

export interface DiscoveryResult {
  /** One entry per group/resource, in the preferred version (see above). */
  readonly preferred: readonly DiscoveredResource[];
  /** Every resource in every served version. */
  readonly all: readonly DiscoveredResource[];
  /** Group versions whose discovery failed ("apps/v1" → why). */
  readonly failedGroups: ReadonlyMap<string, string>;
}

/** An APIResourceList as GET /api/v1 or /apis/<g>/<v> answers it (only what is read here). */
export interface APIResourceList {
  readonly groupVersion?: string;
  readonly resources?: readonly { readonly name: string; readonly kind: string; readonly namespaced: boolean; readonly verbs?: readonly string[] }[];
}

/** An APIGroupList as GET /apis answers it (only what is read here). */
export interface APIGroupList {
  readonly groups?: readonly {
    readonly name: string;
    readonly versions?: readonly { readonly groupVersion: string; readonly version: string }[];
    readonly preferredVersion?: { readonly groupVersion: string; readonly version: string };
  }[];
}

/** `apps/v1` → { group: 'apps', version: 'v1' }; `v1` → the core group. */
export function parseApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

export function apiVersionOfGvr(gvr: Pick<GroupVersionResource, 'group' | 'version'>): string {
  return gvr.group ? `${gvr.group}/${gvr.version}` : gvr.version;
}

/** `deployments.apps/v1`, `pods/v1`: a stable string key of a resource in one version. */
export function gvrKey(gvr: GroupVersionResource): string {
  return `${gvr.resource}.${gvr.group}/${gvr.version}`;
}

/** The top-level resources of one APIResourceList (subresources such as `pods/status` left out). */
export function resourcesOfList(group: string, version: string, list: APIResourceList): DiscoveredResource[] {
  return (list.resources ?? [])
    .filter((r) => !r.name.includes('/'))
    .map((r) => ({ gvr: { group, version, resource: r.name }, kind: r.kind, namespaced: r.namespaced, verbs: r.verbs ?? [] }));
}

/**
 * Builds the result from the lists read, given in discovery order: for each group, its versions
 * preferred first (the core group's v1 first of all).
 */
export function combineDiscovery(lists: readonly { group: string; version: string; list: APIResourceList }[], failedGroups: ReadonlyMap<string, string> = new Map()): DiscoveryResult {
  const all: DiscoveredResource[] = [];
  const preferred: DiscoveredResource[] = [];
  const seen = new Set<string>();
  for (const { group, version, list } of lists) {
    for (const r of resourcesOfList(group, version, list)) {
      all.push(r);
      const gr = `${r.gvr.resource}.${group}`;
      if (seen.has(gr)) continue;
      seen.add(gr);
      preferred.push(r);
    }
  }
  return { preferred, all, failedGroups };
}

/** The group's versions, its preferred version first. */
export function versionsInOrder(group: NonNullable<APIGroupList['groups']>[number]): string[] {
  const versions = (group.versions ?? []).map((v) => v.version);
  const pref = group.preferredVersion?.version;
  if (!pref) return versions;
  return [pref, ...versions.filter((v) => v !== pref)];
}

/** Reads discovery from the API server (see the file comment). Throws only when /api/v1 or /apis fail. */
export async function discoverResources(client: RestClient, signal?: AbortSignal): Promise<DiscoveryResult> {
  const opts = signal ? { signal } : {};
  const core = await client.call<APIResourceList>('GET', '/api/v1', opts);
  const groups = await client.call<APIGroupList>('GET', '/apis', opts);
  const targets: { group: string; version: string }[] = [];
  for (const g of groups.groups ?? []) for (const v of versionsInOrder(g)) targets.push({ group: g.name, version: v });
  const failed = new Map<string, string>();
  const lists = await Promise.all(
    targets.map(async ({ group, version }) => {
      try {
        return { group, version, list: await client.call<APIResourceList>('GET', `/apis/${group}/${version}`, opts) };
      } catch (err) {
        // A group version that went away since /apis was read is no failure: it is simply gone.
        if ((err as { code?: number }).code !== 404) failed.set(`${group}/${version}`, (err as Error).message ?? String(err));
        return undefined;
      }
    }),
  );
  const ok = lists.filter((l): l is NonNullable<typeof l> => l !== undefined);
  return combineDiscovery([{ group: '', version: 'v1', list: core }, ...ok], failed);
}

/** Resources that support every one of `verbs`. */
export function withVerbs(resources: readonly DiscoveredResource[], ...verbs: string[]): DiscoveredResource[] {
  return resources.filter((r) => verbs.every((v) => r.verbs.includes(v)));
}

/**
 * Resolves owner references: apiVersion + kind → resource and scope, from the last discovery.
 * Built by the caller from a DiscoveryResult's `all`.
 */
export class RestMapper {
  private readonly byKind = new Map<string, DiscoveredResource>();

  constructor(resources: readonly DiscoveredResource[] = []) {
    for (const r of resources) {
      const key = `${apiVersionOfGvr(r.gvr)}/${r.kind}`;
      if (!this.byKind.has(key)) this.byKind.set(key, r);
    }
  }

  /** The resource of `kind` in `apiVersion`, or undefined when discovery does not know it. */
  resourceFor(apiVersion: string, kind: string): DiscoveredResource | undefined {
    return this.byKind.get(`${apiVersion}/${kind}`);
  }

  get size(): number {
    return this.byKind.size;
  }
}
