/**
 * Informers surviving the server side going away: an API server stopped and another started on
 * the same etcd (changes made meanwhile are delivered), the same port coming back, and history
 * compacted while the watch was away (a relist, with tombstones for what was deleted).
 */
import { startApiServer, type ApiServer } from '../../apiserver/server';
import { SharedIndexInformer } from '../../client/informer/sharedInformer';
import { restListerWatcher } from '../../client/informer/listerWatcher';
import { silentLogger } from '../../client/log';
import { isStatusError } from '../../api/status';
import { useControlPlane } from '../harness/apiserver';
import { FaultyProxy } from './proxy';
import { configMap, configMaps, createNamespace, eventually, recorder, testClient, uniqueName, type ConfigMap } from './helpers';

function informerFor(server: string, namespace: string, errors: unknown[]): SharedIndexInformer<ConfigMap> {
  return new SharedIndexInformer<ConfigMap>(restListerWatcher(testClient(server), configMaps, { namespace }), {
    backoff: { initialMs: 100, maxMs: 1000 },
    onError: (e) => errors.push(e),
  });
}

describe('an informer across an API server restart (new server, same etcd)', () => {
  const plane = useControlPlane();
  let informer: SharedIndexInformer<ConfigMap> | undefined;
  let proxy: FaultyProxy | undefined;
  let second: ApiServer | undefined;
  afterEach(async () => {
    await informer?.stop();
    await proxy?.close();
    await second?.stop();
  });

  it('misses no change made while it was away', async () => {
    const ns = uniqueName('restart');
    await createNamespace(plane.client, ns);
    const cms = plane.client.resource<ConfigMap>(configMaps, ns);
    await cms.create(configMap('kept', { v: '1' }));
    await cms.create(configMap('changed', { v: '1' }));
    await cms.create(configMap('deleted', { v: '1' }));
    proxy = await FaultyProxy.start(plane.url);
    const errors: unknown[] = [];
    informer = informerFor(proxy.url, ns, errors);
    const events: string[] = [];
    informer.addEventHandler(recorder(events));
    informer.start();
    await informer.waitForSync();
    events.length = 0;

    // The server goes away; the informer keeps trying. A last write elsewhere moves etcd's
    // revision past the informer's, so the new server's watch cache cannot serve it (410).
    proxy.cut();
    await plane.client.create(`/api/v1/namespaces/${ns}/secrets`, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' } });
    await plane.server.stop();
    await eventually('reconnection attempts to fail', () => (errors.length >= 2 ? true : undefined));
    // Another API server on the same etcd; changes are made there before the informer can reach it.
    second = await startApiServer({ etcdServers: [plane.etcdEndpoint], port: 0, log: silentLogger });
    const other = testClient(second.url).resource<ConfigMap>(configMaps, ns);
    await other.patch('changed', { data: { v: '2' } });
    await other.delete('deleted');
    await other.create(configMap('added', { v: '1' }));
    proxy.setUpstream(second.url);
    proxy.resume();

    await eventually('the changes made while away', () => (events.length === 3 ? true : undefined), 15_000);
    expect(events.sort()).toEqual(['add added', 'delete deleted (tombstone)', 'update changed v=2']);
    expect(informer.lister.list(ns).map((o) => o.metadata.name).sort()).toEqual(['added', 'changed', 'kept']);
    // The new server's watch cache starts at its own list: the old resourceVersion is gone (410), hence a relist.
    expect(informer.stats.lists).toBe(2);
    // And it goes on watching the new server.
    await other.patch('kept', { data: { v: '3' } });
    await eventually('a live update', () => (events.includes('update kept v=3') ? true : undefined));
    expect(informer.isStopped).toBe(false);
  });
});

describe('an informer across an API server restart on the same port', () => {
  const plane = useControlPlane();
  let informer: SharedIndexInformer<ConfigMap> | undefined;
  let second: ApiServer | undefined;
  afterEach(async () => {
    await informer?.stop();
    await second?.stop();
  });

  it('reconnects by itself and sees the update made after the restart', async () => {
    const ns = uniqueName('port');
    await createNamespace(plane.client, ns);
    const cms = plane.client.resource<ConfigMap>(configMaps, ns);
    await cms.create(configMap('a', { v: '1' }));
    const errors: unknown[] = [];
    informer = informerFor(plane.url, ns, errors);
    const events: string[] = [];
    informer.addEventHandler(recorder(events));
    informer.start();
    await informer.waitForSync();
    const port = plane.server.port;
    await plane.server.stop();
    await eventually('a failed reconnection', () => (errors.length >= 1 ? true : undefined));
    second = await startApiServer({ etcdServers: [plane.etcdEndpoint], port, log: silentLogger });
    await testClient(second.url).resource<ConfigMap>(configMaps, ns).patch('a', { data: { v: '2' } });
    await eventually('the update', () => (events.includes('update a v=2') ? true : undefined), 15_000);
    expect(events).toEqual(['add a', 'update a v=2']);
    expect(informer.isStopped).toBe(false);
  });
});

describe('an informer whose resourceVersion was compacted while its watch was away', () => {
  // A small watch cache: a few changes push the informer's resourceVersion out of its window.
  const plane = useControlPlane({ watchCacheCapacity: 3 });
  let informer: SharedIndexInformer<ConfigMap> | undefined;
  let proxy: FaultyProxy | undefined;
  afterEach(async () => {
    await informer?.stop();
    await proxy?.close();
  });

  it('relists and delivers deletes (tombstones) for the objects removed meanwhile', async () => {
    const ns = uniqueName('compact');
    await createNamespace(plane.client, ns);
    const cms = plane.client.resource<ConfigMap>(configMaps, ns);
    for (const n of ['a', 'b', 'c', 'd']) await cms.create(configMap(n, { v: '1' }));
    proxy = await FaultyProxy.start(plane.url);
    const errors: unknown[] = [];
    informer = informerFor(proxy.url, ns, errors);
    const events: string[] = [];
    informer.addEventHandler(recorder(events));
    informer.start();
    await informer.waitForSync();
    await eventually('the watch', () => (informer!.stats.watches >= 1 ? true : undefined));
    const oldRv = informer.lastSyncResourceVersion;
    events.length = 0;

    proxy.cut();
    await cms.delete('a');
    await cms.delete('b');
    await cms.patch('c', { data: { v: '2' } });
    await cms.create(configMap('e', { v: '1' }));
    const storage = plane.server.storage;
    await storage.compact(await storage.currentRevision());
    // The informer's resourceVersion is compacted away in etcd...
    const exact = await plane.client.raw('GET', cms.path(), { query: { resourceVersion: oldRv, resourceVersionMatch: 'Exact' } });
    expect(exact.status).toBe(410);
    // ...and no longer in the watch cache's window.
    const watchErr = await new Promise<unknown>((resolve) => {
      void plane.client.watch(cms.path(), { resourceVersion: oldRv }, (e) => resolve(e.object)).then((w) => w.done.then(() => resolve(undefined)));
    });
    expect(watchErr).toMatchObject({ kind: 'Status', code: 410 });
    proxy.resume();

    await eventually('the relist', () => (events.length === 4 ? true : undefined), 15_000);
    expect(events.sort()).toEqual(['add e', 'delete a (tombstone)', 'delete b (tombstone)', 'update c v=2']);
    expect(informer.lister.list(ns).map((o) => o.metadata.name).sort()).toEqual(['c', 'd', 'e']);
    expect(informer.stats.lists).toBe(2);
    expect(errors.some((e) => isStatusError(e, 410))).toBe(true);
  });
});
