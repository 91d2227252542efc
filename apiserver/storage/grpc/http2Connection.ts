/**
 * One cleartext HTTP/2 client connection (RFC 9113, "prior knowledge", as gRPC to etcd uses),
 * framed by hand on a TCP socket: just what gRPC calls need, at a fraction of node:http2's cost
 * per stream (its ClientHttp2Stream is a full Duplex with an AsyncResource per request).
 *
 * Invariants:
 *   - frames written during one turn of the event loop leave in one socket write;
 *   - every header block is fed to the one HPACK decoder in order, including blocks of streams
 *     already cancelled, so its table stays in step with the server's;
 *   - flow control both ways: what is sent never exceeds the server's connection and stream
 *     windows (the rest waits for its WINDOW_UPDATE); what is received is acknowledged once a
 *     quarter of our window is consumed, on the connection and on each open stream;
 *   - each stream's handlers see its events in order and exactly one onClose, last: after the
 *     END_STREAM, a reset, or the loss of the connection;
 *   - the socket keeps the process alive only while a stream is open.
 */
import { connect, type Socket } from 'node:net';
import { encodeHeaders, HpackDecoder, type HeaderFields } from './hpack';

const frameType = { data: 0, headers: 1, priority: 2, rstStream: 3, settings: 4, pushPromise: 5, ping: 6, goaway: 7, windowUpdate: 8, continuation: 9 } as const;
const flag = { endStream: 0x1, ack: 0x1, endHeaders: 0x4, padded: 0x8, priority: 0x20 } as const;
const setting = { headerTableSize: 1, enablePush: 2, maxConcurrentStreams: 3, initialWindowSize: 4, maxFrameSize: 5 } as const;
/** RST_STREAM CANCEL: we no longer want the answer. */
export const cancelCode = 8;
const preface = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');
const defaultWindow = 65_535;
const maxStreamId = 2 ** 31 - 1;

export interface StreamHandlers {
  /** Response headers, then (gRPC) the trailers, which end the stream. */
  onHeaders(fields: HeaderFields, endStream: boolean): void;
  onData(chunk: Buffer): void;
  /** The stream is over: `error` unless it ended with END_STREAM from the server. */
  onClose(error?: Error): void;
}

export interface ClientStream {
  /** Sends a DATA payload; `end` half-closes our side. */
  write(data: Buffer, end: boolean): void;
  /** Resets the stream (RST_STREAM CANCEL) and closes it with `error`. */
  cancel(error: Error): void;
}

interface Stream extends ClientStream {
  readonly id: number;
  readonly handlers: StreamHandlers;
  /** Bytes the server still lets us send on this stream. */
  sendWindow: number;
  /** Data waiting for window, and whether our side ends after it. */
  pending: Buffer[];
  endAfterPending: boolean;
  /** Our END_STREAM has been sent. */
  localEnded: boolean;
  /** Bytes received and not yet acknowledged with a WINDOW_UPDATE. */
  unacked: number;
}

export interface Http2ConnectionOptions {
  /** Receive window we grant, per stream and for the connection. Default 16 MiB. */
  readonly windowBytes?: number;
}

export class Http2Connection {
  private readonly socket: Socket;
  private readonly authority: string;
  private readonly windowBytes: number;
  private readonly decoder = new HpackDecoder();
  private readonly streams = new Map<number, Stream>();
  private nextStreamId = 1;
  private out: Buffer[] = [];
  private flushScheduled = false;
  private inbuf: Buffer = Buffer.alloc(0);
  /** A header block spread over CONTINUATION frames: its stream, END_STREAM, and parts so far. */
  private continuing: { id: number; endStream: boolean; parts: Buffer[] } | undefined;
  private peerMaxFrame = 16_384;
  private peerInitialWindow = defaultWindow;
  private peerMaxStreams = Infinity;
  private sendWindow = defaultWindow;
  private unacked = 0;
  /** Streams waiting for the server's concurrency limit. */
  private readonly waiting: { block: Buffer; handlers: StreamHandlers; stream: (s: Stream) => void }[] = [];
  private draining = false;
  private failure: Error | undefined;

