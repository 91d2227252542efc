/**
 * gRPC calls to etcd over one HTTP/2 connection at a time (http2Connection.ts): unary calls for
 * the KV service (one length-prefixed request message; one response message and a grpc-status
 * trailer), and bidirectional streams for Watch.
 *
 * Why not grpc-js (under the etcd3 package), nor node:http2: their per-call layers (call objects,
 * interceptors, a Duplex stream and an AsyncResource per request) cost 0.1 to 0.4 ms of CPU per
 * call, and the API server makes one or more etcd calls per request.
 *
 * Invariants:
 *   - one connection at a time, opened on first use; once it fails, is told to go away or runs
 *     out of stream ids, the next call opens one to the next endpoint in turn (so a dead member
 *     is skipped);
 *   - every unary call settles exactly once: with the response message, or with a GrpcError
 *     whose message starts with the gRPC status name (UNAVAILABLE when the connection failed,
 *     DEADLINE_EXCEEDED when the deadline passed, or etcd's own status and message);
 *   - a response larger than `maxResponseBytes` is cancelled rather than buffered;
 *   - the connection keeps the process alive only while a call or stream is open.
 */
import { grpcRequestHeaders, Http2Connection, type ClientStream } from './http2Connection';
import type { HeaderFields } from './hpack';

/** gRPC status codes by number (https://grpc.github.io/grpc/core/md_doc_statuscodes.html). */
const statusNames = [
  'OK', 'CANCELLED', 'UNKNOWN', 'INVALID_ARGUMENT', 'DEADLINE_EXCEEDED', 'NOT_FOUND', 'ALREADY_EXISTS', 'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED', 'FAILED_PRECONDITION', 'ABORTED', 'OUT_OF_RANGE', 'UNIMPLEMENTED', 'INTERNAL', 'UNAVAILABLE', 'DATA_LOSS', 'UNAUTHENTICATED',
];
export const unavailable = 14;
export const deadlineExceeded = 4;
const resourceExhausted = 8;
const internal = 13;

export class GrpcError extends Error {
  constructor(readonly code: number, detail: string) {
    super(`${statusNames[code] ?? `status ${code}`}: ${detail}`);
    this.name = 'GrpcError';
  }
}

export interface GrpcChannelOptions {
  /** Client URLs, e.g. ['http://127.0.0.1:2379']. */
  readonly endpoints: readonly string[];
  /** Largest response (unary) or message (stream) accepted. Default 512 MiB (lists of many objects are large). */
  readonly maxResponseBytes?: number;
}

/** Handlers of a streaming call: each response message, then one end (an error, unless the server finished with OK). */
export interface StreamCallHandlers {
  onMessage(message: Buffer): void;
  onEnd(error: GrpcError | undefined): void;
}

export interface StreamCall {
  /** Sends one message (a gRPC frame, see grpcFrame). */
  send(frame: Buffer): void;
  /** Cancels the call; onEnd is not called after this. */
  cancel(): void;
}

export class GrpcChannel {
  private readonly endpoints: readonly string[];
  private readonly maxResponseBytes: number;
  private connection: Http2Connection | undefined;
  private endpointIndex = 0;
  private closed = false;

  constructor(options: GrpcChannelOptions) {
    if (options.endpoints.length === 0) throw new Error('no etcd endpoints');
    this.endpoints = options.endpoints;
    this.maxResponseBytes = options.maxResponseBytes ?? 512 * 1024 * 1024;
  }

