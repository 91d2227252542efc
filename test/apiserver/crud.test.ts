/**
 * CRUD over HTTP: every verb on namespaced and cluster-scoped resources, the metadata the server
 * sets, defaults, optimistic concurrency, dry runs, YAML in and out, and namespace lifecycle.
 */
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { useControlPlane } from '../harness/apiserver';
import { configMapBody, deploymentBody, expectOk, objectVerbs, podBody, withoutWrites, type LooseObj, type ObjList } from './crudHelpers';
import { expectStatus, uniqueName, type StatusBody } from './helpers';

const plane = useControlPlane();

const ns = 'default';
const pods = `/api/v1/namespaces/${ns}/pods`;
const configmaps = `/api/v1/namespaces/${ns}/configmaps`;
const secrets = `/api/v1/namespaces/${ns}/secrets`;
const deployments = `/apis/apps/v1/namespaces/${ns}/deployments`;
const namespaces = '/api/v1/namespaces';
const nodes = '/api/v1/nodes';
const clusterroles = '/apis/rbac.authorization.k8s.io/v1/clusterroles';
const priorityclasses = '/apis/scheduling.k8s.io/v1/priorityclasses';

const uidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

function rv(obj: LooseObj): number {
  const v = obj.metadata.resourceVersion;
  expect(v).toMatch(/^[1-9]\d*$/);
  return Number(v);
}

const { create, get, mergePatch, jsonPatch, put } = objectVerbs(plane);

async function expectGone(path: string, resource: string, name: string): Promise<void> {
  const status = expectStatus(await plane.client.raw('GET', path), 404, 'NotFound');
  expect(status.message).toBe(`${resource} "${name}" not found`);
}

describe('system namespaces', () => {
  it('default, kube-system, kube-public and kube-node-lease exist at start, Active, with the kubernetes finalizer', async () => {
    for (const name of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
      const ns = await get(`${namespaces}/${name}`);
      expect(ns.kind).toBe('Namespace');
      expect(ns.apiVersion).toBe('v1');
      expect(ns.metadata.name).toBe(name);
      expect(ns.metadata.uid).toMatch(uidPattern);
      expect(ns.status.phase).toBe('Active');
      expect(ns.spec.finalizers).toEqual(['kubernetes']);
      expect(ns.metadata.labels?.['kubernetes.io/metadata.name']).toBe(name);
    }
    const list = expectOk<ObjList>(await plane.client.raw('GET', namespaces), 200);
    expect(list.kind).toBe('NamespaceList');
    expect(list.items.map((n) => n.metadata.name)).toEqual(expect.arrayContaining(['default', 'kube-system', 'kube-public', 'kube-node-lease']));
  });
});

