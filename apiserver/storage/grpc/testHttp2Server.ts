/**
 * For tests of the HTTP/2 client: Node's own HTTP/2 server (nghttp2) on a free loopback port,
 * with a stream handler the test sets, started before the file's tests and stopped after them.
 */
import { createServer, type IncomingHttpHeaders, type ServerHttp2Session, type ServerHttp2Stream, type Settings } from 'node:http2';

export type StreamHandler = (stream: ServerHttp2Stream, headers: IncomingHttpHeaders) => void;

/** Registers beforeAll/afterAll; `endpoint()` is the server's http:// URL once started. `settings`: the server's HTTP/2 settings. */
export function useHttp2Server(handler: () => StreamHandler, settings: Settings = {}): { endpoint(): string } {
  const server = createServer({ settings });
  const sessions = new Set<ServerHttp2Session>();
  let endpoint = '';
  server.on('session', (session) => {
    sessions.add(session);
    session.on('error', () => {});
    session.on('close', () => sessions.delete(session));
  });
  server.on('stream', (stream, headers) => {
    stream.on('error', () => {}); // resets the tests provoke
    handler()(stream, headers);
  });
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    for (const s of sessions) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { endpoint: () => endpoint };
}
