/**
 * One HTTP/1.1 request and its whole answer over plain TCP, on pooled keep-alive connections:
 * what the REST client sends its non-streaming requests through. Node's http client costs about
 * 0.1 ms of CPU per small request (a ClientRequest, an IncomingMessage stream, agent bookkeeping);
 * a scheduler binding hundreds of pods a second pays that for every binding and event. Here a
 * request is one socket write and its answer is parsed straight from the socket's chunks.
 *
 * Invariants:
 *   - a connection carries one exchange at a time (no pipelining) and returns to its pool only
 *     after an answer that was read to its end and allows keep-alive; any error, abort or
 *     protocol surprise destroys it;
 *   - idle pooled sockets do not keep the process alive (unref);
 *   - a request sent on a reused connection that the server closes before answering a single
 *     byte is sent once more on a fresh connection (the server closed it while idle), as
 *     Node's documented retry does.
 */
import { connect, type Socket } from 'node:net';
import { ResponseReader, type ParsedResponse } from './http1Response';

export interface ExchangeRequest {
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string | Buffer;
  /** Aborting it destroys the connection; the exchange rejects with an error named AbortError. */
  readonly signal?: AbortSignal;
}

export type ExchangeResponse = ParsedResponse;

/** Idle connections kept per host:port beyond which a finished connection is closed. */
const maxIdlePerHost = 256;
const idle = new Map<string, Socket[]>();

/** Sends `request` to `url` (http: only) and resolves with the whole answer. */
export function exchangeHttp1(url: URL, request: ExchangeRequest): Promise<ExchangeResponse> {
  if (url.protocol !== 'http:') return Promise.reject(new Error(`exchangeHttp1 speaks plain http only, not ${url.protocol}`));
  let head: string;
  try {
    head = requestHead(url, request);
  } catch (err) {
    return Promise.reject(err);
  }
  const pooled = takeIdle(url.host);
  return exchangeOn(pooled ?? dial(url), url.host, head, request).catch((err: unknown) => {
    if (pooled && unanswered.has(err as Error)) return exchangeOn(dial(url), url.host, head, request);
    throw err;
  });
}

/** Closes every idle pooled connection (tests; a process exiting needs nothing). */
export function closeIdleHttp1Connections(): void {
  for (const sockets of idle.values()) for (const s of sockets) s.destroy();
  idle.clear();
}

/** Errors of connections that ended or failed before a single byte of the answer arrived. */
const unanswered = new WeakSet<Error>();

function requestHead(url: URL, request: ExchangeRequest): string {
  let head = `${request.method} ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\n`;
  for (const name in request.headers) {
    const value = request.headers[name]!;
    // A CR or LF would let a value start a header (or a request) of its own.
    if (/[\r\n]/.test(name) || /[\r\n]/.test(value)) throw new TypeError(`invalid character in header ${JSON.stringify(name)}`);
    const lower = name.toLowerCase();
    if (lower === 'content-length' || lower === 'host') continue; // written by this function
    head += `${name}: ${value}\r\n`;
  }
  const length = request.body === undefined ? 0 : Buffer.byteLength(request.body);
  // Like Node's client: a GET or HEAD without a body says nothing of one.
  if (length > 0 || (request.method !== 'GET' && request.method !== 'HEAD')) head += `Content-Length: ${length}\r\n`;
  return head + '\r\n';
}

function dial(url: URL): Socket {
  const socket = connect(Number(url.port || 80), url.hostname.replace(/^\[|\]$/g, ''));
  socket.setNoDelay(true);
  return socket;
}

function takeIdle(host: string): Socket | undefined {
  const sockets = idle.get(host);
  for (let s = sockets?.pop(); s; s = sockets!.pop()) {
    if (!s.destroyed) return s;
  }
  return undefined;
}

function release(host: string, socket: Socket): void {
  let sockets = idle.get(host);
  if (!sockets) idle.set(host, (sockets = []));
  if (sockets.length >= maxIdlePerHost) {
    socket.destroy();
    return;
  }
  socket.unref();
  // Closed by the server (or failing) while idle: it leaves the pool.
  const drop = () => {
    const i = sockets.indexOf(socket);
    if (i >= 0) sockets.splice(i, 1);
    socket.destroy();
  };
  socket.once('close', drop);
  socket.once('error', drop);
  socket.once('data', drop); // an idle connection has nothing to say
  idleListeners.set(socket, drop);
  sockets.push(socket);
}

const idleListeners = new WeakMap<Socket, () => void>();

function exchangeOn(socket: Socket, host: string, head: string, request: ExchangeRequest): Promise<ExchangeResponse> {
  const idleDrop = idleListeners.get(socket);
  if (idleDrop) {
    socket.off('close', idleDrop).off('error', idleDrop).off('data', idleDrop);
    idleListeners.delete(socket);
  }
  socket.ref();
  const signal = request.signal;
  return new Promise<ExchangeResponse>((resolve, reject) => {
    const reader = new ResponseReader(request.method);
    let received = false;
    const cleanup = () => {
      socket.off('data', onData).off('error', onError).off('close', onClose).off('end', onEnd);
      signal?.removeEventListener('abort', onAbort);
    };
    const fail = (err: Error) => {
      cleanup();
      socket.destroy();
      reject(err);
    };
    const finish = (response: ParsedResponse) => {
      cleanup();
      if (response.keepAlive && !reader.hasExtraBytes) release(host, socket);
      else socket.destroy();
      resolve(response);
    };
    const onData = (chunk: Buffer) => {
      received = true;
      let response: ParsedResponse | undefined;
      try {
        response = reader.push(chunk);
      } catch (err) {
        fail(err as Error);
        return;
      }
      if (response) finish(response);
    };
    const onEnd = () => {
      // An answer framed by the connection's end (no length, not chunked) is complete now.
      const response = reader.end();
      if (response) finish(response);
    };
    const onError = (err: Error) => {
      if (!received) unanswered.add(err);
      fail(err);
    };
    const onClose = () => {
      const err = connectionError(received ? 'the server closed the connection before the answer was complete' : 'socket hang up');
      if (!received) unanswered.add(err);
      fail(err);
    };
    const onAbort = () => fail(Object.assign(new Error('The operation was aborted'), { name: 'AbortError' }));
    if (signal?.aborted) {
      onAbort();
      return;
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.on('data', onData).on('error', onError).on('close', onClose).on('end', onEnd);
    if (request.body === undefined || typeof request.body === 'string') socket.write(request.body === undefined ? head : head + request.body);
    else {
      socket.cork();
      socket.write(head);
      socket.write(request.body);
      socket.uncork();
    }
  });
}

function connectionError(message: string): Error {
  return Object.assign(new Error(message), { code: 'ECONNRESET' });
}
