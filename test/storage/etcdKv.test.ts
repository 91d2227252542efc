/**
 * Marina's lean etcd KV client (apiserver/storage/grpc) against a real etcd: etcd's own errors,
 * deadlines on a stopped etcd, and moving on from an endpoint that refuses connections.
 */
import { createServer } from 'node:net';
import { EtcdKv } from '../../apiserver/storage/grpc/etcdKv';
import { GrpcError } from '../../apiserver/storage/grpc/grpcChannel';
import { pauseProcess, startTestEtcd, type TestEtcd } from '../harness/etcd';

let etcd: TestEtcd;
beforeAll(async () => {
  etcd = await startTestEtcd();
}, 30_000);
afterAll(() => etcd.stop(), 30_000);

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const key = (k: string) => Buffer.from(k);

describe('EtcdKv', () => {
  it('writes, reads and compares in transactions', async () => {
    const kv = new EtcdKv({ endpoints: [etcd.endpoint] });
    try {
      const created = await kv.txn({ compare: [{ key: key('/t/a'), target: 'create', revision: 0 }], success: [{ put: { key: key('/t/a'), value: key('1') } }], failure: [] });
      expect(created.succeeded).toBe(true);
      const again = await kv.txn({ compare: [{ key: key('/t/a'), target: 'create', revision: 0 }], success: [{ put: { key: key('/t/a'), value: key('2') } }], failure: [{ range: { key: key('/t/a') } }] });
      expect(again.succeeded).toBe(false);
      expect(again.responses[0]!.kvs[0]!).toMatchObject({ modRevision: created.revision, createRevision: created.revision });
      expect(again.responses[0]!.kvs[0]!.value.toString()).toBe('1');
      const range = await kv.range({ key: key('/t/'), rangeEnd: key('/t0') });
      expect(range.kvs.map((x) => x.key.toString())).toEqual(['/t/a']);
      expect(range.revision).toBeGreaterThanOrEqual(created.revision);
    } finally {
      kv.close();
    }
  });

  it('moves values larger than the HTTP/2 windows and frames, many calls at once', async () => {
    const kv = new EtcdKv({ endpoints: [etcd.endpoint] });
    try {
      const big = Buffer.alloc(1024 * 1024, 'x');
      await kv.txn({ compare: [], success: [{ put: { key: key('/big/a'), value: big } }], failure: [] });
      const [whole, ...small] = await Promise.all([kv.range({ key: key('/big/a') }), ...Array.from({ length: 50 }, () => kv.range({ key: key('/t/a') }))]);
      expect(whole.kvs[0]!.value.equals(big)).toBe(true);
      expect(small.every((r) => r.kvs[0]!.value.toString() === '1')).toBe(true);
    } finally {
      kv.close();
    }
  });

  it("rejects with etcd's status and message (a range at a compacted revision)", async () => {
    const kv = new EtcdKv({ endpoints: [etcd.endpoint] });
    try {
      const first = await kv.txn({ compare: [], success: [{ put: { key: key('/c/a'), value: key('1') } }], failure: [] });
      const second = await kv.txn({ compare: [], success: [{ put: { key: key('/c/a'), value: key('2') } }], failure: [] });
      await kv.compact(second.revision);
      const err = await kv.range({ key: key('/c/a'), revision: first.revision }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(GrpcError);
      expect((err as GrpcError).code).toBe(11);
      expect((err as GrpcError).message).toMatch(/^OUT_OF_RANGE: .*required revision has been compacted/);
    } finally {
      kv.close();
    }
  });

  it('gives up at the deadline when etcd does not answer, and works again once it does', async () => {
    const kv = new EtcdKv({ endpoints: [etcd.endpoint] });
    try {
      await kv.range({ key: key('/d') }); // connected
      await pauseProcess(etcd.pid);
      const started = Date.now();
      const err = await kv.range({ key: key('/d') }, 300).catch((e: unknown) => e);
      process.kill(etcd.pid, 'SIGCONT');
      expect((err as Error).message).toMatch(/^DEADLINE_EXCEEDED/);
      expect(Date.now() - started).toBeLessThan(5_000);
      await expect(kv.range({ key: key('/d') }, 5_000)).resolves.toMatchObject({ kvs: [] });
    } finally {
      process.kill(etcd.pid, 'SIGCONT');
      kv.close();
    }
  });

  it('reports an unreachable endpoint as UNAVAILABLE and moves on to the next one', async () => {
    const kv = new EtcdKv({ endpoints: [`http://127.0.0.1:${await closedPort()}`, etcd.endpoint] });
    try {
      const err = await kv.range({ key: key('/u') }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(GrpcError);
      expect((err as GrpcError).message).toMatch(/^UNAVAILABLE: .*ECONNREFUSED/);
      await expect(kv.range({ key: key('/u') })).resolves.toMatchObject({ kvs: [] });
    } finally {
      kv.close();
    }
    await expect(kv.range({ key: key('/u') })).rejects.toThrow(/^UNAVAILABLE: the etcd client is closed/);
  });
});