describe('pods (namespaced, core group)', () => {
  it('create answers 201 with server-set metadata, the namespace from the path, and defaults', async () => {
    const name = uniqueName('pod');
    const before = Date.now();
    const pod = await create(pods, podBody(name, { spec: { containers: [{ name: 'a', image: 'busybox' }, { name: 'b', image: 'nginx:1.25' }] } }));
    expect(pod.kind).toBe('Pod');
    expect(pod.apiVersion).toBe('v1');
    expect(pod.metadata.name).toBe(name);
    expect(pod.metadata.namespace).toBe(ns);
    expect(pod.metadata.uid).toMatch(uidPattern);
    expect(pod.metadata.creationTimestamp).toMatch(rfc3339);
    const created = Date.parse(pod.metadata.creationTimestamp!);
    expect(created).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(created).toBeLessThanOrEqual(Date.now());
    rv(pod);
    // Defaults (SetDefaults_PodSpec / SetDefaults_Container).
    expect(pod.spec.restartPolicy).toBe('Always');
    expect(pod.spec.dnsPolicy).toBe('ClusterFirst');
    expect(pod.spec.schedulerName).toBe('default-scheduler');
    expect(pod.spec.terminationGracePeriodSeconds).toBe(30);
    expect(pod.spec.containers[0].imagePullPolicy).toBe('Always'); // no tag: latest
    expect(pod.spec.containers[1].imagePullPolicy).toBe('IfNotPresent');
    expect(pod.spec.containers[0].terminationMessagePath).toBe('/dev/termination-log');
    expect(pod.spec.containers[0].terminationMessagePolicy).toBe('File');
    expect(pod.status.phase).toBe('Pending');

    const read = await get(`${pods}/${name}`);
    expect(read).toEqual(pod);
  });

  it('get of a missing pod is 404 NotFound', async () => {
    await expectGone(`${pods}/nope-pod`, 'pods', 'nope-pod');
  });

  it('a second create with the same name is 409 AlreadyExists and writes nothing', async () => {
    const name = uniqueName('pod');
    await create(pods, podBody(name));
    const res = await withoutWrites(plane, () => plane.client.raw('POST', pods, { body: podBody(name) }));
    const status = expectStatus(res, 409, 'AlreadyExists');
    expect(status.message).toBe(`pods "${name}" already exists`);
  });

  it('list returns a PodList of the namespace, and across all namespaces at /api/v1/pods', async () => {
    const other = uniqueName('ns');
    await create(namespaces, { metadata: { name: other } });
    const a = uniqueName('pod');
    const b = uniqueName('pod');
    await create(pods, podBody(a));
    await create(`/api/v1/namespaces/${other}/pods`, podBody(b));

    const list = expectOk<ObjList>(await plane.client.raw('GET', pods), 200);
    expect(list.kind).toBe('PodList');
    expect(list.apiVersion).toBe('v1');
    expect(list.metadata.resourceVersion).toMatch(/^\d+$/);
    const names = list.items.map((p) => p.metadata.name);
    expect(names).toContain(a);
    expect(names).not.toContain(b);
    for (const item of list.items) expect(item.metadata.namespace).toBe(ns);

    const all = expectOk<ObjList>(await plane.client.raw('GET', '/api/v1/pods'), 200);
    const everywhere = all.items.map((p) => `${p.metadata.namespace}/${p.metadata.name}`);
    expect(everywhere).toEqual(expect.arrayContaining([`${ns}/${a}`, `${other}/${b}`]));

    const inOther = expectOk<ObjList>(await plane.client.raw('GET', `/api/v1/namespaces/${other}/pods`), 200);
    expect(inOther.items.map((p) => p.metadata.name)).toEqual([b]);
  });

  it('the namespace comes from the path; a matching body namespace is accepted', async () => {
    const name = uniqueName('pod');
    const pod = await create(pods, podBody(name, { metadata: { namespace: ns } }));
    expect(pod.metadata.namespace).toBe(ns);
  });

  it('delete of an unscheduled pod removes it at once', async () => {
    const name = uniqueName('pod');
    await create(pods, podBody(name));
    const res = await plane.client.raw('DELETE', `${pods}/${name}`);
    expect(res.status).toBe(200);
    await expectGone(`${pods}/${name}`, 'pods', name);
    const again = expectStatus(await plane.client.raw('DELETE', `${pods}/${name}`), 404, 'NotFound');
    expect(again.message).toBe(`pods "${name}" not found`);
  });
});