  /** Calls `path` (/package.Service/Method) with an encoded message; resolves to the response message. */
  call(path: string, frame: Buffer, deadlineMs?: number): Promise<Buffer> {
    if (this.closed) return Promise.reject(new GrpcError(unavailable, 'the etcd client is closed'));
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let received = 0;
      let failure: GrpcError | undefined;
      const status = new CallStatus();
      const timer = deadlineMs !== undefined ? setTimeout(() => stream.cancel(new GrpcError(deadlineExceeded, `no answer from etcd within ${deadlineMs} ms`)), deadlineMs) : undefined;
      const stream = this.open(path, deadlineMs, {
        onHeaders: (fields) => status.read(fields),
        onData: (chunk) => {
          received += chunk.length;
          if (received > this.maxResponseBytes) stream.cancel(new GrpcError(resourceExhausted, `response larger than ${this.maxResponseBytes} bytes`));
          else chunks.push(chunk);
        },
        onClose: (error) => {
          if (timer) clearTimeout(timer);
          failure = error ? asGrpcError(error) : status.error();
          if (failure) return reject(failure);
          const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
          if (body.length < 5 || body[0] !== 0 || body.readUInt32BE(1) !== body.length - 5) return reject(new GrpcError(internal, 'malformed response frame'));
          resolve(body.subarray(5));
        },
      });
      stream.write(frame, true);
    });
  }

  /** Opens a bidirectional streaming call to `path`. */
  stream(path: string, handlers: StreamCallHandlers): StreamCall {
    if (this.closed) {
      queueMicrotask(() => handlers.onEnd(new GrpcError(unavailable, 'the etcd client is closed')));
      return { send: () => {}, cancel: () => {} };
    }
    let cancelled = false;
    // Chunks of the message being received: joined once it is complete, so a message spread over
    // many DATA frames is copied once, not once per frame.
    let chunks: Buffer[] = [];
    let received = 0;
    const status = new CallStatus();
    const stream = this.open(path, undefined, {
      onHeaders: (fields) => status.read(fields),
      onData: (chunk) => {
        chunks.push(chunk);
        received += chunk.length;
        while (!cancelled && received >= 5) {
          if (chunks[0]!.length < 5) chunks = [Buffer.concat(chunks, received)];
          const head = chunks[0]!;
          const length = head.readUInt32BE(1);
          if (head[0] !== 0 || length > this.maxResponseBytes) {
            stream.cancel(new GrpcError(internal, head[0] !== 0 ? 'compressed message not supported' : `message larger than ${this.maxResponseBytes} bytes`));
            return;
          }
          if (received < 5 + length) break;
          const all = chunks.length === 1 ? head : Buffer.concat(chunks, received);
          const rest = all.subarray(5 + length);
          chunks = rest.length > 0 ? [rest] : [];
          received = rest.length;
          handlers.onMessage(all.subarray(5, 5 + length));
        }
      },
      onClose: (error) => {
        if (cancelled) return;
        cancelled = true;
        handlers.onEnd(error ? asGrpcError(error) : status.error());
      },
    });
    return {
      send: (frame) => stream.write(frame, false),
      cancel: () => {
        if (cancelled) return;
        cancelled = true;
        stream.cancel(new GrpcError(1, 'cancelled by the client'));
      },
    };
  }

  close(): void {
    this.closed = true;
    this.connection?.close();
    this.connection = undefined;
  }

  private open(path: string, deadlineMs: number | undefined, handlers: Parameters<Http2Connection['open']>[1]): ClientStream {
    let live = this.connection;
    if (!live || !live.usable) {
      if (live) this.endpointIndex++; // the next connection tries the next member
      live = new Http2Connection(this.endpoints[this.endpointIndex % this.endpoints.length]!);
      this.connection = live;
    }
    return live.open(this.headers(live, path, deadlineMs), handlers);
  }

  /** Request header blocks by path: the same few paths are called over and over. */
  private readonly blocks = new Map<string, Buffer>();

  private headers(connection: Http2Connection, path: string, deadlineMs: number | undefined): Buffer {
    if (deadlineMs !== undefined) return grpcRequestHeaders(connection.host, path, deadlineMs);
    const key = `${connection.host} ${path}`;
    let block = this.blocks.get(key);
    if (!block) this.blocks.set(key, (block = grpcRequestHeaders(connection.host, path)));
    return block;
  }
}

/** The grpc-status of a call, from its response headers (trailers-only answer) or its trailers. */
class CallStatus {
  private code: number | undefined;
  private detail = '';
  private httpStatus: string | undefined;

  read(fields: HeaderFields): void {
    this.httpStatus ??= fields.get(':status');
    const code = fields.get('grpc-status');
    if (code === undefined) return;
    this.code = Number(code);
    this.detail = decodeURIComponent(fields.get('grpc-message') ?? '');
  }

  /** Undefined when the call ended with OK. */
  error(): GrpcError | undefined {
    if (this.code === undefined) {
      const http = this.httpStatus && this.httpStatus !== '200' ? ` (HTTP ${this.httpStatus})` : '';
      return new GrpcError(unavailable, `the stream ended without a status${http}`);
    }
    return this.code === 0 ? undefined : new GrpcError(this.code, this.detail);
  }
}

/** A connection or stream failure as a GrpcError: UNAVAILABLE unless it already is one. */
function asGrpcError(error: Error): GrpcError {
  return error instanceof GrpcError ? error : new GrpcError(unavailable, error.message);
}

/** A gRPC request frame: the uncompressed flag, the length, and the message. */
export function grpcFrame(message: { finish(prefix: number): Buffer; readonly length: number }): Buffer {
  const frame = message.finish(5);
  frame.writeUInt32BE(message.length, 1);
  return frame;
}

