/**
 * Watches over HTTP: the stream format, resourceVersion semantics ("", "0", N, too old), bookmarks,
 * timeouts, streaming lists (sendInitialEvents), selectors applied per event, namespace scoping,
 * and the fan-out of one etcd watch per resource to many clients.
 */
import type { WatchEvent } from '../../client/restClient';
import { useControlPlane } from '../harness/apiserver';
import { createNamespace, eventually, metricValue, uniqueName, withDeadline, type ListOf, type Obj, type StatusBody } from './helpers';
import { createConfigMap, describeChanges, RecordedWatch } from './listWatchHelpers';

const bookmarkIntervalMs = 200;
const watchCacheCapacity = 5;
// Declared before the control plane so it runs before the plane stops (jest runs after-hooks in
// declaration order). Node's fetch opens a fresh connection when a streaming request is aborted;
// the server's stop() waits up to 10 s for a connection that never sent a request. Sending requests
// over the pool turns such connections idle, so the plane stops at once.
afterAll(async () => {
  await Promise.all(Array.from({ length: 64 }, () => fetch(`${plane.url}/healthz`).then((r) => r.text())));
});
const plane = useControlPlane({ bookmarkIntervalMs, watchCacheCapacity });

const cmPath = (ns: string) => `/api/v1/namespaces/${ns}/configmaps`;
const open = (path: string, query: Record<string, string | number | boolean | undefined> = {}) => RecordedWatch.open<Obj>(plane.client, path, query);

const watches: RecordedWatch<Obj>[] = [];
/** Opens a watch that is closed after the test. */
async function watch(path: string, query: Record<string, string | number | boolean | undefined> = {}): Promise<RecordedWatch<Obj>> {
  const w = await open(path, query);
  watches.push(w);
  return w;
}
afterEach(() => {
  for (const w of watches.splice(0)) w.close();
});

/** Waits until the watch cache of config maps has reached `revision` (reads that accept cached state see it). */
async function cacheReached(ns: string, name: string): Promise<void> {
  await eventually(`the cache to hold ${ns}/${name}`, async () => {
    const l = await plane.client.get<ListOf>(cmPath(ns), { resourceVersion: '0' });
    return l.items.some((o) => o.metadata.name === name) ? true : undefined;
  });
}

describe('watch: stream format', () => {
  it('is a 200 chunked stream of newline-delimited JSON events {type, object}', async () => {
    const ns = await createNamespace(plane.client, 'format');
    const rv = (await plane.client.get<ListOf>(cmPath(ns))).metadata.resourceVersion!;
    const controller = new AbortController();
    const res = await fetch(`${plane.url}${cmPath(ns)}?watch=true&resourceVersion=${rv}`, { signal: controller.signal });
    try {
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(res.headers.get('transfer-encoding')).toBe('chunked');
      expect(res.headers.get('content-length')).toBeNull();
      const created = [await createConfigMap(plane.client, ns, 'one'), await createConfigMap(plane.client, ns, 'two')];

      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      let text = '';
      const deadline = Date.now() + 5000;
      while ((text.match(/\n/g) ?? []).length < 2) {
        if (Date.now() > deadline) throw new Error(`timed out; got ${JSON.stringify(text)}`);
        const { value, done } = await reader.read();
        if (done) throw new Error('the stream ended early');
        text += decoder.decode(value, { stream: true });
      }
      expect(text.endsWith('\n')).toBe(true);
      const lines = text.split('\n').filter((l) => l !== '');
      expect(lines).toHaveLength(2);
      const events = lines.map((l) => JSON.parse(l) as WatchEvent<Obj>);
      for (const [i, e] of events.entries()) {
        expect(Object.keys(e).sort()).toEqual(['object', 'type']);
        expect(e.type).toBe('ADDED');
        expect(e.object).toMatchObject({ kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: created[i]!.metadata.name, namespace: ns, uid: created[i]!.metadata.uid, resourceVersion: created[i]!.metadata.resourceVersion } });
      }
    } finally {
      controller.abort();
    }
  });
});

