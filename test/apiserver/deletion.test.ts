/**
 * DELETE as Kubernetes does it: finalizers, propagation policies, DeleteOptions (body and query),
 * preconditions, dry run, graceful deletion of pods bound to a node, jobs' orphan default,
 * namespaces that stay Terminating until finalized, the shape of DELETE answers, deletecollection.
 */
import type { RawResponse } from '../../client/restClient';
import { useControlPlane } from '../harness/apiserver';
import { bindingBody, configMapBody, podBody } from './crudHelpers';
import { createNamespace, resourcePath, uniqueName, type Obj, type StatusBody } from './helpers';

const plane = useControlPlane();

const cmPath = resourcePath('/api/v1', 'configmaps');
const podPath = resourcePath('/api/v1', 'pods');
const jobPath = resourcePath('/apis/batch/v1', 'jobs');

async function createConfigMap(name: string, extra: { finalizers?: string[]; labels?: Record<string, string> } = {}): Promise<Obj> {
  return plane.client.create<Obj>(cmPath(), configMapBody(name, undefined, extra));
}

async function createPod(name: string, spec: Record<string, unknown> = {}): Promise<Obj> {
  return plane.client.create<Obj>(podPath(), podBody(name, {}, spec));
}

async function bindPod(name: string, node = 'n1'): Promise<void> {
  const res = await plane.client.raw('POST', `${podPath(name)}/binding`, { body: bindingBody(name, node) });
  expect(res.status).toBe(201);
}

function del(path: string, options: { body?: unknown; query?: Record<string, string | number | boolean> } = {}): Promise<RawResponse> {
  return plane.client.raw('DELETE', path, {
    ...(options.body !== undefined ? { body: options.body } : {}),
    ...(options.query ? { query: options.query } : {}),
  });
}

async function getStatus(path: string): Promise<number> {
  return (await plane.client.raw('GET', path)).status;
}

const revision = () => plane.server.storage.currentRevision();

/** Seconds between an RFC 3339 timestamp and a time in ms. */
const secondsFrom = (ts: string, fromMs: number) => (Date.parse(ts) - fromMs) / 1000;

