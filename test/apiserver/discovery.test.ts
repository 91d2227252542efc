/**
 * Aggregated discovery (apidiscovery.k8s.io/v2, and v2beta1): what /api and /apis answer when
 * the Accept header asks for an APIGroupDiscoveryList as kubectl does, that it agrees with legacy
 * discovery resource by resource, that a new CRD appears at once, caching headers; and the real
 * kubectl's api-resources, api-versions, short names and categories on top of it.
 */
import { useControlPlane } from '../harness/apiserver';
import { useKubectl } from '../harness/kubectl';
import { eventually } from './helpers';
import { useRecordingProxy } from './recordingProxy';

const plane = useControlPlane();
const proxy = useRecordingProxy(() => plane.url);
const kubectl = useKubectl(() => proxy.get().url);

/** The Accept header kubectl 1.32 sends to /api and /apis. */
const kubectlAccept =
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';
const v2 = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
const v2beta1 = 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList';

interface GVK {
  group: string;
  version: string;
  kind: string;
}
interface ResourceDiscovery {
  resource: string;
  responseKind: GVK;
  scope: 'Namespaced' | 'Cluster';
  singularResource: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  subresources?: { subresource: string; responseKind: GVK; verbs: string[] }[];
}
interface GroupDiscovery {
  metadata: { name?: string };
  versions: { version: string; resources: ResourceDiscovery[]; freshness: string }[];
}
interface GroupDiscoveryList {
  kind: string;
  apiVersion: string;
  items: GroupDiscovery[];
}
interface LegacyResource {
  name: string;
  singularName: string;
  namespaced: boolean;
  kind: string;
  group?: string;
  version?: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
}

