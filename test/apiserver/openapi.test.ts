/**
 * OpenAPI over HTTP: the /openapi/v3 index and its group-version documents (gvk arrays, merge
 * keys, fieldValidation on every PATCH, strategic merge patch for built-in kinds only, custom
 * resources appearing and disappearing at once), their caching headers, /openapi/v2, and what the
 * real kubectl does with them: explain, create with server-side field validation, apply.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { manifestFile } from '../../api/kinds/testing';
import { useControlPlane } from '../harness/apiserver';
import { useKubectl } from '../harness/kubectl';
import { eventually } from './helpers';

const plane = useControlPlane();
const kubectl = useKubectl(() => plane.url);

type Json = Record<string, unknown>;
interface Operation {
  operationId: string;
  parameters?: { name: string }[];
  requestBody?: { content: Record<string, unknown> };
  'x-kubernetes-group-version-kind'?: { group: string; version: string; kind: string };
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Json & { properties?: Record<string, Json> }> };
}

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${plane.url}${path}`, { headers, redirect: 'manual' });

async function index(): Promise<Record<string, { serverRelativeURL: string }>> {
  const res = await get('/openapi/v3');
  expect(res.status).toBe(200);
  return ((await res.json()) as { paths: Record<string, { serverRelativeURL: string }> }).paths;
}

async function document(groupVersion: string): Promise<Document> {
  const url = (await index())[groupVersion]?.serverRelativeURL;
  if (!url) throw new Error(`${groupVersion} is not in the OpenAPI v3 index`);
  const res = await get(url);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/json');
  return (await res.json()) as Document;
}

function patchOperations(doc: Document): Operation[] {
  return Object.values(doc.paths).flatMap((item) => (item.patch ? [item.patch] : []));
}

function property(doc: Document, component: string, field: string): Json {
  const schema = doc.components.schemas[component]?.properties?.[field];
  if (!schema) throw new Error(`${component}.${field} is not published`);
  return schema;
}

describe('/openapi/v3', () => {
  it('lists every served group-version with a hash, without Cache-Control max-age', async () => {
    const res = await get('/openapi/v3');
    expect(res.headers.get('cache-control') ?? '').not.toMatch(/max-age/);
    expect(res.headers.get('etag')).toMatch(/^"[0-9A-F]{128}"$/);
    const paths = ((await res.json()) as { paths: Record<string, { serverRelativeURL: string }> }).paths;
    expect(Object.keys(paths)).toEqual(expect.arrayContaining(['api/v1', 'apis/apps/v1', 'apis/batch/v1', 'apis/policy/v1', 'apis/apiextensions.k8s.io/v1']));
    expect(paths['apis/apps/v1']!.serverRelativeURL).toMatch(/^\/openapi\/v3\/apis\/apps\/v1\?hash=[0-9A-F]{128}$/);
  });

  it('serves a document by its hash for good, redirects an old hash, and answers 304 to its ETag', async () => {
    const url = (await index())['api/v1']!.serverRelativeURL;
    const current = await get(url);
    expect(current.headers.get('cache-control')).toBe('public, immutable');
    const etag = current.headers.get('etag')!;
    expect(url).toContain(etag.replace(/"/g, ''));
    expect((await get(url, { 'if-none-match': etag })).status).toBe(304);
    const old = await get('/openapi/v3/api/v1?hash=0123');
    expect(old.status).toBe(301);
    expect(old.headers.get('location')).toBe(url);
    const unhashed = await get('/openapi/v3/api/v1');
    expect(unhashed.status).toBe(200);
    expect(unhashed.headers.get('cache-control')).toBeNull();
    expect((await get('/openapi/v3/apis/nothing.example.com/v1')).status).toBe(404);
    expect((await get('/openapi/v3/api/v1', { accept: 'application/com.github.proto-openapi.spec.v3@v1.0+protobuf' })).status).toBe(406);
  });

  it('publishes Pod and Service with their group-version-kind, List kinds, descriptions and merge keys', async () => {
    const core = await document('api/v1');
    const schemas = core.components.schemas;
    expect(schemas['io.k8s.api.core.v1.Pod']!['x-kubernetes-group-version-kind']).toEqual([{ group: '', kind: 'Pod', version: 'v1' }]);
    expect(schemas['io.k8s.api.core.v1.Service']!['x-kubernetes-group-version-kind']).toEqual([{ group: '', kind: 'Service', version: 'v1' }]);
    expect(schemas['io.k8s.api.core.v1.PodList']).toMatchObject({
      'x-kubernetes-group-version-kind': [{ group: '', kind: 'PodList', version: 'v1' }],
      properties: { items: { type: 'array', items: { $ref: '#/components/schemas/io.k8s.api.core.v1.Pod' } } },
    });
    expect(schemas['io.k8s.api.core.v1.Pod']!.description).toMatch(/collection of containers/);
    expect(property(core, 'io.k8s.api.core.v1.Container', 'image')).toMatchObject({ type: 'string', description: expect.stringMatching(/Container image name/) });

    expect(property(core, 'io.k8s.api.core.v1.PodSpec', 'containers')).toMatchObject({ 'x-kubernetes-patch-merge-key': 'name', 'x-kubernetes-patch-strategy': 'merge', 'x-kubernetes-list-type': 'map' });
    expect(property(core, 'io.k8s.api.core.v1.Container', 'ports')).toMatchObject({ 'x-kubernetes-patch-merge-key': 'containerPort', 'x-kubernetes-list-map-keys': ['containerPort', 'protocol'] });
    expect(property(core, 'io.k8s.api.core.v1.Container', 'env')).toMatchObject({ 'x-kubernetes-patch-merge-key': 'name', 'x-kubernetes-patch-strategy': 'merge' });
    expect(property(core, 'io.k8s.api.core.v1.PodSpec', 'volumes')).toMatchObject({ 'x-kubernetes-patch-merge-key': 'name', 'x-kubernetes-patch-strategy': 'merge,retainKeys' });
    expect(property(core, 'io.k8s.api.core.v1.PodSpec', 'tolerations')).toMatchObject({ 'x-kubernetes-list-type': 'atomic' });
    expect(property(core, 'io.k8s.api.core.v1.PodSpec', 'tolerations')['x-kubernetes-patch-merge-key']).toBeUndefined();
    expect(property(core, 'io.k8s.api.core.v1.ServicePort', 'targetPort')).toEqual({
      allOf: [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.util.intstr.IntOrString' }],
      description: expect.any(String),
    });
    expect(schemas['io.k8s.apimachinery.pkg.apis.meta.v1.Status']).toBeDefined();
    expect(schemas['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta']).toBeDefined();
  });

  it('lists fieldValidation on every PATCH, and strategic merge patch on those of built-in kinds', async () => {
    for (const groupVersion of ['api/v1', 'apis/apps/v1']) {
      const patches = patchOperations(await document(groupVersion));
      expect(patches.length).toBeGreaterThan(5);
      for (const op of patches) {
        expect(op.parameters?.map((p) => p.name)).toContain('fieldValidation');
        expect(Object.keys(op.requestBody!.content)).toEqual(expect.arrayContaining(['application/strategic-merge-patch+json', 'application/merge-patch+json', 'application/json-patch+json', 'application/apply-patch+yaml']));
      }
    }
    const apps = await document('apis/apps/v1');
    expect(apps.components.schemas['io.k8s.api.apps.v1.Deployment']!['x-kubernetes-group-version-kind']).toEqual([{ group: 'apps', kind: 'Deployment', version: 'v1' }]);
    expect(apps.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}']!.patch).toMatchObject({
      operationId: 'patchAppsV1NamespacedDeployment',
      'x-kubernetes-group-version-kind': { group: 'apps', kind: 'Deployment', version: 'v1' },
    });
  });

  it('publishes a custom resource as soon as its CRD is served, and forgets it when deleted', async () => {
    const crd = manifestFile('customresourcedefinition/shirt-resource-definition.yaml')[0] as Json;
    expect((await plane.client.raw('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', { body: crd })).status).toBe(201);
    await eventually('shirts in the OpenAPI index', async () => ((await index())['apis/stable.example.com/v1'] ? true : undefined), 10_000);
    // Served means published: the resource and its document come together.
    expect((await plane.client.raw('GET', '/apis/stable.example.com/v1/namespaces/default/shirts')).status).toBe(200);

    const doc = await document('apis/stable.example.com/v1');
    const shirt = doc.components.schemas['com.example.stable.v1.Shirt']!;
    expect(shirt['x-kubernetes-group-version-kind']).toEqual([{ group: 'stable.example.com', kind: 'Shirt', version: 'v1' }]);
    expect(shirt.properties!.spec).toMatchObject({ type: 'object', properties: { color: { type: 'string' }, size: { type: 'string' } } });
    expect(doc.components.schemas['com.example.stable.v1.ShirtList']!['x-kubernetes-group-version-kind']).toEqual([{ group: 'stable.example.com', kind: 'ShirtList', version: 'v1' }]);
    const patches = patchOperations(doc);
    expect(patches.length).toBeGreaterThan(0);
    for (const op of patches) {
      expect(op.parameters?.map((p) => p.name)).toContain('fieldValidation');
      expect(Object.keys(op.requestBody!.content)).not.toContain('application/strategic-merge-patch+json');
    }

    const explained = await kubectl.get().run(['explain', 'shirts.spec']);
    expect(explained.stderr).toBe('');
    expect(explained.stdout).toContain('KIND:       Shirt');
    expect(explained.stdout).toMatch(/color\s+<string>/);

    expect((await plane.client.raw('DELETE', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/shirts.stable.example.com')).status).toBe(200);
    await eventually('shirts gone from the OpenAPI index', async () => ((await index())['apis/stable.example.com/v1'] ? undefined : true), 10_000);
    expect((await get('/openapi/v3/apis/stable.example.com/v1')).status).toBe(404);
  });
});

describe('/openapi/v2', () => {
  it('is one Swagger 2.0 JSON document, even when protobuf is asked for', async () => {
    const res = await get('/openapi/v2', { accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    const doc = (await res.json()) as { swagger: string; paths: Record<string, Record<string, Json>>; definitions: Record<string, Json & { properties: Record<string, Json> }> };
    expect(doc.swagger).toBe('2.0');
    expect(doc.definitions['io.k8s.api.core.v1.Pod']!['x-kubernetes-group-version-kind']).toEqual([{ group: '', kind: 'Pod', version: 'v1' }]);
    expect(doc.definitions['io.k8s.api.core.v1.Pod']!.properties.spec).toMatchObject({ $ref: '#/definitions/io.k8s.api.core.v1.PodSpec' });
    const patch = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}']!.patch!;
    expect(patch.consumes).toEqual(expect.arrayContaining(['application/strategic-merge-patch+json', 'application/merge-patch+json']));
    expect(patch['x-kubernetes-group-version-kind']).toEqual({ group: 'apps', kind: 'Deployment', version: 'v1' });
  });
});

describe('the real kubectl', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'marina-openapi-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const manifest = async (name: string, text: string) => {
    const file = join(dir, name);
    await writeFile(file, text);
    return file;
  };

  it('explains fields from the v3 documents', async () => {
    const containers = await kubectl.get().run(['explain', 'pod.spec.containers']);
    expect(containers.code).toBe(0);
    expect(containers.stdout).toContain('FIELD: containers <[]Container>');
    expect(containers.stdout).toContain('List of containers belonging to the pod.');
    expect(containers.stdout).toMatch(/\n  image\t<string>\n\s+Container image name\./);
    expect(containers.stdout).toMatch(/\n  ports\t<\[\]ContainerPort>/);

    const strategy = await kubectl.get().run(['explain', 'deployment.spec.strategy']);
    expect(strategy.code).toBe(0);
    expect(strategy.stdout).toContain('GROUP:      apps');
    expect(strategy.stdout).toContain('FIELD: strategy <DeploymentStrategy>');
    expect(strategy.stdout).toMatch(/rollingUpdate\t<RollingUpdateDeployment>/);
    expect(strategy.stdout).toMatch(/type\t<string>\n\s+enum: Recreate, RollingUpdate/);
  });

  it('creates a pod, leaving field validation to the server (fieldValidation=Strict)', async () => {
    const file = await manifest('pod.yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: openapi-pod\nspec:\n  containers:\n  - name: app\n    image: busybox\n');
    const created = await kubectl.get().run(['create', '-f', file, '-v=6']);
    expect(created.code).toBe(0);
    expect(created.stdout).toContain('pod/openapi-pod created');
    expect(created.stderr).toMatch(/GET http:\/\/[^ ]+\/openapi\/v3\/api\/v1\?hash=[0-9A-F]+\S* 200 OK/);
    expect(created.stderr).toMatch(/POST http:\/\/[^ ]+\/api\/v1\/namespaces\/default\/pods\?fieldManager=kubectl-create&fieldValidation=Strict 201 Created/);
  });

  it('fails to create an object with an unknown field, with the strict decoding error', async () => {
    const file = await manifest('bad.yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: openapi-bad\nspec:\n  foo: 1\n  containers:\n  - name: app\n    image: busybox\n');
    const result = await kubectl.get().run(['create', '-f', file]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/Error from server \(BadRequest\): .*unknown field "spec\.foo"/);
    expect((await plane.client.raw('GET', '/api/v1/namespaces/default/pods/openapi-bad')).status).toBe(404);
  });

  it('applies the website nginx Deployment (first apply creates it)', async () => {
    const applied = await kubectl.get().run(['apply', '-f', 'test/fixtures/manifests/k8s-website/controllers/nginx-deployment.yaml']);
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain('deployment.apps/nginx-deployment created');
    const res = await plane.client.raw('GET', '/apis/apps/v1/namespaces/default/deployments/nginx-deployment');
    expect(res.status).toBe(200);
    const annotations = (res.json as { metadata: { annotations?: Record<string, string> } }).metadata.annotations ?? {};
    expect(annotations['kubectl.kubernetes.io/last-applied-configuration']).toContain('"nginx:1.14.2"');
  });

  it('computes the next apply as a strategic merge patch from the v3 schemas (merge keys, element order)', async () => {
    // Only the patch kubectl sends is checked here: applying it is the server's strategic merge patch.
    const original = 'test/fixtures/manifests/k8s-website/controllers/nginx-deployment.yaml';
    const file = await manifest('nginx-deployment.yaml', (await readFile(original, 'utf8')).replace('containerPort: 80', 'containerPort: 8080'));
    const applied = await kubectl.get().run(['apply', '-f', file, '-v=9']);
    expect(applied.stderr).not.toContain('error calculating patch');
    expect(applied.stderr).toContain('-H "Content-Type: application/strategic-merge-patch+json"');
    const body = /"Request Body" body="(\{\\"metadata.*)"\n/.exec(applied.stderr)?.[1]?.replace(/\\"/g, '"').replace(/\\\\/g, '\\');
    const patch = JSON.parse(body ?? '{}') as { spec?: { template?: { spec?: Json } } };
    expect(patch.spec?.template?.spec).toEqual({
      '$setElementOrder/containers': [{ name: 'nginx' }],
      containers: [{ '$setElementOrder/ports': [{ containerPort: 8080 }], name: 'nginx', ports: [{ containerPort: 8080 }, { $patch: 'delete', containerPort: 80 }] }],
    });
  });
});
