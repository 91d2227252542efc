/**
 * The hand-framed HTTP/2 client against Node's own HTTP/2 server (nghttp2): another
 * implementation's HPACK encoder (Huffman, dynamic table), flow control, resets and GOAWAY.
 */
import type { ServerHttp2Stream } from 'node:http2';
import { grpcRequestHeaders, Http2Connection, type StreamHandlers } from './http2Connection';
import type { HeaderFields } from './hpack';
import { useHttp2Server } from './testHttp2Server';

interface Answer {
  readonly headers: HeaderFields[];
  readonly body: Buffer;
  readonly error?: Error;
}

function exchange(conn: Http2Connection, path: string, body: Buffer): Promise<Answer> {
  return new Promise((resolve) => {
    const headers: HeaderFields[] = [];
    const chunks: Buffer[] = [];
    const handlers: StreamHandlers = {
      onHeaders: (fields) => headers.push(fields),
      onData: (chunk) => chunks.push(Buffer.from(chunk)),
      onClose: (error) => resolve({ headers, body: Buffer.concat(chunks), ...(error ? { error } : {}) }),
    };
    conn.open(grpcRequestHeaders(conn.host, path), handlers).write(body, true);
  });
}

let onStream: (stream: ServerHttp2Stream, path: string, body: Buffer) => void;
const server = useHttp2Server(() => (stream, headers) => {
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => onStream(stream, String(headers[':path']), Buffer.concat(chunks)));
});

describe('Http2Connection', () => {
  it('decodes headers and trailers of many streams, and moves bodies larger than every window both ways', async () => {
    onStream = (stream, path, body) => {
      stream.respond({ ':status': 200, 'content-type': 'application/grpc', 'x-path': path, 'x-echo-length': String(body.length) }, { waitForTrailers: true });
      stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0', 'grpc-message': `done ${path} ${'~!#$%&*+-.^_`|'.repeat(3)}` }));
      stream.end(body);
    };
    const conn = new Http2Connection(server.endpoint());
    try {
      // 1 MiB out: above the server's 64 KiB windows and 16 KiB frames.
      const big = Buffer.alloc(1024 * 1024, 7);
      const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => exchange(conn, `/svc/Method${i % 7}`, i === 0 ? big : Buffer.from(`hello ${i}`))));
      answers.forEach((a, i) => {
        expect(a.error).toBeUndefined();
        expect(a.headers[0]!.get(':status')).toBe('200');
        expect(a.headers[0]!.get('x-path')).toBe(`/svc/Method${i % 7}`);
        expect(a.headers[1]!.get('grpc-message')).toBe(`done /svc/Method${i % 7} ${'~!#$%&*+-.^_`|'.repeat(3)}`);
        expect(a.body.equals(i === 0 ? big : Buffer.from(`hello ${i}`))).toBe(true);
      });
    } finally {
      conn.close();
    }
  });

  it('closes a stream the server resets with the code; after GOAWAY, finishes open streams but opens no more', async () => {
    onStream = (stream, path) => {
      if (path === '/reset') return stream.close(7); // REFUSED_STREAM
      stream.session?.goaway(0);
      stream.respond({ ':status': 200 }, { waitForTrailers: true });
      stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
      stream.end('bye');
    };
    const conn = new Http2Connection(server.endpoint());
    try {
      const reset = await exchange(conn, '/reset', Buffer.from('x'));
      expect(reset.error?.message).toMatch(/HTTP\/2 code 7/);
      expect(conn.usable).toBe(true);
      const last = await exchange(conn, '/goaway', Buffer.from('x'));
      expect(last.error).toBeUndefined();
      expect(last.body.toString()).toBe('bye');
      expect(conn.usable).toBe(false);
    } finally {
      conn.close();
    }
  });

  it('fails its streams when the connection is refused or closed', async () => {
    const refused = new Http2Connection('http://127.0.0.1:1');
    const a = await exchange(refused, '/x', Buffer.from('x'));
    expect(a.error?.message).toMatch(/ECONNREFUSED/);
    expect(refused.usable).toBe(false);
    expect(() => new Http2Connection('https://127.0.0.1:1')).toThrow(/only http/);
  });
});

describe('Http2Connection under a limit of concurrent streams', () => {
  let open = 0;
  let most = 0;
  const limited = useHttp2Server(
    () => (stream) => {
      most = Math.max(most, ++open);
      stream.on('data', () => {});
      stream.on('end', () =>
        setTimeout(() => {
          open--;
          if (stream.destroyed) return;
          stream.respond({ ':status': 200 });
          stream.end('ok');
        }, 5),
      );
    },
    { maxConcurrentStreams: 2 },
  );

  it('holds streams beyond the limit until others finish', async () => {
    const conn = new Http2Connection(limited.endpoint());
    try {
      expect((await exchange(conn, '/first', Buffer.from('x'))).error).toBeUndefined(); // the server's settings have arrived
      const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => exchange(conn, `/s${i}`, Buffer.from('x'))));
      expect(answers.map((a) => a.error?.message ?? a.body.toString())).toEqual(Array(8).fill('ok'));
      expect(most).toBe(2);
    } finally {
      conn.close();
    }
  });
});
