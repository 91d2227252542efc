import type { CustomResourceDefinition } from '../../../api/kinds/apiextensions/customResourceDefinition';
import type { JsonObject } from '../../../api/schema/openapi';
import { builtinResources } from '../../builtinResources';
import { customResourceKind, customResourceStrategy } from '../../crd/customResourceKind';
import type { ResourceRegistry } from '../../registry/resourceRegistry';
import type { ResourceStore } from '../../registry/store';
import { buildV2, buildV3, OpenApiDocuments } from './documents';
import { publishedKind } from './kindSchemas';
import { operationNaming } from './operations';

/** Stores as the generator sees them: a kind and its strategy. */
const builtins = builtinResources().map((r) => ({ kind: r.kind, strategy: r.strategy }) as unknown as ResourceStore);
const inGroup = (group: string) => builtins.filter((s) => s.kind.group === group);

const crd: CustomResourceDefinition = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'crontabs.stable.example.com' },
  spec: {
    group: 'stable.example.com',
    scope: 'Namespaced',
    names: { plural: 'crontabs', singular: 'crontab', kind: 'CronTab', listKind: 'CronTabList' },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        subresources: { status: {}, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' } },
        schema: {
          openAPIV3Schema: {
            type: 'object',
            description: 'A cron tab.',
            properties: {
              spec: {
                type: 'object',
                properties: {
                  cronSpec: { type: 'string', pattern: '^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$', description: 'When to run.' },
                  replicas: { type: 'integer', minimum: 0 },
                  port: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] },
                },
              },
              status: { type: 'object', properties: { replicas: { type: 'integer' } } },
            },
          },
        },
      },
    ],
  },
};

function crdStore(spec: CustomResourceDefinition = crd): ResourceStore {
  const kind = customResourceKind(spec, spec.spec.versions[0]!, spec.spec.names);
  return { kind, strategy: customResourceStrategy(kind, { terminating: false }) } as unknown as ResourceStore;
}

type Doc = { paths: Record<string, Record<string, JsonObject>>; components: { schemas: Record<string, JsonObject> } };
const core = buildV3(inGroup('')) as unknown as Doc;
const apps = buildV3(inGroup('apps')) as unknown as Doc;
const custom = buildV3([crdStore()]) as unknown as Doc;

function operations(doc: Doc): { path: string; method: string; op: JsonObject }[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => method !== 'parameters')
      .map(([method, op]) => ({ path, method, op })),
  );
}

const parameterNames = (op: JsonObject) => ((op.parameters ?? []) as { name: string }[]).map((p) => p.name);
const contentTypes = (op: JsonObject) => Object.keys((op.requestBody as { content: object }).content);

describe('operation names', () => {
  it('follow Kubernetes: verb, group without .k8s.io, version, then the rest', () => {
    expect(operationNaming({ group: '', version: 'v1' }).id('read', 'NamespacedPod')).toBe('readCoreV1NamespacedPod');
    expect(operationNaming({ group: 'rbac.authorization.k8s.io', version: 'v1' })).toMatchObject({ tag: 'rbacAuthorization_v1' });
    expect(operationNaming({ group: 'rbac.authorization.k8s.io', version: 'v1' }).id('patch', 'ClusterRole')).toBe('patchRbacAuthorizationV1ClusterRole');
    expect(operationNaming({ group: 'stable.example.com', version: 'v1beta1' }).id('list', 'CronTab')).toBe('listStableExampleComV1beta1CronTab');
  });
});

