/**
 * A lean HTTP/1.1 load client for benchmarks: one keep-alive socket per client, a request written
 * by hand, the response read by its Content-Length. Node's http client costs several times more
 * CPU per request, and on a 2-core machine that CPU would be taken from the server under test.
 * It expects the server to answer with Content-Length (the API server always does).
 */
import { connect, type Socket } from 'node:net';

export interface LoadClient {
  /** POSTs JSON to `path`; resolves with the HTTP status. */
  post(path: string, body: string): Promise<number>;
  close(): void;
}

export function loadClient(host: string, port: number): LoadClient {
  const socket: Socket = connect(port, host);
  socket.setNoDelay(true);
  let buffer: Buffer = Buffer.alloc(0);
  // Requests in flight, oldest first: HTTP/1.1 answers a connection's requests in order.
  const waiting: { resolve: (status: number) => void; reject: (err: Error) => void }[] = [];
  const fail = (err: Error) => {
    for (const w of waiting.splice(0)) w.reject(err);
  };
  socket.on('error', fail);
  socket.on('close', () => fail(new Error('connection closed')));
  socket.on('data', (chunk: Buffer) => {
    buffer = buffer.length ? Buffer.concat([buffer, chunk]) : chunk;
    for (;;) {
      const headerEnd = buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const head = buffer.subarray(0, headerEnd).toString('latin1');
      const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
      if (buffer.length < headerEnd + 4 + length) return;
      buffer = buffer.subarray(headerEnd + 4 + length);
      waiting.shift()?.resolve(Number(head.slice(9, 12)));
    }
  });
  return {
    post: (path, body) =>
      new Promise((resolve, reject) => {
        waiting.push({ resolve, reject });
        socket.write(`POST ${path} HTTP/1.1\r\nHost: ${host}:${port}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
      }),
    close: () => socket.destroy(),
  };
}
