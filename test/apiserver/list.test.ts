/**
 * Lists over HTTP: label and field selectors, namespaces, paging with continue tokens (and their
 * expiry after compaction), and the resourceVersion semantics ("", "0", Exact), as Kubernetes
 * serves them.
 */
import { useControlPlane } from '../harness/apiserver';
import { createNamespace, eventually, uniqueName, type ListOf, type Obj, type StatusBody } from './helpers';
import { createConfigMap, names } from './listWatchHelpers';

const plane = useControlPlane();

const cmPath = (ns: string) => `/api/v1/namespaces/${ns}/configmaps`;

async function list(path: string, query: Record<string, string | number | undefined> = {}): Promise<ListOf> {
  return plane.client.get<ListOf>(path, query);
}

/** A list that must fail: returns the Status body and the HTTP code. */
async function listError(path: string, query: Record<string, string | number | undefined>): Promise<{ status: number; body: StatusBody }> {
  const res = await plane.client.raw('GET', path, { query });
  return { status: res.status, body: res.json as StatusBody };
}

/** Reads every page of a list with `limit`, returning the pages. */
async function allPages(path: string, query: Record<string, string | number | undefined>): Promise<ListOf[]> {
  const pages: ListOf[] = [];
  let token: string | undefined;
  do {
    const page = await list(path, { ...query, ...(token ? { continue: token } : {}) });
    pages.push(page);
    token = page.metadata.continue;
    if (pages.length > 100) throw new Error('too many pages');
  } while (token);
  return pages;
}

describe('list: label selectors', () => {
  let ns: string;
  beforeAll(async () => {
    ns = await createNamespace(plane.client, 'labels');
    await createConfigMap(plane.client, ns, 'a', { app: 'web', tier: 'front' });
    await createConfigMap(plane.client, ns, 'b', { app: 'web', tier: 'back' });
    await createConfigMap(plane.client, ns, 'c', { app: 'db' });
    await createConfigMap(plane.client, ns, 'd');
    await createConfigMap(plane.client, ns, 'e', { app: 'cache', env: 'prod' });
  });

  it.each([
    ['app=web', ['a', 'b']],
    ['app==web', ['a', 'b']],
    ['app!=web', ['c', 'd', 'e']],
    ['app in (web,db)', ['a', 'b', 'c']],
    ['app in (web, db)', ['a', 'b', 'c']],
    ['app notin (web,db)', ['d', 'e']],
    ['tier', ['a', 'b']],
    ['!tier', ['c', 'd', 'e']],
    ['app=web,tier=back', ['b']],
    ['app in (web,cache),!tier', ['e']],
    ['app,app notin (db)', ['a', 'b', 'e']],
    ['tier!=front,app', ['b', 'c', 'e']],
    ['env=prod,app=db', []],
    ['', ['a', 'b', 'c', 'd', 'e']],
  ])('labelSelector %j selects %j (from etcd and from the watch cache)', async (selector, expected) => {
    const consistent = await list(cmPath(ns), { labelSelector: selector });
    expect(names(consistent.items)).toEqual(expected);
    // The same selection from the watch cache (resourceVersion=0), once it has every object.
    const cached = await eventually('the cache to hold the namespace', async () => {
      const all = await list(cmPath(ns), { resourceVersion: '0' });
      return all.items.length === 5 ? list(cmPath(ns), { resourceVersion: '0', labelSelector: selector }) : undefined;
    });
    expect(names(cached.items)).toEqual(expected);
  });

  it('returns an empty items array, not null, when nothing matches', async () => {
    const res = await plane.client.raw('GET', cmPath(ns), { query: { labelSelector: 'app=nothing' } });
    expect(res.status).toBe(200);
    expect((res.json as ListOf).items).toEqual([]);
  });

  it.each(['app in (web', '=web', 'app=web,', 'app in web', 'app=web app=db', 'app=-bad-', 'a/b/c=x', '!', 'app notin'])(
    'rejects the malformed label selector %j with 400 BadRequest',
    async (selector) => {
      const { status, body } = await listError(cmPath(ns), { labelSelector: selector });
      expect(status).toBe(400);
      expect(body).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'BadRequest', code: 400 });
      expect(body.message).toBeTruthy();
    },
  );

  it('rejects a malformed label selector on a cache read (resourceVersion=0) too', async () => {
    const { status, body } = await listError(cmPath(ns), { labelSelector: 'app in (web', resourceVersion: '0' });
    expect(status).toBe(400);
    expect(body.reason).toBe('BadRequest');
  });
});