describe('the v3 document of core/v1', () => {
  const pod = '/api/v1/namespaces/{namespace}/pods/{name}';

  it('has every operation of pods, with its id, action and group-version-kind', () => {
    const ids = (path: string) => Object.fromEntries(Object.entries(core.paths[path]!).filter(([m]) => m !== 'parameters').map(([m, op]) => [m, op.operationId]));
    expect(ids('/api/v1/namespaces/{namespace}/pods')).toEqual({ get: 'listCoreV1NamespacedPod', post: 'createCoreV1NamespacedPod', delete: 'deleteCoreV1CollectionNamespacedPod' });
    expect(ids(pod)).toEqual({ get: 'readCoreV1NamespacedPod', put: 'replaceCoreV1NamespacedPod', patch: 'patchCoreV1NamespacedPod', delete: 'deleteCoreV1NamespacedPod' });
    expect(ids('/api/v1/pods')).toEqual({ get: 'listCoreV1PodForAllNamespaces' });
    expect(ids('/api/v1/watch/namespaces/{namespace}/pods/{name}')).toEqual({ get: 'watchCoreV1NamespacedPod' });
    expect(ids(`${pod}/status`)).toEqual({ get: 'readCoreV1NamespacedPodStatus', put: 'replaceCoreV1NamespacedPodStatus', patch: 'patchCoreV1NamespacedPodStatus' });
    expect(ids(`${pod}/binding`)).toEqual({ post: 'createCoreV1NamespacedPodBinding' });
    expect(ids(`${pod}/eviction`)).toEqual({ post: 'createCoreV1NamespacedPodEviction' });
    expect(ids(`${pod}/exec`)).toEqual({ get: 'connectCoreV1GetNamespacedPodExec', post: 'connectCoreV1PostNamespacedPodExec' });
    expect(ids(`${pod}/log`)).toEqual({ get: 'readCoreV1NamespacedPodLog' });
    expect(ids('/api/v1/namespaces/{name}/finalize')).toEqual({ put: 'replaceCoreV1NamespaceFinalize' });
    expect(core.paths[pod]!.patch).toMatchObject({ 'x-kubernetes-action': 'patch', 'x-kubernetes-group-version-kind': { group: '', kind: 'Pod', version: 'v1' }, tags: ['core_v1'] });
    expect(core.paths[pod]!.parameters).toEqual([
      expect.objectContaining({ name: 'name', in: 'path', required: true, description: 'name of the Pod' }),
      expect.objectContaining({ name: 'namespace', in: 'path', required: true }),
      expect.objectContaining({ name: 'pretty', in: 'query' }),
    ]);
  });

  it('gives each action its query parameters', () => {
    const list = core.paths['/api/v1/namespaces/{namespace}/pods']!.get!;
    expect(parameterNames(list)).toEqual(expect.arrayContaining(['labelSelector', 'fieldSelector', 'limit', 'continue', 'resourceVersion', 'resourceVersionMatch', 'sendInitialEvents', 'timeoutSeconds', 'allowWatchBookmarks', 'watch']));
    expect(parameterNames(core.paths[pod]!.patch!)).toEqual(['dryRun', 'fieldManager', 'fieldValidation', 'force']);
    expect(parameterNames(core.paths[pod]!.delete!)).toEqual(['dryRun', 'gracePeriodSeconds', 'orphanDependents', 'propagationPolicy']);
    expect(((core.paths['/api/v1/pods']!.parameters ?? []) as unknown as { name: string }[]).map((p) => p.name)).toContain('watch');
  });

  it('answers pods/log as text, exec as a connect action, eviction with a policy/v1 Eviction', () => {
    expect(core.paths[`${pod}/log`]!.get!.responses).toMatchObject({ '200': { content: { 'text/plain': { schema: { type: 'string' } } } } });
    expect(core.paths[`${pod}/exec`]!.get).toMatchObject({ 'x-kubernetes-action': 'connect', 'x-kubernetes-group-version-kind': { kind: 'PodExecOptions' } });
    expect(((core.paths[`${pod}/exec`]!.parameters ?? []) as unknown as { name: string }[]).map((p) => p.name)).toEqual(['command', 'container', 'name', 'namespace', 'pretty', 'stderr', 'stdin', 'stdout', 'tty']);
    expect(core.paths[`${pod}/eviction`]!.post).toMatchObject({
      requestBody: { content: { '*/*': { schema: { $ref: '#/components/schemas/io.k8s.api.policy.v1.Eviction' } } } },
      'x-kubernetes-group-version-kind': { group: 'policy', kind: 'Eviction', version: 'v1' },
    });
  });

  it('answers DELETE with the object for kinds that return it, with a Status otherwise', () => {
    const schemaOf = (path: string) => (core.paths[path]!.delete!.responses as Record<string, { content: Record<string, { schema: unknown }> }>)['200']!.content['application/json']!.schema;
    expect(schemaOf(pod)).toEqual({ $ref: '#/components/schemas/io.k8s.api.core.v1.Pod' });
    expect(schemaOf('/api/v1/namespaces/{namespace}/configmaps/{name}')).toEqual({ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Status' });
  });

  it('has the List kinds, with their group-version-kind and items', () => {
    expect(core.components.schemas['io.k8s.api.core.v1.PodList']).toMatchObject({
      'x-kubernetes-group-version-kind': [{ group: '', kind: 'PodList', version: 'v1' }],
      required: ['items'],
      properties: { items: { type: 'array', items: { $ref: '#/components/schemas/io.k8s.api.core.v1.Pod' } } },
    });
    expect(core.paths['/api/v1/namespaces/{namespace}/pods']!.get!.responses).toMatchObject({
      '200': { content: { 'application/json': { schema: { $ref: '#/components/schemas/io.k8s.api.core.v1.PodList' } } } },
    });
  });

  it('defines every component it refers to', () => {
    for (const doc of [core, apps, custom]) {
      const refs = new Set<string>();
      const walk = (value: unknown): void => {
        if (Array.isArray(value)) value.forEach(walk);
        else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) k === '$ref' ? refs.add(v as string) : walk(v);
      };
      walk(doc);
      const missing = [...refs].filter((ref) => !doc.components.schemas[ref.replace('#/components/schemas/', '')]);
      expect(missing).toEqual([]);
      expect(doc.components.schemas['io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions']).toBeDefined();
    }
  });
});

describe('PATCH, PUT and POST operations', () => {
  const all = [...new Set(builtins.map((s) => s.kind.group))].map((group) => buildV3(inGroup(group)) as unknown as Doc);

  it('take fieldValidation, every one of them (kubectl then lets the server validate)', () => {
    const writes = [...all, custom].flatMap(operations).filter(({ method, op }) => ['patch', 'put'].includes(method) || (method === 'post' && op['x-kubernetes-action'] === 'post'));
    expect(writes.length).toBeGreaterThan(100);
    expect(writes.filter(({ op }) => !parameterNames(op).includes('fieldValidation')).map(({ path, method }) => `${method} ${path}`)).toEqual([]);
  });

  it('accept strategic merge patch for built-in kinds only', () => {
    const builtinPatches = all.flatMap(operations).filter(({ method }) => method === 'patch');
    for (const { op } of builtinPatches) {
      expect(contentTypes(op)).toEqual(['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml']);
    }
    const customPatches = operations(custom).filter(({ method }) => method === 'patch');
    expect(customPatches.map(({ path }) => path.split('/').pop())).toEqual(['{name}', 'scale', 'status']);
    for (const { op } of customPatches) expect(contentTypes(op)).toEqual(['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml']);
  });

  it('read and write scale as autoscaling/v1 Scale', () => {
    const scale = apps.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale']!;
    expect(scale.patch).toMatchObject({ operationId: 'patchAppsV1NamespacedDeploymentScale', 'x-kubernetes-group-version-kind': { group: 'autoscaling', kind: 'Scale', version: 'v1' } });
    expect(scale.get!.responses).toMatchObject({ '200': { content: { 'application/json': { schema: { $ref: '#/components/schemas/io.k8s.api.autoscaling.v1.Scale' } } } } });
  });
});

describe('custom resources', () => {
  const schemas = custom.components.schemas;

  it('are published under the reversed group, with their group-version-kind, description and keywords', () => {
    expect(publishedKind(crdStore().kind).gvk).toEqual({ group: 'stable.example.com', version: 'v1', kind: 'CronTab' });
    const cronTab = schemas['com.example.stable.v1.CronTab']!;
    expect(cronTab).toMatchObject({ description: 'A cron tab.', type: 'object', 'x-kubernetes-group-version-kind': [{ group: 'stable.example.com', kind: 'CronTab', version: 'v1' }] });
    const props = cronTab.properties as Record<string, JsonObject>;
    expect(props.metadata).toEqual({ allOf: [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' }], description: expect.stringMatching(/^Standard object's metadata/) });
    expect((props.spec!.properties as Record<string, JsonObject>).cronSpec).toMatchObject({ type: 'string', description: 'When to run.', pattern: expect.any(String) });
    expect((props.spec!.properties as Record<string, JsonObject>).replicas).toMatchObject({ type: 'integer', minimum: 0 });
    expect((props.spec!.properties as Record<string, JsonObject>).port).toEqual({ 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] });
    expect(schemas['com.example.stable.v1.CronTabList']).toMatchObject({
      'x-kubernetes-group-version-kind': [{ group: 'stable.example.com', kind: 'CronTabList', version: 'v1' }],
      properties: { items: { items: { $ref: '#/components/schemas/com.example.stable.v1.CronTab' } } },
    });
    expect(custom.paths['/apis/stable.example.com/v1/namespaces/{namespace}/crontabs/{name}']!.get!.operationId).toBe('readStableExampleComV1NamespacedCronTab');
  });
});