describe('finalizers', () => {
  it('marks an object with finalizers as deleting and keeps it until the last finalizer is removed', async () => {
    const name = uniqueName('fin');
    const created = await createConfigMap(name, { finalizers: ['example.com/a', 'example.com/b'] });
    expect(created.metadata.generation).toBe(1);

    const before = Date.now();
    const res = await del(cmPath(name));
    expect(res.status).toBe(200);
    // Not deleted: the answer is the object in its marked state.
    const marked = res.json as Obj;
    expect(marked.kind).toBe('ConfigMap');
    expect(marked.metadata.deletionTimestamp).toBeDefined();
    expect(Math.abs(secondsFrom(marked.metadata.deletionTimestamp!, before))).toBeLessThanOrEqual(2);
    expect(marked.metadata.deletionGracePeriodSeconds).toBe(0);
    expect(marked.metadata.generation).toBe(2);
    expect(marked.metadata.finalizers).toEqual(['example.com/a', 'example.com/b']);

    const got = await plane.client.get<Obj>(cmPath(name));
    expect(got.metadata.deletionTimestamp).toBe(marked.metadata.deletionTimestamp);
    expect(got.metadata.resourceVersion).toBe(marked.metadata.resourceVersion);

    // Removing one finalizer: still there.
    const afterOne = await plane.client.patch<Obj>(cmPath(name), { metadata: { finalizers: ['example.com/b'] } });
    expect(afterOne.metadata.finalizers).toEqual(['example.com/b']);
    expect(afterOne.metadata.deletionTimestamp).toBe(marked.metadata.deletionTimestamp);
    expect(await getStatus(cmPath(name))).toBe(200);

    // Removing the last one (by PUT): gone.
    const last = await plane.client.raw('PUT', cmPath(name), { body: { ...afterOne, metadata: { ...afterOne.metadata, finalizers: [] } } });
    expect(last.status).toBe(200);
    expect(await getStatus(cmPath(name))).toBe(404);
  });

  it('watchers see the mark as MODIFIED and the removal of the last finalizer as DELETED', async () => {
    const name = uniqueName('fin-watch');
    const created = await createConfigMap(name, { finalizers: ['example.com/a'] });
    const events: { type: string; object: Obj }[] = [];
    const w = await plane.client.watch<Obj>(cmPath(), { resourceVersion: created.metadata.resourceVersion, fieldSelector: `metadata.name=${name}` }, (e) =>
      events.push(e as { type: string; object: Obj }),
    );
    try {
      await del(cmPath(name));
      await plane.client.patch(cmPath(name), { metadata: { finalizers: null } });
      const deadline = Date.now() + 5000;
      while (events.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    } finally {
      w.close();
    }
    expect(events.map((e) => e.type)).toEqual(['MODIFIED', 'DELETED']);
    expect(events[0]!.object.metadata.deletionTimestamp).toBeDefined();
    expect(events[1]!.object.metadata.name).toBe(name);
  });

  it('a repeated DELETE of an object being finalized changes nothing', async () => {
    const name = uniqueName('fin-again');
    await createConfigMap(name, { finalizers: ['example.com/a'] });
    const first = (await del(cmPath(name))).json as Obj;
    const rev = await revision();
    const second = await del(cmPath(name));
    expect(second.status).toBe(200);
    expect((second.json as Obj).metadata.deletionTimestamp).toBe(first.metadata.deletionTimestamp);
    expect((second.json as Obj).metadata.resourceVersion).toBe(first.metadata.resourceVersion);
    expect(await revision()).toBe(rev);
    await plane.client.patch(cmPath(name), { metadata: { finalizers: null } });
    expect(await getStatus(cmPath(name))).toBe(404);
  });

  it('refuses new finalizers once the object is being deleted (422), leaving etcd unchanged', async () => {
    const name = uniqueName('fin-add');
    await createConfigMap(name, { finalizers: ['example.com/a'] });
    const marked = (await del(cmPath(name))).json as Obj;
    const rev = await revision();

    const res = await plane.client.raw('PATCH', cmPath(name), {
      body: { metadata: { finalizers: ['example.com/a', 'example.com/new'] } },
      contentType: 'application/merge-patch+json',
    });
    expect(res.status).toBe(422);
    const st = res.json as StatusBody;
    expect(st).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'Invalid', code: 422 });
    expect(st.message).toContain(`ConfigMap "${name}" is invalid`);
    expect(st.message).toContain('no new finalizers can be added if the object is being deleted');
    expect(st.details?.causes).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'metadata.finalizers', reason: 'FieldValueForbidden' })]));
    expect(await revision()).toBe(rev);
    const got = await plane.client.get<Obj>(cmPath(name));
    expect(got.metadata.finalizers).toEqual(['example.com/a']);
    expect(got.metadata.resourceVersion).toBe(marked.metadata.resourceVersion);

    await plane.client.patch(cmPath(name), { metadata: { finalizers: [] } });
    expect(await getStatus(cmPath(name))).toBe(404);
  });
});

