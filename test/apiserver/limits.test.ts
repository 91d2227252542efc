/**
 * The server's protective limits: the request body size (413), the in-flight limits (429 with
 * Retry-After; watches exempt), the request timeout (504, also shortened by ?timeout=), and
 * readiness while etcd is unreachable. etcd is paused with SIGSTOP to make requests hang; every
 * test resumes it (SIGCONT) however it ends. Each scenario has its own control plane.
 */
import type { RestClient, Watch } from '../../client/restClient';
import { useControlPlane, type TestControlPlane } from '../harness/apiserver';
import { configMapBody } from './crudHelpers';
import { eventually, expectStatus, metricValue, resourcePath, uniqueName } from './helpers';
import { pauseProcess } from '../harness/etcd';

const cmPath = resourcePath('/api/v1', 'configmaps');

/** Pauses a plane's etcd; `resume` is idempotent and safe to call from afterEach. */
function etcdPauser(plane: TestControlPlane) {
  let paused: number | undefined;
  return {
    async pause(): Promise<void> {
      paused = plane.etcdPid;
      await pauseProcess(paused);
    },
    resume(): void {
      if (paused === undefined) return;
      try {
        process.kill(paused, 'SIGCONT');
      } finally {
        paused = undefined;
      }
    },
  };
}

/** The current value of a gauge sample, from the server's own registry. */
function gauge(plane: TestControlPlane, name: string, labels: Record<string, string>): number | undefined {
  return metricValue(plane.server.metrics.render(), name, labels);
}

describe('request body limit', () => {
  const plane = useControlPlane();

  it('a body over 3 MiB is 413 RequestEntityTooLarge and writes nothing', async () => {
    const rev = await plane.server.storage.currentRevision();
    const big = JSON.stringify(configMapBody('too-big', { blob: 'x'.repeat(3 * 1024 * 1024 + 1024) }));
    const res = await plane.client.raw('POST', cmPath(), { rawBody: big, contentType: 'application/json' });
    const st = expectStatus(res, 413, 'RequestEntityTooLarge');
    expect(st.message).toMatch(/too large/i);
    expect(await plane.server.storage.currentRevision()).toBe(rev);
    expect((await plane.client.raw('GET', cmPath('too-big'))).status).toBe(404);

    // The same for an update, and the server is fine afterwards.
    await plane.client.create(cmPath(), configMapBody('small'));
    const put = await plane.client.raw('PUT', cmPath('small'), { rawBody: big.replace('too-big', 'small'), contentType: 'application/json' });
    expectStatus(put, 413, 'RequestEntityTooLarge');
    expect((await plane.client.raw('GET', cmPath('small'))).status).toBe(200);
  });
});

describe('in-flight limits', () => {
  const plane = useControlPlane({ maxReadOnlyInFlight: 2, maxMutatingInFlight: 1 });
  const etcd = etcdPauser(plane);
  afterEach(() => etcd.resume());

  it('answers 429 with Retry-After beyond the limits, never counting watches', async () => {
    const c: RestClient = plane.client;
    const name = uniqueName('target');
    await c.create(cmPath(), configMapBody(name));

    // Watches are long-running: several open ones take no read-only slot.
    const watches: Watch[] = [];
    const seen: string[] = [];
    for (let i = 0; i < 3; i++) watches.push(await c.watch<{ metadata: { name: string } }>(cmPath(), { resourceVersion: '0' }, (e) => seen.push(e.object.metadata.name)));
    try {
      // The watch cache holds the object before etcd is paused (so a watch from "0" can list it).
      await eventually('the watch cache to hold the object', () => (seen.includes(name) ? true : undefined), 10_000);
      expect(gauge(plane, 'apiserver_current_inflight_requests', { request_kind: 'readOnly' }) ?? 0).toBe(0);

      await etcd.pause();
      // Two reads that cannot finish fill the read-only limit...
      const reads = [c.raw('GET', cmPath(name)), c.raw('GET', cmPath(name))];
      await eventually('2 reads in flight', () => (gauge(plane, 'apiserver_current_inflight_requests', { request_kind: 'readOnly' }) === 2 ? true : undefined), 10_000);
      // ...so the next one is turned away at once.
      const refused = await c.raw('GET', cmPath(name));
      const st = expectStatus(refused, 429, 'TooManyRequests');
      expect(refused.headers.get('retry-after')).toBe('1');
      expect(st.details).toMatchObject({ retryAfterSeconds: 1 });
      expect((await c.raw('GET', cmPath(), { query: { limit: 1 } })).status).toBe(429);

      // A watch is still served.
      const events: string[] = [];
      const late = await c.watch<{ metadata: { name: string } }>(cmPath(), { resourceVersion: '0' }, (e) => events.push(`${e.type} ${e.object.metadata.name}`));
      watches.push(late);
      await eventually('the late watch to replay the cache', () => (events.includes(`ADDED ${name}`) ? true : undefined), 10_000);

      // One write that cannot finish fills the mutating limit (reads and writes are counted apart).
      const write = c.raw('POST', cmPath(), { body: configMapBody(uniqueName('w1')) });
      await eventually('1 write in flight', () => (gauge(plane, 'apiserver_current_inflight_requests', { request_kind: 'mutating' }) === 1 ? true : undefined), 10_000);
      const refusedWrites = [
        await c.raw('POST', cmPath(), { body: configMapBody(uniqueName('w2')) }),
        await c.raw('PATCH', cmPath(name), { body: { data: { k: 'v2' } }, contentType: 'application/merge-patch+json' }),
        await c.raw('DELETE', cmPath(name)),
      ];
      for (const res of refusedWrites) {
        expectStatus(res, 429, 'TooManyRequests');
        expect(res.headers.get('retry-after')).toBe('1');
      }

      etcd.resume();
      // The requests that waited complete normally once etcd answers again.
      for (const res of await Promise.all(reads)) expect(res.status).toBe(200);
      expect((await write).status).toBe(201);
      await eventually(
        'the slots to be released',
        () =>
          gauge(plane, 'apiserver_current_inflight_requests', { request_kind: 'readOnly' }) === 0 &&
          gauge(plane, 'apiserver_current_inflight_requests', { request_kind: 'mutating' }) === 0
            ? true
            : undefined,
        10_000,
      );
      expect((await c.raw('GET', cmPath(name))).status).toBe(200);
      expect((await c.raw('PATCH', cmPath(name), { body: { data: { k: 'v3' } }, contentType: 'application/merge-patch+json' })).status).toBe(200);
    } finally {
      etcd.resume();
      for (const w of watches) w.close();
    }
  });
});