describe('the v2 document', () => {
  const v2 = buildV2([...builtins, crdStore()]) as unknown as { swagger: string; paths: Record<string, Record<string, JsonObject>>; definitions: Record<string, JsonObject> };

  it('is Swagger 2.0 with definitions, body parameters and consumes', () => {
    expect(v2.swagger).toBe('2.0');
    expect(v2.definitions['io.k8s.api.apps.v1.Deployment']!['x-kubernetes-group-version-kind']).toEqual([{ group: 'apps', kind: 'Deployment', version: 'v1' }]);
    expect((v2.definitions['io.k8s.api.apps.v1.Deployment']!.properties as Record<string, JsonObject>).spec).toMatchObject({ $ref: '#/definitions/io.k8s.api.apps.v1.DeploymentSpec' });
    const patch = v2.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}']!.patch!;
    expect(patch.consumes).toContain('application/strategic-merge-patch+json');
    expect(patch.parameters).toEqual(expect.arrayContaining([{ in: 'body', name: 'body', required: true, schema: { $ref: '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Patch' } }]));
    expect(parameterNames(patch)).toContain('fieldValidation');
    expect(v2.paths['/apis/stable.example.com/v1/namespaces/{namespace}/crontabs/{name}']!.patch!.consumes).not.toContain('application/strategic-merge-patch+json');
  });
});