describe('propagation policy', () => {
  it('Orphan adds the orphan finalizer and the object stays', async () => {
    const name = uniqueName('orphan');
    await createConfigMap(name);
    const res = await del(cmPath(name), { body: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Orphan' } });
    expect(res.status).toBe(200);
    const got = await plane.client.get<Obj>(cmPath(name));
    expect(got.metadata.finalizers).toEqual(['orphan']);
    expect(got.metadata.deletionTimestamp).toBeDefined();
    expect(got.metadata.deletionGracePeriodSeconds).toBe(0);
    // The garbage collector's part: removing the finalizer completes the deletion.
    await plane.client.patch(cmPath(name), { metadata: { finalizers: null } });
    expect(await getStatus(cmPath(name))).toBe(404);
  });

  it('Foreground adds the foregroundDeletion finalizer and the object stays', async () => {
    const name = uniqueName('fg');
    await createConfigMap(name);
    const res = await del(cmPath(name), { body: { propagationPolicy: 'Foreground' } });
    expect(res.status).toBe(200);
    const got = await plane.client.get<Obj>(cmPath(name));
    expect(got.metadata.finalizers).toEqual(['foregroundDeletion']);
    expect(got.metadata.deletionTimestamp).toBeDefined();
    await plane.client.patch(cmPath(name), { metadata: { finalizers: null } });
    expect(await getStatus(cmPath(name))).toBe(404);
  });

  it('Background adds no finalizer: the object is removed at once', async () => {
    const name = uniqueName('bg');
    await createConfigMap(name);
    const res = await del(cmPath(name), { body: { propagationPolicy: 'Background' } });
    expect(res.status).toBe(200);
    expect(await getStatus(cmPath(name))).toBe(404);
  });

  it('an unknown propagationPolicy is 422 Invalid and deletes nothing', async () => {
    const name = uniqueName('badpolicy');
    await createConfigMap(name);
    const rev = await revision();
    for (const res of [await del(cmPath(name), { body: { propagationPolicy: 'Sideways' } }), await del(cmPath(name), { query: { propagationPolicy: 'Sideways' } })]) {
      expect(res.status).toBe(422);
      const st = res.json as StatusBody;
      expect(st).toMatchObject({ kind: 'Status', reason: 'Invalid', code: 422 });
      expect(st.message).toContain('propagationPolicy');
      expect(st.details?.causes).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'propagationPolicy', reason: 'FieldValueNotSupported' })]));
    }
    expect(await revision()).toBe(rev);
    const got = await plane.client.get<Obj>(cmPath(name));
    expect(got.metadata.deletionTimestamp).toBeUndefined();
  });

  it('reads DeleteOptions from query parameters too', async () => {
    const orphaned = uniqueName('q-orphan');
    await createConfigMap(orphaned);
    expect((await del(cmPath(orphaned), { query: { propagationPolicy: 'Orphan' } })).status).toBe(200);
    expect((await plane.client.get<Obj>(cmPath(orphaned))).metadata.finalizers).toEqual(['orphan']);
    await plane.client.patch(cmPath(orphaned), { metadata: { finalizers: null } });

    // orphanDependents=true is the legacy spelling of Orphan.
    const legacy = uniqueName('q-legacy');
    await createConfigMap(legacy);
    expect((await del(cmPath(legacy), { query: { orphanDependents: true } })).status).toBe(200);
    expect((await plane.client.get<Obj>(cmPath(legacy))).metadata.finalizers).toEqual(['orphan']);
    await plane.client.patch(cmPath(legacy), { metadata: { finalizers: null } });

    const fg = uniqueName('q-fg');
    await createConfigMap(fg);
    expect((await del(cmPath(fg), { query: { propagationPolicy: 'Foreground' } })).status).toBe(200);
    expect((await plane.client.get<Obj>(cmPath(fg))).metadata.finalizers).toEqual(['foregroundDeletion']);
    await plane.client.patch(cmPath(fg), { metadata: { finalizers: null } });
    expect(await getStatus(cmPath(fg))).toBe(404);
  });
});