describe('list: field selectors', () => {
  it('selects on metadata.name and metadata.namespace, alone and with a label selector', async () => {
    const ns1 = await createNamespace(plane.client, 'fields');
    const ns2 = await createNamespace(plane.client, 'fields');
    await createConfigMap(plane.client, ns1, 'one', { grp: 'fs' });
    await createConfigMap(plane.client, ns1, 'two', { grp: 'fs' });
    await createConfigMap(plane.client, ns2, 'one', { grp: 'fs', x: 'y' });

    const byName = await list(cmPath(ns1), { fieldSelector: 'metadata.name=two' });
    expect(names(byName.items)).toEqual(['two']);
    const byNameDouble = await list(cmPath(ns1), { fieldSelector: 'metadata.name==two' });
    expect(names(byNameDouble.items)).toEqual(['two']);
    const notName = await list(cmPath(ns1), { fieldSelector: 'metadata.name!=two' });
    expect(names(notName.items)).toEqual(['one']);

    // Across namespaces: metadata.namespace picks one; metadata.name picks one name in every namespace.
    const inNs2 = await list('/api/v1/configmaps', { fieldSelector: `metadata.namespace=${ns2}` });
    expect(inNs2.items.map((o) => `${o.metadata.namespace}/${o.metadata.name}`)).toEqual([`${ns2}/one`]);
    const ones = await list('/api/v1/configmaps', { fieldSelector: 'metadata.name=one', labelSelector: 'grp=fs' });
    expect(ones.items.map((o) => `${o.metadata.namespace}/${o.metadata.name}`)).toEqual([`${ns1}/one`, `${ns2}/one`]);
    const combined = await list('/api/v1/configmaps', { fieldSelector: `metadata.name=one,metadata.namespace!=${ns1}`, labelSelector: 'grp=fs' });
    expect(combined.items.map((o) => `${o.metadata.namespace}/${o.metadata.name}`)).toEqual([`${ns2}/one`]);
    const withLabel = await list('/api/v1/configmaps', { fieldSelector: 'metadata.name=one', labelSelector: 'grp=fs,!x' });
    expect(withLabel.items.map((o) => `${o.metadata.namespace}/${o.metadata.name}`)).toEqual([`${ns1}/one`]);
  });

  it('selects pods on spec.nodeName, status.phase and spec.schedulerName', async () => {
    const ns = await createNamespace(plane.client, 'podfields');
    const pod = (name: string, spec: Record<string, unknown> = {}) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name },
      spec: { containers: [{ name: 'c', image: 'busybox' }], ...spec },
    });
    const podsPath = `/api/v1/namespaces/${ns}/pods`;
    await plane.client.create(podsPath, pod('pa', { nodeName: 'node-a' }));
    await plane.client.create(podsPath, pod('pb', { nodeName: 'node-b', schedulerName: 'my-scheduler' }));
    await plane.client.create(podsPath, pod('pc'));
    await plane.client.patch(`${podsPath}/pa/status`, { status: { phase: 'Running' } });

    const q = async (fieldSelector: string) => names((await list(podsPath, { fieldSelector })).items);
    expect(await q('spec.nodeName=node-a')).toEqual(['pa']);
    expect(await q('spec.nodeName!=node-a')).toEqual(['pb', 'pc']);
    // The scheduler's "unscheduled pods" selector: an empty node name.
    expect(await q('spec.nodeName=')).toEqual(['pc']);
    expect(await q('status.phase=Running')).toEqual(['pa']);
    expect(await q('status.phase=Pending')).toEqual(['pb', 'pc']);
    expect(await q('status.phase!=Succeeded,status.phase!=Failed')).toEqual(['pa', 'pb', 'pc']);
    expect(await q('spec.schedulerName=my-scheduler')).toEqual(['pb']);
    // schedulerName is defaulted, and the default is selectable.
    expect(await q('spec.schedulerName=default-scheduler')).toEqual(['pa', 'pc']);
    expect(await q('spec.nodeName=node-b,spec.schedulerName=my-scheduler')).toEqual(['pb']);
    expect(await q('spec.nodeName=node-a,status.phase=Pending')).toEqual([]);

    // kubelet's query: its node's pods across all namespaces.
    const onNodeA = await list('/api/v1/pods', { fieldSelector: 'spec.nodeName=node-a' });
    expect(onNodeA.items.map((p) => `${p.metadata.namespace}/${p.metadata.name}`)).toEqual([`${ns}/pa`]);
  });

  it('selects events on involvedObject.kind, name, namespace and uid', async () => {
    const ns = await createNamespace(plane.client, 'events');
    const event = (name: string, involved: Record<string, string>) => ({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name },
      involvedObject: { namespace: ns, ...involved },
      reason: 'Testing',
      message: 'm',
      type: 'Normal',
    });
    const evPath = `/api/v1/namespaces/${ns}/events`;
    await plane.client.create(evPath, event('e1', { kind: 'Pod', name: 'web-1', uid: 'uid-1' }));
    await plane.client.create(evPath, event('e2', { kind: 'Pod', name: 'web-2', uid: 'uid-2' }));
    await plane.client.create(evPath, event('e3', { kind: 'Node', name: 'web-1', uid: 'uid-3' }));

    const q = async (fieldSelector: string) => names((await list(evPath, { fieldSelector })).items);
    expect(await q('involvedObject.kind=Pod')).toEqual(['e1', 'e2']);
    expect(await q('involvedObject.name=web-1')).toEqual(['e1', 'e3']);
    expect(await q('involvedObject.uid=uid-2')).toEqual(['e2']);
    expect(await q(`involvedObject.namespace=${ns}`)).toEqual(['e1', 'e2', 'e3']);
    // kubectl describe pod's query.
    expect(await q(`involvedObject.name=web-1,involvedObject.namespace=${ns},involvedObject.uid=uid-1`)).toEqual(['e1']);
    expect(await q('involvedObject.kind=Pod,involvedObject.name=web-1')).toEqual(['e1']);
    const across = await list('/api/v1/events', { fieldSelector: `involvedObject.namespace=${ns},involvedObject.kind!=Pod` });
    expect(names(across.items)).toEqual(['e3']);
  });

  it('selects secrets on type', async () => {
    const ns = await createNamespace(plane.client, 'secrets');
    const secPath = `/api/v1/namespaces/${ns}/secrets`;
    await plane.client.create(secPath, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's-opaque' }, data: { a: 'YQ==' } });
    await plane.client.create(secPath, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's-custom' }, type: 'example.com/token', data: { a: 'YQ==' } });
    const q = async (fieldSelector: string) => names((await list(secPath, { fieldSelector })).items);
    expect(await q('type=Opaque')).toEqual(['s-opaque']);
    expect(await q('type=example.com/token')).toEqual(['s-custom']);
    expect(await q('type!=Opaque')).toEqual(['s-custom']);
  });

  it.each([
    ['/api/v1/namespaces/default/configmaps', 'x=1', 'x'],
    ['/api/v1/namespaces/default/configmaps', 'spec.nodeName=a', 'spec.nodeName'],
    ['/api/v1/namespaces/default/pods', 'spec.containers=a', 'spec.containers'],
    ['/api/v1/namespaces/default/secrets', 'metadata.name=a,data=b', 'data'],
    ['/api/v1/pods', 'status.phase=Running,metadata.labels=x', 'metadata.labels'],
  ])('GET %s?fieldSelector=%s is 400 "field label not supported: %s"', async (path, selector, field) => {
    const { status, body } = await listError(path, { fieldSelector: selector });
    expect(status).toBe(400);
    expect(body).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'BadRequest', code: 400, message: `field label not supported: ${field}` });
    // The cache path validates the selector the same way.
    const cached = await listError(path, { fieldSelector: selector, resourceVersion: '0' });
    expect(cached.status).toBe(400);
    expect(cached.body.message).toBe(`field label not supported: ${field}`);
  });

  it('rejects a malformed field selector with 400', async () => {
    const { status, body } = await listError('/api/v1/namespaces/default/configmaps', { fieldSelector: 'metadata.name' });
    expect(status).toBe(400);
    expect(body.reason).toBe('BadRequest');
  });
});

