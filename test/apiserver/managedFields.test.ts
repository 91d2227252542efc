/**
 * metadata.managedFields on every write over HTTP, as Kubernetes records them: an Update entry per
 * manager (the fieldManager parameter, else the User-Agent's product), owning the fields it set;
 * ownership moves to the latest writer; subresource writes own only their part; client-sent
 * entries are honoured, an empty list resets them; a write that changes nothing writes nothing.
 */
import { useControlPlane } from '../harness/apiserver';
import { configMapBody, deploymentBody, objectVerbs, withoutWrites, type LooseObj } from './crudHelpers';
import { resourcePath, uniqueName } from './helpers';

const plane = useControlPlane();
const verbs = objectVerbs(plane);
const configMaps = resourcePath('/api/v1', 'configmaps');
const deployments = resourcePath('/apis/apps/v1', 'deployments');

interface Entry {
  manager?: string;
  operation: string;
  apiVersion: string;
  time?: string;
  fieldsType: string;
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

const entriesOf = (obj: LooseObj): Entry[] => (obj.metadata as { managedFields?: Entry[] }).managedFields ?? [];
const entryOf = (obj: LooseObj, manager: string, subresource?: string): Entry | undefined =>
  entriesOf(obj).find((e) => e.manager === manager && e.subresource === subresource);
const managersOf = (obj: LooseObj) => entriesOf(obj).map((e) => `${e.manager}/${e.operation}${e.subresource ? `/${e.subresource}` : ''}`);

describe('managedFields on create, update and patch', () => {
  it('records the creator as Kubernetes does: an Update entry owning what it set', async () => {
    const name = uniqueName('cm');
    const created = await verbs.create(configMaps(), configMapBody(name, { a: '1', b: '2' }, { labels: { app: 'x' } }), { fieldManager: 'creator' });
    const [entry] = entriesOf(created);
    expect(Object.keys(entry!)).toEqual(['manager', 'operation', 'apiVersion', 'time', 'fieldsType', 'fieldsV1']);
    expect(entry).toEqual({
      manager: 'creator',
      operation: 'Update',
      apiVersion: 'v1',
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      fieldsType: 'FieldsV1',
      fieldsV1: { 'f:data': { 'f:a': {}, 'f:b': {}, '.': {} }, 'f:metadata': { 'f:labels': { 'f:app': {}, '.': {} } } },
    });
    expect(entriesOf(await verbs.get(configMaps(name)))).toEqual(entriesOf(created));
  });

  it('names the manager after the User-Agent when there is no fieldManager', async () => {
    const name = uniqueName('cm');
    const res = await plane.client.raw('POST', configMaps(), { body: configMapBody(name), headers: { 'User-Agent': 'my-controller/v1.2.3 (linux/amd64)' } });
    expect(managersOf(res.json as LooseObj)).toEqual(['my-controller/Update']);
    // The REST client says marina/0.1.0.
    expect(managersOf(await verbs.mergePatch(configMaps(name), { data: { other: 'x' } })).sort()).toEqual(['marina/Update', 'my-controller/Update']);
  });

  it('moves a field to its latest writer; a removed field leaves its owner', async () => {
    const name = uniqueName('cm');
    const created = await verbs.create(configMaps(), configMapBody(name, { a: '1', b: '2', c: '3' }), { fieldManager: 'creator' });
    const updated = await verbs.put(configMaps(name), { ...created, data: { a: '10', b: '2' } }, { fieldManager: 'editor' });
    expect(entryOf(updated, 'creator')!.fieldsV1).toEqual({ 'f:data': { '.': {}, 'f:b': {} } });
    expect(entryOf(updated, 'editor')!.fieldsV1).toEqual({ 'f:data': { 'f:a': {} } });
    expect(managersOf(updated).sort()).toEqual(['creator/Update', 'editor/Update']);
    const patched = await verbs.mergePatch(configMaps(name), { data: { b: null } }, { fieldManager: 'patcher' });
    expect(entryOf(patched, 'creator')!.fieldsV1).toEqual({ 'f:data': {} });
    // Removing owns nothing: the patcher has no entry.
    expect(entryOf(patched, 'patcher')).toBeUndefined();
  });

  it('writes nothing for an update that changes nothing, whoever sends it', async () => {
    const name = uniqueName('cm');
    const created = await verbs.create(configMaps(), configMapBody(name), { fieldManager: 'creator' });
    const again = await withoutWrites(plane, () => verbs.put(configMaps(name), created, { fieldManager: 'someone-else' }));
    expect(again.metadata.resourceVersion).toBe(created.metadata.resourceVersion);
    expect(entriesOf(again)).toEqual(entriesOf(created));
    await withoutWrites(plane, () => verbs.mergePatch(configMaps(name), { data: { k: 'v' } }, { fieldManager: 'third' }));
  });

  it('honours managedFields a client sends, resets them on an empty list, and ignores malformed ones', async () => {
    const name = uniqueName('cm');
    const created = await verbs.create(configMaps(), configMapBody(name, { a: '1' }), { fieldManager: 'creator' });
    const imported: Entry = { manager: 'imported', operation: 'Apply', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { 'f:a': {} } } };
    const replaced = await verbs.put(configMaps(name), { ...created, metadata: { ...created.metadata, managedFields: [imported] } }, { fieldManager: 'editor' });
    expect(entriesOf(replaced)).toEqual([imported]);

    const malformed = { ...replaced, data: { a: '1', z: '26' }, metadata: { ...replaced.metadata, managedFields: [{ manager: 'x', operation: 'Bogus' }] } };
    const kept = await verbs.put(configMaps(name), malformed, { fieldManager: 'editor' });
    expect(managersOf(kept)).toEqual(['imported/Apply', 'editor/Update']); // Apply entries first

    const reset = await verbs.put(configMaps(name), { ...kept, metadata: { ...kept.metadata, managedFields: [] } }, { fieldManager: 'editor' });
    expect(reset.metadata.resourceVersion).not.toBe(kept.metadata.resourceVersion);
    expect(entriesOf(reset)).toEqual([]);
  });
});