describe('configmaps (namespaced): update, patch, delete', () => {
  it('resourceVersion is a number that increases with every write', async () => {
    const name = uniqueName('cm');
    const created = await create(configmaps, configMapBody(name, { a: '1' }));
    const v1 = rv(created);
    const updated = await put(`${configmaps}/${name}`, configMapBody(name, { a: '2' }));
    const v2 = rv(updated);
    const patched = await mergePatch(`${configmaps}/${name}`, { data: { a: '3' } });
    const v3 = rv(patched);
    expect(v2).toBeGreaterThan(v1);
    expect(v3).toBeGreaterThan(v2);
    expect(updated.metadata.uid).toBe(created.metadata.uid);
    expect(patched.metadata.creationTimestamp).toBe(created.metadata.creationTimestamp);
    const list = expectOk<ObjList>(await plane.client.raw('GET', configmaps), 200);
    expect(Number(list.metadata.resourceVersion)).toBeGreaterThanOrEqual(v3);
  });

  it('PUT without a resourceVersion is an unconditional update', async () => {
    const name = uniqueName('cm');
    const created = await create(configmaps, configMapBody(name, { a: '1' }));
    await mergePatch(`${configmaps}/${name}`, { data: { b: '2' } }); // someone else writes first
    const updated = await put(`${configmaps}/${name}`, configMapBody(name, { c: '3' }));
    expect(updated.data).toEqual({ c: '3' });
    expect(rv(updated)).toBeGreaterThan(rv(created));
    expect((await get(`${configmaps}/${name}`)).data).toEqual({ c: '3' });
  });

  it('PUT with a stale resourceVersion is 409 Conflict and writes nothing; re-read and retry succeeds', async () => {
    const name = uniqueName('cm');
    const created = await create(configmaps, configMapBody(name, { a: '1' }));
    const current = await mergePatch(`${configmaps}/${name}`, { data: { a: '2' } });

    const stale = { ...configMapBody(name, { a: 'mine' }), metadata: { name, resourceVersion: created.metadata.resourceVersion } };
    const res = await withoutWrites(plane, () => plane.client.raw('PUT', `${configmaps}/${name}`, { body: stale }));
    const status = expectStatus(res, 409, 'Conflict');
    expect(status.message).toBe(
      `Operation cannot be fulfilled on configmaps "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    );
    expect(status.details?.name).toBe(name);
    expect(status.details?.kind).toBe('configmaps');
    const unchanged = await get(`${configmaps}/${name}`);
    expect(unchanged.data).toEqual({ a: '2' });
    expect(unchanged.metadata.resourceVersion).toBe(current.metadata.resourceVersion);

    // The client's retry: read the latest, apply the change again, write with its resourceVersion.
    const latest = await get(`${configmaps}/${name}`);
    latest.data = { ...latest.data, a: 'mine' };
    const retried = await put(`${configmaps}/${name}`, latest);
    expect(retried.data).toEqual({ a: 'mine' });
    expect(rv(retried)).toBeGreaterThan(rv(latest));
  });

  it('a merge patch (application/merge-patch+json) merges maps and removes keys set to null', async () => {
    const name = uniqueName('cm');
    await create(configmaps, configMapBody(name, { keep: 'x', drop: 'y' }, { labels: { a: '1' } }));
    const patched = await mergePatch(`${configmaps}/${name}`, { metadata: { labels: { b: '2' } }, data: { drop: null, add: 'z' } });
    expect(patched.metadata.labels).toEqual({ a: '1', b: '2' });
    expect(patched.data).toEqual({ keep: 'x', add: 'z' });
    expect(await get(`${configmaps}/${name}`)).toEqual(patched);
  });

  it('a JSON patch (application/json-patch+json) applies its operations in order', async () => {
    const name = uniqueName('cm');
    await create(configmaps, configMapBody(name, { a: '1', b: '2' }));
    const patched = await jsonPatch(`${configmaps}/${name}`, [
      { op: 'test', path: '/data/a', value: '1' },
      { op: 'replace', path: '/data/a', value: 'one' },
      { op: 'remove', path: '/data/b' },
      { op: 'add', path: '/metadata/labels', value: { tier: 'x' } },
    ]);
    expect(patched.data).toEqual({ a: 'one' });
    expect(patched.metadata.labels).toEqual({ tier: 'x' });
    expect(await get(`${configmaps}/${name}`)).toEqual(patched);
  });

  it('a patch that changes nothing leaves the resourceVersion unchanged and writes nothing', async () => {
    const name = uniqueName('cm');
    const created = await create(configmaps, configMapBody(name, { a: '1' }, { labels: { x: 'y' } }));
    const merged = await withoutWrites(plane, () => mergePatch(`${configmaps}/${name}`, { data: { a: '1' }, metadata: { labels: { x: 'y' } } }));
    expect(merged.metadata.resourceVersion).toBe(created.metadata.resourceVersion);
    const json = await withoutWrites(plane, () => jsonPatch(`${configmaps}/${name}`, [{ op: 'replace', path: '/data/a', value: '1' }]));
    expect(json.metadata.resourceVersion).toBe(created.metadata.resourceVersion);
    const sameBody = await withoutWrites(plane, () => put(`${configmaps}/${name}`, configMapBody(name, { a: '1' }, { labels: { x: 'y' } })));
    expect(sameBody.metadata.resourceVersion).toBe(created.metadata.resourceVersion);
  });

  it('delete answers a Success Status and the object is gone', async () => {
    const name = uniqueName('cm');
    const created = await create(configmaps, configMapBody(name));
    const res = await plane.client.raw('DELETE', `${configmaps}/${name}`);
    const body = expectOk<StatusBody>(res, 200);
    expect(body.kind).toBe('Status');
    expect(body.status).toBe('Success');
    expect(body.details?.name).toBe(name);
    expect(body.details?.kind).toBe('configmaps');
    expect((body.details as { uid?: string }).uid).toBe(created.metadata.uid);
    await expectGone(`${configmaps}/${name}`, 'configmaps', name);
  });

  it('deletecollection deletes what the label selector matches, and only that', async () => {
    const group = uniqueName('grp');
    const doomed = [uniqueName('cm'), uniqueName('cm')];
    const kept = uniqueName('cm');
    for (const name of doomed) await create(configmaps, configMapBody(name, { a: '1' }, { labels: { group, doomed: 'yes' } }));
    await create(configmaps, configMapBody(kept, { a: '1' }, { labels: { group, doomed: 'no' } }));

    const res = await plane.client.raw('DELETE', configmaps, { query: { labelSelector: `group=${group},doomed=yes` } });
    // The answer is the list of what was deleted.
    const deleted = expectOk<ObjList>(res, 200);
    expect(deleted.kind).toBe('ConfigMapList');
    expect(deleted.items.map((c) => c.metadata.name).sort()).toEqual([...doomed].sort());
    const remaining = expectOk<ObjList>(await plane.client.raw('GET', configmaps, { query: { labelSelector: `group=${group}` } }), 200);
    expect(remaining.items.map((c) => c.metadata.name)).toEqual([kept]);
    for (const name of doomed) await expectGone(`${configmaps}/${name}`, 'configmaps', name);
  });

  it('fieldManager is accepted on create, update and patch', async () => {
    const name = uniqueName('cm');
    await create(configmaps, configMapBody(name, { a: '1' }), { fieldManager: 'itest-manager' });
    await put(`${configmaps}/${name}`, configMapBody(name, { a: '2' }), { fieldManager: 'itest-manager' });
    const patched = await mergePatch(`${configmaps}/${name}`, { data: { a: '3' } }, { fieldManager: 'other-manager' });
    expect(patched.data).toEqual({ a: '3' });
  });
});

describe('generateName', () => {
  it('the name is the prefix followed by 5 random characters, fresh for every create', async () => {
    const prefix = `${uniqueName('gen')}-`;
    const seen = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const cm = await create(configmaps, { metadata: { generateName: prefix }, data: { a: '1' } });
      const name = cm.metadata.name!;
      expect(name.startsWith(prefix)).toBe(true);
      expect(name.length).toBe(prefix.length + 5);
      expect(name.slice(prefix.length)).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      expect(cm.metadata.generateName).toBe(prefix);
      seen.add(name);
      expect((await get(`${configmaps}/${name}`)).metadata.uid).toBe(cm.metadata.uid);
    }
    expect(seen.size).toBe(3);
  });

  it('a name given with generateName wins', async () => {
    const name = uniqueName('named');
    const cm = await create(configmaps, { metadata: { name, generateName: 'ignored-' }, data: {} });
    expect(cm.metadata.name).toBe(name);
  });
});

describe('secrets', () => {
  it('stringData is folded into base64 data and never stored or returned', async () => {
    const name = uniqueName('sec');
    const created = await create(secrets, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name },
      data: { existing: Buffer.from('old').toString('base64'), shared: Buffer.from('from-data').toString('base64') },
      stringData: { username: 'admin', shared: 'from-stringData' },
    });
    const expected = {
      existing: Buffer.from('old').toString('base64'),
      username: Buffer.from('admin').toString('base64'),
      shared: Buffer.from('from-stringData').toString('base64'),
    };
    expect(created.data).toEqual(expected);
    expect(created.stringData).toBeUndefined();
    expect(created.type).toBe('Opaque');
    const read = await get(`${secrets}/${name}`);
    expect(read.data).toEqual(expected);
    expect(read.stringData).toBeUndefined();

    const patched = await mergePatch(`${secrets}/${name}`, { stringData: { password: 's3cret' } });
    expect(patched.data.password).toBe(Buffer.from('s3cret').toString('base64'));
    expect(patched.data.username).toBe(expected.username);
    expect(patched.stringData).toBeUndefined();
  });
});

describe('deployments (namespaced, apps group at /apis/apps/v1)', () => {
  it('create applies the deployment defaults and the pod template defaults', async () => {
    const name = uniqueName('dep');
    const body = deploymentBody(name);
    delete body.spec.replicas;
    const dep = await create(deployments, body);
    expect(dep.apiVersion).toBe('apps/v1');
    expect(dep.kind).toBe('Deployment');
    expect(dep.metadata.namespace).toBe(ns);
    expect(dep.metadata.generation).toBe(1);
    expect(dep.spec.replicas).toBe(1);
    expect(dep.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
    expect(dep.spec.revisionHistoryLimit).toBe(10);
    expect(dep.spec.progressDeadlineSeconds).toBe(600);
    const podSpec = dep.spec.template.spec;
    expect(podSpec.restartPolicy).toBe('Always');
    expect(podSpec.dnsPolicy).toBe('ClusterFirst');
    expect(podSpec.containers[0].imagePullPolicy).toBe('IfNotPresent');
    expect(await get(`${deployments}/${name}`)).toEqual(dep);

    const list = expectOk<ObjList>(await plane.client.raw('GET', deployments), 200);
    expect(list.kind).toBe('DeploymentList');
    expect(list.apiVersion).toBe('apps/v1');
    expect(list.items.map((d) => d.metadata.name)).toContain(name);
  });

  it('generation is 1 on create and bumped by spec changes only, not by label or status changes', async () => {
    const name = uniqueName('dep');
    const path = `${deployments}/${name}`;
    const created = await create(deployments, deploymentBody(name, 1));
    expect(created.metadata.generation).toBe(1);

    const labelled = await mergePatch(path, { metadata: { labels: { touched: 'yes' } } });
    expect(labelled.metadata.generation).toBe(1);
    expect(rv(labelled)).toBeGreaterThan(rv(created));

    const annotated = await jsonPatch(path, [{ op: 'add', path: '/metadata/annotations', value: { note: 'hi' } }]);
    expect(annotated.metadata.generation).toBe(1);

    const scaled = await mergePatch(path, { spec: { replicas: 3 } });
    expect(scaled.metadata.generation).toBe(2);

    const status = await put(`${path}/status`, { ...scaled, status: { replicas: 1, observedGeneration: 2 } });
    expect(status.status.replicas).toBe(1);
    expect(status.metadata.generation).toBe(2);

    // A status in a main-resource write is ignored.
    const ignored = await mergePatch(path, { status: { replicas: 7 } });
    expect(ignored.status.replicas).toBe(1);
    expect(ignored.metadata.generation).toBe(2);

    const latest = await get(path);
    latest.spec.template.spec.containers[0].image = 'nginx:1.27';
    const replaced = await put(path, latest);
    expect(replaced.metadata.generation).toBe(3);
    expect((await get(path)).metadata.generation).toBe(3);
  });

  it('delete answers a Success Status and the deployment is gone', async () => {
    const name = uniqueName('dep');
    await create(deployments, deploymentBody(name));
    const res = await plane.client.raw('DELETE', `${deployments}/${name}`);
    const body = expectOk<StatusBody>(res, 200);
    expect(body.status).toBe('Success');
    await expectGone(`${deployments}/${name}`, 'deployments.apps', name);
  });
});

describe('dryRun=All', () => {
  it('create answers as if created but stores nothing', async () => {
    const name = uniqueName('cm');
    const res = await withoutWrites(plane, () => plane.client.raw('POST', configmaps, { body: configMapBody(name, { a: '1' }), query: { dryRun: 'All' } }));
    const obj = expectOk(res, 201);
    expect(obj.metadata.name).toBe(name);
    expect(obj.metadata.namespace).toBe(ns);
    expect(obj.metadata.uid).toMatch(uidPattern);
    expect(obj.metadata.creationTimestamp).toMatch(rfc3339);
    expect(obj.data).toEqual({ a: '1' });
    await expectGone(`${configmaps}/${name}`, 'configmaps', name);
  });

  it('create applies defaults as a real create would', async () => {
    const name = uniqueName('dep');
    const res = await withoutWrites(plane, () => plane.client.raw('POST', deployments, { body: deploymentBody(name), query: { dryRun: 'All' } }));
    const dep = expectOk(res, 201);
    expect(dep.spec.strategy.rollingUpdate).toEqual({ maxUnavailable: '25%', maxSurge: '25%' });
    await expectGone(`${deployments}/${name}`, 'deployments.apps', name);
  });

  it('create of a name that exists is 409 AlreadyExists, as the real create would be', async () => {
    const name = uniqueName('cm');
    await create(configmaps, configMapBody(name, { a: '1' }));
    const res = await withoutWrites(plane, () => plane.client.raw('POST', configmaps, { body: configMapBody(name, { a: '2' }), query: { dryRun: 'All' } }));
    expectStatus(res, 409, 'AlreadyExists');
    expect((await get(`${configmaps}/${name}`)).data).toEqual({ a: '1' });
  });

  it('update and both kinds of patch answer the new object but change nothing', async () => {
    const name = uniqueName('cm');
    const path = `${configmaps}/${name}`;
    const created = await create(configmaps, configMapBody(name, { a: '1' }));

    const updated = await withoutWrites(plane, () => put(path, configMapBody(name, { a: 'put' }), { dryRun: 'All' }));
    expect(updated.data).toEqual({ a: 'put' });
    const merged = await withoutWrites(plane, () => mergePatch(path, { data: { a: 'merge' } }, { dryRun: 'All' }));
    expect(merged.data).toEqual({ a: 'merge' });
    const json = await withoutWrites(plane, () => jsonPatch(path, [{ op: 'replace', path: '/data/a', value: 'json' }], { dryRun: 'All' }));
    expect(json.data).toEqual({ a: 'json' });

    expect(await get(path)).toEqual(created);
  });

  it('delete answers as if deleted but the object stays', async () => {
    const name = uniqueName('cm');
    const path = `${configmaps}/${name}`;
    const created = await create(configmaps, configMapBody(name, { a: '1' }));
    const res = await withoutWrites(plane, () => plane.client.raw('DELETE', path, { query: { dryRun: 'All' } }));
    expect(res.status).toBe(200);
    expect(await get(path)).toEqual(created);

    const nsName = uniqueName('ns');
    await create(namespaces, { metadata: { name: nsName } });
    const nsRes = await withoutWrites(plane, () => plane.client.raw('DELETE', `${namespaces}/${nsName}`, { query: { dryRun: 'All' } }));
    expect(nsRes.status).toBe(200);
    const stillActive = await get(`${namespaces}/${nsName}`);
    expect(stillActive.status.phase).toBe('Active');
    expect(stillActive.metadata.deletionTimestamp).toBeUndefined();
  });
});

describe('YAML', () => {
  it('accepts a YAML request body (Content-Type: application/yaml) on create and update', async () => {
    const name = uniqueName('cm');
    const yamlBody = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  labels:\n    format: yaml\ndata:\n  greeting: "hello: world"\n  number: "42"\n`;
    const res = await plane.client.raw('POST', configmaps, { rawBody: yamlBody, contentType: 'application/yaml' });
    const created = expectOk(res, 201);
    expect(created.metadata.labels).toEqual({ format: 'yaml' });
    expect(created.data).toEqual({ greeting: 'hello: world', number: '42' });

    const updatedYaml = stringifyYaml({ ...created, data: { greeting: 'bye' } });
    const updated = expectOk(await plane.client.raw('PUT', `${configmaps}/${name}`, { rawBody: updatedYaml, contentType: 'application/yaml' }), 200);
    expect(updated.data).toEqual({ greeting: 'bye' });
  });

  it('answers in YAML for Accept: application/yaml', async () => {
    const name = uniqueName('cm');
    const created = await create(configmaps, configMapBody(name, { a: '1' }));
    const res = await plane.client.raw('GET', `${configmaps}/${name}`, { headers: { Accept: 'application/yaml' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/yaml/);
    expect(res.json).toBeUndefined(); // not JSON
    expect(parseYaml(res.text)).toEqual(created);

    const list = await plane.client.raw('GET', configmaps, { headers: { Accept: 'application/yaml' } });
    expect(list.status).toBe(200);
    const parsed = parseYaml(list.text) as ObjList;
    expect(parsed.kind).toBe('ConfigMapList');
    expect(parsed.items.map((c) => c.metadata.name)).toContain(name);
  });
});

describe('namespaces (cluster-scoped)', () => {
  it('create, get, list, patch and update', async () => {
    const name = uniqueName('ns');
    const created = await create(namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { team: 'a' } } });
    expect(created.metadata.namespace).toBeUndefined();
    expect(created.status.phase).toBe('Active');
    expect(created.spec.finalizers).toEqual(['kubernetes']);
    expect(created.metadata.labels).toEqual({ team: 'a', 'kubernetes.io/metadata.name': name });

    expect(await get(`${namespaces}/${name}`)).toEqual(created);
    const list = expectOk<ObjList>(await plane.client.raw('GET', namespaces), 200);
    expect(list.items.map((n) => n.metadata.name)).toContain(name);

    const patched = await mergePatch(`${namespaces}/${name}`, { metadata: { labels: { team: 'b' } } });
    expect(patched.metadata.labels?.team).toBe('b');
    const latest = await get(`${namespaces}/${name}`);
    latest.metadata.annotations = { owner: 'me' };
    const updated = await put(`${namespaces}/${name}`, latest);
    expect(updated.metadata.annotations).toEqual({ owner: 'me' });
    expect(rv(updated)).toBeGreaterThan(rv(patched));
  });

  it('a namespaced path under a cluster-scoped resource is 404', async () => {
    const res = await plane.client.raw('GET', '/apis/rbac.authorization.k8s.io/v1/namespaces/default/clusterroles');
    expectStatus(res, 404, 'NotFound');
  });

  it('creating into a namespace that does not exist is 404 and writes nothing', async () => {
    const missing = uniqueName('missing');
    const res = await withoutWrites(plane, () => plane.client.raw('POST', `/api/v1/namespaces/${missing}/configmaps`, { body: configMapBody('x') }));
    const status = expectStatus(res, 404, 'NotFound');
    expect(status.message).toBe(`namespaces "${missing}" not found`);
  });

  it('delete leaves the namespace Terminating (kubernetes finalizer) and creating into it is 403 Forbidden', async () => {
    const name = uniqueName('ns');
    await create(namespaces, { metadata: { name } });
    const cm = uniqueName('cm');
    await create(`/api/v1/namespaces/${name}/configmaps`, configMapBody(cm));

    const res = await plane.client.raw('DELETE', `${namespaces}/${name}`);
    const deleted = expectOk(res, 200);
    expect(deleted.kind).toBe('Namespace');
    expect(deleted.status.phase).toBe('Terminating');
    expect(deleted.metadata.deletionTimestamp).toMatch(rfc3339);

    const read = await get(`${namespaces}/${name}`);
    expect(read.status.phase).toBe('Terminating');
    expect(read.spec.finalizers).toEqual(['kubernetes']);
    expect(read.metadata.deletionTimestamp).toBe(deleted.metadata.deletionTimestamp);

    const refused = await withoutWrites(plane, () => plane.client.raw('POST', `/api/v1/namespaces/${name}/configmaps`, { body: configMapBody(uniqueName('cm')) }));
    const status = expectStatus(refused, 403, 'Forbidden');
    expect(status.message).toContain(`unable to create new content in namespace ${name} because it is being terminated`);

    // What is already there can still be read and updated.
    expect((await get(`/api/v1/namespaces/${name}/configmaps/${cm}`)).metadata.name).toBe(cm);
    await mergePatch(`/api/v1/namespaces/${name}/configmaps/${cm}`, { data: { k: 'changed' } });
  });

  it('the default and kube-system namespaces cannot be deleted (403) and stay Active', async () => {
    for (const name of ['default', 'kube-system']) {
      const res = await withoutWrites(plane, () => plane.client.raw('DELETE', `${namespaces}/${name}`));
      const status = expectStatus(res, 403, 'Forbidden');
      expect(status.message).toBe(`namespaces "${name}" is forbidden: this namespace may not be deleted`);
      const ns = await get(`${namespaces}/${name}`);
      expect(ns.status.phase).toBe('Active');
      expect(ns.metadata.deletionTimestamp).toBeUndefined();
    }
  });
});

describe('nodes (cluster-scoped)', () => {
  it('create keeps the status it is registered with; get, list, patch, update, delete', async () => {
    const name = uniqueName('node');
    const created = await create(nodes, {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name, labels: { 'kubernetes.io/hostname': name } },
      spec: { podCIDR: '10.244.1.0/24' },
      status: { capacity: { cpu: '4', memory: '8Gi', pods: '110' } },
    });
    expect(created.metadata.namespace).toBeUndefined();
    expect(created.metadata.uid).toMatch(uidPattern);
    expect(created.spec.podCIDRs).toEqual(['10.244.1.0/24']);
    expect(created.status.capacity).toEqual({ cpu: '4', memory: '8Gi', pods: '110' });
    expect(created.status.allocatable).toEqual({ cpu: '4', memory: '8Gi', pods: '110' });
    expect(await get(`${nodes}/${name}`)).toEqual(created);

    const list = expectOk<ObjList>(await plane.client.raw('GET', nodes), 200);
    expect(list.kind).toBe('NodeList');
    expect(list.items.map((n) => n.metadata.name)).toContain(name);

    const cordoned = await mergePatch(`${nodes}/${name}`, { spec: { unschedulable: true } });
    expect(cordoned.spec.unschedulable).toBe(true);
    const latest = await get(`${nodes}/${name}`);
    latest.metadata.labels = { ...latest.metadata.labels, role: 'worker' };
    const updated = await put(`${nodes}/${name}`, latest);
    expect(updated.metadata.labels?.role).toBe('worker');
    expect(updated.spec.unschedulable).toBe(true);

    const res = await plane.client.raw('DELETE', `${nodes}/${name}`);
    expect(res.status).toBe(200);
    await expectGone(`${nodes}/${name}`, 'nodes', name);
  });
});