describe('preconditions and dry run', () => {
  it('a uid precondition that does not match is 409 Conflict and leaves the object', async () => {
    const name = uniqueName('pre-uid');
    const created = await createConfigMap(name);
    const rev = await revision();
    const res = await del(cmPath(name), { body: { preconditions: { uid: '00000000-0000-0000-0000-000000000000' } } });
    expect(res.status).toBe(409);
    const st = res.json as StatusBody;
    expect(st).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'Conflict', code: 409, details: { name, kind: 'configmaps' } });
    expect(st.message).toContain(`Operation cannot be fulfilled on configmaps "${name}": Precondition failed: UID in precondition: 00000000-0000-0000-0000-000000000000, UID in object meta: ${created.metadata.uid}`);
    expect(await revision()).toBe(rev);
    const got = await plane.client.get<Obj>(cmPath(name));
    expect(got.metadata.resourceVersion).toBe(created.metadata.resourceVersion);
    expect(got.metadata.deletionTimestamp).toBeUndefined();

    // The right uid deletes it.
    expect((await del(cmPath(name), { body: { preconditions: { uid: created.metadata.uid } } })).status).toBe(200);
    expect(await getStatus(cmPath(name))).toBe(404);
  });

  it('a resourceVersion precondition that does not match is 409 Conflict and leaves the object', async () => {
    const name = uniqueName('pre-rv');
    const created = await createConfigMap(name);
    const updated = await plane.client.patch<Obj>(cmPath(name), { data: { k: 'v2' } });
    const rev = await revision();
    const res = await del(cmPath(name), { body: { preconditions: { resourceVersion: created.metadata.resourceVersion } } });
    expect(res.status).toBe(409);
    expect(res.json).toMatchObject({ kind: 'Status', reason: 'Conflict', code: 409 });
    expect((res.json as StatusBody).message).toContain(
      `Precondition failed: ResourceVersion in precondition: ${created.metadata.resourceVersion}, ResourceVersion in object meta: ${updated.metadata.resourceVersion}`,
    );
    expect(await revision()).toBe(rev);
    const got = await plane.client.get<Obj>(cmPath(name));
    expect(got.data).toEqual({ k: 'v2' });
    expect(got.metadata.resourceVersion).toBe(updated.metadata.resourceVersion);

    expect((await del(cmPath(name), { body: { preconditions: { resourceVersion: updated.metadata.resourceVersion } } })).status).toBe(200);
    expect(await getStatus(cmPath(name))).toBe(404);
  });

  it('dryRun=All deletes nothing (query or body), for plain and finalized objects', async () => {
    const name = uniqueName('dry');
    const created = await createConfigMap(name);
    const rev = await revision();
    const viaQuery = await del(cmPath(name), { query: { dryRun: 'All' } });
    expect(viaQuery.status).toBe(200);
    const viaBody = await del(cmPath(name), { body: { dryRun: ['All'] } });
    expect(viaBody.status).toBe(200);
    expect(await revision()).toBe(rev);
    const got = await plane.client.get<Obj>(cmPath(name));
    expect(got.metadata.resourceVersion).toBe(created.metadata.resourceVersion);

    const fin = uniqueName('dry-fin');
    await createConfigMap(fin, { finalizers: ['example.com/a'] });
    const rev2 = await revision();
    const res = await del(cmPath(fin), { query: { dryRun: 'All' } });
    expect(res.status).toBe(200);
    // The answer shows what would happen; nothing is stored.
    expect((res.json as Obj).metadata.deletionTimestamp).toBeDefined();
    expect(await revision()).toBe(rev2);
    expect((await plane.client.get<Obj>(cmPath(fin))).metadata.deletionTimestamp).toBeUndefined();
    await plane.client.patch(cmPath(fin), { metadata: { finalizers: null } });
  });
});