describe('managedFields on subresources', () => {
  it('records a status write under subresource status, owning status only', async () => {
    const name = uniqueName('deploy');
    const created = await verbs.create(deployments(), deploymentBody(name, 2), { fieldManager: 'creator' });
    expect(JSON.stringify(entryOf(created, 'creator')!.fieldsV1)).not.toContain('f:status');
    const withStatus = await verbs.put(`${deployments(name)}/status`, { ...created, status: { replicas: 2, observedGeneration: 1 } }, { fieldManager: 'controller' });
    expect(entryOf(withStatus, 'controller', 'status')).toEqual(
      expect.objectContaining({ operation: 'Update', apiVersion: 'apps/v1', subresource: 'status', fieldsV1: { 'f:status': { '.': {}, 'f:observedGeneration': {}, 'f:replicas': {} } } }),
    );
    // A main-resource write cannot take status, so the status owner keeps it.
    const updated = await verbs.put(deployments(name), { ...withStatus, status: { replicas: 9 } }, { fieldManager: 'editor' });
    expect(updated.status.replicas).toBe(2);
    expect(entryOf(updated, 'editor')).toBeUndefined();
  });

  it('records a scale write under subresource scale, taking spec.replicas', async () => {
    const name = uniqueName('deploy');
    await verbs.create(deployments(), deploymentBody(name, 1), { fieldManager: 'creator' });
    await verbs.mergePatch(`${deployments(name)}/scale`, { spec: { replicas: 4 } }, { fieldManager: 'autoscaler' });
    const scaled = await verbs.get(deployments(name));
    expect(entryOf(scaled, 'autoscaler', 'scale')).toEqual(
      expect.objectContaining({ operation: 'Update', apiVersion: 'apps/v1', subresource: 'scale', fieldsV1: { 'f:spec': { 'f:replicas': {} } } }),
    );
    expect(JSON.stringify(entryOf(scaled, 'creator')!.fieldsV1)).not.toContain('f:replicas');
  });
});
