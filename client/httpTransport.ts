/**
 * One HTTP request over Node's http/https modules with process-wide keep-alive agents: what the
 * REST client sends everything through. Node's fetch (undici) costs several times the CPU per
 * small request, which the scheduler, the controllers and a process of hollow nodes pay thousands
 * of times a second.
 *
 * Invariant: every response handed out is either read to its end (readBody) or destroyed by the
 * caller's abort signal, so its socket goes back to the pool or is closed — never leaked.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { exchangeHttp1 } from './http1Exchange';

/** The read side of response headers (names case-insensitive), like fetch's Headers. */
export interface ResponseHeaders {
  /** The header's value (repeated headers joined with ", "), or null when absent. */
  get(name: string): string | null;
}

export interface HttpRequest {
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string | Buffer;
  /** Aborting it destroys the request and its response stream (errors named AbortError). */
  readonly signal?: AbortSignal;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: ResponseHeaders;
  /** The body stream; read it to its end (readBody) or abort the request's signal. */
  readonly body: http.IncomingMessage;
}

/**
 * One pool per protocol for the whole process, as fetch's global dispatcher: a process of many
 * hollow nodes shares its idle connections instead of holding a pool per client.
 */
const agents = {
  'http:': new http.Agent({ keepAlive: true, maxFreeSockets: 256 }),
  'https:': new https.Agent({ keepAlive: true, maxFreeSockets: 256 }),
};

/** Sends one request; resolves once the response's status and headers have arrived. */
export function sendHttp(url: string, request: HttpRequest): Promise<HttpResponse> {
  return sendOnce(new URL(url), request).catch((err: unknown) => {
    // A pooled connection the server closed while idle fails at once without the server having
    // read the request (Node's documented pattern): send it again, once, on a fresh connection.
    if ((err as { reusedSocket?: boolean }).reusedSocket && (err as NodeJS.ErrnoException).code === 'ECONNRESET') {
      return sendOnce(new URL(url), request);
    }
    throw err;
  });
}

function sendOnce(url: URL, request: HttpRequest): Promise<HttpResponse> {
  const protocol = url.protocol === 'https:' ? 'https:' : 'http:';
  const send = protocol === 'https:' ? https.request : http.request;
  const headers: Record<string, string | number> = { ...request.headers };
  if (request.body !== undefined) headers['Content-Length'] = Buffer.byteLength(request.body);
  const signal = request.signal;
  if (signal?.aborted) return Promise.reject(abortError());
  return new Promise((resolve, reject) => {
    const req = send(url, { method: request.method, headers, agent: agents[protocol] });
    let response: http.IncomingMessage | undefined;
    // Node's own `signal` option destroys the socket even after the response has completed, when
    // nothing listens for its error any more; an abort only cuts what is still in flight.
    const onAbort = () => {
      if (!response) req.destroy(abortError());
      else if (!response.complete) response.destroy(abortError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    req.once('close', () => signal?.removeEventListener('abort', onAbort));
    req.once('response', (res) => {
      response = res;
      // Readers see a failing body through its iterator; an error that lands after the reader
      // has stopped must not become an unhandled 'error' event.
      res.on('error', ignore);
      resolve({ status: res.statusCode ?? 0, headers: new IncomingHeaders(res.headers), body: res });
    });
    // `on`, not `once`: cutting a response in flight errors the request again.
    req.on('error', (err) => reject(Object.assign(err, { reusedSocket: req.reusedSocket })));
    req.end(request.body);
  });
}

function abortError(): Error {
  return Object.assign(new Error('The operation was aborted'), { name: 'AbortError' });
}

/** An answer read to its end. */
export interface WholeResponse {
  readonly status: number;
  readonly headers: ResponseHeaders;
  /** The body as text (UTF-8). */
  readonly text: string;
}

/**
 * Sends one request and reads its whole answer: plain http on Marina's own keep-alive HTTP/1.1
 * connections (http1Exchange.ts, a fraction of Node's CPU per request), https through Node.
 */
export async function exchangeHttp(url: string, request: HttpRequest): Promise<WholeResponse> {
  const parsed = new URL(url);
  if (parsed.protocol === 'http:') {
    const res = await exchangeHttp1(parsed, request);
    return { status: res.status, headers: res.headers, text: res.body.toString('utf8') };
  }
  const res = await sendHttp(url, request);
  return { status: res.status, headers: res.headers, text: await readBody(res) };
}

/** The whole body of a response as text (UTF-8). */
export async function readBody(res: HttpResponse): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of res.body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function ignore(): void {}

class IncomingHeaders implements ResponseHeaders {
  constructor(private readonly raw: http.IncomingHttpHeaders) {}

  get(name: string): string | null {
    const value = this.raw[name.toLowerCase()];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(', ') : value;
  }
}
