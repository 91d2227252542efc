/**
 * Unary gRPC calls over one HTTP/2 connection (node:http2), for etcd's KV service: the request is
 * one length-prefixed message, the response one message and a grpc-status trailer.
 *
 * Why not grpc-js (under the etcd3 package): its layers of call objects, interceptors and
 * resolvers cost about 0.4 ms of CPU per call, 2.5 times this path, and the API server makes one
 * or more etcd calls per write (bench/scheduler profiles).
 *
 * Invariants:
 *   - one connection at a time, opened on first use; when it fails or closes, the next call
 *     opens one to the next endpoint in turn (so a dead member is skipped);
 *   - every call settles exactly once: with the response message, or with a GrpcError whose
 *     message starts with the gRPC status name (UNAVAILABLE when the connection failed,
 *     DEADLINE_EXCEEDED when the deadline passed, or etcd's own status and message);
 *   - a response larger than `maxResponseBytes` is cancelled rather than buffered;
 *   - the connection keeps the process alive only while a call is in flight.
 */
import { connect, constants, type ClientHttp2Session, type ClientHttp2Stream } from 'node:http2';

/** gRPC status codes by number (https://grpc.github.io/grpc/core/md_doc_statuscodes.html). */
const statusNames = [
  'OK', 'CANCELLED', 'UNKNOWN', 'INVALID_ARGUMENT', 'DEADLINE_EXCEEDED', 'NOT_FOUND', 'ALREADY_EXISTS', 'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED', 'FAILED_PRECONDITION', 'ABORTED', 'OUT_OF_RANGE', 'UNIMPLEMENTED', 'INTERNAL', 'UNAVAILABLE', 'DATA_LOSS', 'UNAUTHENTICATED',
];
export const unavailable = 14;
const windowBytes = 16 * 1024 * 1024;
export const deadlineExceeded = 4;

export class GrpcError extends Error {
  constructor(readonly code: number, detail: string) {
    super(`${statusNames[code] ?? `status ${code}`}: ${detail}`);
    this.name = 'GrpcError';
  }
}

export interface UnaryChannelOptions {
  /** Client URLs, e.g. ['http://127.0.0.1:2379']. */
  readonly endpoints: readonly string[];
  /** Largest response accepted. Default 512 MiB (lists of many objects are large). */
  readonly maxResponseBytes?: number;
}

export class UnaryChannel {
  private readonly endpoints: readonly string[];
  private readonly maxResponseBytes: number;
  private session: ClientHttp2Session | undefined;
  private endpointIndex = 0;
  private closed = false;
  private inFlight = 0;

  constructor(options: UnaryChannelOptions) {
    if (options.endpoints.length === 0) throw new Error('no etcd endpoints');
    this.endpoints = options.endpoints;
    this.maxResponseBytes = options.maxResponseBytes ?? 512 * 1024 * 1024;
  }

  /** Calls `path` (/package.Service/Method) with an encoded message; resolves to the response message. */
  call(path: string, frame: Buffer, deadlineMs?: number): Promise<Buffer> {
    if (this.closed) return Promise.reject(new GrpcError(unavailable, 'the etcd client is closed'));
    let stream: ClientHttp2Stream;
    let session: ClientHttp2Session;
    try {
      session = this.connection();
      stream = session.request({
        ':method': 'POST',
        ':path': path,
        'content-type': 'application/grpc',
        te: 'trailers',
        ...(deadlineMs !== undefined ? { 'grpc-timeout': `${Math.max(1, Math.ceil(deadlineMs))}m` } : {}),
      });
    } catch (err) {
      return Promise.reject(new GrpcError(unavailable, (err as Error).message));
    }
    if (this.inFlight++ === 0) session.ref();
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let received = 0;
      let status: number | undefined;
      let detail = '';
      let failure: GrpcError | undefined;
      const timer = deadlineMs !== undefined ? setTimeout(() => cancel(new GrpcError(deadlineExceeded, `no answer from etcd within ${deadlineMs} ms`)), deadlineMs) : undefined;
      const cancel = (err: GrpcError) => {
        failure ??= err;
        stream.close(constants.NGHTTP2_CANCEL);
      };
      const readStatus = (headers: Record<string, unknown>) => {
        if (headers['grpc-status'] === undefined) return;
        status = Number(headers['grpc-status']);
        detail = decodeURIComponent(String(headers['grpc-message'] ?? ''));
      };
      stream.on('response', (headers) => readStatus(headers)); // a trailers-only answer carries its status here
      stream.on('trailers', (headers) => readStatus(headers));
      stream.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > this.maxResponseBytes) cancel(new GrpcError(8, `response larger than ${this.maxResponseBytes} bytes`));
        else chunks.push(chunk);
      });
      stream.on('error', (err) => (failure ??= new GrpcError(unavailable, err.message)));
      stream.on('close', () => {
        if (timer) clearTimeout(timer);
        if (--this.inFlight === 0) this.session?.unref();
        if (failure) return reject(failure);
        if (status === undefined) return reject(new GrpcError(unavailable, `the stream ended without a status (HTTP/2 code ${stream.rstCode})`));
        if (status !== 0) return reject(new GrpcError(status, detail));
        const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
        if (body.length < 5 || body[0] !== 0 || body.readUInt32BE(1) !== body.length - 5) return reject(new GrpcError(13, 'malformed response frame'));
        resolve(body.subarray(5));
      });
      stream.end(frame);
    });
  }

  close(): void {
    this.closed = true;
    this.session?.close();
    this.session = undefined;
  }

  private connection(): ClientHttp2Session {
    const live = this.session;
    if (live && !live.closed && !live.destroyed) return live;
    const endpoint = this.endpoints[this.endpointIndex % this.endpoints.length]!;
    // Large windows: a list of thousands of objects arrives without waiting on window updates.
    const session = connect(endpoint, { maxSessionMemory: 64, settings: { initialWindowSize: windowBytes } });
    session.once('connect', () => session.setLocalWindowSize(windowBytes));
    const drop = () => {
      if (this.session !== session) return;
      this.session = undefined;
      this.endpointIndex++; // the next call tries the next member
    };
    session.on('error', drop);
    session.on('goaway', drop);
    session.on('close', drop);
    if (this.inFlight === 0) session.unref();
    this.session = session;
    return session;
  }
}

/** A gRPC request frame: the uncompressed flag, the length, and the message. */
export function grpcFrame(message: { finish(prefix: number): Buffer; readonly length: number }): Buffer {
  const frame = message.finish(5);
  frame.writeUInt32BE(message.length, 1);
  return frame;
}