describe('request timeout', () => {
  const plane = useControlPlane({ requestTimeoutMs: 1000 });
  const etcd = etcdPauser(plane);
  afterEach(() => etcd.resume());

  it('a request that cannot finish is answered 504 Timeout, and the server works again after etcd returns', async () => {
    const c = plane.client;
    const name = uniqueName('slow');
    await c.create(cmPath(), configMapBody(name));

    await etcd.pause();
    let start = Date.now();
    const get = await c.raw('GET', cmPath(name));
    let elapsed = Date.now() - start;
    const st = expectStatus(get, 504, 'Timeout');
    expect(st.message).toMatch(/timeout|timed out/i);
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(5000);

    start = Date.now();
    const post = await c.raw('POST', cmPath(), { body: configMapBody(uniqueName('slow-create')) });
    elapsed = Date.now() - start;
    expectStatus(post, 504, 'Timeout');
    expect(elapsed).toBeLessThan(5000);

    // Health endpoints are not behind the timeout.
    expect((await c.raw('GET', '/livez')).status).toBe(200);

    etcd.resume();
    const ok = await eventually(
      'a GET to succeed after SIGCONT',
      async () => {
        const res = await c.raw('GET', cmPath(name));
        return res.status === 200 ? res : undefined;
      },
      10_000,
    );
    expect((ok.json as { data: Record<string, string> }).data).toEqual({ k: 'v' });
    expect((await c.raw('POST', cmPath(), { body: configMapBody(uniqueName('after')) })).status).toBe(201);
    expect((await c.raw('GET', cmPath())).status).toBe(200);
  });
});

describe('?timeout and readiness', () => {
  const plane = useControlPlane();
  const etcd = etcdPauser(plane);
  afterEach(() => etcd.resume());

  it('?timeout=1s shortens the request timeout', async () => {
    const c = plane.client;
    const name = uniqueName('short');
    await c.create(cmPath(), configMapBody(name));
    await etcd.pause();
    const start = Date.now();
    const res = await c.raw('GET', cmPath(name), { query: { timeout: '1s' } });
    const elapsed = Date.now() - start;
    expectStatus(res, 504, 'Timeout');
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(5000);
    etcd.resume();
    expect((await c.raw('GET', cmPath(name), { query: { timeout: '1s' } })).status).toBe(200);
  });

  it('while etcd is paused /readyz is 503 (promptly) and /healthz, /livez stay 200; /readyz recovers after SIGCONT', async () => {
    const c = plane.client;
    expect((await c.raw('GET', '/readyz')).status).toBe(200);
    await etcd.pause();

    expect((await c.raw('GET', '/healthz')).status).toBe(200);
    expect((await c.raw('GET', '/livez')).status).toBe(200);

    // Kubernetes bounds its etcd readiness check (--etcd-readycheck-timeout, 2 s by default), so
    // /readyz answers promptly; a client waiting 5 s for it would already call the server hung.
    const probe = async (query: Record<string, string> = {}) => {
      try {
        return await c.raw('GET', '/readyz', { query, signal: AbortSignal.timeout(5000) });
      } catch {
        return undefined; // no answer within 5 s
      }
    };
    const [ready, verbose] = await Promise.all([probe(), probe({ verbose: '' })]);
    expect({ answeredWithin5s: ready !== undefined, status: ready?.status }).toEqual({ answeredWithin5s: true, status: 503 });
    expect({ answeredWithin5s: verbose !== undefined, status: verbose?.status }).toEqual({ answeredWithin5s: true, status: 503 });
    expect(verbose!.text).toMatch(/^\[-\]etcd failed/m);
    expect(verbose!.text).toMatch(/readyz check failed/);
    expect(ready!.text).not.toMatch(/\n\s+at\s|node_modules/);

    expect((await c.raw('GET', '/healthz')).status).toBe(200);

    etcd.resume();
    await eventually('/readyz to be 200 again', async () => ((await c.raw('GET', '/readyz')).status === 200 ? true : undefined), 10_000);
    const after = await c.raw('GET', '/readyz', { query: { verbose: '' } });
    expect(after.status).toBe(200);
    expect(after.text).toMatch(/^\[\+\]etcd ok/m);
    expect(after.text).toMatch(/readyz check passed/);
  });
});