  constructor(endpoint: string, options: Http2ConnectionOptions = {}) {
    const url = new URL(endpoint);
    if (url.protocol !== 'http:') throw new Error(`unsupported etcd endpoint ${endpoint}: only http:// is supported`);
    this.authority = url.host;
    this.windowBytes = options.windowBytes ?? 16 * 1024 * 1024;
    this.socket = connect({ host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port || 80), noDelay: true });
    this.socket.unref();
    this.socket.on('data', (chunk: Buffer) => this.receive(chunk));
    this.socket.on('error', (err) => this.fail(new Error(`etcd connection to ${this.authority}: ${err.message}`)));
    this.socket.on('close', () => this.fail(new Error(`etcd connection to ${this.authority} closed`)));
    const settings = Buffer.alloc(12);
    settings.writeUInt16BE(setting.enablePush, 0);
    settings.writeUInt32BE(0, 2);
    settings.writeUInt16BE(setting.initialWindowSize, 6);
    settings.writeUInt32BE(this.windowBytes, 8);
    this.out.push(preface);
    this.frame(frameType.settings, 0, 0, settings);
    this.windowUpdate(0, this.windowBytes - defaultWindow);
  }

  /** The host:port it talks to (the :authority of its requests). */
  get host(): string {
    return this.authority;
  }

  /** Whether new streams may be opened here (not failed, not told to go away, stream ids left). */
  get usable(): boolean {
    return !this.failure && !this.draining && this.nextStreamId <= maxStreamId;
  }

  /** Opens a stream with the encoded request header block (encodeHeaders). */
  open(block: Buffer, handlers: StreamHandlers): ClientStream {
    // Until the server's limit lets it open, writes and a cancel are held by this proxy.
    let opened: Stream | undefined;
    const held: { data: Buffer; end: boolean }[] = [];
    let cancelled: Error | undefined;
    const proxy: ClientStream = {
      write: (data, end) => (opened ? opened.write(data, end) : held.push({ data, end })),
      cancel: (error) => {
        if (opened) return opened.cancel(error);
        if (cancelled) return;
        cancelled = error;
        const i = this.waiting.findIndex((w) => w.handlers === handlers);
        if (i >= 0) this.waiting.splice(i, 1);
        handlers.onClose(error);
      },
    };
    const start = (s: Stream) => {
      opened = s;
      for (const h of held) s.write(h.data, h.end);
    };
    if (this.failure) {
      handlers.onClose(this.failure);
      return proxy;
    }
    if (this.streams.size >= this.peerMaxStreams) this.waiting.push({ block, handlers, stream: start });
    else start(this.startStream(block, handlers));
    return proxy;
  }

  /** Closes the socket; open streams fail. */
  close(): void {
    this.fail(new Error('the etcd client is closed'));
  }

  // ---- streams -------------------------------------------------------------------------------

  private startStream(block: Buffer, handlers: StreamHandlers): Stream {
    const id = this.nextStreamId;
    this.nextStreamId += 2;
    const stream: Stream = {
      id,
      handlers,
      sendWindow: this.peerInitialWindow,
      pending: [],
      endAfterPending: false,
      localEnded: false,
      unacked: 0,
      write: (data, end) => {
        if (!this.streams.has(id)) return;
        stream.pending.push(data);
        stream.endAfterPending = end;
        this.pump(stream);
      },
      cancel: (error) => {
        if (!this.streams.has(id)) return;
        this.frame(frameType.rstStream, 0, id, u32(cancelCode));
        this.finish(stream, error);
      },
    };
    if (this.streams.size === 0) this.socket.ref();
    this.streams.set(id, stream);
    this.headerFrames(id, block);
    return stream;
  }

  private headerFrames(id: number, block: Buffer): void {
    let at = 0;
    let type: number = frameType.headers;
    do {
      const part = block.subarray(at, at + this.peerMaxFrame);
      at += part.length;
      this.frame(type, at >= block.length ? flag.endHeaders : 0, id, part);
      type = frameType.continuation;
    } while (at < block.length);
  }

  /** Sends what the windows allow of a stream's pending data (and END_STREAM once all is sent). */
  private pump(s: Stream): void {
    while (s.pending.length > 0) {
      const head = s.pending[0]!;
      const n = Math.min(head.length, this.peerMaxFrame, s.sendWindow, this.sendWindow);
      if (n <= 0 && head.length > 0) return; // wait for a WINDOW_UPDATE
      s.pending[0] = head.subarray(n);
      if (s.pending[0].length === 0) s.pending.shift();
      const last = s.pending.length === 0 && s.endAfterPending;
      this.frame(frameType.data, last ? flag.endStream : 0, s.id, head.subarray(0, n));
      s.localEnded ||= last;
      s.sendWindow -= n;
      this.sendWindow -= n;
    }
  }

  private finish(s: Stream, error?: Error): void {
    if (!this.streams.delete(s.id)) return;
    // The server ended a stream we have not: close our side too (RST_STREAM NO_ERROR).
    if (!error && !s.localEnded) this.frame(frameType.rstStream, 0, s.id, u32(0));
    if (this.streams.size === 0) {
      this.socket.unref();
      if (this.draining) this.socket.end();
    }
    const next = this.waiting.shift();
    if (next && !this.failure) next.stream(this.startStream(next.block, next.handlers));
    s.handlers.onClose(error);
  }

  // ---- reading -------------------------------------------------------------------------------

  private receive(chunk: Buffer): void {
    let buf = this.inbuf.length > 0 ? Buffer.concat([this.inbuf, chunk]) : chunk;
    try {
      while (buf.length >= 9) {
        const length = buf.readUIntBE(0, 3);
        if (buf.length < 9 + length) break;
        const type = buf[3]!;
        const flags = buf[4]!;
        const id = buf.readUInt32BE(5) & maxStreamId;
        const payload = buf.subarray(9, 9 + length);
        buf = buf.subarray(9 + length);
        this.onFrame(type, flags, id, payload);
        if (this.failure) return;
      }
    } catch (err) {
      this.fail(new Error(`etcd connection to ${this.authority}: protocol error: ${(err as Error).message}`));
      return;
    }
    this.inbuf = buf;
  }

  private onFrame(type: number, flags: number, id: number, payload: Buffer): void {
    if (this.continuing && type !== frameType.continuation) throw new Error('header block interrupted');
    switch (type) {
      case frameType.data:
        return this.onData(flags, id, payload);
      case frameType.headers: {
        let block = unpad(flags, payload);
        if (flags & flag.priority) block = block.subarray(5);
        this.continuing = { id, endStream: (flags & flag.endStream) !== 0, parts: [block] };
        if (flags & flag.endHeaders) this.endHeaders();
        return;
      }
      case frameType.continuation:
        if (!this.continuing || this.continuing.id !== id) throw new Error('unexpected CONTINUATION');
        this.continuing.parts.push(payload);
        if (flags & flag.endHeaders) this.endHeaders();
        return;
      case frameType.rstStream: {
        const s = this.streams.get(id);
        if (s) this.finish(s, new Error(`the stream ended without a status (HTTP/2 code ${payload.readUInt32BE(0)})`));
        return;
      }
      case frameType.settings:
        if (!(flags & flag.ack)) this.onSettings(payload);
        return;
      case frameType.ping:
        if (!(flags & flag.ack)) this.frame(frameType.ping, flag.ack, 0, Buffer.from(payload));
        return;
      case frameType.goaway:
        return this.onGoaway(payload.readUInt32BE(0) & maxStreamId, payload.readUInt32BE(4));
      case frameType.windowUpdate:
        return this.onWindowUpdate(id, payload.readUInt32BE(0) & maxStreamId);
      case frameType.pushPromise:
        throw new Error('PUSH_PROMISE although push is disabled');
      default:
        return; // PRIORITY and unknown types are ignored
    }
  }

  private endHeaders(): void {
    const { id, endStream, parts } = this.continuing!;
    this.continuing = undefined;
    const fields = this.decoder.decode(parts.length === 1 ? parts[0]! : Buffer.concat(parts));
    const s = this.streams.get(id);
    if (!s) return;
    s.handlers.onHeaders(fields, endStream);
    if (endStream) this.finish(s);
  }

  private onData(flags: number, id: number, payload: Buffer): void {
    // Flow control counts the whole payload, padding included.
    this.unacked += payload.length;
    if (this.unacked >= this.windowBytes / 4) {
      this.windowUpdate(0, this.unacked);
      this.unacked = 0;
    }
    const s = this.streams.get(id);
    if (!s) return;
    const endStream = (flags & flag.endStream) !== 0;
    s.unacked += payload.length;
    if (!endStream && s.unacked >= this.windowBytes / 4) {
      this.windowUpdate(id, s.unacked);
      s.unacked = 0;
    }
    const data = unpad(flags, payload);
    if (data.length > 0) s.handlers.onData(data);
    if (endStream) this.finish(s);
  }

  private onSettings(payload: Buffer): void {
    for (let at = 0; at + 6 <= payload.length; at += 6) {
      const value = payload.readUInt32BE(at + 2);
      switch (payload.readUInt16BE(at)) {
        case setting.maxConcurrentStreams:
          this.peerMaxStreams = value;
          break;
        case setting.initialWindowSize: {
          const delta = value - this.peerInitialWindow;
          this.peerInitialWindow = value;
          for (const s of this.streams.values()) s.sendWindow += delta;
          break;
        }
        case setting.maxFrameSize:
          this.peerMaxFrame = value;
          break;
      }
    }
    this.frame(frameType.settings, flag.ack, 0, Buffer.alloc(0));
    for (const s of this.streams.values()) this.pump(s);
  }

  private onWindowUpdate(id: number, increment: number): void {
    if (id === 0) {
      this.sendWindow += increment;
      for (const s of this.streams.values()) this.pump(s);
      return;
    }
    const s = this.streams.get(id);
    if (!s) return;
    s.sendWindow += increment;
    this.pump(s);
  }

  private onGoaway(lastStreamId: number, code: number): void {
    this.draining = true;
    const error = new Error(`etcd sent GOAWAY (HTTP/2 code ${code})`);
    // Streams above the last one it processed were not seen by the server.
    for (const s of [...this.streams.values()]) if (s.id > lastStreamId) this.finish(s, error);
    for (const w of this.waiting.splice(0)) w.handlers.onClose(error);
    if (this.streams.size === 0) this.socket.end();
  }

  // ---- writing -------------------------------------------------------------------------------

  private frame(type: number, flags: number, id: number, payload: Buffer): void {
    const header = Buffer.allocUnsafe(9);
    header.writeUIntBE(payload.length, 0, 3);
    header[3] = type;
    header[4] = flags;
    header.writeUInt32BE(id, 5);
    this.out.push(header, payload);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  private windowUpdate(id: number, increment: number): void {
    if (increment > 0) this.frame(frameType.windowUpdate, 0, id, u32(increment));
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.out.length === 0 || this.failure) return;
    const out = this.out;
    this.out = [];
    this.socket.write(out.length === 1 ? out[0]! : Buffer.concat(out));
  }

  private fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    this.out = [];
    this.socket.destroy();
    for (const w of this.waiting.splice(0)) w.handlers.onClose(error);
    for (const s of [...this.streams.values()]) this.finish(s, error);
  }
}

function u32(value: number): Buffer {
  const b = Buffer.allocUnsafe(4);
  b.writeUInt32BE(value, 0);
  return b;
}

/** A payload without its padding (PADDED flag: a pad length byte first, that many bytes last). */
function unpad(flags: number, payload: Buffer): Buffer {
  if (!(flags & flag.padded)) return payload;
  const pad = payload[0]!;
  if (pad >= payload.length) throw new Error('padding exceeds the frame');
  return payload.subarray(1, payload.length - pad);
}

/** The request header block of a gRPC call to `path` on `authority`, optionally with a deadline. */
export function grpcRequestHeaders(authority: string, path: string, deadlineMs?: number): Buffer {
  return encodeHeaders([
    [':method', 'POST'],
    [':scheme', 'http'],
    [':path', path],
    [':authority', authority],
    ['content-type', 'application/grpc'],
    ['te', 'trailers'],
    ...(deadlineMs !== undefined ? [['grpc-timeout', `${Math.max(1, Math.ceil(deadlineMs))}m`] as const] : []),
  ]);
}
