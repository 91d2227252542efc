/**
 * Discovery and the RESTMapper, as kubectl's: the resources the server serves (aggregated
 * discovery of /api and /apis, else the legacy per-group documents), and the mapping of what a
 * user types (`po`, `pods`, `pod`, `Pod`, `deployments.apps`, `deploy.v1.apps`, a category such
 * as `all`) or what a manifest says (apiVersion + kind) to a resource.
 */
import type { RestClient } from '../../client/restClient';
import type { GroupVersionResource } from '../../client/resource';
import { CliError } from './io';

export interface ApiResource extends GroupVersionResource {
  readonly kind: string;
  readonly singular: string;
  readonly namespaced: boolean;
  readonly shortNames: readonly string[];
  readonly categories: readonly string[];
  readonly verbs: readonly string[];
  /** Whether this is the group's preferred version. */
  readonly preferred: boolean;
  readonly subresources: readonly string[];
}

/** `apps/v1`, or `v1` for the core group. */
export function apiVersionOf(r: { readonly group: string; readonly version: string }): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}

/** How kubectl names a resource in its output: `deployment.apps`, `pod`. */
export function resourceLabel(r: { readonly group: string; readonly kind: string }): string {
  return r.group ? `${r.kind.toLowerCase()}.${r.group}` : r.kind.toLowerCase();
}

/** `deployments.apps`, `pods`: how the server names a resource in errors. */
export function qualifiedResource(r: GroupVersionResource): string {
  return r.group ? `${r.resource}.${r.group}` : r.resource;
}

interface AggregatedList {
  readonly items?: readonly {
    readonly metadata?: { readonly name?: string };
    readonly versions?: readonly {
      readonly version: string;
      readonly resources?: readonly {
        readonly resource: string;
        readonly responseKind?: { readonly kind?: string };
        readonly scope?: string;
        readonly singularResource?: string;
        readonly verbs?: readonly string[];
        readonly shortNames?: readonly string[];
        readonly categories?: readonly string[];
        readonly subresources?: readonly { readonly subresource: string }[];
      }[];
    }[];
  }[];
}

interface LegacyResourceList {
  readonly resources?: readonly {
    readonly name: string;
    readonly kind: string;
    readonly namespaced: boolean;
    readonly singularName?: string;
    readonly verbs?: readonly string[];
    readonly shortNames?: readonly string[];
    readonly categories?: readonly string[];
  }[];
}

const aggregatedAccept = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';

export class RestMapper {
  constructor(readonly resources: readonly ApiResource[]) {}

  static async discover(client: RestClient): Promise<RestMapper> {
    const resources: ApiResource[] = [];
    for (const path of ['/api', '/apis']) {
      const res = await client.raw('GET', path, { headers: { Accept: aggregatedAccept } });
      if (res.status !== 200) throw new CliError(`discovery: GET ${path} answered ${res.status}: ${res.text.slice(0, 200)}`);
      const body = res.json as { kind?: string } & AggregatedList & { versions?: string[]; groups?: { name: string; versions: { version: string }[]; preferredVersion?: { version: string } }[] };
      if (body.kind === 'APIGroupDiscoveryList') {
        for (const group of body.items ?? []) {
          const groupName = group.metadata?.name ?? '';
          (group.versions ?? []).forEach((v, i) => {
            for (const r of v.resources ?? []) {
              resources.push({
                group: groupName,
                version: v.version,
                resource: r.resource,
                kind: r.responseKind?.kind ?? '',
                singular: r.singularResource ?? r.resource,
                namespaced: r.scope === 'Namespaced',
                shortNames: r.shortNames ?? [],
                categories: r.categories ?? [],
                verbs: r.verbs ?? [],
                preferred: i === 0,
                subresources: (r.subresources ?? []).map((s) => s.subresource),
              });
            }
          });
        }
        continue;
      }
      // Legacy discovery: one document per group version.
      const groupVersions: { group: string; version: string; preferred: boolean }[] =
        path === '/api'
          ? (body.versions ?? []).map((v, i) => ({ group: '', version: v, preferred: i === 0 }))
          : (body.groups ?? []).flatMap((g) => g.versions.map((v, i) => ({ group: g.name, version: v.version, preferred: g.preferredVersion ? g.preferredVersion.version === v.version : i === 0 })));
      for (const gv of groupVersions) {
        const list = await client.get<LegacyResourceList>(gv.group ? `/apis/${gv.group}/${gv.version}` : `/api/${gv.version}`);
        const all = list.resources ?? [];
        for (const r of all) {
          if (r.name.includes('/')) continue;
          resources.push({
            group: gv.group,
            version: gv.version,
            resource: r.name,
            kind: r.kind,
            singular: r.singularName || r.kind.toLowerCase(),
            namespaced: r.namespaced,
            shortNames: r.shortNames ?? [],
            categories: r.categories ?? [],
            verbs: r.verbs ?? [],
            preferred: gv.preferred,
            subresources: all.filter((s) => s.name.startsWith(`${r.name}/`)).map((s) => s.name.slice(r.name.length + 1)),
          });
        }
      }
    }
    return new RestMapper(resources);
  }

  /** The resource of a manifest's apiVersion and kind; undefined when the server does not serve it. */
  forKind(apiVersion: string, kind: string): ApiResource | undefined {
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/', 2) : ['', apiVersion];
    return this.resources.find((r) => r.group === group && r.version === version && r.kind === kind);
  }

  /**
   * The resources a user's word names: one resource, or for a category (`all`) each of its
   * members. Throws `the server doesn't have a resource type "x"` when nothing matches.
   */
  resolve(word: string): ApiResource[] {
    const one = this.find(word);
    if (one) return [one];
    const lower = word.toLowerCase();
    const members = this.resources.filter((r) => r.preferred && r.categories.includes(lower));
    if (members.length) return members;
    throw new CliError(`the server doesn't have a resource type "${word}"`);
  }

  /** One resource for a word (not a category); throws when unknown. */
  resolveOne(word: string): ApiResource {
    const one = this.find(word);
    if (!one) throw new CliError(`the server doesn't have a resource type "${word}"`);
    return one;
  }

  /** `pods`, `pod`, `po`, `Pod`, `deployments.apps`, `deployment.v1.apps`, `Deployment.apps`. */
  find(word: string): ApiResource | undefined {
    const lower = word.toLowerCase();
    const candidates: { name: string; version?: string; group?: string }[] = [{ name: lower }];
    const parts = lower.split('.');
    if (parts.length >= 2) {
      candidates.push({ name: parts[0]!, group: parts.slice(1).join('.') });
      if (parts.length >= 3) candidates.push({ name: parts[0]!, version: parts[1]!, group: parts.slice(2).join('.') });
    }
    for (const c of candidates) {
      const matches = this.resources.filter(
        (r) =>
          (c.group === undefined || r.group === c.group) &&
          (c.version === undefined || r.version === c.version) &&
          (r.resource === c.name || r.singular === c.name || r.kind.toLowerCase() === c.name || r.shortNames.includes(c.name)),
      );
      if (!matches.length) continue;
      // The preferred version; the core group before others (`events` is core's and events.k8s.io's).
      return matches.find((r) => r.preferred && r.group === '') ?? matches.find((r) => r.preferred) ?? matches[0];
    }
    return undefined;
  }
}