describe('pods', () => {
  it('an unbound pod is deleted at once, and the answer is the pod', async () => {
    const name = uniqueName('unbound');
    const created = await createPod(name);
    const res = await del(podPath(name));
    expect(res.status).toBe(200);
    const body = res.json as Obj;
    expect(body.kind).toBe('Pod');
    expect(body.metadata.name).toBe(name);
    expect(body.metadata.uid).toBe(created.metadata.uid);
    expect(await getStatus(podPath(name))).toBe(404);
  });

  it('a pod bound to a node is deleted gracefully: its terminationGracePeriodSeconds, then shortened, then grace 0 removes it', async () => {
    const name = uniqueName('bound');
    await createPod(name, { terminationGracePeriodSeconds: 60 });
    await bindPod(name);

    const before = Date.now();
    const res = await del(podPath(name));
    expect(res.status).toBe(200);
    const marked = res.json as Obj;
    expect(marked.kind).toBe('Pod');
    expect(marked.metadata.deletionGracePeriodSeconds).toBe(60);
    expect(secondsFrom(marked.metadata.deletionTimestamp!, before)).toBeGreaterThanOrEqual(58);
    expect(secondsFrom(marked.metadata.deletionTimestamp!, before)).toBeLessThanOrEqual(62);
    expect(await getStatus(podPath(name))).toBe(200);

    // A longer grace period than the one in force changes nothing.
    const rev = await revision();
    const longer = await del(podPath(name), { query: { gracePeriodSeconds: 120 } });
    expect(longer.status).toBe(200);
    expect((longer.json as Obj).metadata.deletionGracePeriodSeconds).toBe(60);
    expect(await revision()).toBe(rev);

    // A shorter one brings the deletion forward.
    const shorter = await del(podPath(name), { body: { gracePeriodSeconds: 10 } });
    expect(shorter.status).toBe(200);
    const short = shorter.json as Obj;
    expect(short.metadata.deletionGracePeriodSeconds).toBe(10);
    expect(Date.parse(short.metadata.deletionTimestamp!)).toBeLessThan(Date.parse(marked.metadata.deletionTimestamp!));
    expect(secondsFrom(short.metadata.deletionTimestamp!, before)).toBeLessThanOrEqual(12);
    const got = await plane.client.get<Obj>(podPath(name));
    expect(got.metadata.deletionGracePeriodSeconds).toBe(10);

    // Grace 0 (what the kubelet sends once the containers are gone): removed.
    const now = await del(podPath(name), { query: { gracePeriodSeconds: 0 } });
    expect(now.status).toBe(200);
    expect((now.json as Obj).kind).toBe('Pod');
    expect(await getStatus(podPath(name))).toBe(404);
  });

  it("a bound pod's grace period defaults to 30 s and the request's gracePeriodSeconds overrides it", async () => {
    const byDefault = uniqueName('grace-default');
    await createPod(byDefault);
    await bindPod(byDefault);
    let before = Date.now();
    const a = (await del(podPath(byDefault))).json as Obj;
    expect(a.metadata.deletionGracePeriodSeconds).toBe(30);
    expect(secondsFrom(a.metadata.deletionTimestamp!, before)).toBeGreaterThanOrEqual(28);
    expect(secondsFrom(a.metadata.deletionTimestamp!, before)).toBeLessThanOrEqual(32);

    const asked = uniqueName('grace-asked');
    await createPod(asked);
    await bindPod(asked);
    before = Date.now();
    const b = (await del(podPath(asked), { query: { gracePeriodSeconds: 5 } })).json as Obj;
    expect(b.metadata.deletionGracePeriodSeconds).toBe(5);
    expect(secondsFrom(b.metadata.deletionTimestamp!, before)).toBeGreaterThanOrEqual(3);
    expect(secondsFrom(b.metadata.deletionTimestamp!, before)).toBeLessThanOrEqual(7);
    expect(await getStatus(podPath(asked))).toBe(200);

    for (const name of [byDefault, asked]) {
      expect((await del(podPath(name), { body: { gracePeriodSeconds: 0 } })).status).toBe(200);
      expect(await getStatus(podPath(name))).toBe(404);
    }
  });

  it('a negative gracePeriodSeconds on a bound pod still goes through the kubelet: grace 1, the pod stays', async () => {
    // Kubernetes' podStrategy.CheckGracefulDelete: `if period < 0 { period = 1 }`.
    const name = uniqueName('grace-neg');
    await createPod(name);
    await bindPod(name);
    const res = await del(podPath(name), { query: { gracePeriodSeconds: -1 } });
    expect(res.status).toBe(200);
    expect((res.json as Obj).metadata.deletionGracePeriodSeconds).toBe(1);
    const got = await plane.client.raw('GET', podPath(name));
    expect(got.status).toBe(200);
    expect((got.json as Obj).metadata.deletionGracePeriodSeconds).toBe(1);
    await del(podPath(name), { query: { gracePeriodSeconds: 0 } });
    expect(await getStatus(podPath(name))).toBe(404);
  });

  it('a bound pod deleted with gracePeriodSeconds=0 is removed at once', async () => {
    const name = uniqueName('grace0');
    await createPod(name);
    await bindPod(name);
    const res = await del(podPath(name), { query: { gracePeriodSeconds: 0 } });
    expect(res.status).toBe(200);
    expect(await getStatus(podPath(name))).toBe(404);
  });

  it.each(['Succeeded', 'Failed'])('a bound pod in phase %s is deleted at once', async (phase) => {
    const name = uniqueName(`done-${phase.toLowerCase()}`);
    await createPod(name, { restartPolicy: 'Never' });
    await bindPod(name);
    const updated = await plane.client.patch<Obj>(`${podPath(name)}/status`, { status: { phase } });
    expect(updated.status?.phase).toBe(phase);
    const res = await del(podPath(name));
    expect(res.status).toBe(200);
    expect(await getStatus(podPath(name))).toBe(404);
  });
});

