/**
 * A lean keep-alive HTTP/1.1 connection for the benchmarks' own requests: written by hand, answers
 * read by Content-Length, any method, the body kept, and a new socket opened when the server
 * closed the old one. Node's http client costs several times more CPU per request, and on a
 * 2-core machine that CPU would be taken from the components under test.
 *
 * Requests may be pipelined (HTTP/1.1 answers a connection's requests in order); the benchmarks
 * send one at a time per connection. The API server always answers with Content-Length.
 */
import { connect, type Socket } from 'node:net';

export interface Answer {
  readonly status: number;
  readonly body: string;
}

export interface Connection {
  request(method: string, path: string, body?: string, contentType?: string): Promise<Answer>;
  close(): void;
}

interface Waiting {
  readonly resolve: (answer: Answer) => void;
  readonly reject: (err: Error) => void;
}

export function connection(host: string, port: number): Connection {
  let socket: Socket | undefined;
  let buffer: Buffer = Buffer.alloc(0);
  let waiting: Waiting[] = [];
  let closed = false;

  const open = (): Socket => {
    const s = connect(port, host);
    s.setNoDelay(true);
    const mine = waiting;
    const fail = (err: Error) => {
      if (socket === s) socket = undefined;
      for (const w of mine.splice(0)) w.reject(err);
    };
    s.on('error', fail);
    s.on('close', () => fail(new Error('connection closed')));
    s.on('data', (chunk: Buffer) => {
      buffer = buffer.length ? Buffer.concat([buffer, chunk]) : chunk;
      for (;;) {
        const headerEnd = buffer.indexOf('\r\n\r\n');
        if (headerEnd < 0) return;
        const head = buffer.subarray(0, headerEnd).toString('latin1');
        const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
        if (buffer.length < headerEnd + 4 + length) return;
        const body = buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8');
        buffer = buffer.subarray(headerEnd + 4 + length);
        mine.shift()?.resolve({ status: Number(head.slice(9, 12)), body });
      }
    });
    return s;
  };

  return {
    request(method, path, body, contentType = 'application/json') {
      if (closed) return Promise.reject(new Error('connection closed'));
      if (!socket || socket.destroyed) {
        // A fresh socket gets a fresh queue: answers of the old one can no longer arrive.
        waiting = [];
        buffer = Buffer.alloc(0);
        socket = open();
      }
      const s = socket;
      return new Promise<Answer>((resolve, reject) => {
        waiting.push({ resolve, reject });
        const head = `${method} ${path} HTTP/1.1\r\nHost: ${host}:${port}\r\nUser-Agent: marina-bench\r\nAccept: application/json\r\n`;
        s.write(body === undefined ? `${head}Content-Length: 0\r\n\r\n` : `${head}Content-Type: ${contentType}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
      });
    },
    close() {
      closed = true;
      socket?.destroy();
    },
  };
}