describe('OpenApiDocuments', () => {
  let stores: ResourceStore[] = [...builtins];
  const registry = { all: () => stores } as unknown as ResourceRegistry;
  const documents = new OpenApiDocuments(registry);
  const index = () => JSON.parse(documents.v3Index().json) as { paths: Record<string, { serverRelativeURL: string }> };

  it('lists every group-version with the hash of its document', () => {
    const paths = index().paths;
    expect(Object.keys(paths)).toEqual(expect.arrayContaining(['api/v1', 'apis/apps/v1', 'apis/batch/v1', 'apis/rbac.authorization.k8s.io/v1', 'apis/apiextensions.k8s.io/v1']));
    const doc = documents.v3('apis/apps/v1')!;
    expect(doc.hash).toMatch(/^[0-9A-F]{128}$/);
    expect(paths['apis/apps/v1']!.serverRelativeURL).toBe(`/openapi/v3/apis/apps/v1?hash=${doc.hash}`);
    expect(documents.v3('apis/nothing/v1')).toBeUndefined();
  });

  it('keeps documents until their resources change, and rebuilds only those', () => {
    const before = { core: documents.v3('api/v1'), index: documents.v3Index(), v2: documents.v2() };
    expect(documents.v3('api/v1')).toBe(before.core);
    expect(documents.v3Index()).toBe(before.index);
    expect(documents.v2()).toBe(before.v2);

    stores = [...builtins, crdStore()];
    expect(index().paths['apis/stable.example.com/v1']).toBeDefined();
    expect(documents.v3('api/v1')).toBe(before.core);
    expect(documents.v3Index()).not.toBe(before.index);
    expect(documents.v2()).not.toBe(before.v2);

    // An updated CRD is a new store: its document changes.
    const first = documents.v3('apis/stable.example.com/v1')!;
    const changed = structuredClone(crd);
    changed.spec.versions[0]!.schema!.openAPIV3Schema!.description = 'Another description.';
    stores = [...builtins, crdStore(changed)];
    expect(documents.v3('apis/stable.example.com/v1')!.hash).not.toBe(first.hash);

    stores = [...builtins];
    expect(index().paths['apis/stable.example.com/v1']).toBeUndefined();
    expect(documents.v3('apis/stable.example.com/v1')).toBeUndefined();
  });
});