describe('jobs', () => {
  const job = (name: string) => ({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name },
    spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } },
  });

  it('a job deleted without a propagation policy gets the orphan finalizer (batch/v1 default)', async () => {
    const name = uniqueName('job');
    await plane.client.create(jobPath(), job(name));
    const res = await del(jobPath(name));
    expect(res.status).toBe(200);
    const got = await plane.client.get<Obj>(jobPath(name));
    expect(got.metadata.finalizers).toEqual(['orphan']);
    expect(got.metadata.deletionTimestamp).toBeDefined();
    await plane.client.patch(jobPath(name), { metadata: { finalizers: null } });
    expect(await getStatus(jobPath(name))).toBe(404);
  });

  it('a job deleted with propagationPolicy Background is removed at once', async () => {
    const name = uniqueName('job-bg');
    await plane.client.create(jobPath(), job(name));
    const res = await del(jobPath(name), { body: { propagationPolicy: 'Background' } });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ kind: 'Status', status: 'Success', details: { name, group: 'batch', kind: 'jobs' } });
    expect(await getStatus(jobPath(name))).toBe(404);
  });
});

describe('namespaces', () => {
  it('a deleted namespace stays Terminating until /finalize clears spec.finalizers', async () => {
    const name = await createNamespace(plane.client, 'ns');
    const res = await del(`/api/v1/namespaces/${name}`);
    expect(res.status).toBe(200);
    // Namespaces answer with the object.
    const marked = res.json as Obj;
    expect(marked.kind).toBe('Namespace');
    expect(marked.metadata.deletionTimestamp).toBeDefined();
    expect(marked.status?.phase).toBe('Terminating');
    expect(marked.spec?.finalizers).toEqual(['kubernetes']);

    const got = await plane.client.get<Obj>(`/api/v1/namespaces/${name}`);
    expect(got.status?.phase).toBe('Terminating');

    // Nothing new may be created in it.
    const refused = await plane.client.raw('POST', `/api/v1/namespaces/${name}/configmaps`, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } } });
    expect(refused.status).toBe(403);

    const fin = await plane.client.raw('PUT', `/api/v1/namespaces/${name}/finalize`, {
      body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name }, spec: { finalizers: [] } },
    });
    expect(fin.status).toBe(200);
    expect(await getStatus(`/api/v1/namespaces/${name}`)).toBe(404);
  });
});