async function aggregated(path: '/api' | '/apis', accept = kubectlAccept): Promise<GroupDiscoveryList> {
  const res = await plane.client.raw('GET', path, { headers: { Accept: accept } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe(v2);
  return res.json as GroupDiscoveryList;
}

function resourcesOf(list: GroupDiscoveryList, group: string, version: string): Map<string, ResourceDiscovery> {
  const item = list.items.find((i) => (i.metadata.name ?? '') === group);
  const v = item?.versions.find((x) => x.version === version);
  return new Map((v?.resources ?? []).map((r) => [r.resource, r]));
}

/** A CRD in group discovery.marina.dev, served as v1 (storage, with status) and v1beta1. */
function gadgetLikeCrd(plural: string, kind: string, shortName: string): object {
  const schema = { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } } };
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.discovery.marina.dev` },
    spec: {
      group: 'discovery.marina.dev',
      scope: 'Namespaced',
      names: { plural, singular: kind.toLowerCase(), kind, shortNames: [shortName], categories: ['all'] },
      versions: [
        { name: 'v1beta1', served: true, storage: false, schema },
        { name: 'v1', served: true, storage: true, schema, subresources: { status: {} } },
      ],
    },
  };
}

const allVerbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

describe('aggregated discovery over HTTP', () => {
  it('/api answers the core group, named "", with every resource and its subresources', async () => {
    const list = await aggregated('/api');
    expect(list).toMatchObject({ kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2' });
    expect(list.items).toHaveLength(1);
    expect(list.items[0]!.metadata.name ?? '').toBe('');
    expect(list.items[0]!.versions.map((v) => [v.version, v.freshness])).toEqual([['v1', 'Current']]);

    const core = resourcesOf(list, '', 'v1');
    const pods = core.get('pods')!;
    expect(pods).toMatchObject({
      responseKind: { group: '', version: 'v1', kind: 'Pod' },
      scope: 'Namespaced',
      singularResource: 'pod',
      shortNames: ['po'],
      categories: ['all'],
    });
    expect([...pods.verbs].sort()).toEqual(allVerbs);
    const subresources = new Map(pods.subresources!.map((s) => [s.subresource, s]));
    expect(subresources.get('status')).toEqual({ subresource: 'status', responseKind: { group: '', version: 'v1', kind: 'Pod' }, verbs: ['get', 'patch', 'update'] });
    expect(subresources.get('binding')).toEqual({ subresource: 'binding', responseKind: { group: '', version: 'v1', kind: 'Binding' }, verbs: ['create'] });
    expect(subresources.get('log')).toEqual({ subresource: 'log', responseKind: { group: '', version: 'v1', kind: 'Pod' }, verbs: ['get'] });
    expect(subresources.get('exec')).toEqual({ subresource: 'exec', responseKind: { group: '', version: 'v1', kind: 'PodExecOptions' }, verbs: ['create', 'get'] });
    expect(subresources.get('eviction')).toEqual({ subresource: 'eviction', responseKind: { group: 'policy', version: 'v1', kind: 'Eviction' }, verbs: ['create'] });

    expect(core.get('namespaces')).toMatchObject({ scope: 'Cluster', singularResource: 'namespace', shortNames: ['ns'] });
    expect(core.get('configmaps')).toMatchObject({ scope: 'Namespaced', responseKind: { kind: 'ConfigMap' }, shortNames: ['cm'] });
    expect(core.get('configmaps')!.subresources).toBeUndefined();
    expect(core.has('deployments')).toBe(false);
  });

  it('/apis answers every other group, its versions and resources', async () => {
    const list = await aggregated('/apis');
    const names = list.items.map((i) => i.metadata.name);
    for (const g of ['apps', 'batch', 'policy', 'rbac.authorization.k8s.io', 'scheduling.k8s.io', 'coordination.k8s.io', 'apiextensions.k8s.io']) expect(names).toContain(g);
    expect(names).not.toContain('');
    expect(names).not.toContain(undefined);

    const deployments = resourcesOf(list, 'apps', 'v1').get('deployments')!;
    expect(deployments).toMatchObject({ responseKind: { group: 'apps', version: 'v1', kind: 'Deployment' }, scope: 'Namespaced', singularResource: 'deployment', shortNames: ['deploy'], categories: ['all'] });
    expect(deployments.subresources).toEqual(
      expect.arrayContaining([
        { subresource: 'scale', responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' }, verbs: ['get', 'patch', 'update'] },
        { subresource: 'status', responseKind: { group: 'apps', version: 'v1', kind: 'Deployment' }, verbs: ['get', 'patch', 'update'] },
      ]),
    );
    expect(resourcesOf(list, 'rbac.authorization.k8s.io', 'v1').get('clusterroles')).toMatchObject({ scope: 'Cluster', responseKind: { kind: 'ClusterRole' } });
  });

  it('agrees with legacy discovery on every group version', async () => {
    const groups = [...(await aggregated('/api')).items, ...(await aggregated('/apis')).items];
    const legacyGroups = (await plane.client.get<{ groups: { name: string; versions: { version: string }[]; preferredVersion: { version: string } }[] }>('/apis')).groups;
    expect(groups.slice(1).map((g) => g.metadata.name)).toEqual(legacyGroups.map((g) => g.name));
    for (const item of groups) {
      const group = item.metadata.name ?? '';
      const legacyGroup = legacyGroups.find((g) => g.name === group);
      // The preferred version comes first in both.
      if (legacyGroup) expect(item.versions.map((v) => v.version)).toEqual(legacyGroup.versions.map((v) => v.version));
      if (legacyGroup) expect(item.versions[0]!.version).toBe(legacyGroup.preferredVersion.version);
      for (const { version, resources } of item.versions) {
        const legacy = await plane.client.get<{ resources: LegacyResource[] }>(group ? `/apis/${group}/${version}` : `/api/${version}`);
        const expected = legacy.resources
          .filter((r) => !r.name.includes('/'))
          .map((r) => {
            const subs = legacy.resources.filter((s) => s.name.startsWith(`${r.name}/`));
            return {
              resource: r.name,
              responseKind: { group, version, kind: r.kind },
              scope: r.namespaced ? 'Namespaced' : 'Cluster',
              singularResource: r.singularName,
              verbs: r.verbs,
              ...(r.shortNames ? { shortNames: r.shortNames } : {}),
              ...(r.categories ? { categories: r.categories } : {}),
              ...(subs.length
                ? {
                    subresources: subs.map((s) => ({
                      subresource: s.name.slice(r.name.length + 1),
                      responseKind: { group: s.group ?? group, version: s.version ?? version, kind: s.kind },
                      verbs: s.verbs,
                    })),
                  }
                : {}),
            };
          });
        const byName = (a: { resource: string }, b: { resource: string }) => a.resource.localeCompare(b.resource);
        expect([...resources].sort(byName)).toEqual(expected.sort(byName));
      }
    }
  });

  it('answers v2beta1 when only it is asked for, and the legacy form for plain JSON', async () => {
    const beta = await plane.client.raw('GET', '/apis', { headers: { Accept: v2beta1 } });
    expect(beta.headers.get('content-type')).toBe(v2beta1);
    expect(beta.json).toMatchObject({ kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2beta1' });
    expect(resourcesOf(beta.json as GroupDiscoveryList, 'apps', 'v1').has('deployments')).toBe(true);

    const legacy = await plane.client.raw('GET', '/api', { headers: { Accept: 'application/json, */*' } });
    expect(legacy.headers.get('content-type')).toBe('application/json');
    expect(legacy.json).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
    // A client listing JSON first prefers the legacy form.
    const jsonFirst = await plane.client.raw('GET', '/apis', { headers: { Accept: `application/json,${v2}` } });
    expect(jsonFirst.json).toMatchObject({ kind: 'APIGroupList' });
  });

  it('lets caches revalidate (ETag, Vary: Accept) but never serves a max-age', async () => {
    for (const path of ['/api', '/apis']) {
      for (const accept of [kubectlAccept, 'application/json']) {
        const res = await plane.client.raw('GET', path, { headers: { Accept: accept } });
        expect(res.headers.get('vary')).toBe('Accept');
        expect(res.headers.get('cache-control') ?? '').not.toMatch(/max-age/);
      }
      const first = await plane.client.raw('GET', path, { headers: { Accept: kubectlAccept } });
      const etag = first.headers.get('etag')!;
      expect(etag).toMatch(/^"[0-9a-f]+"$/);
      const again = await plane.client.raw('GET', path, { headers: { Accept: kubectlAccept, 'If-None-Match': etag } });
      expect(again.status).toBe(304);
      expect(again.text).toBe('');
      const other = await plane.client.raw('GET', path, { headers: { Accept: kubectlAccept, 'If-None-Match': '"stale"' } });
      expect(other.status).toBe(200);
    }
  });

  it('lists a new CRD as soon as it is established, with a new ETag', async () => {
    const before = await plane.client.raw('GET', '/apis', { headers: { Accept: kubectlAccept } });
    await plane.client.create('/apis/apiextensions.k8s.io/v1/customresourcedefinitions', gadgetLikeCrd('gadgets', 'Gadget', 'gd'));
    const item = await eventually(
      'gadgets in aggregated discovery',
      async () => {
        const res = await plane.client.raw('GET', '/apis', { headers: { Accept: kubectlAccept } });
        return (res.json as GroupDiscoveryList).items.find((i) => i.metadata.name === 'discovery.marina.dev' && i.versions.length === 2);
      },
      10_000,
    );
    // The most stable version first, as Kubernetes orders them.
    expect(item.versions.map((v) => v.version)).toEqual(['v1', 'v1beta1']);
    expect(item.versions[0]!.resources).toEqual([
      {
        resource: 'gadgets',
        responseKind: { group: 'discovery.marina.dev', version: 'v1', kind: 'Gadget' },
        scope: 'Namespaced',
        singularResource: 'gadget',
        verbs: allVerbs,
        shortNames: ['gd'],
        categories: ['all'],
        subresources: [{ subresource: 'status', responseKind: { group: 'discovery.marina.dev', version: 'v1', kind: 'Gadget' }, verbs: ['get', 'patch', 'update'] }],
      },
    ]);
    const after = await plane.client.raw('GET', '/apis', { headers: { Accept: kubectlAccept } });
    expect(after.headers.get('etag')).not.toBe(before.headers.get('etag'));
  });
});

describe('the real kubectl on aggregated discovery', () => {
  /** The rows of a kubectl table as arrays of cells (header included). */
  const rows = (stdout: string) => stdout.trim().split('\n').map((l) => l.trim().split(/\s{2,}/));

  async function run(...args: string[]): Promise<string> {
    const res = await kubectl.get().run(args);
    if (res.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${res.code}: ${res.stderr}`);
    return res.stdout;
  }

  it('api-resources lists every kind with short names, API version, scope and kind, from /api and /apis alone', async () => {
    const table = rows(await run('api-resources'));
    expect(table[0]).toEqual(['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND']);
    expect(table).toContainEqual(['pods', 'po', 'v1', 'true', 'Pod']);
    expect(table).toContainEqual(['namespaces', 'ns', 'v1', 'false', 'Namespace']);
    expect(table).toContainEqual(['deployments', 'deploy', 'apps/v1', 'true', 'Deployment']);
    expect(table).toContainEqual(['cronjobs', 'cj', 'batch/v1', 'true', 'CronJob']);
    expect(table).toContainEqual(['priorityclasses', 'pc', 'scheduling.k8s.io/v1', 'false', 'PriorityClass']);
    expect(table).toContainEqual(['clusterroles', 'rbac.authorization.k8s.io/v1', 'false', 'ClusterRole']);
    // Subresources are not resources of their own.
    expect(table.flat()).not.toContain('pods/log');
    // Aggregated discovery answered: no per-group-version request.
    const discovery = proxy.get().requests.filter((r) => /^\/apis?(\/|\?|$)/.test(r.url));
    expect(discovery.map((r) => r.url.split('?')[0]).sort()).toEqual(['/api', '/apis']);
    expect(discovery.every((r) => r.accept === kubectlAccept)).toBe(true);
  });

  it('api-resources --api-group and api-versions', async () => {
    const apps = rows(await run('api-resources', '--api-group=apps'));
    expect(apps.slice(1).map((r) => r[0]).sort()).toEqual(['controllerrevisions', 'daemonsets', 'deployments', 'replicasets', 'statefulsets']);
    expect(apps.slice(1).every((r) => r.includes('apps/v1'))).toBe(true);
    const versions = (await run('api-versions')).trim().split('\n');
    for (const gv of ['v1', 'apps/v1', 'batch/v1', 'policy/v1', 'rbac.authorization.k8s.io/v1', 'scheduling.k8s.io/v1', 'apiextensions.k8s.io/v1']) expect(versions).toContain(gv);
  });

  it('get resolves short names and the "all" category', async () => {
    await plane.client.create('/api/v1/namespaces/default/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'shorty' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });
    await plane.client.create('/api/v1/namespaces/default/services', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'svc' }, spec: { ports: [{ port: 80 }] } });
    expect(await run('get', 'po', '-o', 'name')).toContain('pod/shorty');
    const all = await run('get', 'all', '-o', 'name');
    expect(all).toContain('pod/shorty');
    expect(all).toContain('service/svc');
    expect(all).not.toContain('configmap');
  });

  it('sees a CRD created after it cached discovery (a cache miss refetches discovery)', async () => {
    expect(await run('get', 'gd')).toBe('');
    await plane.client.create('/apis/apiextensions.k8s.io/v1/customresourcedefinitions', gadgetLikeCrd('sprockets', 'Sprocket', 'spr'));
    await eventually(
      'sprockets served',
      async () => ((await plane.client.raw('GET', '/apis/discovery.marina.dev/v1/namespaces/default/sprockets')).status === 200 ? true : undefined),
      10_000,
    );
    const res = await kubectl.get().run(['get', 'spr']);
    expect(res).toMatchObject({ code: 0, stdout: '' });
    expect(res.stderr).toContain('No resources found in default namespace.');
    const table = rows(await run('api-resources', '--api-group=discovery.marina.dev'));
    expect(table).toContainEqual(['gadgets', 'gd', 'discovery.marina.dev/v1', 'true', 'Gadget']);
    expect(table).toContainEqual(['sprockets', 'spr', 'discovery.marina.dev/v1', 'true', 'Sprocket']);
  });
});
