/**
 * The controller runtime on a real control plane: a toy controller (ConfigMap → owned Secret)
 * built with the builder reconciles creates, updates and deletes; owns() re-triggers it when the
 * owned Secret is changed or deleted; an object it cannot fix makes it back off (no hot loop);
 * the manager serves /healthz, /readyz and /metrics; createOrUpdate, patchObject and
 * updateStatus behave against the API server.
 */
import type { Event } from '../../api/kinds/core/event';
import type { KubeObject } from '../../api/kinds/kind';
import { isStatusError } from '../../api/status';
import { MetricsRegistry } from '../../client/metrics';
import { RestClient } from '../../client/restClient';
import { Manager } from '../../controllers/runtime/manager';
import { newControllerManagedBy } from '../../controllers/runtime/builder';
import { createOrUpdate, createOrUpdateObject, patchObject } from '../../controllers/runtime/objects';
import { useControlPlane } from '../harness/apiserver';
import { createNamespace, eventually, sleep, uniqueName } from '../client/helpers';
import { addToyController, b64, configMaps, copyName, secrets, type ConfigMap, type Secret } from './toyController';

const plane = useControlPlane();

describe('controller runtime (integration)', () => {
  const managers: Manager[] = [];
  afterEach(async () => {
    await Promise.all(managers.splice(0).map((m) => m.stop()));
  });

  function newManager(options: Partial<ConstructorParameters<typeof Manager>[0]> = {}): Manager {
    const client = new RestClient({ server: plane.url, rateLimit: false });
    const m = new Manager({ client, name: uniqueName('mgr'), leaderElection: false, ...options });
    managers.push(m);
    return m;
  }

  const cmClient = (ns: string) => plane.client.resource<ConfigMap>(configMaps, ns);
  const secretClient = (ns: string) => plane.client.resource<Secret>(secrets, ns);
  const copyOf = async (ns: string, name: string): Promise<Secret | undefined> => {
    try {
      return await secretClient(ns).get(copyName(name));
    } catch (err) {
      if (isStatusError(err, 404)) return undefined;
      throw err;
    }
  };
  const cm = (name: string, data: Record<string, string>, labels?: Record<string, string>): ConfigMap => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...(labels ? { labels } : {}) }, data });

  it('reconciles creates, updates and deletes of the for-kind; owns() brings back a changed or deleted Secret', async () => {
    const ns = uniqueName('toy');
    await createNamespace(plane.client, ns);
    await cmClient(ns).create(cm('before', { a: '1' })); // exists before the manager starts
    const manager = newManager({ healthPort: 0 });
    const toy = addToyController(manager, ns);
    await manager.start();
    expect(manager.isLeader()).toBe(true);

    const before = await eventually('the copy of a ConfigMap that existed before start', () => copyOf(ns, 'before'));
    expect(before.data).toEqual({ a: b64('1') });
    const owner = await cmClient(ns).get('before');
    expect(before.metadata.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'ConfigMap', name: 'before', uid: owner.metadata.uid, controller: true, blockOwnerDeletion: true }]);

    // Create.
    await cmClient(ns).create(cm('app', { k: 'v1' }));
    await eventually('the copy of app', () => copyOf(ns, 'app'));
    // Update.
    await cmClient(ns).patch('app', { data: { k: 'v2', extra: 'x' } });
    await eventually('the copy to follow the update', async () => ((await copyOf(ns, 'app'))?.data?.['k'] === b64('v2') ? true : undefined));
    expect((await copyOf(ns, 'app'))?.data).toEqual({ k: b64('v2'), extra: b64('x') });

    // Someone changes the owned Secret: its event maps to the owner, which restores it.
    await secretClient(ns).patch(copyName('app'), { data: { k: b64('tampered') } });
    await eventually('the copy to be restored', async () => ((await copyOf(ns, 'app'))?.data?.['k'] === b64('v2') ? true : undefined));
    // Someone deletes it: recreated.
    const oldUid = (await copyOf(ns, 'app'))!.metadata.uid;
    await secretClient(ns).delete(copyName('app'));
    const recreated = await eventually('the copy to be recreated', async () => {
      const s = await copyOf(ns, 'app');
      return s && s.metadata.uid !== oldUid ? s : undefined;
    });
    expect(recreated.data?.['k']).toBe(b64('v2'));

    // Delete of the for-kind: reconciled (the object is gone from the cache), the copy goes too.
    await cmClient(ns).delete('app');
    await eventually('the copy to be deleted', async () => ((await copyOf(ns, 'app')) === undefined ? true : undefined));
    expect(toy.reconciled.filter((r) => r === `${ns}/app`).length).toBeGreaterThanOrEqual(4);

    // Probes and metrics.
    const address = manager.healthAddress!;
    expect(address).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`${address}/healthz`)).status).toBe(200);
    const ready = await fetch(`${address}/readyz`);
    expect([ready.status, await ready.text()]).toEqual([200, 'ok']);
    const metrics = await (await fetch(`${address}/metrics`)).text();
    expect(metrics).toMatch(new RegExp(`controller_runtime_reconcile_total\\{controller="toy-${ns}",result="success"\\} [1-9]`));
    expect(metrics).toContain(`controller_runtime_reconcile_time_seconds_count{controller="toy-${ns}"}`);
    expect(metrics).toContain(`workqueue_adds_total{name="toy-${ns}"}`);
    expect(metrics).toContain(`workqueue_depth{name="toy-${ns}"}`);
    expect((await fetch(`${address}/nope`)).status).toBe(404);
  });

  it('an object the controller cannot fix backs off exponentially: few attempts and requests, no hot loop', async () => {
    const ns = uniqueName('broken');
    await createNamespace(plane.client, ns);
    const manager = newManager();
    const toy = addToyController(manager, ns);
    await manager.start();
    const requestsBefore = manager.client.requestCount;
    const start = Date.now();
    await cmClient(ns).create(cm('bad', { a: '1' }, { 'toy/broken': 'true' }));
    await sleep(3000);
    const attempts = toy.reconciled.filter((r) => r === `${ns}/bad`).length;
    const elapsed = Date.now() - start;
    // 5 ms doubling: about log2(3000 / 5) + 1 ≈ 10 attempts in 3 s; a hot loop would make thousands.
    expect(attempts).toBeGreaterThanOrEqual(5);
    expect(attempts).toBeLessThanOrEqual(13);
    // Each attempt wrote at most an event (aggregated): the request count stays small.
    expect(manager.client.requestCount - requestsBefore).toBeLessThan(3 * attempts + 5);
    const errors = manager.metrics.counter('controller_runtime_reconcile_errors_total', '').get({ controller: `toy-${ns}` });
    expect(errors).toBe(attempts);
    expect(elapsed).toBeGreaterThanOrEqual(3000);

    // The Warning repeats aggregated into one Event with a count.
    await manager.eventRecorder('toy-controller').flush();
    const events = await plane.client.resource<Event & KubeObject>({ group: '', version: 'v1', resource: 'events' }, ns).list({ fieldSelector: 'involvedObject.name=bad' });
    expect(events.items).toHaveLength(1);
    expect(events.items[0]).toMatchObject({ type: 'Warning', reason: 'CopyFailed', involvedObject: { kind: 'ConfigMap', name: 'bad', namespace: ns } });
    expect(events.items[0]!.count).toBeGreaterThanOrEqual(attempts - 1);

    // Fixed by the user: the next attempt succeeds (the label change is an event: at once).
    await cmClient(ns).patch('bad', { metadata: { labels: { 'toy/broken': 'false' } } });
    await eventually('the copy once fixed', () => copyOf(ns, 'bad'), 5000);
  });

  it('concurrency: several workers, never one key twice at once', async () => {
    const ns = uniqueName('conc');
    await createNamespace(plane.client, ns);
    const manager = newManager();
    const toy = addToyController(manager, ns, (b) => b.withConcurrency(4));
    await manager.start();
    await Promise.all(Array.from({ length: 12 }, (_, i) => cmClient(ns).create(cm(`c${i}`, { i: String(i) }))));
    for (let i = 0; i < 12; i++) await eventually(`copy c${i}`, () => copyOf(ns, `c${i}`));
    expect(manager.metrics.gauge('controller_runtime_max_concurrent_reconciles', '').get({ controller: `toy-${ns}` })).toBe(4);
    expect(new Set(toy.reconciled).size).toBe(12);
  });

  it('stop() lets an in-flight reconcile finish, then stops the informers', async () => {
    const ns = uniqueName('stop');
    await createNamespace(plane.client, ns);
    const manager = newManager();
    let finished = false;
    let started = false;
    newControllerManagedBy(manager)
      .for(configMaps, { predicates: [{ create: (o) => o.metadata?.namespace === ns, update: () => false, delete: () => false }] })
      .complete(async (_req, ctx) => {
        started = true;
        await sleep(300);
        finished = ctx.signal.aborted; // it saw the stop, and finished anyway
      });
    await manager.start();
    await cmClient(ns).create(cm('slow', {}));
    await eventually('the reconcile to start', () => (started ? true : undefined));
    await manager.stop();
    expect(finished).toBe(true);
    expect(manager.isLeader()).toBe(false);
  });

  it('two controllers on one manager share one informer per resource', async () => {
    const ns1 = uniqueName('share');
    const ns2 = uniqueName('share');
    await createNamespace(plane.client, ns1);
    await createNamespace(plane.client, ns2);
    const manager = newManager();
    addToyController(manager, ns1);
    addToyController(manager, ns2);
    expect(manager.informers.size).toBe(2); // configmaps and secrets, once each
    await manager.start();
    await cmClient(ns1).create(cm('x', {}));
    await cmClient(ns2).create(cm('x', {}));
    await eventually('both copies', async () => ((await copyOf(ns1, 'x')) && (await copyOf(ns2, 'x')) ? true : undefined));
    expect(() => addToyController(manager, ns1)).toThrow(/already/);
  });
});

