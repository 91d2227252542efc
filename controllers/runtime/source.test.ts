import type { KubeObject } from '../../api/kinds/kind';
import { silentLogger } from '../../client/log';
import { SharedIndexInformer } from '../../client/informer/sharedInformer';
import { expiredEvent, FakeServer, until, type TestObject } from '../../client/informer/testing';
import { enqueueForObject, enqueueForOwner, enqueueMapped } from './handlers';
import { generationChanged } from './predicates';
import { requestKey, type Request } from './reconcile';
import { informerSource } from './source';

describe('informerSource', () => {
  const informers: SharedIndexInformer<KubeObject>[] = [];
  afterEach(async () => {
    await Promise.all(informers.splice(0).map((i) => i.stop()));
  });
  const informer = (server: FakeServer) => {
    const i = new SharedIndexInformer<KubeObject>(server, { backoff: { initialMs: 5, maxMs: 20 } });
    informers.push(i);
    return i;
  };

  it('delivers the initial list, then changes, filtered by predicates', async () => {
    const server = new FakeServer();
    server.put('a', { metadata: { name: 'a', generation: 1 } } as Partial<TestObject>);
    const inf = informer(server);
    const got: string[] = [];
    const source = informerSource(inf, enqueueForObject(), [generationChanged], 'test');
    const reg = source.start((r) => got.push(requestKey(r)), silentLogger);
    expect(await source.waitForSync(new AbortController().signal)).toBe(true);
    await until('synced', () => reg.hasSynced());
    expect(got).toEqual(['ns/a']);
    await until('a watch', () => server.watches.length === 1);
    const status = server.put('a', { metadata: { name: 'a', generation: 1 } } as Partial<TestObject>);
    server.current!.send({ type: 'MODIFIED', object: status });
    const spec = server.put('a', { metadata: { name: 'a', generation: 2 } } as Partial<TestObject>);
    server.current!.send({ type: 'MODIFIED', object: spec });
    await until('the spec change', () => got.length === 2);
    expect(got).toEqual(['ns/a', 'ns/a']);
    reg.stop();
    server.current!.send({ type: 'DELETED', object: server.remove('a') });
    await new Promise((r) => setTimeout(r, 20));
    expect(got).toHaveLength(2);
  });

  it('maps tombstones (deletions seen on a relist) through the handler: the owner hears of its deleted child', async () => {
    const server = new FakeServer();
    server.put('child', { metadata: { name: 'child', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'owner', uid: 'u1', controller: true } as never] } } as Partial<TestObject>);
    const inf = informer(server);
    const got: Request[] = [];
    const source = informerSource(inf, enqueueForOwner({ apiVersion: 'apps/v1', kind: 'ReplicaSet' }), [], 'owned');
    source.start((r) => got.push(r), silentLogger);
    await until('a watch', () => server.watches.length === 1);
    expect(got).toEqual([{ namespace: 'ns', name: 'owner' }]);
    // The child goes while the watch is away: the relist after a 410 finds it gone.
    server.remove('child');
    server.current!.send(expiredEvent());
    await until('the tombstone', () => got.length === 2);
    expect(got[1]).toEqual({ namespace: 'ns', name: 'owner' });
  });

  it('a map function that throws drops that event only', async () => {
    const server = new FakeServer();
    server.put('bad');
    server.put('good');
    const inf = informer(server);
    const got: string[] = [];
    const errors: unknown[] = [];
    const log = { ...silentLogger, error: (_m: string, f?: Record<string, unknown>) => void errors.push(f?.['error']) };
    const source = informerSource(
      inf,
      enqueueMapped((o) => {
        if (o.metadata?.name === 'bad') throw new Error('boom');
        return [{ name: o.metadata!.name! }];
      }),
      [],
      'mapped',
    );
    source.start((r) => got.push(r.name), log);
    await until('good', () => got.includes('good'));
    expect(errors).toHaveLength(1);
  });
});
