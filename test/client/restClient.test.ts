/**
 * The REST client against a real API server: typed resource helpers, paged lists, watches with
 * timeoutSeconds and bookmarks, 429 retries after Retry-After, and its request counter.
 */
import { isStatusError } from '../../api/status';
import { RestClient, type WatchEvent } from '../../client/restClient';
import { useControlPlane } from '../harness/apiserver';
import { configMap, configMaps, createNamespace, eventually, testClient, uniqueName, type ConfigMap } from './helpers';
import { pauseProcess } from '../harness/etcd';

describe('RestClient (integration)', () => {
  const plane = useControlPlane({ maxReadOnlyInFlight: 1, bookmarkIntervalMs: 200 });

  it('typed helpers: create, get, update (409 when stale), patch, paged list, delete', async () => {
    const ns = uniqueName('rc');
    await createNamespace(plane.client, ns);
    const client = testClient(plane.url);
    const cms = client.resource<ConfigMap>(configMaps, ns);
    for (let i = 0; i < 5; i++) await cms.create(configMap(`cm-${i}`, { i: String(i) }));
    const got = await cms.get('cm-0');
    expect(got.data).toEqual({ i: '0' });
    const updated = await cms.update({ ...got, data: { i: 'x' } });
    expect(isStatusError(await cms.update({ ...got, data: { i: 'stale' } }).catch((e: unknown) => e), 409)).toBe(true);
    expect((await cms.patch('cm-0', { data: { j: 'y' } })).data).toEqual({ i: 'x', j: 'y' });
    expect(updated.metadata.resourceVersion).not.toBe(got.metadata.resourceVersion);

    const before = client.requestCount;
    const pages: number[] = [];
    for await (const page of cms.listPages({ limit: 2 })) pages.push(page.items.length);
    expect(pages).toEqual([2, 2, 1]);
    expect(client.requestCount - before).toBe(3);
    const all = await cms.listAll({ limit: 2 });
    expect(all.items.map((o) => o.metadata.name)).toEqual(['cm-0', 'cm-1', 'cm-2', 'cm-3', 'cm-4']);
    expect(Number(all.resourceVersion)).toBeGreaterThan(0);
    await cms.delete('cm-4');
    expect(isStatusError(await cms.get('cm-4').catch((e: unknown) => e), 404)).toBe(true);
  });

  it('watch: bookmarks when allowed, and the server ends it after timeoutSeconds', async () => {
    const ns = uniqueName('w');
    await createNamespace(plane.client, ns);
    const cms = testClient(plane.url).resource<ConfigMap>(configMaps, ns);
    const { resourceVersion } = await cms.listAll();
    const events: WatchEvent<ConfigMap>[] = [];
    const start = Date.now();
    const w = await cms.watch({ resourceVersion, allowWatchBookmarks: true, timeoutSeconds: 1 }, (e) => events.push(e));
    await cms.create(configMap('a'));
    await w.done; // ended by the server
    expect(Date.now() - start).toBeGreaterThanOrEqual(900);
    expect(events[0]).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'a' } } });
    expect(events.filter((e) => e.type === 'BOOKMARK').length).toBeGreaterThanOrEqual(1);
  });

  it('retries a 429 (server in-flight limit) after Retry-After until it gets through', async () => {
    const ns = uniqueName('busy');
    await createNamespace(plane.client, ns);
    await plane.client.create(`/api/v1/namespaces/${ns}/configmaps`, configMap('a'));
    const client = new RestClient({ server: plane.url, rateLimit: false });
    await pauseProcess(plane.etcdPid);
    try {
      // One read that cannot finish fills the only read-only slot...
      const blocker = plane.client.raw('GET', `/api/v1/namespaces/${ns}/configmaps/a`);
      await eventually('the slot to fill', () => (plane.server.metrics.render().includes('apiserver_current_inflight_requests{request_kind="readOnly"} 1') ? true : undefined));
      // ...so this one is answered 429 (Retry-After: 1) and retried.
      const retried = client.get<ConfigMap>(`/api/v1/namespaces/${ns}/configmaps/a`);
      await eventually('a retry', () => (client.stats().retries >= 1 ? true : undefined), 5000);
      process.kill(plane.etcdPid, 'SIGCONT');
      expect((await retried).metadata.name).toBe('a');
      expect((await blocker).status).toBe(200);
      expect(client.stats().retries).toBeGreaterThanOrEqual(1);
      expect(client.requestCount).toBe(client.stats().retries + 1);
    } finally {
      process.kill(plane.etcdPid, 'SIGCONT');
    }
  });
});
