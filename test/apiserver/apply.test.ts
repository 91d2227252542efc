/**
 * Server-side apply over HTTP (PATCH with application/apply-patch+yaml) and with the real kubectl:
 * create when absent, merge by the schema's list and map types, removal of what a manager stops
 * applying, conflicts with other managers (409 with Kubernetes' message and causes), force, no-op
 * applies, dry runs, strictness, custom resources, /status and /scale.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { RawResponse } from '../../client/restClient';
import { useControlPlane } from '../harness/apiserver';
import { useKubectl } from '../harness/kubectl';
import { deploymentBody, expectOk, objectVerbs, withoutWrites, type LooseObj } from './crudHelpers';
import { eventually, expectStatus, resourcePath, uniqueName } from './helpers';

const plane = useControlPlane();
const kubectl = useKubectl(() => plane.url);
const verbs = objectVerbs(plane);
const configMaps = resourcePath('/api/v1', 'configmaps');
const deployments = resourcePath('/apis/apps/v1', 'deployments');

interface Entry {
  manager?: string;
  operation: string;
  apiVersion: string;
  time?: string;
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}
const entriesOf = (obj: LooseObj): Entry[] => (obj.metadata as { managedFields?: Entry[] }).managedFields ?? [];
const fieldsOf = (obj: LooseObj, manager: string, subresource?: string) => entriesOf(obj).find((e) => e.manager === manager && e.subresource === subresource)?.fieldsV1;

/** PATCH with the apply content type; `body` is sent as YAML unless it is a string already. */
function apply(path: string, body: unknown, query: Record<string, string> = { fieldManager: 'kubectl' }): Promise<RawResponse> {
  return plane.client.raw('PATCH', path, { rawBody: typeof body === 'string' ? body : stringify(body), contentType: 'application/apply-patch+yaml', query });
}

const configMap = (name: string, data: Record<string, string>, labels?: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, ...(labels ? { labels } : {}) },
  data,
});

