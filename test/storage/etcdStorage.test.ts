import { connect, createServer, type Socket } from 'node:net';
import { Etcd3 } from 'etcd3';
import { EtcdStorage } from '../../apiserver/storage/etcd';
import { ConflictError, ExpiredError, KeyExistsError, KeyNotFoundError, type StorageEvent } from '../../apiserver/storage/interface';
import { useEtcd } from '../harness/etcd';

const etcd = useEtcd();
let storage: EtcdStorage;
/** An independent client (the etcd3 package) to read what was stored. */
let raw: Etcd3;
beforeAll(() => {
  storage = new EtcdStorage({ endpoints: [etcd.endpoint] });
  raw = new Etcd3({ hosts: [etcd.endpoint] });
});
afterAll(async () => {
  raw.close();
  await storage.close();
});

/** A loopback TCP proxy to `target` whose connections can be cut. */
async function tcpProxy(target: URL): Promise<{ endpoint: string; cut(): void; connections(): number; close(): void }> {
  const open = new Set<Socket>();
  let accepted = 0;
  const server = createServer((client) => {
    accepted++;
    const upstream = connect(Number(target.port), target.hostname);
    for (const s of [client, upstream]) {
      open.add(s);
      s.on('error', () => {});
      s.on('close', () => {
        open.delete(s);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const cut = () => {
    for (const s of open) s.destroy();
  };
  return {
    endpoint: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    cut,
    connections: () => accepted,
    close: () => {
      cut();
      server.close();
    },
  };
}

/** The first `count` events of a watch of `prefix` after revision `start`; the watch is then closed. */
function watchEvents(prefix: string, start: number, count: number): Promise<StorageEvent[]> {
  const seen: StorageEvent[] = [];
  return new Promise((resolve, reject) => {
    const w = storage.watch(prefix, start, {
      onEvents: (events) => {
        seen.push(...events);
        if (seen.length >= count) {
          w.close();
          resolve(seen);
        }
      },
      onProgress: () => {},
      onError: reject,
    });
  });
}

const obj = (name: string, extra: Record<string, unknown> = {}) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, uid: `uid-${name}` }, ...extra });

describe('EtcdStorage', () => {
  it('creates only when absent, with resourceVersion = mod revision (never stored)', async () => {
    const created = await storage.create('/registry/core/configmaps/ns/a', obj('a'));
    expect(Number(created.metadata.resourceVersion)).toBeGreaterThan(0);
    await expect(storage.create('/registry/core/configmaps/ns/a', obj('a'))).rejects.toBeInstanceOf(KeyExistsError);
    const stored = await raw.get('/registry/core/configmaps/ns/a').string();
    expect(JSON.parse(stored!).metadata.resourceVersion).toBeUndefined();
    const got = await storage.get('/registry/core/configmaps/ns/a');
    expect(got?.metadata.resourceVersion).toBe(created.metadata.resourceVersion);
  });

  it('updates and deletes only at the expected revision, returning the current state on conflict', async () => {
    const created = await storage.create('/registry/core/configmaps/ns/b', obj('b'));
    const rv = Number(created.metadata.resourceVersion);
    const updated = await storage.update('/registry/core/configmaps/ns/b', obj('b', { data: { x: '1' } }), rv);
    expect(Number(updated.metadata.resourceVersion)).toBeGreaterThan(rv);
    const stale = await storage.update('/registry/core/configmaps/ns/b', obj('b', { data: { x: '2' } }), rv).catch((e: unknown) => e);
    expect(stale).toBeInstanceOf(ConflictError);
    expect((stale as ConflictError).current?.data).toEqual({ x: '1' });
    await expect(storage.delete('/registry/core/configmaps/ns/b', rv)).rejects.toBeInstanceOf(ConflictError);
    const deleted = await storage.delete('/registry/core/configmaps/ns/b', Number(updated.metadata.resourceVersion));
    expect(Number(deleted.metadata.resourceVersion)).toBeGreaterThan(Number(updated.metadata.resourceVersion));
    await expect(storage.delete('/registry/core/configmaps/ns/b', 1)).rejects.toBeInstanceOf(KeyNotFoundError);
    expect(await storage.get('/registry/core/configmaps/ns/b')).toBeUndefined();
  });

  it('lists a prefix in pages at one revision', async () => {
    for (const n of ['p1', 'p2', 'p3', 'p4', 'p5']) await storage.create(`/registry/core/pods/list/${n}`, obj(n));
    const first = await storage.list('/registry/core/pods/list/', { limit: 2 });
    expect(first.items.map((o) => o.metadata.name)).toEqual(['p1', 'p2']);
    expect(first.remaining).toBe(3);
    // A write after the first page is invisible to the following pages.
    await storage.create('/registry/core/pods/list/p6', obj('p6'));
    const second = await storage.list('/registry/core/pods/list/', { limit: 10, startAfter: first.lastKey!, revision: first.revision });
    expect(second.items.map((o) => o.metadata.name)).toEqual(['p3', 'p4', 'p5']);
    expect(second.lastKey).toBeUndefined();
    expect(second.revision).toBe(first.revision);
  });

  it('watches a prefix from a revision, in order, and reports compacted history as expired', async () => {
    const start = await storage.currentRevision();
    const a = await storage.create('/registry/core/secrets/w/a', obj('a'));
    await storage.update('/registry/core/secrets/w/a', obj('a', { data: {} }), Number(a.metadata.resourceVersion));
    const b = await storage.create('/registry/core/secrets/w/b', obj('b'));
    await storage.delete('/registry/core/secrets/w/b', Number(b.metadata.resourceVersion));
    const seen = await watchEvents('/registry/core/secrets/w/', start, 4);
    // A deletion names its key only: etcd is not asked for previous values (the watch cache has them).
    expect(seen.map((e) => `${e.type} ${e.key.split('/').pop()} ${e.object?.metadata.name ?? '-'}`)).toEqual(['ADDED a a', 'MODIFIED a a', 'ADDED b b', 'DELETED b -']);
    const revisions = seen.map((e) => e.revision);
    expect([...revisions].sort((x, y) => x - y)).toEqual(revisions);

    await storage.compact(await storage.currentRevision());
    const error = await new Promise<Error>((resolve) => {
      storage.watch('/registry/core/secrets/w/', start, { onEvents: () => {}, onProgress: () => {}, onError: resolve });
    });
    expect(error).toBeInstanceOf(ExpiredError);
    await expect(storage.list('/registry/core/secrets/w/', { revision: start })).rejects.toBeInstanceOf(ExpiredError);
  });

  it("carries this server's own writes into its watch as the objects the writes returned, and decodes everyone else's", async () => {
    const prefix = '/registry/core/configmaps/own/';
    const start = await storage.currentRevision();
    const created = await storage.create(`${prefix}a`, obj('a', { data: { x: '1' } }));
    const updated = await storage.update(`${prefix}a`, obj('a', { data: { x: '2' } }), Number(created.metadata.resourceVersion));
    // Another client's write: same key, never seen by `storage`.
    await raw.put(`${prefix}b`).value(JSON.stringify(obj('b', { data: { x: 'raw' } })));
    const seen = await watchEvents(prefix, start, 3);
    expect(seen[0]!.object).toBe(created);
    expect(seen[1]!.object).toBe(updated);
    expect(seen[2]!.object).toEqual({ ...obj('b', { data: { x: 'raw' } }), metadata: { name: 'b', uid: 'uid-b', resourceVersion: String(seen[2]!.revision) } });
    // What the watch shares is exactly what reading the key back gives, field order included.
    expect(JSON.stringify(seen[1]!.object)).toBe(JSON.stringify(await storage.get(`${prefix}a`)));
  });

  it('shares the written objects with a live watch whichever of event and answer arrives first', async () => {
    const prefix = '/registry/core/configmaps/live/';
    const start = await storage.currentRevision();
    const events = watchEvents(prefix, start, 40);
    // Concurrent writes: etcd often reports a write's event before the write's answer.
    const written = await Promise.all(Array.from({ length: 40 }, (_, i) => storage.create(`${prefix}c${i}`, obj(`c${i}`, { data: { i: String(i) } }))));
    const seen = await events;
    const byName = new Map(written.map((o) => [o.metadata.name, o]));
    for (const event of seen) expect(event.object).toBe(byName.get(event.object!.metadata.name!));
  });

  it('resumes a watch after its connection is cut, losing and repeating nothing', async () => {
    const proxy = await tcpProxy(new URL(etcd.endpoint));
    const viaProxy = new EtcdStorage({ endpoints: [proxy.endpoint] });
    const seen: string[] = [];
    let notify = () => {};
    const start = await storage.currentRevision();
    const w = viaProxy.watch('/registry/core/resume/', start, {
      onEvents: (events) => {
        seen.push(...events.map((e) => `${e.type} ${e.key.split('/').pop()}`));
        notify();
      },
      onProgress: () => {},
      onError: (err) => {
        throw err;
      },
    });
    const seenAtLeast = (n: number) =>
      new Promise<void>((resolve) => {
        notify = () => seen.length >= n && resolve();
        notify();
      });
    try {
      await storage.create('/registry/core/resume/a', obj('a'));
      await seenAtLeast(1);
      proxy.cut(); // etcd keeps running; the watch's connection is gone
      await storage.create('/registry/core/resume/b', obj('b'));
      await storage.create('/registry/core/resume/c', obj('c'));
      await seenAtLeast(3);
      expect(seen).toEqual(['ADDED a', 'ADDED b', 'ADDED c']);
      expect(proxy.connections()).toBeGreaterThanOrEqual(2);
    } finally {
      w.close();
      await viaProxy.close();
      proxy.close();
    }
  });

  it('counts the keys of a prefix and those modified after a revision, at a revision', async () => {
    const a = await storage.create('/registry/core/count/ns/a', obj('a'));
    const before = Number(a.metadata.resourceVersion);
    await storage.create('/registry/core/count/ns/b', obj('b'));
    const now = await storage.currentRevision();
    expect(await storage.count('/registry/core/count/', now, before)).toEqual({ total: 2, modified: 1 });
    expect(await storage.count('/registry/core/count/', now, now)).toEqual({ total: 2, modified: 0 });
    expect(await storage.count('/registry/core/count/', before, 0)).toEqual({ total: 1, modified: 1 });
  });
});