describe('watch: resourceVersion', () => {
  it('from a list\'s resourceVersion: exactly the later changes, in order (replayed and live)', async () => {
    const ns = await createNamespace(plane.client, 'fromrv');
    await createConfigMap(plane.client, ns, 'a');
    const listed = await plane.client.get<ListOf>(cmPath(ns));
    expect(listed.items.map((o) => o.metadata.name)).toEqual(['a']);

    // Changes between the list and the watch are replayed from the watch cache.
    const b = await createConfigMap(plane.client, ns, 'b');
    const a2 = await plane.client.patch<Obj>(`${cmPath(ns)}/a`, { data: { v: '2' } });
    await plane.client.delete(`${cmPath(ns)}/b`);
    const w = await watch(cmPath(ns), { resourceVersion: listed.metadata.resourceVersion });
    // ...and the ones after it arrive live.
    const a3 = await plane.client.patch<Obj>(`${cmPath(ns)}/a`, { data: { v: '3' } });
    const c = await createConfigMap(plane.client, ns, 'c');

    await w.waitForChanges(5);
    expect(describeChanges(w.events)).toEqual(['ADDED b', 'MODIFIED a', 'DELETED b', 'MODIFIED a', 'ADDED c']);
    const rvs = w.changes.map((e) => Number(e.object.metadata.resourceVersion));
    for (let i = 1; i < rvs.length; i++) expect(rvs[i]).toBeGreaterThan(rvs[i - 1]!);
    expect(rvs[0]).toBe(Number(b.metadata.resourceVersion));
    expect(w.changes[1]!.object).toMatchObject({ data: { v: '2' }, metadata: { resourceVersion: a2.metadata.resourceVersion } });
    expect(w.changes[3]!.object).toMatchObject({ data: { v: '3' }, metadata: { resourceVersion: a3.metadata.resourceVersion } });
    expect(w.changes[4]!.object.metadata.resourceVersion).toBe(c.metadata.resourceVersion);
    expect(Number(w.changes[2]!.object.metadata.resourceVersion)).toBeGreaterThan(Number(a2.metadata.resourceVersion));
    // The deletion carries the object's last state (its data and uid), at the deletion's revision.
    const { resourceVersion: _rv, ...lastMeta } = b.metadata;
    expect(w.changes[2]!.object).toEqual({ ...b, metadata: { ...lastMeta, resourceVersion: w.changes[2]!.object.metadata.resourceVersion } });
  });

  it('from the resourceVersion of a write: only what came after it', async () => {
    const ns = await createNamespace(plane.client, 'fromwrite');
    await createConfigMap(plane.client, ns, 'a');
    const a2 = await plane.client.patch<Obj>(`${cmPath(ns)}/a`, { data: { v: '2' } });
    await plane.client.patch<Obj>(`${cmPath(ns)}/a`, { data: { v: '3' } });
    const w = await watch(cmPath(ns), { resourceVersion: a2.metadata.resourceVersion });
    await createConfigMap(plane.client, ns, 'sentinel');
    await w.waitFor('the sentinel', (events) => events.some((e) => e.object.metadata.name === 'sentinel'));
    expect(describeChanges(w.events)).toEqual(['MODIFIED a', 'ADDED sentinel']);
    expect(w.changes[0]!.object.data).toEqual({ v: '3' });
  });

  it('resourceVersion "" sends the current state (consistently) as ADDED, then the changes', async () => {
    const ns = await createNamespace(plane.client, 'rvempty');
    await createConfigMap(plane.client, ns, 'b');
    await createConfigMap(plane.client, ns, 'a', undefined, { k: 'v' });
    const w = await watch(cmPath(ns), { resourceVersion: '' });
    await w.waitForChanges(2);
    await plane.client.patch(`${cmPath(ns)}/a`, { data: { k: 'w' } });
    await createConfigMap(plane.client, ns, 'c');
    await w.waitForChanges(4);
    expect(describeChanges(w.events)).toEqual(['ADDED a', 'ADDED b', 'MODIFIED a', 'ADDED c']);
    expect(w.changes[0]!.object.data).toEqual({ k: 'v' });
    expect(w.changes[2]!.object.data).toEqual({ k: 'w' });
  });

  it('resourceVersion absent: an object created just before the watch is always in its initial state', async () => {
    const ns = await createNamespace(plane.client, 'absent');
    for (let i = 0; i < 10; i++) {
      const created = await createConfigMap(plane.client, ns, `cm-${i}`);
      const w = await watch(cmPath(ns));
      await w.waitForChanges(i + 1);
      expect(describeChanges(w.events)).toEqual(Array.from({ length: i + 1 }, (_, j) => `ADDED cm-${j}`));
      expect(w.changes[i]!.object.metadata.resourceVersion).toBe(created.metadata.resourceVersion);
      w.close();
    }
  });

  it('resourceVersion "0" sends the cached state as ADDED, then the changes', async () => {
    const ns = await createNamespace(plane.client, 'rvzero');
    await createConfigMap(plane.client, ns, 'x');
    await createConfigMap(plane.client, ns, 'y');
    await cacheReached(ns, 'y');
    const w = await watch(cmPath(ns), { resourceVersion: '0' });
    await w.waitForChanges(2);
    await plane.client.delete(`${cmPath(ns)}/x`);
    await w.waitForChanges(3);
    expect(describeChanges(w.events)).toEqual(['ADDED x', 'ADDED y', 'DELETED x']);
  });

  it('a resourceVersion older than the watch cache window is one ERROR event (410 Expired) in a 200 stream', async () => {
    const ns = await createNamespace(plane.client, 'tooold');
    const first = await createConfigMap(plane.client, ns, 'first');
    const start = first.metadata.resourceVersion;
    // A watch from the start, still inside the window, tells us when the cache has seen every change.
    const sync = await watch(cmPath(ns), { resourceVersion: start });
    for (let i = 0; i < watchCacheCapacity + 3; i++) await plane.client.patch(`${cmPath(ns)}/first`, { data: { i: String(i) } });
    await sync.waitForChanges(watchCacheCapacity + 3);

    const controller = new AbortController();
    const res = await fetch(`${plane.url}${cmPath(ns)}?watch=true&resourceVersion=${start}`, { signal: controller.signal });
    try {
      expect(res.status).toBe(200);
      // The server ends the stream after the error: the whole body can be read.
      const body = await withDeadline(res.text(), 5000, 'the end of the stream');
      const lines = body.split('\n').filter((l) => l !== '');
      expect(lines).toHaveLength(1);
      const event = JSON.parse(lines[0]!) as WatchEvent<StatusBody>;
      expect(event.type).toBe('ERROR');
      expect(event.object).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 410, reason: 'Expired' });
      expect(event.object.message).toMatch(new RegExp(`^too old resource version: ${start} \\(\\d+\\)$`));
    } finally {
      controller.abort();
    }

    // The same through the client: one ERROR, then the end.
    const w = await watch(cmPath(ns), { resourceVersion: start });
    await w.waitForEnd();
    expect(w.events.map((e) => e.type)).toEqual(['ERROR']);
  });

  it('a resourceVersion at the edge of the window is still served', async () => {
    const ns = await createNamespace(plane.client, 'edge');
    const base = await createConfigMap(plane.client, ns, 'e');
    const sync = await watch(cmPath(ns), { resourceVersion: base.metadata.resourceVersion });
    const rvs: string[] = [];
    for (let i = 0; i < watchCacheCapacity; i++) rvs.push((await plane.client.patch<Obj>(`${cmPath(ns)}/e`, { data: { i: String(i) } })).metadata.resourceVersion);
    await sync.waitForChanges(watchCacheCapacity);
    // The window holds exactly the last `capacity` events: a watch from just before the oldest replays them all.
    const w = await watch(cmPath(ns), { resourceVersion: base.metadata.resourceVersion });
    await w.waitForChanges(watchCacheCapacity);
    expect(w.changes.map((e) => e.object.metadata.resourceVersion)).toEqual(rvs);
    expect(w.events.some((e) => e.type === 'ERROR')).toBe(false);
  });

  // Kubernetes validates watch options before the stream opens (validateWatchOptions): 422 Invalid.
  it.each([
    [{ resourceVersion: '5', resourceVersionMatch: 'NotOlderThan' }, 'Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided'],
    [{ sendInitialEvents: 'true', allowWatchBookmarks: 'true' }, 'Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan'],
  ] as [Record<string, string>, string][])('rejects the watch options %j with a plain 422 Invalid (%s)', async (query, message) => {
    const res = await plane.client.raw('GET', cmPath('default'), { query: { watch: 'true', ...query } });
    expect(res.status).toBe(422);
    expect(res.json).toMatchObject({
      kind: 'Status',
      reason: 'Invalid',
      code: 422,
      message: `ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: ${message}`,
      details: { group: 'meta.k8s.io', kind: 'ListOptions', causes: [{ reason: 'FieldValueForbidden', field: 'resourceVersionMatch', message }] },
    });
  });

  it('a non-numeric resourceVersion is a plain 400', async () => {
    const res = await plane.client.raw('GET', cmPath('default'), { query: { watch: 'true', resourceVersion: 'abc' } });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ kind: 'Status', reason: 'BadRequest', code: 400 });
  });
});

