import { ResponseReader, type ParsedResponse } from './http1Response';

/** Feeds `wire` to a reader in pieces of `step` bytes; the answer and the piece it completed on. */
function feed(wire: string | Buffer, step: number, method = 'GET'): { response: ParsedResponse | undefined; at: number; reader: ResponseReader } {
  const bytes = typeof wire === 'string' ? Buffer.from(wire, 'latin1') : wire;
  const reader = new ResponseReader(method);
  for (let at = 0; at < bytes.length; at += step) {
    const response = reader.push(bytes.subarray(at, at + step));
    if (response) return { response, at: at + step, reader };
  }
  return { response: undefined, at: bytes.length, reader };
}

const chunked = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-Two: a\r\nx-two: b\r\n\r\n5;ext=1\r\nhello\r\nA\r\n, 0123456\n\r\n0\r\nTrailer: t\r\n\r\n';

describe('ResponseReader', () => {
  it.each([1, 2, 3, 7, 1000])('reads a chunked answer with extensions and trailers fed %i byte(s) at a time', (step) => {
    const { response, reader } = feed(chunked, step);
    expect(response?.status).toBe(200);
    expect(response?.body.toString()).toBe('hello, 0123456\n');
    expect(response?.headers.get('X-TWO')).toBe('a, b');
    expect(response?.headers.get('absent')).toBeNull();
    expect(response?.keepAlive).toBe(true);
    expect(reader.hasExtraBytes).toBe(false);
  });

  it('reads a Content-Length body split across chunks, and flags bytes after the answer', () => {
    const body = Buffer.alloc(70_000, 'x');
    const wire = Buffer.concat([Buffer.from('HTTP/1.1 201 Created\r\nContent-Length: 70000\r\n\r\n'), body, Buffer.from('HTTP/1.1')]);
    const { response, reader } = feed(wire, 16_384);
    expect(response?.status).toBe(201);
    expect(response?.body.equals(body)).toBe(true);
    expect(reader.hasExtraBytes).toBe(true);
  });

  it('skips informational answers and reads the final one', () => {
    const { response } = feed('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok', 4);
    expect(response?.status).toBe(200);
    expect(response?.body.toString()).toBe('ok');
  });

  it('reads no body for HEAD, 204 and 304 whatever the headers say', () => {
    expect(feed('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n', 100, 'HEAD').response?.body.length).toBe(0);
    expect(feed('HTTP/1.1 204 No Content\r\nTransfer-Encoding: chunked\r\n\r\n', 100).response?.status).toBe(204);
    expect(feed('HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n', 100).response?.status).toBe(304);
  });

  it('frames a body without length by the connection end, and then forbids reuse', () => {
    const { response, reader } = feed('HTTP/1.1 200 OK\r\n\r\npart one, ', 5);
    expect(response).toBeUndefined();
    expect(reader.push(Buffer.from('part two'))).toBeUndefined();
    const ended = reader.end();
    expect(ended?.body.toString()).toBe('part one, part two');
    expect(ended?.keepAlive).toBe(false);
  });

  it('keeps HTTP/1.1 connections unless told to close, and HTTP/1.0 ones only when asked', () => {
    expect(feed('HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n', 100).response?.keepAlive).toBe(false);
    expect(feed('HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n', 100).response?.keepAlive).toBe(false);
    expect(feed('HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n', 100).response?.keepAlive).toBe(true);
  });

  it.each([
    ['a bad status line', 'HTTP/2 200 OK\r\n\r\n'],
    ['a header field without a colon', 'HTTP/1.1 200 OK\r\nNoColon\r\n\r\n'],
    ['conflicting lengths', 'HTTP/1.1 200 OK\r\nContent-Length: 1, 2\r\n\r\n'],
    ['a negative length', 'HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n'],
    ['a bad chunk size', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'],
    ['a chunk without its CRLF', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\naXX'],
    ['a protocol switch', 'HTTP/1.1 101 Switching Protocols\r\n\r\n'],
  ])('refuses %s', (_what, wire) => {
    expect(() => feed(wire, 1000)).toThrow(/malformed HTTP answer/);
  });

  it('refuses a header that never ends instead of buffering without limit', () => {
    const reader = new ResponseReader('GET');
    reader.push(Buffer.from('HTTP/1.1 200 OK\r\n'));
    expect(() => {
      for (let i = 0; i < 100; i++) reader.push(Buffer.from(`X-${i}: ${'v'.repeat(1000)}\r\n`));
    }).toThrow(/too large/);
  });
});
