import { StatusError } from '../../api/status';
import { byNodeName, byOwnerUid, nodeNameIndex, ownerUidIndex } from './indexers';
import { SharedIndexInformer, type SharedInformerOptions } from './sharedInformer';
import { bookmark, expiredEvent, FakeServer, gone, until, type TestObject } from './testing';
import { DeletedFinalStateUnknown } from './tombstone';
import { WatchSilentError } from './reflector';

type Seen = string[];

/** Records notifications as short strings: "add a 101 initial", "update a 101->102", "delete a (tombstone)". */
function recorder(seen: Seen) {
  return {
    onAdd: (o: TestObject, initial: boolean) => void seen.push(`add ${o.metadata.name} ${o.metadata.resourceVersion}${initial ? ' initial' : ''}`),
    onUpdate: (old: TestObject, o: TestObject) => void seen.push(`update ${o.metadata.name} ${old.metadata.resourceVersion}->${o.metadata.resourceVersion}`),
    onDelete: (o: TestObject | DeletedFinalStateUnknown<TestObject>) =>
      void seen.push(o instanceof DeletedFinalStateUnknown ? `delete ${o.obj.metadata.name} (tombstone)` : `delete ${o.metadata.name}`),
  };
}

const fast: SharedInformerOptions<TestObject> = { backoff: { initialMs: 5, maxMs: 20 }, pageSize: 2 };

