import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { closeIdleHttp1Connections, exchangeHttp1 } from './http1Exchange';

/** A server on a free loopback port, counting the connections it accepted. */
async function listen<S extends HttpServer | TcpServer>(server: S): Promise<{ server: S; url: string; connections: () => number; sockets: Socket[] }> {
  const sockets: Socket[] = [];
  server.on('connection', (s: Socket) => sockets.push(s));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}`, connections: () => sockets.length, sockets };
}

const servers: (HttpServer | TcpServer)[] = [];
afterEach(async () => {
  closeIdleHttp1Connections();
  for (const s of servers.splice(0)) {
    if ('closeAllConnections' in s) s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});

async function httpServer(handler: (req: IncomingMessage, res: ServerResponse, body: Buffer) => void) {
  const server = createHttpServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => handler(req, res, Buffer.concat(parts)));
  });
  servers.push(server);
  return listen(server);
}

/** A raw TCP server: `onRequest(socket, n)` is called for the n-th request head (from 0) on each connection. */
async function rawServer(onRequest: (socket: Socket, requestOnConnection: number, connection: number) => void) {
  let connections = 0;
  const server = createTcpServer((socket) => {
    const connection = connections++;
    let seen = 0;
    let text = '';
    socket.on('data', (chunk) => {
      text += chunk.toString('latin1');
      while (text.includes('\r\n\r\n')) {
        text = text.slice(text.indexOf('\r\n\r\n') + 4);
        onRequest(socket, seen++, connection);
      }
    });
    socket.on('error', () => {});
  });
  servers.push(server);
  return listen(server);
}

const echo = (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
  const answer = JSON.stringify({ method: req.method, url: req.url, type: req.headers['content-type'] ?? null, length: req.headers['content-length'] ?? null, body: body.toString() });
  res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(answer), 'X-Extra': 'yes' });
  res.end(answer);
};

describe('exchangeHttp1', () => {
  it('sends the method, path, query, headers and body, and reads the answer', async () => {
    const { url } = await httpServer(echo);
    const res = await exchangeHttp1(new URL(`${url}/api/v1/pods?watch=false&x=%20y`), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"ünïcode":1}' });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-extra')).toBe('yes');
    expect(JSON.parse(res.body.toString())).toEqual({ method: 'POST', url: '/api/v1/pods?watch=false&x=%20y', type: 'application/json', length: String(Buffer.byteLength('{"ünïcode":1}')), body: '{"ünïcode":1}' });
    const buffer = await exchangeHttp1(new URL(url), { method: 'PUT', headers: {}, body: Buffer.from('bytes') });
    expect(JSON.parse(buffer.body.toString())).toMatchObject({ method: 'PUT', body: 'bytes', length: '5' });
    const get = await exchangeHttp1(new URL(url), { method: 'GET', headers: {} });
    expect(JSON.parse(get.body.toString())).toMatchObject({ method: 'GET', length: null });
  });

  it('reuses one keep-alive connection for requests in sequence, and several for requests at once', async () => {
    const { url, connections } = await httpServer(echo);
    for (let i = 0; i < 20; i++) expect((await exchangeHttp1(new URL(`${url}/${i}`), { method: 'GET', headers: {} })).status).toBe(200);
    expect(connections()).toBe(1);
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => exchangeHttp1(new URL(`${url}/p${i}`), { method: 'GET', headers: {} })));
    expect(answers.map((a) => JSON.parse(a.body.toString()).url)).toEqual(Array.from({ length: 8 }, (_, i) => `/p${i}`));
    expect(connections()).toBe(8);
    await exchangeHttp1(new URL(url), { method: 'GET', headers: {} });
    expect(connections()).toBe(8);
  });

  it('reads a large chunked answer', async () => {
    const piece = 'abcdefghij'.repeat(6_554);
    const { url } = await httpServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain' }); // no length: Node sends it chunked
      for (let i = 0; i < 16; i++) res.write(piece);
      res.end();
    });
    const res = await exchangeHttp1(new URL(url), { method: 'GET', headers: {} });
    expect(res.body.length).toBe(piece.length * 16);
    expect(res.body.toString()).toBe(piece.repeat(16));
  });

  it('sends a request again on a fresh connection when the server closes a reused one without answering', async () => {
    const { url, connections } = await rawServer((socket, n) => {
      if (n === 0) socket.write('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfirst');
      else socket.destroy(); // as a server whose idle timeout struck while the request was under way
    });
    expect((await exchangeHttp1(new URL(url), { method: 'GET', headers: {} })).body.toString()).toBe('first');
    expect((await exchangeHttp1(new URL(url), { method: 'POST', headers: {}, body: 'x' })).body.toString()).toBe('first');
    expect(connections()).toBe(2);
  });

  it('fails without sending again when a fresh connection closes unanswered, or a reused one closes mid-answer', async () => {
    const { url, connections } = await rawServer((socket) => socket.destroy());
    await expect(exchangeHttp1(new URL(url), { method: 'GET', headers: {} })).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(connections()).toBe(1);

    const midway = await rawServer((socket, n) => {
      if (n === 0) socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
      else socket.end('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly part');
    });
    await exchangeHttp1(new URL(midway.url), { method: 'GET', headers: {} });
    await expect(exchangeHttp1(new URL(midway.url), { method: 'GET', headers: {} })).rejects.toThrow(/before the answer was complete/);
    expect(midway.connections()).toBe(1);
  });

  it('opens a new connection after an answer that closes its own, or one framed by the connection end', async () => {
    const { url, connections } = await rawServer((socket, n, connection) => {
      if (connection === 0) socket.end('HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nc0');
      else if (connection === 1) socket.end('HTTP/1.1 200 OK\r\n\r\nuntil the end');
      else socket.write(`HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nr${n}`);
    });
    expect((await exchangeHttp1(new URL(url), { method: 'GET', headers: {} })).body.toString()).toBe('c0');
    expect((await exchangeHttp1(new URL(url), { method: 'GET', headers: {} })).body.toString()).toBe('until the end');
    expect((await exchangeHttp1(new URL(url), { method: 'GET', headers: {} })).body.toString()).toBe('r0');
    expect((await exchangeHttp1(new URL(url), { method: 'GET', headers: {} })).body.toString()).toBe('r1');
    expect(connections()).toBe(3);
  });

  it('aborts: before sending, and while waiting for the answer, closing that connection', async () => {
    const { url, sockets } = await rawServer(() => {}); // never answers
    const already = AbortSignal.abort();
    await expect(exchangeHttp1(new URL(url), { method: 'GET', headers: {}, signal: already })).rejects.toMatchObject({ name: 'AbortError' });
    const controller = new AbortController();
    const pending = exchangeHttp1(new URL(url), { method: 'GET', headers: {}, signal: controller.signal });
    const closed = new Promise<void>((resolve) => {
      const watchFor = () => (sockets.length > 0 ? sockets[sockets.length - 1]!.once('close', () => resolve()) : setImmediate(watchFor));
      watchFor();
    });
    setImmediate(() => controller.abort());
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    await closed;
  });

  it('refuses a header value that would start a header of its own, sending nothing', async () => {
    const { url, connections } = await httpServer(echo);
    await expect(exchangeHttp1(new URL(url), { method: 'GET', headers: { 'X-Bad': 'a\r\nInjected: yes' } })).rejects.toThrow(TypeError);
    expect(connections()).toBe(0);
  });

  it('rejects a malformed answer and keeps the error of a refused connection', async () => {
    const { url } = await rawServer((socket) => socket.write('NOT HTTP\r\n\r\n'));
    await expect(exchangeHttp1(new URL(url), { method: 'GET', headers: {} })).rejects.toThrow(/malformed HTTP answer/);
    const closedPort = await rawServer(() => {});
    const refusedUrl = closedPort.url;
    await new Promise((resolve) => closedPort.server.close(resolve));
    servers.splice(servers.indexOf(closedPort.server), 1);
    await expect(exchangeHttp1(new URL(refusedUrl), { method: 'GET', headers: {} })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