describe('namespace finalizers', () => {
  it('every new namespace gets the kubernetes finalizer, even when it asks for none or others', async () => {
    const empty = uniqueName('ns-empty');
    const createdEmpty = await plane.client.create<Obj>('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: empty }, spec: { finalizers: [] } });
    expect(createdEmpty.spec?.finalizers).toEqual(['kubernetes']);
    const others = uniqueName('ns-others');
    const createdOthers = await plane.client.create<Obj>('/api/v1/namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: others },
      spec: { finalizers: ['example.com/x'] },
    });
    expect(createdOthers.spec?.finalizers).toEqual(['example.com/x', 'kubernetes']);
    // So deleting either waits for the namespace controller.
    for (const name of [empty, others]) {
      expect((await del(`/api/v1/namespaces/${name}`)).status).toBe(200);
      expect((await plane.client.get<Obj>(`/api/v1/namespaces/${name}`)).status?.phase).toBe('Terminating');
      await plane.client.update(`/api/v1/namespaces/${name}/finalize`, { apiVersion: 'v1', kind: 'Namespace', metadata: { name }, spec: { finalizers: [] } });
      expect(await getStatus(`/api/v1/namespaces/${name}`)).toBe(404);
    }
  });

  it('a namespace whose finalizers were already cleared is removed at once', async () => {
    const name = await createNamespace(plane.client, 'ns-cleared');
    const fin = await plane.client.update<Obj>(`/api/v1/namespaces/${name}/finalize`, { apiVersion: 'v1', kind: 'Namespace', metadata: { name }, spec: { finalizers: [] } });
    expect(fin.spec?.finalizers ?? []).toEqual([]);
    expect(fin.status?.phase).toBe('Active');
    expect((await del(`/api/v1/namespaces/${name}`)).status).toBe(200);
    expect(await getStatus(`/api/v1/namespaces/${name}`)).toBe(404);
  });
});

describe('DELETE answers', () => {
  it('a ConfigMap answers with a Success Status naming it', async () => {
    const name = uniqueName('answer');
    const created = await createConfigMap(name);
    const res = await del(cmPath(name));
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Success',
      details: { name, kind: 'configmaps', uid: created.metadata.uid },
    });
  });

  it('deleting a missing object is 404 NotFound', async () => {
    const name = uniqueName('missing');
    const rev = await revision();
    const res = await del(cmPath(name));
    expect(res.status).toBe(404);
    expect(res.json).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'NotFound',
      code: 404,
      message: `configmaps "${name}" not found`,
      details: { name, kind: 'configmaps' },
    });
    expect(await revision()).toBe(rev);
    expect((await del(podPath(name))).status).toBe(404);
    expect((await del(`/api/v1/namespaces/${name}`)).status).toBe(404);
  });
});

describe('deletecollection', () => {
  it('deletes only the objects the label selector matches', async () => {
    const run = uniqueName('dc');
    const doomed = [uniqueName('dc-a'), uniqueName('dc-b')];
    const kept = [uniqueName('dc-c')];
    for (const n of doomed) await createConfigMap(n, { labels: { run, doomed: 'yes' } });
    for (const n of kept) await createConfigMap(n, { labels: { run, doomed: 'no' } });
    const other = uniqueName('dc-other');
    await createConfigMap(other);

    const res = await del(cmPath(), { query: { labelSelector: `run=${run},doomed=yes` } });
    expect(res.status).toBe(200);
    const list = res.json as Obj;
    expect(list.kind).toBe('ConfigMapList');
    expect(list.items!.map((i) => i.metadata.name).sort()).toEqual([...doomed].sort());

    for (const n of doomed) expect(await getStatus(cmPath(n))).toBe(404);
    for (const n of [...kept, other]) expect(await getStatus(cmPath(n))).toBe(200);
    const remaining = await plane.client.get<Obj>(cmPath(), { labelSelector: `run=${run}` });
    expect(remaining.items!.map((i) => i.metadata.name)).toEqual(kept);
  });
});
