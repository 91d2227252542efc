import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isStatusError } from '../api/status';
import { RestClient, retryAfterMs, type WatchEvent } from './restClient';
import { resourcePath } from './resource';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

/** A tiny HTTP server whose answers the test scripts. */
async function fakeApi(handler: Handler): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => handler(req, res, body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    server,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

const json = (res: ServerResponse, code: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(code, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};
const tooMany = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'TooManyRequests', message: 'slow down', code: 429, details: { retryAfterSeconds: 0 } };

describe('RestClient', () => {
  let api: Awaited<ReturnType<typeof fakeApi>> | undefined;
  afterEach(async () => {
    await api?.close();
    api = undefined;
  });

  it('retries a 429 after its Retry-After in call() and the verbs, but raw() answers the 429 as is', async () => {
    let n = 0;
    api = await fakeApi((_req, res) => (++n % 3 === 0 ? json(res, 200, { ok: n }) : json(res, 429, tooMany, { 'Retry-After': '0' })));
    const client = new RestClient({ server: api.url, rateLimit: false });
    expect(await client.get('/api/v1/x')).toEqual({ ok: 3 });
    expect(client.stats()).toMatchObject({ total: 3, retries: 2, byMethod: { GET: 3 } });
    expect((await client.raw('GET', '/api/v1/x')).status).toBe(429);
    expect(client.requestCount).toBe(4);
  });

  it('gives up after maxRetries and throws the 429 as a StatusError', async () => {
    api = await fakeApi((_req, res) => json(res, 429, tooMany));
    const client = new RestClient({ server: api.url, rateLimit: false, maxRetries: 2, defaultRetryAfterMs: 1 });
    const err = await client.create('/api/v1/x', {}).catch((e: unknown) => e);
    expect(isStatusError(err, 429)).toBe(true);
    expect(client.stats()).toMatchObject({ total: 3, retries: 2, byMethod: { POST: 3 } });
  });

  it('limits requests with a token bucket (client-go defaults 5 qps, burst 10, unless configured)', async () => {
    api = await fakeApi((_req, res) => json(res, 200, {}));
    const client = new RestClient({ server: api.url, rateLimit: { qps: 20, burst: 2 } });
    const start = Date.now();
    await Promise.all(Array.from({ length: 6 }, () => client.get('/x')));
    // 2 at once, then 4 more 50 ms apart.
    expect(Date.now() - start).toBeGreaterThanOrEqual(180);
    expect(client.stats().throttledMs).toBeGreaterThan(0);
    const unlimited = new RestClient({ server: api.url, rateLimit: false });
    const t = Date.now();
    await Promise.all(Array.from({ length: 30 }, () => unlimited.get('/x')));
    expect(Date.now() - t).toBeLessThan(1000);
    expect(unlimited.stats().throttledMs).toBe(0);
    const defaults = new RestClient({ server: api.url });
    const d = Date.now();
    await Promise.all(Array.from({ length: 11 }, () => defaults.get('/x')));
    expect(Date.now() - d).toBeGreaterThanOrEqual(150); // the 11th waits for a token (200 ms at 5 qps)
  });

  it('pages through a list with continue tokens (listPages, listAll)', async () => {
    const seen: string[] = [];
    api = await fakeApi((req, res) => {
      const url = new URL(req.url!, 'http://x');
      seen.push(`${url.searchParams.get('limit')} ${url.searchParams.get('continue') ?? '-'} ${url.searchParams.get('labelSelector') ?? '-'}`);
      const page = Number(url.searchParams.get('continue') ?? 0);
      json(res, 200, { metadata: { resourceVersion: '42', ...(page < 2 ? { continue: String(page + 1) } : {}) }, items: [{ page }] });
    });
    const client = new RestClient({ server: api.url, rateLimit: false });
    const pods = client.resource<{ page: number }>({ group: '', version: 'v1', resource: 'pods' }, 'ns');
    expect(await pods.listAll({ limit: 1, labelSelector: 'app=web' })).toEqual({ items: [{ page: 0 }, { page: 1 }, { page: 2 }], resourceVersion: '42' });
    expect(seen).toEqual(['1 - app=web', '1 1 app=web', '1 2 app=web']);
    seen.length = 0;
    const pages = [];
    for await (const page of client.listPages('/api/v1/pods')) pages.push(page.items);
    expect(pages).toHaveLength(3);
    expect(seen[0]).toBe('500 - -'); // the default page size
  });

  it('builds resource paths', () => {
    expect(resourcePath({ group: '', version: 'v1', resource: 'pods' })).toBe('/api/v1/pods');
    expect(resourcePath({ group: 'apps', version: 'v1', resource: 'deployments' }, 'ns', 'web', 'scale')).toBe('/apis/apps/v1/namespaces/ns/deployments/web/scale');
    const client = new RestClient({ server: 'http://x/' });
    expect(client.resource({ group: 'coordination.k8s.io', version: 'v1', resource: 'leases' }, 'kube-system').path('l')).toBe('/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/l');
  });

  it('watches with timeoutSeconds and allowWatchBookmarks; an AbortSignal closes the watch', async () => {
    let query = '';
    api = await fakeApi((req, res) => {
      query = req.url!;
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write(JSON.stringify({ type: 'ADDED', object: { metadata: { name: 'a' } } }) + '\n');
      res.write(JSON.stringify({ type: 'BOOKMARK', object: { metadata: { resourceVersion: '7' } } }) + '\n');
      // and then nothing: the stream stays open
    });
    const client = new RestClient({ server: api.url, rateLimit: false });
    const events: WatchEvent[] = [];
    const abort = new AbortController();
    const w = await client.resource({ group: '', version: 'v1', resource: 'pods' }).watch({ resourceVersion: '5', timeoutSeconds: 30, allowWatchBookmarks: true, signal: abort.signal }, (e) => events.push(e));
    while (events.length < 2) await new Promise((r) => setTimeout(r, 5));
    expect(query).toContain('timeoutSeconds=30');
    expect(query).toContain('allowWatchBookmarks=true');
    expect(query).toContain('resourceVersion=5');
    expect(query).toContain('watch=true');
    abort.abort();
    await w.done; // resolves: a closed watch is an end, not a failure
    expect(events.map((e) => e.type)).toEqual(['ADDED', 'BOOKMARK']);
  });

  it('a watch whose opening is refused throws the Status; an already aborted signal never connects', async () => {
    api = await fakeApi((_req, res) => json(res, 410, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'Expired', message: 'too old', code: 410 }));
    const client = new RestClient({ server: api.url, rateLimit: false });
    const err = await client.watch('/api/v1/pods', {}, () => {}).catch((e: unknown) => e);
    expect(isStatusError(err, 410)).toBe(true);
    const abort = new AbortController();
    abort.abort();
    await expect(client.watch('/api/v1/pods', {}, () => {}, { signal: abort.signal })).rejects.toThrow();
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(retryAfterMs('3', 1000)).toBe(3000);
    expect(retryAfterMs(null, 1000)).toBe(1000);
    expect(retryAfterMs('soon', 1000)).toBe(1000);
    expect(retryAfterMs(new Date(Date.now() + 5000).toUTCString(), 1000)).toBeGreaterThan(3000);
  });
});