describe('server-side apply over HTTP', () => {
  it('requires a field manager (422, as Kubernetes validates PatchOptions)', async () => {
    const status = expectStatus(await apply(configMaps('x'), configMap('x', {}), {}), 422, 'Invalid');
    expect(status.message).toBe('PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch');
  });

  it('creates the object (201), then merges; an apply that changes nothing writes nothing', async () => {
    const name = uniqueName('cm');
    const created = expectOk(await apply(configMaps(name), configMap(name, { a: '1' }, { app: 'x' })), 201);
    expect(entriesOf(created)).toEqual([
      { manager: 'kubectl', operation: 'Apply', apiVersion: 'v1', time: expect.any(String), fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { 'f:a': {} }, 'f:metadata': { 'f:labels': { 'f:app': {} } } } },
    ]);
    const again = await withoutWrites(plane, async () => expectOk(await apply(configMaps(name), JSON.stringify(configMap(name, { a: '1' }, { app: 'x' }))), 200));
    expect(again.metadata.resourceVersion).toBe(created.metadata.resourceVersion);
    expect(again).toEqual(created);
  });

  it('removes what the manager no longer applies, unless another manager owns it too', async () => {
    const name = uniqueName('cm');
    expectOk(await apply(configMaps(name), configMap(name, { a: '1', b: '2', c: '3' })), 201);
    await verbs.mergePatch(configMaps(name), { data: { c: '33' } }, { fieldManager: 'editor' });
    const applied = expectOk(await apply(configMaps(name), configMap(name, { a: '1' })), 200);
    expect(applied.data).toEqual({ a: '1', c: '33' });
    expect(fieldsOf(applied, 'kubectl')).toEqual({ 'f:data': { 'f:a': {} } });
  });

  it('merges list-type maps by key: each manager owns its own container', async () => {
    const name = uniqueName('deploy');
    expectOk(await apply(deployments(name), deploymentBody(name, 1)), 201);
    const sidecar = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name },
      spec: { template: { spec: { containers: [{ name: 'sidecar', image: 'busybox' }] } } },
    };
    const merged = expectOk(await apply(deployments(name), sidecar, { fieldManager: 'injector' }), 200);
    expect(merged.spec.template.spec.containers.map((c: { name: string }) => c.name)).toEqual(['web', 'sidecar']);
    expect(fieldsOf(merged, 'injector')).toEqual({
      'f:spec': { 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"sidecar"}': { '.': {}, 'f:image': {}, 'f:name': {} } } } } },
    });
    expect(merged.metadata.generation).toBe(2);
  });

  it('answers 409 when it would change a field another manager owns, and takes it with force=true', async () => {
    const name = uniqueName('deploy');
    await verbs.create(deployments(), deploymentBody(name, 1), { fieldManager: 'kubectl-client-side-apply' });
    const status = expectStatus(await apply(deployments(name), deploymentBody(name, 3)), 409, 'Conflict');
    expect(status.message).toBe('Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas');
    expect(status.details?.causes).toEqual([{ reason: 'FieldManagerConflict', message: 'conflict with "kubectl-client-side-apply" using apps/v1', field: '.spec.replicas' }]);

    const forced = expectOk(await apply(deployments(name), deploymentBody(name, 3), { fieldManager: 'kubectl', force: 'true' }), 200);
    expect(forced.spec.replicas).toBe(3);
    expect(fieldsOf(forced, 'kubectl')).toEqual(expect.objectContaining({ 'f:spec': expect.objectContaining({ 'f:replicas': {} }) }));
    expect(fieldsOf(forced, 'kubectl-client-side-apply')!['f:spec']).not.toHaveProperty('f:replicas');
  });

  it("lets kubectl take over what its client-side apply annotation says it applied, and keeps the annotation in step", async () => {
    const name = uniqueName('deploy');
    const annotation = 'kubectl.kubernetes.io/last-applied-configuration';
    const body = deploymentBody(name, 1);
    const csa = { ...body, metadata: { ...body.metadata, annotations: { [annotation]: JSON.stringify(body) } } };
    await verbs.create(deployments(), csa, { fieldManager: 'kubectl-client-side-apply' });
    // Another manager still conflicts with the client-side applier...
    expectStatus(await apply(deployments(name), deploymentBody(name, 3), { fieldManager: 'other' }), 409, 'Conflict');
    // ...but kubectl itself takes the fields it applied client-side.
    const taken = expectOk(await apply(deployments(name), deploymentBody(name, 3)), 200);
    expect(taken.spec.replicas).toBe(3);
    expect(JSON.parse(taken.metadata.annotations![annotation]!).spec.replicas).toBe(3);
  });

  it('lists every conflict, grouped by manager', async () => {
    const name = uniqueName('deploy');
    await verbs.create(deployments(), deploymentBody(name, 1, 'nginx:1'), { fieldManager: 'creator' });
    const status = expectStatus(await apply(deployments(name), deploymentBody(name, 2, 'nginx:2'), { fieldManager: 'kubectl', force: 'false' }), 409, 'Conflict');
    expect(status.message).toBe(
      'Apply failed with 2 conflicts: conflicts with "creator" using apps/v1:\n- .spec.replicas\n- .spec.template.spec.containers[name="web"].image',
    );
    expect(status.details?.causes?.map((c) => c.field)).toEqual(['.spec.replicas', '.spec.template.spec.containers[name="web"].image']);
  });

  it('does not persist a dry run', async () => {
    const name = uniqueName('cm');
    const dry = expectOk(await apply(configMaps(name), configMap(name, { a: '1' }), { fieldManager: 'kubectl', dryRun: 'All' }), 201);
    expect(dry.data).toEqual({ a: '1' });
    expectStatus(await plane.client.raw('GET', configMaps(name)), 404, 'NotFound');
    expectOk(await apply(configMaps(name), configMap(name, { a: '1' })), 201);
    const dryUpdate = await withoutWrites(plane, async () => expectOk(await apply(configMaps(name), configMap(name, { a: '2' }), { fieldManager: 'kubectl', dryRun: 'All' }), 200));
    expect(dryUpdate.data).toEqual({ a: '2' });
    expect((await verbs.get(configMaps(name))).data).toEqual({ a: '1' });
  });

  it.each([
    ['a field outside the schema', { ...configMap('bad', {}), spec: { x: 1 } }, 'failed to create typed patch object (default/bad; /v1, Kind=ConfigMap): .spec: field not declared in schema'],
    ['another kind', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'bad' } }, 'invalid object type: /v1, Kind=Secret'],
    ['no apiVersion', { kind: 'ConfigMap', metadata: { name: 'bad' } }, 'invalid object type: /, Kind=ConfigMap'],
    ['managedFields', { ...configMap('bad', {}), metadata: { name: 'bad', managedFields: [] } }, 'metadata.managedFields must be nil'],
    ['another name', configMap('other', {}), 'the name of the object (other) does not match the name on the URL (bad)'],
  ])('refuses %s (400)', async (_what, body, message) => {
    const status = expectStatus(await apply(configMaps('bad'), body, { fieldManager: 'kubectl', fieldValidation: 'Strict' }), 400, 'BadRequest');
    expect(status.message).toBe(message);
  });

  it('refuses a list item it cannot identify, and checks the merged object', async () => {
    const name = uniqueName('deploy');
    const noName = { ...deploymentBody(name), spec: { ...deploymentBody(name).spec, template: { metadata: { labels: { app: name } }, spec: { containers: [{ image: 'x' }] } } } };
    const status = expectStatus(await apply(deployments(name), noName), 400, 'BadRequest');
    expect(status.message).toContain('.spec.template.spec.containers: element 0: associative list with keys has an element that omits key field "name"');
    // Created by apply, a Deployment still needs its selector.
    const invalid = expectStatus(await apply(deployments(name), { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name }, spec: { replicas: 1 } }), 422, 'Invalid');
    expect(invalid.message).toContain('spec.selector: Required value');
  });

  it('takes resourceVersion as a precondition', async () => {
    const name = uniqueName('cm');
    const created = expectOk(await apply(configMaps(name), configMap(name, { a: '1' })), 201);
    await verbs.mergePatch(configMaps(name), { data: { b: '2' } });
    const stale = { ...configMap(name, { a: '3' }), metadata: { name, resourceVersion: created.metadata.resourceVersion } };
    expectStatus(await apply(configMaps(name), stale), 409, 'Conflict');
  });

  it('applies to status (only status, under subresource status) and to scale', async () => {
    const name = uniqueName('deploy');
    expectOk(await apply(`${deployments(name)}/status`, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name }, status: { replicas: 1 } }), 404);
    expectOk(await apply(deployments(name), deploymentBody(name, 2)), 201);
    const statusBody = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name }, spec: { replicas: 7 }, status: { replicas: 2, readyReplicas: 1 } };
    const withStatus = expectOk(await apply(`${deployments(name)}/status`, statusBody, { fieldManager: 'controller' }), 200);
    expect(withStatus.status).toEqual(expect.objectContaining({ replicas: 2, readyReplicas: 1 }));
    expect(withStatus.spec.replicas).toBe(2);
    expect(fieldsOf(withStatus, 'controller', 'status')).toEqual({ 'f:status': { 'f:readyReplicas': {}, 'f:replicas': {} } });

    const scale = { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name }, spec: { replicas: 5 } };
    const conflict = expectStatus(await apply(`${deployments(name)}/scale`, scale, { fieldManager: 'hpa' }), 409, 'Conflict');
    expect(conflict.message).toBe('Apply failed with 1 conflict: conflict with "kubectl": .spec.replicas');
    const scaled = expectOk(await apply(`${deployments(name)}/scale`, scale, { fieldManager: 'hpa', force: 'true' }), 200);
    expect(scaled).toEqual(expect.objectContaining({ kind: 'Scale', spec: { replicas: 5 } }));
    const deployment = await verbs.get(deployments(name));
    expect(deployment.spec.replicas).toBe(5);
    expect(fieldsOf(deployment, 'hpa', 'scale')).toEqual({ 'f:spec': { 'f:replicas': {} } });
    expect(entriesOf(deployment).find((e) => e.manager === 'hpa')).toEqual(expect.objectContaining({ operation: 'Apply', apiVersion: 'apps/v1' }));
  });
});