describe('list: namespaces', () => {
  it('lists one namespace, or every namespace at /api/v1/<resource>', async () => {
    const ns1 = await createNamespace(plane.client, 'scope');
    const ns2 = await createNamespace(plane.client, 'scope');
    const tag = uniqueName('scope');
    await createConfigMap(plane.client, ns1, 'x', { tag });
    await createConfigMap(plane.client, ns2, 'x', { tag });
    await createConfigMap(plane.client, ns2, 'y', { tag });

    const one = await list(cmPath(ns1));
    expect(one.items.map((o) => `${o.metadata.namespace}/${o.metadata.name}`)).toEqual([`${ns1}/x`]);
    const two = await list(cmPath(ns2));
    expect(two.items.map((o) => `${o.metadata.namespace}/${o.metadata.name}`)).toEqual([`${ns2}/x`, `${ns2}/y`]);
    const all = await list('/api/v1/configmaps', { labelSelector: `tag=${tag}` });
    expect(all.items.map((o) => `${o.metadata.namespace}/${o.metadata.name}`)).toEqual([`${ns1}/x`, `${ns2}/x`, `${ns2}/y`]);
    // The same from the watch cache.
    const cached = await eventually('the cache to hold every object', async () => {
      const l = await list('/api/v1/configmaps', { labelSelector: `tag=${tag}`, resourceVersion: '0' });
      return l.items.length === 3 ? l : undefined;
    });
    expect(cached.items.map((o) => `${o.metadata.namespace}/${o.metadata.name}`)).toEqual([`${ns1}/x`, `${ns2}/x`, `${ns2}/y`]);
  });

  it('a namespace whose name prefixes another does not see the other one\'s objects', async () => {
    const ns = await createNamespace(plane.client, 'pfx');
    const longer = `${ns}0`;
    await plane.client.create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: longer } });
    await createConfigMap(plane.client, ns, 'mine');
    await createConfigMap(plane.client, longer, 'theirs');
    expect(names((await list(cmPath(ns))).items)).toEqual(['mine']);
    const cached = await eventually('the cache to hold both', async () => {
      const l = await list(cmPath(longer), { resourceVersion: '0' });
      return l.items.length === 1 ? list(cmPath(ns), { resourceVersion: '0' }) : undefined;
    });
    expect(names(cached.items)).toEqual(['mine']);
  });
});