describe('watch: bookmarks and timeouts', () => {
  it('allowWatchBookmarks=true gets periodic BOOKMARK events carrying only kind, apiVersion and resourceVersion', async () => {
    const ns = await createNamespace(plane.client, 'bookmarks');
    const created = await createConfigMap(plane.client, ns, 'x');
    const withBookmarks = await watch(cmPath(ns), { resourceVersion: created.metadata.resourceVersion, allowWatchBookmarks: true });
    const without = await watch(cmPath(ns), { resourceVersion: created.metadata.resourceVersion });
    await withBookmarks.waitFor('two bookmarks', (events) => events.filter((e) => e.type === 'BOOKMARK').length >= 2, 5 * bookmarkIntervalMs + 2000);

    const changed = await plane.client.patch<Obj>(`${cmPath(ns)}/x`, { data: { v: '1' } });
    await withBookmarks.waitFor('a bookmark after the change', (events) => {
      const i = events.findIndex((e) => e.type === 'MODIFIED');
      return i >= 0 && events.slice(i + 1).some((e) => e.type === 'BOOKMARK');
    }, 5 * bookmarkIntervalMs + 2000);
    await without.waitForChanges(1);

    for (const b of withBookmarks.bookmarks) {
      expect(Object.keys(b.object).sort()).toEqual(['apiVersion', 'kind', 'metadata']);
      expect(b.object.kind).toBe('ConfigMap');
      expect(b.object.apiVersion).toBe('v1');
      expect(Object.keys(b.object.metadata)).toEqual(['resourceVersion']);
      expect(Number(b.object.metadata.resourceVersion)).toBeGreaterThanOrEqual(Number(created.metadata.resourceVersion));
    }
    // Bookmark revisions never go back, and one after a change is at least the change's revision.
    const brv = withBookmarks.bookmarks.map((b) => Number(b.object.metadata.resourceVersion));
    for (let i = 1; i < brv.length; i++) expect(brv[i]).toBeGreaterThanOrEqual(brv[i - 1]!);
    const afterChange = withBookmarks.events.slice(withBookmarks.events.findIndex((e) => e.type === 'MODIFIED') + 1).find((e) => e.type === 'BOOKMARK')!;
    expect(Number(afterChange.object.metadata.resourceVersion)).toBeGreaterThanOrEqual(Number(changed.metadata.resourceVersion));
    expect(describeChanges(withBookmarks.events)).toEqual(['MODIFIED x']);

    // The watch without allowWatchBookmarks lived through the same bookmark ticks and got none.
    expect(without.events.map((e) => e.type)).toEqual(['MODIFIED']);
  });

  it('bookmarks never carry a resourceVersion older than the one the watch started from', async () => {
    const ns = await createNamespace(plane.client, 'bookahead');
    const now = await plane.server.storage.currentRevision();
    // A client that has seen a newer revision than the watch cache (here: far newer).
    const ahead = now + 1000;
    const w = await watch(cmPath(ns), { resourceVersion: String(ahead), allowWatchBookmarks: true });
    const clock = await watch(cmPath(ns), { resourceVersion: String(now), allowWatchBookmarks: true });
    await clock.waitFor('three bookmark ticks', (events) => events.filter((e) => e.type === 'BOOKMARK').length >= 3, 10 * bookmarkIntervalMs + 2000);
    // Kubernetes' cacheWatcher drops every event, bookmarks included, at or below the start revision.
    expect(w.bookmarks.map((b) => Number(b.object.metadata.resourceVersion)).filter((rv) => rv < ahead)).toEqual([]);
  });

  it('timeoutSeconds=1 ends the stream (200) after about a second', async () => {
    const ns = await createNamespace(plane.client, 'timeout');
    const started = Date.now();
    const res = await fetch(`${plane.url}${cmPath(ns)}?watch=true&timeoutSeconds=1`);
    expect(res.status).toBe(200);
    await withDeadline(res.text(), 5000, 'the end of the stream');
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(2500);

    // Through the client too, with events delivered until the end.
    const t0 = Date.now();
    const w = await watch(cmPath(ns), { timeoutSeconds: 1 });
    await createConfigMap(plane.client, ns, 'during');
    await w.waitForEnd(5000);
    expect(Date.now() - t0).toBeLessThan(2500);
    expect(describeChanges(w.events)).toEqual(['ADDED during']);
  });

  it('timeoutSeconds=0 means the default timeout, as if absent: the watch stays open', async () => {
    const ns = await createNamespace(plane.client, 'timeout0');
    const w = await watch(cmPath(ns), { timeoutSeconds: 0 });
    await createConfigMap(plane.client, ns, 'first');
    await w.waitForChanges(1, 3000);
    await createConfigMap(plane.client, ns, 'second');
    await w.waitForChanges(2, 3000);
    expect(describeChanges(w.events)).toEqual(['ADDED first', 'ADDED second']);
    expect(w.ended).toBe(false);
  });

  it('sendInitialEvents=true sends the state, then a BOOKMARK annotated k8s.io/initial-events-end, then changes', async () => {
    const ns = await createNamespace(plane.client, 'streaming');
    const objs = [await createConfigMap(plane.client, ns, 'b'), await createConfigMap(plane.client, ns, 'a'), await createConfigMap(plane.client, ns, 'c', { skip: 'yes' })];
    await cacheReached(ns, 'c');
    const w = await watch(cmPath(ns), { sendInitialEvents: true, resourceVersionMatch: 'NotOlderThan', allowWatchBookmarks: true, labelSelector: '!skip' });
    await w.waitFor('the initial-events-end bookmark', (events) => events.some((e) => e.object.metadata.annotations?.['k8s.io/initial-events-end'] === 'true'));
    await plane.client.patch(`${cmPath(ns)}/a`, { data: { v: '1' } });
    await w.waitFor('the change', (events) => events.some((e) => e.type === 'MODIFIED'));

    const firstBookmark = w.events.findIndex((e) => e.type === 'BOOKMARK');
    expect(w.events.slice(0, firstBookmark).map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED a', 'ADDED b']);
    const end = w.events[firstBookmark]!;
    expect(end.object).toEqual({
      kind: 'ConfigMap',
      apiVersion: 'v1',
      metadata: { resourceVersion: end.object.metadata.resourceVersion, annotations: { 'k8s.io/initial-events-end': 'true' } },
    });
    expect(Number(end.object.metadata.resourceVersion)).toBeGreaterThanOrEqual(Math.max(...objs.map((o) => Number(o.metadata.resourceVersion))));
    expect(describeChanges(w.events)).toEqual(['ADDED a', 'ADDED b', 'MODIFIED a']);
    // Only the first bookmark marks the end of the initial events.
    expect(w.bookmarks.slice(1).every((b) => b.object.metadata.annotations === undefined)).toBe(true);
  });

  it('sendInitialEvents=true without a resourceVersion is consistent: an object created just before is in the initial events', async () => {
    const ns = await createNamespace(plane.client, 'streamcons');
    for (let i = 0; i < 10; i++) {
      await createConfigMap(plane.client, ns, `cm-${i}`);
      const w = await watch(cmPath(ns), { sendInitialEvents: true, resourceVersionMatch: 'NotOlderThan', allowWatchBookmarks: true });
      await w.waitFor('the initial-events-end bookmark', (events) => events.some((e) => e.object.metadata.annotations?.['k8s.io/initial-events-end'] === 'true'));
      const end = w.events.findIndex((e) => e.object.metadata.annotations?.['k8s.io/initial-events-end'] === 'true');
      expect(w.events.slice(0, end).filter((e) => e.type !== 'BOOKMARK').map((e) => e.object.metadata.name)).toEqual(Array.from({ length: i + 1 }, (_, j) => `cm-${j}`));
      w.close();
    }
  });
});

describe('watch: selectors', () => {
  it('applies a label selector per event: leaving the selection is DELETED, entering it ADDED, the rest unseen', async () => {
    const ns = await createNamespace(plane.client, 'labelsel');
    const rv = (await plane.client.get<ListOf>(cmPath(ns))).metadata.resourceVersion;
    const w = await watch(cmPath(ns), { resourceVersion: rv, labelSelector: 'app=web' });

    await createConfigMap(plane.client, ns, 'x', { app: 'web' }, { v: '1' });
    await createConfigMap(plane.client, ns, 'y', { app: 'db' });
    const xOut = await plane.client.patch<Obj>(`${cmPath(ns)}/x`, { metadata: { labels: { app: 'db' } }, data: { v: '2' } });
    await plane.client.patch(`${cmPath(ns)}/y`, { data: { v: 'y2' } });
    await plane.client.patch(`${cmPath(ns)}/x`, { data: { v: '3' } });
    const yIn = await plane.client.patch<Obj>(`${cmPath(ns)}/y`, { metadata: { labels: { app: 'web' } } });
    await plane.client.patch(`${cmPath(ns)}/y`, { data: { v: 'y3' } });
    await plane.client.delete(`${cmPath(ns)}/x`);
    await plane.client.delete(`${cmPath(ns)}/y`);

    await w.waitForChanges(5);
    expect(describeChanges(w.events)).toEqual(['ADDED x', 'DELETED x', 'ADDED y', 'MODIFIED y', 'DELETED y']);
    // The DELETED for leaving the selection carries the last matching state, at the change's revision.
    const left = w.changes[1]!.object;
    expect(left.metadata.labels).toEqual({ app: 'web' });
    expect(left.data).toEqual({ v: '1' });
    expect(left.metadata.resourceVersion).toBe(xOut.metadata.resourceVersion);
    // The ADDED for entering it carries the new state.
    expect(w.changes[2]!.object.metadata.resourceVersion).toBe(yIn.metadata.resourceVersion);
    expect(w.changes[2]!.object.data).toEqual({ v: 'y2' });
  });

  it('applies a label selector to the initial state of resourceVersion "" and "0"', async () => {
    const ns = await createNamespace(plane.client, 'labelinit');
    await createConfigMap(plane.client, ns, 'in1', { tier: 'a' });
    await createConfigMap(plane.client, ns, 'out', { tier: 'b' });
    await createConfigMap(plane.client, ns, 'in2', { tier: 'a' });
    await cacheReached(ns, 'in2');
    for (const resourceVersion of ['', '0']) {
      const w = await watch(cmPath(ns), { resourceVersion, labelSelector: 'tier in (a)' });
      await createConfigMap(plane.client, ns, uniqueName('sentinel'), { tier: 'a' });
      await w.waitForChanges(3);
      expect(describeChanges(w.events).slice(0, 2)).toEqual(['ADDED in1', 'ADDED in2']);
      expect(w.changes.every((e) => e.object.metadata.labels?.tier === 'a')).toBe(true);
    }
  });

  it('fieldSelector metadata.name=x watches one object (kubectl get x -w), also at the legacy /watch path', async () => {
    const ns = await createNamespace(plane.client, 'fieldname');
    await createConfigMap(plane.client, ns, 'x', undefined, { v: '0' });
    await createConfigMap(plane.client, ns, 'xy');
    const byField = await watch(cmPath(ns), { fieldSelector: 'metadata.name=x' });
    const legacy = await watch(`/api/v1/watch/namespaces/${ns}/configmaps/x`);
    await byField.waitForChanges(1);
    await legacy.waitForChanges(1);

    await createConfigMap(plane.client, ns, 'other');
    await plane.client.patch(`${cmPath(ns)}/xy`, { data: { v: '1' } });
    await plane.client.patch(`${cmPath(ns)}/x`, { data: { v: '1' } });
    await plane.client.delete(`${cmPath(ns)}/other`);
    await plane.client.delete(`${cmPath(ns)}/x`);

    for (const w of [byField, legacy]) {
      await w.waitForChanges(3);
      expect(describeChanges(w.events)).toEqual(['ADDED x', 'MODIFIED x', 'DELETED x']);
      expect(w.changes[2]!.object.data).toEqual({ v: '1' });
    }
  });

  it('applies a pod field selector per event: binding a pod to the node brings it into spec.nodeName=<node>', async () => {
    const ns = await createNamespace(plane.client, 'podfield');
    const podsPath = `/api/v1/namespaces/${ns}/pods`;
    const rv = (await plane.client.get<ListOf>(podsPath)).metadata.resourceVersion;
    const kubelet = await watch('/api/v1/pods', { resourceVersion: rv, fieldSelector: 'spec.nodeName=node-w' });
    const scheduler = await watch(podsPath, { resourceVersion: rv, fieldSelector: 'spec.nodeName=,status.phase!=Succeeded' });

    const pod = (name: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });
    await plane.client.create(podsPath, pod('p1'));
    await plane.client.create(podsPath, pod('p2'));
    await plane.client.create(`${podsPath}/p1/binding`, { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'p1' }, target: { kind: 'Node', name: 'node-w' } });
    await plane.client.create(`${podsPath}/p2/binding`, { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'p2' }, target: { kind: 'Node', name: 'node-other' } });
    await plane.client.patch(`${podsPath}/p1/status`, { status: { phase: 'Running' } });

    await kubelet.waitForChanges(2);
    await scheduler.waitForChanges(4);
    expect(describeChanges(kubelet.events)).toEqual(['ADDED p1', 'MODIFIED p1']);
    expect(kubelet.changes[0]!.object).toMatchObject({ metadata: { namespace: ns }, spec: { nodeName: 'node-w' } });
    expect(describeChanges(scheduler.events)).toEqual(['ADDED p1', 'ADDED p2', 'DELETED p1', 'DELETED p2']);
    // Leaving the selection: the last unbound state.
    expect((scheduler.changes[2]!.object.spec as { nodeName?: string }).nodeName).toBeUndefined();
  });

  it('a namespaced watch does not see other namespaces; an all-namespaces watch sees both', async () => {
    const nsA = await createNamespace(plane.client, 'scope-a');
    const nsB = await createNamespace(plane.client, 'scope-b');
    const tag = uniqueName('scope');
    const rv = (await plane.client.get<ListOf>(cmPath(nsA))).metadata.resourceVersion;
    const inA = await watch(cmPath(nsA), { resourceVersion: rv });
    const all = await watch('/api/v1/configmaps', { resourceVersion: rv, labelSelector: `tag=${tag}` });
    await createConfigMap(plane.client, nsB, 'b1', { tag });
    await plane.client.patch(`${cmPath(nsB)}/b1`, { data: { v: '1' } });
    await createConfigMap(plane.client, nsA, 'a1', { tag });
    await plane.client.delete(`${cmPath(nsB)}/b1`);
    await createConfigMap(plane.client, nsA, 'a2', { tag });

    await inA.waitForChanges(2);
    await all.waitForChanges(5);
    expect(inA.changes.map((e) => `${e.type} ${e.object.metadata.namespace}/${e.object.metadata.name}`)).toEqual([`ADDED ${nsA}/a1`, `ADDED ${nsA}/a2`]);
    expect(all.changes.map((e) => `${e.type} ${e.object.metadata.namespace}/${e.object.metadata.name}`)).toEqual([
      `ADDED ${nsB}/b1`,
      `MODIFIED ${nsB}/b1`,
      `ADDED ${nsA}/a1`,
      `DELETED ${nsB}/b1`,
      `ADDED ${nsA}/a2`,
    ]);
  });

  it.each([
    ['labelSelector', 'app in (web', undefined],
    ['labelSelector', 'app=web,', undefined],
    ['fieldSelector', 'spec.foo=bar', 'field label not supported: spec.foo'],
    ['fieldSelector', 'metadata.name', undefined],
  ])('a bad %s %j is a plain 400, not a stream', async (param, selector, message) => {
    const res = await fetch(`${plane.url}${cmPath('default')}?watch=true&${param}=${encodeURIComponent(selector)}`);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = JSON.parse(await res.text()) as StatusBody;
    expect(body).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'BadRequest', code: 400 });
    if (message) expect(body.message).toBe(message);
  });
});