describe('server-side apply of custom resources', () => {
  const crd = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'gadgets.apply.example.com' },
    spec: {
      group: 'apply.example.com',
      scope: 'Namespaced',
      names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget' },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          subresources: { status: {} },
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                spec: {
                  type: 'object',
                  properties: {
                    size: { type: 'integer' },
                    parts: { type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['id'], items: { type: 'object', required: ['id'], properties: { id: { type: 'string' }, color: { type: 'string' } } } },
                    free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
                  },
                },
                status: { type: 'object', properties: { ready: { type: 'boolean' } } },
              },
            },
          },
        },
      ],
    },
  };
  const gadgets = resourcePath('/apis/apply.example.com/v1', 'gadgets');
  const gadget = (name: string, spec: Record<string, unknown>) => ({ apiVersion: 'apply.example.com/v1', kind: 'Gadget', metadata: { name }, spec });

  beforeAll(async () => {
    expectOk(await plane.client.raw('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', { body: crd }), 201);
    await eventually('gadgets served', async () => ((await plane.client.raw('GET', gadgets())).status === 200 ? true : undefined), 10_000);
  });

  it('creates, merges list-type maps by key, and conflicts like built-in kinds', async () => {
    const name = uniqueName('g');
    expectOk(await apply(gadgets(name), gadget(name, { size: 1, parts: [{ id: 'a', color: 'red' }], free: { x: { y: 1 } } })), 201);
    const merged = expectOk(await apply(gadgets(name), gadget(name, { parts: [{ id: 'b', color: 'blue' }] }), { fieldManager: 'other' }), 200);
    expect(merged.spec).toEqual({ size: 1, parts: [{ id: 'a', color: 'red' }, { id: 'b', color: 'blue' }], free: { x: { y: 1 } } });
    // Fields kept under x-kubernetes-preserve-unknown-fields are atomic.
    expect(fieldsOf(merged, 'kubectl')).toEqual({ 'f:spec': { 'f:free': { 'f:x': {} }, 'f:parts': { 'k:{"id":"a"}': { '.': {}, 'f:color': {}, 'f:id': {} } }, 'f:size': {} } });
    const status = expectStatus(await apply(gadgets(name), gadget(name, { size: 2 }), { fieldManager: 'other' }), 409, 'Conflict');
    expect(status.message).toBe('Apply failed with 1 conflict: conflict with "kubectl": .spec.size');
    const unknown = expectStatus(await apply(gadgets(name), gadget(name, { bogus: 1 }), { fieldManager: 'other' }), 400, 'BadRequest');
    expect(unknown.message).toContain('.spec.bogus: field not declared in schema');
  });
});