describe('list: paging', () => {
  it('pages with limit/continue over one consistent snapshot, with remainingItemCount', async () => {
    const ns = await createNamespace(plane.client, 'paging');
    for (let i = 0; i < 7; i++) await createConfigMap(plane.client, ns, `cm-${i}`);

    const first = await list(cmPath(ns), { limit: 3 });
    expect(names(first.items)).toEqual(['cm-0', 'cm-1', 'cm-2']);
    expect(first.metadata.continue).toBeTruthy();
    expect(first.metadata.remainingItemCount).toBe(4);

    // Changes after the first page: invisible to the following pages.
    await createConfigMap(plane.client, ns, 'cm-9-late');
    await createConfigMap(plane.client, ns, 'cm-3a-late');
    await plane.client.delete(`${cmPath(ns)}/cm-5`);
    await plane.client.patch(`${cmPath(ns)}/cm-4`, { data: { changed: 'yes' } });

    const second = await list(cmPath(ns), { limit: 3, continue: first.metadata.continue });
    expect(names(second.items)).toEqual(['cm-3', 'cm-4', 'cm-5']);
    expect(second.items[1]!.data).toBeUndefined();
    expect(second.metadata.continue).toBeTruthy();
    expect(second.metadata.remainingItemCount).toBe(1);
    expect(second.metadata.resourceVersion).toBe(first.metadata.resourceVersion);

    const third = await list(cmPath(ns), { limit: 3, continue: second.metadata.continue });
    expect(names(third.items)).toEqual(['cm-6']);
    expect(third.metadata.continue).toBeUndefined();
    expect(third.metadata.remainingItemCount).toBeUndefined();
    expect(third.metadata.resourceVersion).toBe(first.metadata.resourceVersion);

    // A fresh list sees the changes.
    expect(names((await list(cmPath(ns))).items)).toEqual(['cm-0', 'cm-1', 'cm-2', 'cm-3', 'cm-3a-late', 'cm-4', 'cm-6', 'cm-9-late']);
  });

  it('a limit equal to the number of objects returns them all without a continue token', async () => {
    const ns = await createNamespace(plane.client, 'exact');
    for (let i = 0; i < 3; i++) await createConfigMap(plane.client, ns, `cm-${i}`);
    const page = await list(cmPath(ns), { limit: 3 });
    expect(names(page.items)).toEqual(['cm-0', 'cm-1', 'cm-2']);
    expect(page.metadata.continue).toBeUndefined();
    expect(page.metadata.remainingItemCount).toBeUndefined();
  });

  it('pages across every namespace', async () => {
    const tag = uniqueName('allns');
    const ns1 = await createNamespace(plane.client, 'pall');
    const ns2 = await createNamespace(plane.client, 'pall');
    await createConfigMap(plane.client, ns1, 'a', { tag });
    await createConfigMap(plane.client, ns1, 'b', { tag });
    await createConfigMap(plane.client, ns2, 'a', { tag });
    await createConfigMap(plane.client, ns2, 'b', { tag });
    const pages = await allPages('/api/v1/configmaps', { limit: 1, labelSelector: `tag=${tag}` });
    const seen = pages.flatMap((p) => p.items.map((o) => `${o.metadata.namespace}/${o.metadata.name}`));
    expect(seen).toEqual([`${ns1}/a`, `${ns1}/b`, `${ns2}/a`, `${ns2}/b`]);
    for (const p of pages) expect(p.items.length).toBeLessThanOrEqual(1);
  });

  it('pages of a label-selected list hold up to `limit` matching objects each', async () => {
    const ns = await createNamespace(plane.client, 'pagesel');
    for (let i = 0; i < 10; i++) await createConfigMap(plane.client, ns, `m-${i}`, { even: i % 2 === 0 ? 'yes' : 'no' });

    const pages = await allPages(cmPath(ns), { limit: 2, labelSelector: 'even=yes' });
    expect(pages.map((p) => names(p.items))).toEqual([['m-0', 'm-2'], ['m-4', 'm-6'], ['m-8']]);
    for (const p of pages) {
      for (const item of p.items) expect(item.metadata.labels).toEqual({ even: 'yes' });
      // remainingItemCount cannot be known with a selector.
      expect(p.metadata.remainingItemCount).toBeUndefined();
      expect(p.metadata.resourceVersion).toBe(pages[0]!.metadata.resourceVersion);
    }
    expect(pages[2]!.metadata.continue).toBeUndefined();

    const odd = await allPages(cmPath(ns), { limit: 3, labelSelector: 'even=no' });
    expect(odd.flatMap((p) => names(p.items))).toEqual(['m-1', 'm-3', 'm-5', 'm-7', 'm-9']);
    expect(names(odd[0]!.items)).toEqual(['m-1', 'm-3', 'm-5']);
    for (const p of odd) expect(p.items.length).toBeLessThanOrEqual(3);

    // A field selector pages the same way.
    const byField = await allPages(cmPath(ns), { limit: 2, fieldSelector: 'metadata.name!=m-0,metadata.name!=m-1' });
    expect(byField.flatMap((p) => names(p.items))).toEqual(['m-2', 'm-3', 'm-4', 'm-5', 'm-6', 'm-7', 'm-8', 'm-9']);
    expect(names(byField[0]!.items)).toEqual(['m-2', 'm-3']);
  });

  it('a continue token from before a compaction is 410 Expired, with a token to go on inconsistently', async () => {
    const ns = await createNamespace(plane.client, 'compact');
    for (let i = 0; i < 5; i++) await createConfigMap(plane.client, ns, `c-${i}`);
    const first = await list(cmPath(ns), { limit: 2 });
    expect(names(first.items)).toEqual(['c-0', 'c-1']);
    await createConfigMap(plane.client, ns, 'c-9');
    await plane.server.storage.compact(await plane.server.storage.currentRevision());

    const { status, body } = await listError(cmPath(ns), { limit: 2, continue: first.metadata.continue });
    expect(status).toBe(410);
    expect(body).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Expired', code: 410 });
    expect(body.message).toContain('too old to display a consistent list result');
    expect(body.metadata.continue).toBeTruthy();

    // The new token continues after the last key returned, at the latest state (c-9 shows up).
    const rest = await allPages(cmPath(ns), { limit: 2, continue: body.metadata.continue });
    expect(rest.flatMap((p) => names(p.items))).toEqual(['c-2', 'c-3', 'c-4', 'c-9']);
    expect(Number(rest[0]!.metadata.resourceVersion)).toBeGreaterThan(Number(first.metadata.resourceVersion));
  });

  it.each([
    ['not base64 JSON', 'garbage!!'],
    ['JSON of the wrong version', Buffer.from(JSON.stringify({ v: 'x/v9', rv: 5, start: 'a' })).toString('base64url')],
    ['a negative revision', Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: -3, start: 'a' })).toString('base64url')],
    ['a start key escaping the prefix', Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: 5, start: '../../secrets/x' })).toString('base64url')],
  ])('a malformed continue token (%s) is 400 BadRequest', async (_what, token) => {
    const { status, body } = await listError(cmPath('default'), { limit: 1, continue: token });
    expect(status).toBe(400);
    expect(body).toMatchObject({ kind: 'Status', reason: 'BadRequest', code: 400 });
  });

  it('continue with a resourceVersion is 400', async () => {
    const ns = await createNamespace(plane.client, 'contrv');
    await createConfigMap(plane.client, ns, 'a');
    await createConfigMap(plane.client, ns, 'b');
    const first = await list(cmPath(ns), { limit: 1 });
    const { status, body } = await listError(cmPath(ns), { limit: 1, continue: first.metadata.continue, resourceVersion: first.metadata.resourceVersion });
    expect(status).toBe(400);
    expect(body.reason).toBe('BadRequest');
  });

  it('a negative or non-numeric limit is 400', async () => {
    expect((await listError(cmPath('default'), { limit: -1 })).status).toBe(400);
    expect((await listError(cmPath('default'), { limit: 'ten' })).status).toBe(400);
  });
});