describe('watch: deletes', () => {
  it('delivers a delete with the object\'s last state at the deletion\'s revision', async () => {
    const ns = await createNamespace(plane.client, 'deletes');
    const created = await createConfigMap(plane.client, ns, 'd', { keep: 'me' }, { v: '1' });
    const last = await plane.client.patch<Obj>(`${cmPath(ns)}/d`, { data: { v: '2' } });
    const w = await watch(cmPath(ns), { resourceVersion: last.metadata.resourceVersion });
    await plane.client.delete(`${cmPath(ns)}/d`);
    const deletedAt = await plane.server.storage.currentRevision();
    await w.waitForChanges(1);
    expect(w.changes).toHaveLength(1);
    const e = w.changes[0]!;
    expect(e.type).toBe('DELETED');
    expect(e.object).toMatchObject({ kind: 'ConfigMap', apiVersion: 'v1', data: { v: '2' }, metadata: { name: 'd', namespace: ns, uid: created.metadata.uid, labels: { keep: 'me' } } });
    expect(Number(e.object.metadata.resourceVersion)).toBeGreaterThan(Number(last.metadata.resourceVersion));
    expect(Number(e.object.metadata.resourceVersion)).toBe(deletedAt);
  });
});

describe('watch: fan-out', () => {
  async function etcdWatchers(): Promise<number> {
    const text = await (await fetch(`${plane.etcdEndpoint}/metrics`)).text();
    const value = metricValue(text, 'etcd_debugging_mvcc_watcher_total');
    if (value === undefined) throw new Error('etcd does not report etcd_debugging_mvcc_watcher_total');
    return value;
  }

  async function registeredWatchers(resource: string): Promise<number> {
    const text = await (await fetch(`${plane.url}/metrics`)).text();
    return metricValue(text, 'apiserver_registered_watchers', { resource }) ?? 0;
  }

  it('50 watchers of one resource all get every event, over ONE etcd watch', async () => {
    const ns = await createNamespace(plane.client, 'fanout');
    const secrets = `/api/v1/namespaces/${ns}/secrets`;
    const rv = (await plane.client.get<ListOf>(secrets)).metadata.resourceVersion;
    const etcdBefore = await etcdWatchers();
    const registeredBefore = await registeredWatchers('secrets');

    const many = await Promise.all(Array.from({ length: 50 }, (_, i) => watch(i % 2 ? secrets : '/api/v1/secrets', { resourceVersion: rv })));
    expect(await registeredWatchers('secrets')).toBe(registeredBefore + 50);
    expect(await etcdWatchers()).toBe(etcdBefore);

    const s = await plane.client.create<Obj>(secrets, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { a: 'b' } });
    await plane.client.patch(`${secrets}/s`, { metadata: { labels: { x: 'y' } } });
    await plane.client.delete(`${secrets}/s`);
    for (const w of many) {
      await w.waitForChanges(3);
      expect(describeChanges(w.events)).toEqual(['ADDED s', 'MODIFIED s', 'DELETED s']);
      expect(w.changes[0]!.object.metadata.uid).toBe(s.metadata.uid);
    }
    // Still one etcd watch for the resource.
    expect(await etcdWatchers()).toBe(etcdBefore);

    for (const w of many) w.close();
    await eventually('the watchers to be unregistered', async () => ((await registeredWatchers('secrets')) === registeredBefore ? true : undefined));
  });
});
