/**
 * An HTTP/1.1 answer parsed from a connection's chunks as they arrive (RFC 9112): the status
 * line, the header fields, and a body framed by Content-Length, by chunked transfer coding, or by
 * the connection's end. Informational (1xx) answers before the final one are skipped. The body's
 * bytes are kept as slices of the chunks and joined once, so a large answer is copied once.
 */

/** The read side of response headers (names case-insensitive). */
export interface HeaderFields {
  /** The field's value (repeated fields joined with ", "), or null when absent. */
  get(name: string): string | null;
}

export interface ParsedResponse {
  readonly status: number;
  readonly headers: HeaderFields;
  readonly body: Buffer;
  /** Whether the connection may carry another request (HTTP/1.1 without Connection: close). */
  readonly keepAlive: boolean;
}

/** Larger status lines plus header fields than this are refused (Node's own limit is 16 KiB). */
const maxHeadBytes = 64 * 1024;
/** A chunk-size line (with extensions) or trailer field longer than this is refused. */
const maxLineBytes = 8 * 1024;

type State = 'head' | 'fixed' | 'chunkSize' | 'chunkData' | 'chunkEnd' | 'trailers' | 'untilEnd' | 'done';

export class ResponseReader {
  private state: State = 'head';
  /** Bytes of an incomplete head or line, waiting for the next chunk. */
  private pending: Buffer = Buffer.alloc(0);
  private readonly parts: Buffer[] = [];
  /** Body bytes still expected: of the whole body (fixed) or of the current chunk. */
  private remaining = 0;
  private status = 0;
  private fields = new Map<string, string>();
  private keepAlive = false;
  /** Bytes arrived after the answer's end: the connection cannot be trusted for another request. */
  hasExtraBytes = false;

  /** `method` of the request: a HEAD answer has no body whatever its headers say. */
  constructor(private readonly method: string) {}

  /** Consumes a chunk; returns the answer once it is complete. Throws on a malformed answer. */
  push(chunk: Buffer): ParsedResponse | undefined {
    if (this.state === 'done') {
      this.hasExtraBytes ||= chunk.length > 0;
      return undefined;
    }
    const buf = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = Buffer.alloc(0);
    let pos = 0;
    while (pos < buf.length || this.state === 'done') {
      switch (this.state) {
        case 'head': {
          const end = buf.indexOf('\r\n\r\n', pos);
          if (end < 0) return this.wait(buf, pos, maxHeadBytes, 'the answer\'s header is too large');
          this.readHead(buf.toString('latin1', pos, end));
          pos = end + 4;
          break;
        }
        case 'fixed':
        case 'chunkData': {
          const take = Math.min(this.remaining, buf.length - pos);
          this.parts.push(buf.subarray(pos, pos + take));
          pos += take;
          this.remaining -= take;
          if (this.remaining === 0) this.state = this.state === 'fixed' ? 'done' : 'chunkEnd';
          break;
        }
        case 'chunkSize': {
          const end = buf.indexOf('\r\n', pos);
          if (end < 0) return this.wait(buf, pos, maxLineBytes, 'a chunk size line is too long');
          const size = buf.toString('latin1', pos, end).split(';')[0]!.trim();
          if (!/^[0-9a-fA-F]{1,12}$/.test(size)) throw protocolError(`invalid chunk size ${JSON.stringify(size)}`);
          pos = end + 2;
          this.remaining = parseInt(size, 16);
          this.state = this.remaining === 0 ? 'trailers' : 'chunkData';
          break;
        }
        case 'chunkEnd': {
          if (buf.length - pos < 2) return this.wait(buf, pos, 2, '');
          if (buf[pos] !== 0x0d || buf[pos + 1] !== 0x0a) throw protocolError('a chunk does not end with CRLF');
          pos += 2;
          this.state = 'chunkSize';
          break;
        }
        case 'trailers': {
          const end = buf.indexOf('\r\n', pos);
          if (end < 0) return this.wait(buf, pos, maxLineBytes, 'a trailer field is too long');
          // Trailer fields are skipped; an empty line ends the body.
          this.state = end === pos ? 'done' : 'trailers';
          pos = end + 2;
          break;
        }
        case 'untilEnd':
          this.parts.push(buf.subarray(pos));
          return undefined;
        case 'done':
          this.hasExtraBytes = pos < buf.length;
          return this.response();
      }
    }
    return undefined;
  }

  /** The connection ended: the answer, when its body was framed by that end. */
  end(): ParsedResponse | undefined {
    if (this.state !== 'untilEnd') return undefined;
    this.state = 'done';
    return this.response();
  }

  private wait(buf: Buffer, pos: number, limit: number, tooLong: string): undefined {
    if (buf.length - pos > limit) throw protocolError(tooLong);
    this.pending = buf.subarray(pos);
    return undefined;
  }

  private readHead(text: string): void {
    const lines = text.split('\r\n');
    const statusLine = /^HTTP\/1\.([01]) (\d{3})(?: |$)/.exec(lines[0]!);
    if (!statusLine) throw protocolError(`invalid status line ${JSON.stringify(lines[0]!.slice(0, 100))}`);
    const status = Number(statusLine[2]);
    const fields = new Map<string, string>();
    for (let i = 1; i < lines.length; i++) {
      const colon = lines[i]!.indexOf(':');
      if (colon <= 0) throw protocolError(`invalid header field ${JSON.stringify(lines[i]!.slice(0, 100))}`);
      const name = lines[i]!.slice(0, colon).trim().toLowerCase();
      const value = lines[i]!.slice(colon + 1).trim();
      const previous = fields.get(name);
      fields.set(name, previous === undefined ? value : `${previous}, ${value}`);
    }
    if (status === 101) throw protocolError('unexpected protocol switch');
    if (status < 200) return; // informational: the final answer follows
    this.status = status;
    this.fields = fields;
    const connection = (fields.get('connection') ?? '').toLowerCase().split(',').map((t) => t.trim());
    this.keepAlive = statusLine[1] === '1' ? !connection.includes('close') : connection.includes('keep-alive');
    const coding = fields.get('transfer-encoding');
    const length = fields.get('content-length');
    if (this.method === 'HEAD' || status === 204 || status === 304) {
      this.state = 'done';
    } else if (coding !== undefined) {
      const codings = coding.toLowerCase().split(',').map((t) => t.trim());
      if (codings[codings.length - 1] === 'chunked') this.state = 'chunkSize';
      else this.untilEnd();
    } else if (length !== undefined) {
      const values = new Set(length.split(',').map((v) => v.trim()));
      const value = [...values][0]!;
      if (values.size !== 1 || !/^\d{1,15}$/.test(value)) throw protocolError(`invalid Content-Length ${JSON.stringify(length)}`);
      this.remaining = Number(value);
      this.state = this.remaining === 0 ? 'done' : 'fixed';
    } else {
      this.untilEnd();
    }
  }

  private untilEnd(): void {
    this.state = 'untilEnd';
    this.keepAlive = false;
  }

  private response(): ParsedResponse {
    const fields = this.fields;
    return {
      status: this.status,
      headers: { get: (name) => fields.get(name.toLowerCase()) ?? null },
      body: this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts),
      keepAlive: this.keepAlive,
    };
  }
}

function protocolError(message: string): Error {
  return Object.assign(new Error(`malformed HTTP answer: ${message}`), { code: 'HPE_INVALID' });
}