describe('clusterroles (cluster-scoped, rbac group)', () => {
  it('create, get, list, update, patch, delete', async () => {
    const name = `${uniqueName('role')}:reader`; // path-segment names may contain colons
    const path = `${clusterroles}/${encodeURIComponent(name)}`;
    const created = await create(clusterroles, {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name },
      rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }],
    });
    expect(created.metadata.name).toBe(name);
    expect(created.metadata.namespace).toBeUndefined();
    expect(await get(path)).toEqual(created);

    const list = expectOk<ObjList>(await plane.client.raw('GET', clusterroles), 200);
    expect(list.kind).toBe('ClusterRoleList');
    expect(list.items.map((r) => r.metadata.name)).toContain(name);

    const replaced = await put(path, { ...created, rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }] });
    expect(replaced.rules).toEqual([{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }]);
    const patched = await jsonPatch(path, [{ op: 'add', path: '/rules/-', value: { apiGroups: ['apps'], resources: ['deployments'], verbs: ['watch'] } }]);
    expect(patched.rules).toHaveLength(2);
    expect(rv(patched)).toBeGreaterThan(rv(replaced));

    const res = await plane.client.raw('DELETE', path);
    const body = expectOk<StatusBody>(res, 200);
    expect(body.status).toBe('Success');
    await expectGone(path, 'clusterroles.rbac.authorization.k8s.io', name);
  });
});

describe('priorityclasses (cluster-scoped, scheduling group)', () => {
  it('create, get, list, patch, delete; value is immutable', async () => {
    const name = uniqueName('prio');
    const path = `${priorityclasses}/${name}`;
    const created = await create(priorityclasses, { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name }, value: 1000, description: 'first' });
    expect(created.value).toBe(1000);
    expect(created.preemptionPolicy).toBe('PreemptLowerPriority');
    expect(await get(path)).toEqual(created);
    const list = expectOk<ObjList>(await plane.client.raw('GET', priorityclasses), 200);
    expect(list.items.map((p) => p.metadata.name)).toContain(name);

    const described = await mergePatch(path, { description: 'second' });
    expect(described.description).toBe('second');

    const res = await withoutWrites(plane, () => plane.client.raw('PATCH', path, { body: { value: 5 }, contentType: 'application/merge-patch+json' }));
    const status = expectStatus(res, 422, 'Invalid');
    expect(status.details?.causes?.map((c) => c.field)).toContain('value');
    expect((await get(path)).value).toBe(1000);

    expect((await plane.client.raw('DELETE', path)).status).toBe(200);
    await expectGone(path, 'priorityclasses.scheduling.k8s.io', name);
  });
});
