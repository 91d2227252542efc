/**
 * Informers against a real API server and etcd: events, sharing, indexers and listers, late
 * handlers, and a watch that goes silent (the proxy stalls its connection) being replaced.
 */
import { SharedInformerFactory } from '../../client/informer/factory';
import { byNodeName, nodeNameIndex } from '../../client/informer/indexers';
import { WatchSilentError } from '../../client/informer/reflector';
import { useControlPlane } from '../harness/apiserver';
import { FaultyProxy } from './proxy';
import { configMap, configMaps, createNamespace, eventually, recorder, sleep, testClient, uniqueName, type ConfigMap } from './helpers';

// Bookmarks every 300 ms, so a watch deadline of a couple of seconds tells a dead watch from an idle one.
const plane = useControlPlane({ bookmarkIntervalMs: 300 });

describe('informer (integration)', () => {
  const factories: SharedInformerFactory[] = [];
  const proxies: FaultyProxy[] = [];
  afterEach(async () => {
    await Promise.all(factories.splice(0).map((f) => f.stop()));
    await Promise.all(proxies.splice(0).map((p) => p.close()));
  });

  function factory(server = plane.url, options: ConstructorParameters<typeof SharedInformerFactory>[1] = {}): SharedInformerFactory {
    const f = new SharedInformerFactory(testClient(server), { ...options, informerOptions: { backoff: { initialMs: 50, maxMs: 500 }, ...options.informerOptions } });
    factories.push(f);
    return f;
  }

  it('lists what exists, then sees adds, updates and deletes', async () => {
    const ns = uniqueName('inf');
    await createNamespace(plane.client, ns);
    const cms = plane.client.resource<ConfigMap>(configMaps, ns);
    await cms.create(configMap('before', { v: '1' }));
    const informer = factory().informerFor<ConfigMap>(configMaps, { namespace: ns });
    const events: string[] = [];
    informer.addEventHandler(recorder(events));
    informer.start();
    expect(await informer.waitForSync()).toBe(true);
    expect(events).toEqual(['add before']);

    const created = await cms.create(configMap('x', { v: '1' }));
    await cms.update({ ...created, data: { v: '2' } });
    await cms.patch('before', { data: { v: '9' } });
    await cms.delete('x');
    await eventually('the changes', () => (events.length === 5 ? true : undefined));
    expect(events).toEqual(['add before', 'add x', 'update x v=2', 'update before v=9', 'delete x']);
    expect(informer.lister.list(ns).map((o) => o.metadata.name)).toEqual(['before']);
    expect(informer.lister.get(ns, 'before')?.data).toEqual({ v: '9' });
    expect(informer.lister.get(ns, 'x')).toBeUndefined();
  });

  it('one informer (one list, one watch) per resource and scope, shared by every consumer; late handlers get the current state', async () => {
    const ns = uniqueName('share');
    await createNamespace(plane.client, ns);
    const cms = plane.client.resource<ConfigMap>(configMaps, ns);
    await cms.create(configMap('a', {}, { app: 'web' }));
    await cms.create(configMap('b', {}, { app: 'db' }));
    const client = testClient(plane.url);
    const f = new SharedInformerFactory(client);
    factories.push(f);
    const first = f.informerFor<ConfigMap>(configMaps, { namespace: ns });
    const second = f.informerFor<ConfigMap>({ ...configMaps }, { namespace: ns });
    const selected = f.informerFor<ConfigMap>(configMaps, { namespace: ns, labelSelector: 'app=web' });
    expect(second).toBe(first);
    expect(selected).not.toBe(first);
    const early: string[] = [];
    first.addEventHandler(recorder(early));
    f.start();
    expect(await f.waitForSync()).toBe(true);
    // Two informers: one list and one watch each.
    const requests = await eventually('the watches to open', () => (client.stats().byMethod['GET'] === 4 ? 4 : undefined));
    const late: string[] = [];
    const reg = second.addEventHandler(recorder(late));
    expect(reg.hasSynced()).toBe(true);
    expect(late.sort()).toEqual(['add a', 'add b']);
    await cms.create(configMap('c', {}, { app: 'web' }));
    await eventually('both handlers to see c', () => (early.includes('add c') && late.includes('add c') ? true : undefined));
    await eventually('the selected informer to see c', () => (selected.lister.get(ns, 'c') ? true : undefined));
    expect(selected.lister.list().map((o) => o.metadata.name).sort()).toEqual(['a', 'c']);
    expect(client.stats().byMethod['GET']).toBe(requests); // no new list or watch: the cache answers
    // A factory made after start starts its informers at once.
    const third = f.informerFor<ConfigMap>(configMaps, { namespace: ns, labelSelector: 'app=db' });
    expect(await third.waitForSync()).toBe(true);
    expect(third.lister.list().map((o) => o.metadata.name)).toEqual(['b']);
  });

  it('indexes pods by node name, and lists by label selector from the cache', async () => {
    const ns = uniqueName('idx');
    await createNamespace(plane.client, ns);
    const pods = plane.client.resource({ group: '', version: 'v1', resource: 'pods' }, ns);
    const pod = (name: string, nodeName: string | undefined, app: string) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, labels: { app } },
      spec: { ...(nodeName ? { nodeName } : {}), containers: [{ name: 'c', image: 'busybox' }] },
    });
    await pods.create(pod('p1', 'n1', 'web'));
    await pods.create(pod('p2', 'n2', 'web'));
    await pods.create(pod('p3', undefined, 'db'));
    const informer = factory().informerFor(pods.gvr, { namespace: ns });
    informer.addIndexers({ [nodeNameIndex]: byNodeName });
    informer.start();
    await informer.waitForSync();
    expect(informer.lister.byIndex(nodeNameIndex, 'n1').map((p) => p.metadata?.name)).toEqual(['p1']);
    expect(informer.lister.list(ns, 'app=web').map((p) => p.metadata?.name).sort()).toEqual(['p1', 'p2']);
    await pods.delete('p1', { gracePeriodSeconds: 0 });
    await eventually('p1 to leave the n1 index', () => (informer.lister.byIndex(nodeNameIndex, 'n1').length === 0 ? true : undefined));
  });

  it('replaces a watch that goes silent (no event, no bookmark within the deadline) without missing an update', async () => {
    const ns = uniqueName('silent');
    await createNamespace(plane.client, ns);
    const cms = plane.client.resource<ConfigMap>(configMaps, ns);
    await cms.create(configMap('a', { v: '1' }));
    const proxy = await FaultyProxy.start(plane.url);
    proxies.push(proxy);
    const errors: unknown[] = [];
    const informer = factory(proxy.url, { informerOptions: { watchDeadlineMs: 1500, onError: (e) => errors.push(e) } }).informerFor<ConfigMap>(configMaps, { namespace: ns });
    const events: string[] = [];
    informer.addEventHandler(recorder(events));
    informer.start();
    await informer.waitForSync();
    // Idle but healthy: bookmarks keep the watch alive past the deadline.
    await sleep(2500);
    expect(informer.stats).toMatchObject({ watches: 1, silentWatches: 0 });
    proxy.stall(); // the connection stays open but nothing flows any more
    await cms.patch('a', { data: { v: '2' } }); // sent while the watch is dead
    await eventually('the update, through a new watch', () => (events.includes('update a v=2') ? true : undefined), 15_000);
    expect(informer.stats.silentWatches).toBeGreaterThanOrEqual(1);
    expect(informer.stats.lists).toBe(1); // resumed from its resourceVersion: no relist needed
    expect(errors.some((e) => e instanceof WatchSilentError)).toBe(true);
    expect(events).toEqual(['add a', 'update a v=2']);
  });
});