describe('kubectl apply --server-side', () => {
  it('creates, re-applies, reports conflicts with another manager, and --force-conflicts takes the field', async () => {
    const k = kubectl.get();
    const name = uniqueName('web');
    const dir = join(k.kubeconfig, '..');
    const file = join(dir, `${name}.yaml`);
    const edited = join(dir, `${name}-edited.yaml`);
    await writeFile(file, stringify(deploymentBody(name, 2)));
    await writeFile(edited, stringify(deploymentBody(name, 5)));

    const first = await k.run(['apply', '--server-side', '-f', file]);
    expect(first).toEqual(expect.objectContaining({ code: 0, stdout: `deployment.apps/${name} serverside-applied\n` }));
    const created = await verbs.get(deployments(name));
    const second = await k.run(['apply', '--server-side', '-f', file]);
    expect(second).toEqual(expect.objectContaining({ code: 0, stdout: `deployment.apps/${name} serverside-applied\n` }));
    expect((await verbs.get(deployments(name))).metadata.resourceVersion).toBe(created.metadata.resourceVersion);

    const conflict = await k.run(['apply', '--server-side', '--field-manager=other', '-f', edited]);
    expect(conflict.code).not.toBe(0);
    expect(conflict.stderr).toContain('Apply failed with 1 conflict: conflict with "kubectl": .spec.replicas');
    expect(conflict.stderr).toContain('--force-conflicts');

    const forced = await k.run(['apply', '--server-side', '--field-manager=other', '--force-conflicts', '-f', edited]);
    expect(forced).toEqual(expect.objectContaining({ code: 0, stdout: `deployment.apps/${name} serverside-applied\n` }));
    const taken = await verbs.get(deployments(name));
    expect(taken.spec.replicas).toBe(5);
    expect(fieldsOf(taken, 'other')).toEqual(expect.objectContaining({ 'f:spec': expect.objectContaining({ 'f:replicas': {} }) }));
    expect(fieldsOf(taken, 'kubectl')!['f:spec']).not.toHaveProperty('f:replicas');

    const yaml = await k.run(['get', 'deploy', name, '-o', 'yaml', '--show-managed-fields']);
    expect(yaml.code).toBe(0);
    expect(yaml.stdout).toContain('managedFields:');
    expect(yaml.stdout).toContain('manager: kubectl\n');
    expect(yaml.stdout).toContain('manager: other\n');
    expect(yaml.stdout).toContain('operation: Apply');
    const hidden = await k.run(['get', 'deploy', name, '-o', 'yaml']);
    expect(hidden.stdout).not.toContain('managedFields');
  });

  it('moves an object from client-side to server-side apply without conflicts', async () => {
    const k = kubectl.get();
    const name = uniqueName('moved');
    const dir = join(k.kubeconfig, '..');
    const file = join(dir, `${name}.yaml`);
    await writeFile(file, stringify(deploymentBody(name, 1)));
    expect(await k.run(['apply', '-f', file])).toEqual(expect.objectContaining({ code: 0, stdout: `deployment.apps/${name} created\n` }));
    await writeFile(file, stringify(deploymentBody(name, 4)));
    const moved = await k.run(['apply', '--server-side', '-f', file]);
    expect(moved).toEqual(expect.objectContaining({ code: 0, stdout: `deployment.apps/${name} serverside-applied\n` }));
    const deployment = await verbs.get(deployments(name));
    expect(deployment.spec.replicas).toBe(4);
    // kubectl hands the client-side applier's fields over to its server-side manager, and its
    // annotation to kubectl-last-applied, as it does against Kubernetes.
    expect(entriesOf(deployment).map((e) => `${e.manager}/${e.operation}`)).toEqual(['kubectl-last-applied/Apply', 'kubectl/Apply']);
    expect(fieldsOf(deployment, 'kubectl-last-applied')).toEqual({ 'f:metadata': { 'f:annotations': { 'f:kubectl.kubernetes.io/last-applied-configuration': {} } } });
  });
});