describe('SharedIndexInformer', () => {
  let informer: SharedIndexInformer<TestObject> | undefined;
  afterEach(async () => {
    await informer?.stop();
    informer = undefined;
  });

  function start(server: FakeServer, options: SharedInformerOptions<TestObject> = {}) {
    informer = new SharedIndexInformer<TestObject>(server, { ...fast, ...options });
    const seen: Seen = [];
    informer.addEventHandler(recorder(seen));
    informer.start();
    return { informer, seen };
  }

  it('lists in pages, delivers the list as initial adds, then watches from its resourceVersion with bookmarks', async () => {
    const server = new FakeServer();
    for (const n of ['a', 'b', 'c', 'd', 'e']) server.put(n);
    const { informer, seen } = start(server);
    expect(await informer.waitForSync()).toBe(true);
    expect(server.listCalls.map((c) => c.continue ?? '')).toEqual(['', '105:2', '105:4']);
    expect(seen).toEqual(['add a 101 initial', 'add b 102 initial', 'add c 103 initial', 'add d 104 initial', 'add e 105 initial']);
    expect(informer.hasSynced()).toBe(true);
    await until('a watch', () => server.watches.length === 1);
    expect(server.current!.options).toMatchObject({ resourceVersion: '105', allowWatchBookmarks: true });
    expect(informer.lister.get('ns', 'c')?.metadata.resourceVersion).toBe('103');
    expect(informer.lister.list('ns')).toHaveLength(5);
    expect(informer.lister.list('other')).toHaveLength(0);
  });

  it('applies watch events in order; bookmarks advance the resourceVersion the next watch starts from', async () => {
    const server = new FakeServer();
    server.put('a');
    const { informer, seen } = start(server);
    await until('a watch', () => server.watches.length === 1);
    const w = server.current!;
    w.send({ type: 'ADDED', object: server.put('b') });
    w.send({ type: 'MODIFIED', object: server.put('a', { spec: { value: 2 } }) });
    w.send({ type: 'DELETED', object: server.remove('b') });
    w.send({ type: 'DELETED', object: { metadata: { name: 'never-seen', namespace: 'ns', resourceVersion: '104' } } });
    w.send(bookmark(150));
    expect(seen.slice(1)).toEqual(['add b 102', 'update a 101->103', 'delete b']);
    expect(informer.lastSyncResourceVersion).toBe('150');
    expect(informer.lister.get('ns', 'a')?.spec?.value).toBe(2);
    w.end(); // the server ends the watch (timeout): a new one from the last resourceVersion, no relist
    await until('a second watch', () => server.watches.length === 2);
    expect(server.current!.options.resourceVersion).toBe('150');
    expect(server.listCalls).toHaveLength(1);
  });

  it('relists on an ERROR 410 event: deletes (tombstones) for vanished objects, updates for changed ones, adds for new ones', async () => {
    const server = new FakeServer();
    server.put('keep');
    server.put('change');
    server.put('vanish');
    const { informer, seen } = start(server);
    await until('a watch', () => server.watches.length === 1);
    seen.length = 0;
    // While the watch is away: changes the informer never hears of.
    server.put('change', { spec: { value: 9 } });
    server.remove('vanish');
    server.put('new');
    informer.addEventHandler({}); // a second handler does not change anything
    server.current!.send(expiredEvent());
    await until('the relist', () => seen.length === 3);
    expect(seen.sort()).toEqual(['add new 106', 'delete vanish (tombstone)', 'update change 102->104']);
    expect(informer.lister.list().map((o) => o.metadata.name).sort()).toEqual(['change', 'keep', 'new']);
    await until('a new watch', () => server.watches.length === 2);
    expect(server.current!.options.resourceVersion).toBe('106');
  });

  it('relists on an HTTP 410 when opening the watch', async () => {
    const server = new FakeServer();
    server.put('a');
    server.watchOpenErrors.push(gone());
    const { informer, seen } = start(server);
    await until('a watch', () => server.watches.length === 1);
    expect(server.listCalls).toHaveLength(2);
    expect(seen).toEqual(['add a 101 initial']); // the relist found nothing new
    expect(informer.stats.lists).toBe(2);
  });

  it('a tombstone carries the key and the last known state', async () => {
    const server = new FakeServer();
    server.put('x', { spec: { value: 7 } });
    const deleted: unknown[] = [];
    informer = new SharedIndexInformer<TestObject>(server, fast);
    informer.addEventHandler({ onDelete: (o) => void deleted.push(o) });
    informer.start();
    await until('a watch', () => server.watches.length === 1);
    server.remove('x');
    server.current!.send(expiredEvent());
    await until('the delete', () => deleted.length === 1);
    expect(deleted[0]).toBeInstanceOf(DeletedFinalStateUnknown);
    expect(deleted[0]).toMatchObject({ key: 'ns/x', obj: { spec: { value: 7 } } });
  });

  it('replaces a watch that goes silent past the deadline, from the last resourceVersion, and reports it', async () => {
    const server = new FakeServer();
    server.put('a');
    const errors: unknown[] = [];
    const { informer, seen } = start(server, { watchDeadlineMs: 60, onError: (e) => errors.push(e) });
    await until('a watch', () => server.watches.length === 1);
    server.current!.send({ type: 'ADDED', object: server.put('b') });
    // Bookmarks keep it alive...
    for (let i = 0; i < 4; i++) {
      await new Promise((r) => setTimeout(r, 30));
      server.current!.send(bookmark(102));
    }
    expect(server.watches).toHaveLength(1);
    // ...silence does not.
    await until('a second watch', () => server.watches.length === 2, 2000);
    expect(server.watches[0]!.closed).toBe(true);
    expect(server.current!.options.resourceVersion).toBe('102');
    expect(errors[0]).toBeInstanceOf(WatchSilentError);
    expect(informer.stats.silentWatches).toBe(1);
    expect(server.listCalls).toHaveLength(1);
    expect(seen).toEqual(['add a 101 initial', 'add b 102']);
  });

  it('gives up on a watch that does not even open within the deadline', async () => {
    const server = new FakeServer();
    server.hangWatchOpen = true;
    const errors: unknown[] = [];
    start(server, { watchDeadlineMs: 30, onError: (e) => errors.push(e) });
    await until('two silent openings', () => errors.length >= 2);
    expect(errors[0]).toBeInstanceOf(WatchSilentError);
  });

  it('never stops: list and watch failures are reported and retried with backoff', async () => {
    const server = new FakeServer();
    server.put('a');
    server.listErrors.push(new Error('connection refused'), new StatusError(500, 'InternalError', 'boom'));
    server.watchOpenErrors.push(new Error('socket hang up'), new StatusError(503, 'ServiceUnavailable', 'later'));
    const errors: string[] = [];
    const { informer, seen } = start(server, { onError: (e) => errors.push((e as Error).message) });
    expect(await informer.waitForSync()).toBe(true);
    await until('a watch', () => server.watches.length === 1);
    expect(errors).toEqual(['connection refused', 'boom', 'socket hang up', 'later']);
    server.current!.fail(new Error('ECONNRESET'));
    await until('a second watch', () => server.watches.length === 2);
    expect(errors[4]).toBe('ECONNRESET');
    expect(server.current!.options.resourceVersion).toBe('101');
    expect(seen).toEqual(['add a 101 initial']);
  });

  it('treats a watch the server ends at once, with nothing delivered, as a failure (backoff, no busy loop)', async () => {
    const server = new FakeServer();
    const errors: string[] = [];
    start(server, { onError: (e) => errors.push((e as Error).message), backoff: { initialMs: 50, maxMs: 50, jitter: 0 } });
    await until('a watch', () => server.watches.length === 1);
    server.current!.end();
    await new Promise((r) => setTimeout(r, 25));
    expect(server.watches).toHaveLength(1);
    expect(errors[0]).toMatch(/very short watch/);
    await until('a second watch', () => server.watches.length === 2);
  });

  it('a handler added after sync first gets the cached state as adds, then live changes', async () => {
    const server = new FakeServer();
    server.put('a');
    server.put('b');
    const { informer } = start(server);
    await until('a watch', () => server.watches.length === 1);
    const late: Seen = [];
    const reg = informer.addEventHandler(recorder(late));
    expect(reg.hasSynced()).toBe(true);
    server.current!.send({ type: 'MODIFIED', object: server.put('a') });
    expect(late).toEqual(['add a 101 initial', 'add b 102 initial', 'update a 101->103']);
    reg.remove();
    server.current!.send({ type: 'MODIFIED', object: server.put('b') });
    expect(late).toHaveLength(3);
  });

  it('resyncs: re-delivers every cached object as update(o, o) each period', async () => {
    const server = new FakeServer();
    server.put('a');
    const { informer, seen } = start(server, { resyncPeriodMs: 40 });
    const own: Seen = [];
    informer.addEventHandler(recorder(own), { resyncPeriodMs: 0 });
    await until('two resyncs', () => seen.filter((s) => s === 'update a 101->101').length >= 2, 2000);
    expect(own).toEqual(['add a 101 initial']);
  });

  it('a failing handler is reported and does not hold up the others; async handlers get notifications in order, one at a time', async () => {
    const server = new FakeServer();
    const errors: string[] = [];
    informer = new SharedIndexInformer<TestObject>(server, { ...fast, onError: (e) => errors.push((e as Error).message) });
    const slow: string[] = [];
    let inFlight = 0;
    informer.addEventHandler({
      onAdd: () => {
        throw new Error('handler bug');
      },
    });
    informer.addEventHandler({
      onAdd: async (o) => {
        inFlight++;
        expect(inFlight).toBe(1);
        await new Promise((r) => setTimeout(r, 5));
        slow.push(o.metadata.name);
        inFlight--;
      },
    });
    const fastSeen: Seen = [];
    informer.addEventHandler(recorder(fastSeen));
    informer.start();
    await until('a watch', () => server.watches.length === 1);
    for (const n of ['x', 'y', 'z']) server.current!.send({ type: 'ADDED', object: server.put(n) });
    expect(fastSeen).toEqual(['add x 101', 'add y 102', 'add z 103']); // synchronously, not held up
    await until('the slow handler', () => slow.length === 3);
    expect(slow).toEqual(['x', 'y', 'z']);
    expect(errors).toEqual(['handler bug', 'handler bug', 'handler bug']);
  });

  it('registration hasSynced waits until the handler has been given the synced state', async () => {
    const server = new FakeServer();
    server.put('a');
    informer = new SharedIndexInformer<TestObject>(server, fast);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const reg = informer.addEventHandler({ onAdd: () => gate });
    informer.start();
    await informer.waitForSync();
    expect(informer.hasSynced()).toBe(true);
    expect(reg.hasSynced()).toBe(false);
    release();
    await until('the handler to sync', () => reg.hasSynced());
  });

  it('freezes cached objects', async () => {
    const server = new FakeServer();
    server.put('a', { metadata: { name: 'a', labels: { x: '1' } } });
    const { informer } = start(server);
    await informer.waitForSync();
    const a = informer.lister.get('ns', 'a')!;
    expect(() => {
      a.metadata.labels!['x'] = '2';
    }).toThrow(TypeError);
  });

  it('indexes by namespace, owner uid, node name and custom functions, kept current through changes', async () => {
    const server = new FakeServer();
    const owner = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'rs-uid' };
    server.put('p1', { spec: { nodeName: 'n1' }, metadata: { name: 'p1', ownerReferences: [owner], labels: { app: 'web' } } });
    server.put('p2', { spec: { nodeName: 'n2' }, metadata: { name: 'p2', ownerReferences: [owner], labels: { app: 'db' } } });
    server.put('p3', {}, 'other');
    const { informer } = start(server, { indexers: { [nodeNameIndex]: byNodeName } });
    informer.addIndexers({ [ownerUidIndex]: byOwnerUid, app: (o) => (o.metadata?.labels?.['app'] ? [o.metadata.labels['app']] : []) });
    await until('a watch', () => server.watches.length === 1);
    const names = (objs: TestObject[]) => objs.map((o) => o.metadata.name).sort();
    expect(names(informer.lister.byIndex(nodeNameIndex, 'n1'))).toEqual(['p1']);
    expect(names(informer.lister.byIndex(ownerUidIndex, 'rs-uid'))).toEqual(['p1', 'p2']);
    expect(names(informer.lister.byIndex('app', 'db'))).toEqual(['p2']);
    expect(names(informer.lister.list('other'))).toEqual(['p3']);
    expect(names(informer.lister.list(undefined, 'app in (web,db)'))).toEqual(['p1', 'p2']);
    expect(names(informer.lister.list('ns', 'app!=web'))).toEqual(['p2']);
    server.current!.send({ type: 'MODIFIED', object: server.put('p1', { spec: { nodeName: 'n2' }, metadata: { name: 'p1', labels: { app: 'web' } } }) });
    expect(names(informer.lister.byIndex(nodeNameIndex, 'n2'))).toEqual(['p1', 'p2']);
    expect(informer.lister.byIndex(nodeNameIndex, 'n1')).toEqual([]);
    expect(names(informer.lister.byIndex(ownerUidIndex, 'rs-uid'))).toEqual(['p2']);
    server.current!.send({ type: 'DELETED', object: server.remove('p2') });
    expect(informer.lister.byIndex(ownerUidIndex, 'rs-uid')).toEqual([]);
  });

  it('stop() closes the watch, ends delivery and answers pending waitForSync with false', async () => {
    const server = new FakeServer();
    server.hangWatchOpen = false;
    server.listErrors.push(new Error('down'), new Error('down'), new Error('down'));
    informer = new SharedIndexInformer<TestObject>(server, { backoff: { initialMs: 1000 } });
    informer.start();
    const waiting = informer.waitForSync();
    await until('the first list', () => server.listCalls.length === 1);
    await informer.stop();
    expect(await waiting).toBe(false);
    expect(informer.isStopped).toBe(true);
  });

  it('stop() during a watch closes it', async () => {
    const server = new FakeServer();
    const { informer, seen } = start(server);
    await until('a watch', () => server.watches.length === 1);
    await informer.stop();
    expect(server.current!.closed).toBe(true);
    server.current!.send({ type: 'ADDED', object: server.put('late') });
    expect(seen).toEqual([]);
  });
});