describe('list: resourceVersion', () => {
  it('resourceVersion "" is consistent: a just-created object is always listed', async () => {
    const ns = await createNamespace(plane.client, 'rvempty');
    for (let i = 0; i < 15; i++) {
      const created = await createConfigMap(plane.client, ns, `cm-${i}`);
      const l = await list(cmPath(ns), { resourceVersion: '' });
      expect(names(l.items)).toContain(`cm-${i}`);
      expect(Number(l.metadata.resourceVersion)).toBeGreaterThanOrEqual(Number(created.metadata.resourceVersion));
      const updated = await plane.client.patch<Obj>(`${cmPath(ns)}/cm-${i}`, { data: { v: String(i) } });
      const afterUpdate = await list(cmPath(ns));
      expect(afterUpdate.items.find((o) => o.metadata.name === `cm-${i}`)?.metadata.resourceVersion).toBe(updated.metadata.resourceVersion);
    }
  });

  it('resourceVersion "0" is served from the watch cache and eventually holds a new object', async () => {
    const ns = await createNamespace(plane.client, 'rvzero');
    const created = await createConfigMap(plane.client, ns, 'late', undefined, { k: 'v' });
    const l = await eventually('the cache to hold the object', async () => {
      const r = await list(cmPath(ns), { resourceVersion: '0' });
      return r.items.some((o) => o.metadata.name === 'late') ? r : undefined;
    });
    expect(l).toMatchObject({ kind: 'ConfigMapList', apiVersion: 'v1' });
    expect(l.items.find((o) => o.metadata.name === 'late')).toMatchObject({ data: { k: 'v' }, metadata: { resourceVersion: created.metadata.resourceVersion, uid: created.metadata.uid } });
    expect(Number(l.metadata.resourceVersion)).toBeGreaterThanOrEqual(Number(created.metadata.resourceVersion));
  });

  it('resourceVersion N (NotOlderThan) holds every change up to N', async () => {
    const ns = await createNamespace(plane.client, 'rvnot');
    const created = await createConfigMap(plane.client, ns, 'x');
    for (const query of [{ resourceVersion: created.metadata.resourceVersion }, { resourceVersion: created.metadata.resourceVersion, resourceVersionMatch: 'NotOlderThan' }]) {
      const l = await list(cmPath(ns), query);
      expect(names(l.items)).toEqual(['x']);
      expect(Number(l.metadata.resourceVersion)).toBeGreaterThanOrEqual(Number(created.metadata.resourceVersion));
    }
  });

  it('resourceVersionMatch=Exact reads the state at that revision, and 410 once it is compacted', async () => {
    const ns = await createNamespace(plane.client, 'exact');
    const v1 = await createConfigMap(plane.client, ns, 'obj', undefined, { v: '1' });
    await createConfigMap(plane.client, ns, 'gone');
    const atV1 = await plane.server.storage.currentRevision();
    await plane.client.patch(`${cmPath(ns)}/obj`, { data: { v: '2' } });
    await plane.client.delete(`${cmPath(ns)}/gone`);
    await createConfigMap(plane.client, ns, 'new');

    const old = await list(cmPath(ns), { resourceVersion: String(atV1), resourceVersionMatch: 'Exact' });
    expect(names(old.items)).toEqual(['gone', 'obj']);
    expect(old.items.find((o) => o.metadata.name === 'obj')).toMatchObject({ data: { v: '1' }, metadata: { resourceVersion: v1.metadata.resourceVersion } });
    expect(old.metadata.resourceVersion).toBe(String(atV1));

    // Paging at an exact revision keeps that revision.
    const page = await list(cmPath(ns), { resourceVersion: String(atV1), resourceVersionMatch: 'Exact', limit: 1 });
    expect(names(page.items)).toEqual(['gone']);
    const next = await list(cmPath(ns), { limit: 1, continue: page.metadata.continue });
    expect(names(next.items)).toEqual(['obj']);
    expect(next.items[0]!.data).toEqual({ v: '1' });

    const now = await list(cmPath(ns));
    expect(names(now.items)).toEqual(['new', 'obj']);

    await plane.server.storage.compact(await plane.server.storage.currentRevision());
    const { status, body } = await listError(cmPath(ns), { resourceVersion: String(atV1), resourceVersionMatch: 'Exact' });
    expect(status).toBe(410);
    expect(body).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'Expired', code: 410 });
    expect(body.message).toBe('The resourceVersion for the provided list is too old.');
  });

  // Kubernetes validates ListOptions before serving (ValidateListOptions): 422 Invalid, kind ListOptions.meta.k8s.io.
  it.each([
    [{ resourceVersionMatch: 'Exact' }, 'resourceVersionMatch', 'FieldValueForbidden', 'Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided'],
    [{ resourceVersion: '0', resourceVersionMatch: 'Exact' }, 'resourceVersionMatch', 'FieldValueForbidden', 'Forbidden: resourceVersionMatch "exact" is forbidden for resourceVersion "0"'],
    [{ resourceVersion: '5', resourceVersionMatch: 'Sometime' }, 'resourceVersionMatch', 'FieldValueNotSupported', 'Unsupported value: "Sometime": supported values: "Exact", "NotOlderThan", ""'],
    [{ resourceVersion: '5', resourceVersionMatch: 'NotOlderThan', continue: 'abc' }, 'resourceVersionMatch', 'FieldValueForbidden', 'Forbidden: resourceVersionMatch is forbidden when continue is provided'],
    [{ sendInitialEvents: 'true' }, 'sendInitialEvents', 'FieldValueForbidden', 'Forbidden: sendInitialEvents is forbidden for list'],
  ] as [Record<string, string>, string, string, string][])('rejects the list options %j with 422 Invalid (%s: %s)', async (query, field, reason, message) => {
    const { status, body } = await listError(cmPath('default'), query);
    expect(status).toBe(422);
    expect(body).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'Invalid',
      code: 422,
      message: `ListOptions.meta.k8s.io "" is invalid: ${field}: ${message}`,
      details: { group: 'meta.k8s.io', kind: 'ListOptions', causes: [{ reason, field, message }] },
    });
  });

  it('rejects a non-numeric resourceVersion with 400', async () => {
    const { status, body } = await listError(cmPath('default'), { resourceVersion: 'abc' });
    expect(status).toBe(400);
    expect(body.reason).toBe('BadRequest');
  });

  it('a list\'s resourceVersion is the etcd revision it was read at', async () => {
    const ns = await createNamespace(plane.client, 'listrv');
    const created: Obj[] = [];
    for (let i = 0; i < 3; i++) created.push(await createConfigMap(plane.client, ns, `cm-${i}`));
    // Writes elsewhere move the revision past every item here.
    await createConfigMap(plane.client, 'default', uniqueName('elsewhere'));

    const before = await plane.server.storage.currentRevision();
    const l = await list(cmPath(ns));
    const after = await plane.server.storage.currentRevision();
    const rv = Number(l.metadata.resourceVersion);
    expect(rv).toBeGreaterThanOrEqual(before);
    expect(rv).toBeLessThanOrEqual(after);
    for (const item of l.items) expect(rv).toBeGreaterThanOrEqual(Number(item.metadata.resourceVersion));
    expect(rv).toBeGreaterThan(Math.max(...created.map((o) => Number(o.metadata.resourceVersion))));

    // An empty list has the revision too.
    const emptyNs = await createNamespace(plane.client, 'listrv-empty');
    const b2 = await plane.server.storage.currentRevision();
    const empty = await list(cmPath(emptyNs));
    expect(empty.items).toEqual([]);
    expect(Number(empty.metadata.resourceVersion)).toBeGreaterThanOrEqual(b2);
    expect(Number(empty.metadata.resourceVersion)).toBeLessThanOrEqual(await plane.server.storage.currentRevision());

    // Each page of a paged list: the first page's revision.
    const p1 = await list(cmPath(ns), { limit: 2 });
    expect(Number(p1.metadata.resourceVersion)).toBeGreaterThanOrEqual(after);
  });
});

describe('list: kind and apiVersion', () => {
  it.each([
    ['/api/v1/namespaces/default/configmaps', 'ConfigMapList', 'v1'],
    ['/api/v1/pods', 'PodList', 'v1'],
    ['/api/v1/namespaces', 'NamespaceList', 'v1'],
    ['/apis/apps/v1/namespaces/default/deployments', 'DeploymentList', 'apps/v1'],
    ['/apis/batch/v1/jobs', 'JobList', 'batch/v1'],
  ])('GET %s is a %s of %s (consistent, cached and paged)', async (path, kind, apiVersion) => {
    for (const query of [{}, { resourceVersion: '0' }, { limit: 1 }]) {
      const res = await plane.client.raw('GET', path, { query });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      const body = res.json as ListOf;
      expect(body.kind).toBe(kind);
      expect(body.apiVersion).toBe(apiVersion);
      expect(Array.isArray(body.items)).toBe(true);
      expect(body.metadata.resourceVersion).toMatch(/^[1-9]\d*$/);
    }
  });
});