describe('event recorder (integration)', () => {
  it('writes core/v1 Events and aggregates repeats into one Event with a count', async () => {
    const ns = uniqueName('events');
    await createNamespace(plane.client, ns);
    const client = new RestClient({ server: plane.url, rateLimit: false });
    const manager = new Manager({ client, name: uniqueName('ev'), leaderElection: false });
    const recorder = manager.eventRecorder('test-controller');
    const target = await plane.client.resource<ConfigMap>(configMaps, ns).create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'target' } });
    for (let i = 0; i < 5; i++) recorder.event(target, 'Normal', 'Poked', 'poked the target');
    recorder.event(target, 'Warning', 'Poked', 'poked too hard');
    const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: uniqueName('node'), uid: 'node-uid' } };
    recorder.event(node, 'Normal', 'Seen', 'a node');
    await recorder.flush();
    await sleep(1100); // a later repeat moves lastTimestamp (seconds)
    recorder.event(target, 'Normal', 'Poked', 'poked the target');
    await recorder.flush();
    const events = plane.client.resource<Event & KubeObject>({ group: '', version: 'v1', resource: 'events' }, ns);
    const list = await events.list({ fieldSelector: 'involvedObject.name=target,reason=Poked' });
    expect(list.items).toHaveLength(2);
    const normal = list.items.find((e) => e.type === 'Normal')!;
    expect(normal).toMatchObject({
      count: 6,
      message: 'poked the target',
      involvedObject: { apiVersion: 'v1', kind: 'ConfigMap', name: 'target', namespace: ns, uid: target.metadata.uid },
      source: { component: 'test-controller' },
      reportingComponent: 'test-controller',
    });
    expect(normal.metadata.name).toMatch(/^target\.[0-9a-f]+$/);
    expect(Date.parse(normal.lastTimestamp!)).toBeGreaterThan(Date.parse(normal.firstTimestamp!));
    expect(list.items.find((e) => e.type === 'Warning')!.count).toBe(1);
    // An event about a cluster-scoped object lives in "default".
    const nodeEvents = await plane.client.resource<Event & KubeObject>({ group: '', version: 'v1', resource: 'events' }, 'default').list({ fieldSelector: `involvedObject.name=${node.metadata.name}` });
    expect(nodeEvents.items.map((e) => e.reason)).toEqual(['Seen']);
    await manager.stop();
  });
});

describe('object helpers against the API server', () => {
  it('createOrUpdate creates, updates, and leaves alone what mutate does not change (no write)', async () => {
    const ns = uniqueName('cou');
    await createNamespace(plane.client, ns);
    const metrics = new MetricsRegistry();
    const client = new RestClient({ server: plane.url, rateLimit: false, metrics });
    const desired = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: ns } } as ConfigMap;
    const set = (v: string) => (live: ConfigMap) => {
      live.data = { ...live.data, k: v };
    };
    expect(await createOrUpdate(client, configMaps, desired, set('1'))).toBe('created');
    expect(await createOrUpdate(client, configMaps, desired, set('2'))).toBe('updated');
    const puts = client.stats().byMethod['PUT'] ?? 0;
    const r = await createOrUpdateObject(client, configMaps, desired, set('2'));
    expect(r.operation).toBe('unchanged');
    expect(r.object.data).toEqual({ k: '2' });
    expect(client.stats().byMethod['PUT'] ?? 0).toBe(puts);
    // Fields others set survive (mutate sets only its own).
    await plane.client.resource<ConfigMap>(configMaps, ns).patch('c', { data: { other: 'keep' } });
    expect(await createOrUpdate(client, configMaps, desired, set('3'))).toBe('updated');
    expect((await plane.client.resource<ConfigMap>(configMaps, ns).get('c')).data).toEqual({ k: '3', other: 'keep' });
    await expect(createOrUpdate(client, configMaps, desired, (live) => void (live.metadata.name = 'other'))).rejects.toThrow(/changed the name/);
  });

  it('createOrUpdate retries the read-mutate-write when another writer gets in between', async () => {
    const ns = uniqueName('cou');
    await createNamespace(plane.client, ns);
    const cms = plane.client.resource<ConfigMap>(configMaps, ns);
    await cms.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { n: '0' } });
    let calls = 0;
    const result = await createOrUpdate(plane.client, configMaps, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: ns } } as ConfigMap, async (live) => {
      calls++;
      if (calls === 1) await cms.patch('c', { data: { other: 'x' } }); // makes our read stale
      live.data = { ...live.data, mine: 'y' };
    });
    expect(result).toBe('updated');
    expect(calls).toBe(2);
    expect((await cms.get('c')).data).toEqual({ n: '0', other: 'x', mine: 'y' });
  });

  it('patchObject sends merge, strategic, JSON and apply patches', async () => {
    const ns = uniqueName('patch');
    await createNamespace(plane.client, ns);
    const cms = plane.client.resource<ConfigMap>(configMaps, ns);
    await cms.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'p' }, data: { a: '1' } });
    await patchObject(plane.client, configMaps, ns, 'p', { data: { b: '2' } }, 'merge');
    await patchObject(plane.client, configMaps, ns, 'p', { data: { c: '3' } }, 'strategic');
    await patchObject(plane.client, configMaps, ns, 'p', [{ op: 'add', path: '/data/d', value: '4' }], 'json');
    const applied = await patchObject<ConfigMap>(plane.client, configMaps, ns, 'p', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'p' }, data: { e: '5' } }, 'apply', { fieldManager: 'test' });
    expect(applied.data).toEqual({ a: '1', b: '2', c: '3', d: '4', e: '5' });
    await expect(patchObject(plane.client, configMaps, ns, 'p', {}, 'apply')).rejects.toThrow(/fieldManager/);
    const dry = await patchObject<ConfigMap>(plane.client, configMaps, ns, 'p', { data: { z: '9' } }, 'merge', { dryRun: true });
    expect(dry.data?.['z']).toBe('9');
    expect((await cms.get('p')).data?.['z']).toBeUndefined();
  });
});
