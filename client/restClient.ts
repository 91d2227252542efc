/**
 * A small HTTP client for the Kubernetes API: JSON requests, Status errors as exceptions, and
 * watches as a stream of events. The layer controllers, the CLI, tests and benchmarks build on.
 *
 * Every request sent, watches and retries included, passes the client-side rate limiter (a token
 * bucket, client-go's 5 qps / burst 10 unless configured) and is counted (`requestCount`,
 * `stats()`). `call` and everything built on it (get, create, …, list helpers, the opening of a
 * watch) retry a 429 after its Retry-After; `raw` sends exactly one request and returns whatever
 * came back.
 */
import { StatusError, type Status } from '../api/status';
import type { KubeObject } from '../api/kinds/kind';
import { realClock, sleep, type Clock } from './clock';
import type { MetricsRegistry, Counter, Histogram } from './metrics';
import { ResourceClient, type GroupVersionResource } from './resource';
import { TokenBucket, type RateLimit } from './tokenBucket';
import { exchangeHttp, readBody, sendHttp, type HttpRequest, type HttpResponse, type ResponseHeaders, type WholeResponse } from './httpTransport';

export interface RequestOptions {
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
  readonly body?: unknown;
  /** Default application/json when there is a body. */
  readonly contentType?: string;
  /** Sent as is (not JSON-encoded) when set. */
  readonly rawBody?: string | Buffer;
  readonly headers?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
}

export interface RawResponse {
  readonly status: number;
  readonly headers: ResponseHeaders;
  readonly text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  readonly json: unknown;
}

export interface WatchEvent<T = unknown> {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  readonly object: T;
}

export interface Watch {
  /**
   * Resolves when the server ends the stream, or when the watch is closed (close() or the
   * signal). Rejects when the connection fails midway or a line is not JSON.
   */
  readonly done: Promise<void>;
  close(): void;
}

export interface WatchRequestOptions {
  /** Aborting it closes the watch (or abandons its opening, which then rejects). */
  readonly signal?: AbortSignal;
  /** Extra request headers (an Accept asking for Table events, say). */
  readonly headers?: Readonly<Record<string, string>>;
}

/** The list envelope every collection GET answers with. */
export interface ObjectList<T> {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata: { readonly resourceVersion?: string; readonly continue?: string; readonly remainingItemCount?: number };
  readonly items: T[];
}

export type Query = NonNullable<RequestOptions['query']>;

export interface RestClientOptions {
  /** e.g. http://127.0.0.1:6443 */
  readonly server: string;
  readonly userAgent?: string;
  /**
   * Client-side limit on requests sent (watches and retries included). Default { qps: 5, burst: 10 },
   * client-go's defaults; `false` (or qps <= 0) disables it, as tests and benchmarks do.
   */
  readonly rateLimit?: RateLimit | false;
  /** How many times a 429 answer is retried (not by `raw`). Default 10, as client-go. */
  readonly maxRetries?: number;
  /** Wait before a retry when a 429 has no usable Retry-After. Default 1000 ms. */
  readonly defaultRetryAfterMs?: number;
  /** Where `rest_client_requests_total` and the rate limiter's latency are recorded. Default: nowhere. */
  readonly metrics?: MetricsRegistry;
  readonly clock?: Clock;
}

/** Counts of what this client sent (see RestClient.stats). */
export interface RequestStats {
  /** HTTP requests sent, every retry and watch included. */
  readonly total: number;
  /** The same, by HTTP method. */
  readonly byMethod: Readonly<Record<string, number>>;
  /** 429 answers that were retried. */
  readonly retries: number;
  /** Total time requests waited for the client-side rate limiter. */
  readonly throttledMs: number;
}

/** Page size of the list helpers unless a `limit` is given. */
export const defaultPageSize = 500;

export class RestClient {
  readonly server: string;
  private readonly userAgent: string;
  private readonly limiter: TokenBucket | undefined;
  private readonly maxRetries: number;
  private readonly defaultRetryAfterMs: number;
  private readonly clock: Clock;
  private readonly metrics: { requests: Counter; throttle: Histogram } | undefined;
  private total = 0;
  private readonly byMethod: Record<string, number> = {};
  private retries = 0;
  private throttledMs = 0;

  constructor(private readonly options: RestClientOptions) {
    this.server = options.server.replace(/\/$/, '');
    this.userAgent = options.userAgent ?? 'marina/0.1.0';
    this.clock = options.clock ?? realClock;
    const limit = options.rateLimit === undefined ? { qps: 5, burst: 10 } : options.rateLimit;
    this.limiter = limit && limit.qps > 0 ? new TokenBucket(limit, this.clock) : undefined;
    this.maxRetries = options.maxRetries ?? 10;
    this.defaultRetryAfterMs = options.defaultRetryAfterMs ?? 1000;
    this.metrics = options.metrics && {
      requests: options.metrics.counter('rest_client_requests_total', 'HTTP requests sent by the REST client, by method and status code.'),
      throttle: options.metrics.histogram('rest_client_rate_limiter_duration_seconds', 'Time requests waited for the client-side rate limiter, in seconds.'),
    };
  }

  /**
   * A client of the same server, options and metrics with a rate limiter of its own. Kubernetes'
   * components write events through such a client, so that a burst of events never holds up
   * their real work (bindings, status writes); its requests are not in this client's stats.
   */
  withOwnRateLimit(): RestClient {
    return new RestClient(this.options);
  }

  /** HTTP requests sent so far (every retry and watch included). */
  get requestCount(): number {
    return this.total;
  }

  stats(): RequestStats {
    return { total: this.total, byMethod: { ...this.byMethod }, retries: this.retries, throttledMs: this.throttledMs };
  }

  url(path: string, query: RequestOptions['query'] = {}): string {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, String(v));
    const qs = params.toString();
    return `${this.server}${path}${qs ? `?${qs}` : ''}`;
  }

  /** One request, exactly as answered: never throws for HTTP errors and never retries (see `call`). */
  async raw(method: string, path: string, options: RequestOptions = {}): Promise<RawResponse> {
    return withJson(await this.send(method, path, options, 0, exchangeHttp, noDiscard));
  }

  /** A request whose non-2xx answer is thrown as a StatusError; a 429 is retried after its Retry-After. */
  async call<T = unknown>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const res = withJson(await this.send(method, path, options, this.maxRetries, exchangeHttp, noDiscard));
    if (res.status >= 200 && res.status < 300) return res.json as T;
    throw toStatusError(res);
  }

  get<T = unknown>(path: string, query?: RequestOptions['query']): Promise<T> {
    return this.call<T>('GET', path, query ? { query } : {});
  }

  create<T = unknown>(path: string, body: unknown, query?: RequestOptions['query']): Promise<T> {
    return this.call<T>('POST', path, { body, ...(query ? { query } : {}) });
  }

  update<T = unknown>(path: string, body: unknown, query?: RequestOptions['query']): Promise<T> {
    return this.call<T>('PUT', path, { body, ...(query ? { query } : {}) });
  }

  patch<T = unknown>(path: string, patch: unknown, type: 'merge' | 'json' = 'merge', query?: RequestOptions['query']): Promise<T> {
    const contentType = type === 'merge' ? 'application/merge-patch+json' : 'application/json-patch+json';
    return this.call<T>('PATCH', path, { body: patch, contentType, ...(query ? { query } : {}) });
  }

  delete<T = unknown>(path: string, options?: unknown): Promise<T> {
    return this.call<T>('DELETE', path, options === undefined ? {} : { body: options });
  }

  /**
   * The pages of a collection, following continue tokens: `limit` items per page (default
   * `defaultPageSize`). Every page is read at the first page's resourceVersion, so together they
   * are one consistent snapshot; a 410 (the token expired) is thrown.
   */
  async *listPages<T>(path: string, query: Query = {}, signal?: AbortSignal): AsyncGenerator<ObjectList<T>, void, undefined> {
    let token: string | undefined = typeof query.continue === 'string' && query.continue ? query.continue : undefined;
    for (;;) {
      const q = { ...query, limit: query.limit ?? defaultPageSize, continue: token };
      const page = await this.call<ObjectList<T>>('GET', path, { query: q, ...(signal ? { signal } : {}) });
      yield page;
      token = page.metadata?.continue || undefined;
      if (!token) return;
    }
  }

  /** Every item of a collection, read in pages (see listPages), and the snapshot's resourceVersion. */
  async listAll<T>(path: string, query: Query = {}, signal?: AbortSignal): Promise<{ items: T[]; resourceVersion: string }> {
    const items: T[] = [];
    let resourceVersion = '';
    for await (const page of this.listPages<T>(path, query, signal)) {
      items.push(...(page.items ?? []));
      if (!resourceVersion) resourceVersion = page.metadata?.resourceVersion ?? '';
    }
    return { items, resourceVersion };
  }

  /**
   * Opens a watch (`?watch=true` is added) and calls `onEvent` for each event line. The returned
   * promise resolves once the server has answered with the stream's headers; a non-2xx answer is
   * thrown as a StatusError (a 429 is retried first). Pass `timeoutSeconds` and
   * `allowWatchBookmarks` in the query; abort `options.signal` (or call close()) to end it.
   */
  async watch<T = unknown>(path: string, query: RequestOptions['query'], onEvent: (event: WatchEvent<T>) => void, options: WatchRequestOptions = {}): Promise<Watch> {
    const controller = new AbortController();
    const outer = options.signal;
    const onOuterAbort = () => controller.abort();
    if (outer?.aborted) controller.abort();
    outer?.addEventListener('abort', onOuterAbort, { once: true });
    const detach = () => outer?.removeEventListener('abort', onOuterAbort);
    let res: HttpResponse;
    try {
      res = await this.send('GET', path, { query: { ...query, watch: 'true' }, signal: controller.signal, ...(options.headers ? { headers: options.headers } : {}) }, this.maxRetries, sendHttp, readBody);
    } catch (err) {
      detach();
      throw err;
    }
    if (res.status < 200 || res.status >= 300) {
      detach();
      throw toStatusError(withJson({ status: res.status, headers: res.headers, text: await readBody(res) }));
    }
    const body = res.body;
    body.setEncoding('utf8');
    const done = (async () => {
      let buffer = '';
      try {
        for await (const chunk of body) {
          buffer += chunk as string;
          let newline;
          while ((newline = buffer.indexOf('\n')) >= 0) {
            const line = buffer.slice(0, newline);
            buffer = buffer.slice(newline + 1);
            if (line.trim()) onEvent(JSON.parse(line) as WatchEvent<T>);
            if (controller.signal.aborted) return;
          }
        }
      } catch (err) {
        // Closing the watch aborts the read: that is an end, not a failure.
        if (!controller.signal.aborted && (err as Error).name !== 'AbortError') throw err;
      } finally {
        detach();
        if (!controller.signal.aborted) controller.abort();
      }
    })();
    return { done, close: () => controller.abort() };
  }

  /** Typed helpers for one resource (optionally in one namespace): paths, list, watch, CRUD. */
  resource<T extends KubeObject = KubeObject>(gvr: GroupVersionResource, namespace?: string): ResourceClient<T> {
    return new ResourceClient<T>(this, gvr, namespace);
  }

  /**
   * Sends one request through `transport` (a whole answer, or a stream for watches), waiting for
   * the rate limiter first; retries a 429 up to `retries` times, `discard`ing its answer first.
   */
  private async send<R extends { readonly status: number; readonly headers: ResponseHeaders }>(
    method: string,
    path: string,
    options: RequestOptions,
    retries: number,
    transport: (url: string, request: HttpRequest) => Promise<R>,
    discard: (res: R) => Promise<unknown>,
  ): Promise<R> {
    const headers: Record<string, string> = { 'User-Agent': this.userAgent, Accept: 'application/json', ...options.headers };
    let body: string | Buffer | undefined;
    if (options.rawBody !== undefined) body = options.rawBody;
    else if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined) headers['Content-Type'] ??= options.contentType ?? 'application/json';
    const url = this.url(path, options.query);
    for (let attempt = 0; ; attempt++) {
      await this.throttle(options.signal);
      this.total++;
      this.byMethod[method] = (this.byMethod[method] ?? 0) + 1;
      const res = await transport(url, { method, headers, ...(body !== undefined ? { body } : {}), ...(options.signal ? { signal: options.signal } : {}) });
      this.metrics?.requests.inc({ method, code: String(res.status) });
      if (res.status !== 429 || attempt >= retries) return res;
      await discard(res).catch(() => undefined);
      this.retries++;
      await sleep(retryAfterMs(res.headers.get('retry-after'), this.defaultRetryAfterMs), options.signal, this.clock);
    }
  }

  private async throttle(signal: AbortSignal | undefined): Promise<void> {
    if (!this.limiter) return;
    const start = this.clock.now();
    await this.limiter.take(signal);
    const waited = this.clock.now() - start;
    this.throttledMs += waited;
    this.metrics?.throttle.observe(waited / 1000);
  }
}

/** Nothing to read: the answer was read whole. */
async function noDiscard(): Promise<void> {}

/** A Retry-After header (seconds, or an HTTP date) in ms; `fallback` when absent or unusable. */
export function retryAfterMs(header: string | null, fallback: number): number {
  if (!header) return fallback;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? fallback : Math.max(0, date - Date.now());
}

/** A whole answer with its body parsed as JSON (undefined when it is not JSON). */
function withJson(res: WholeResponse): RawResponse {
  const text = res.text;
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

function toStatusError(res: RawResponse): StatusError {
  let status: unknown;
  try {
    status = res.json === undefined ? JSON.parse(res.text) : res.json;
  } catch {
    status = undefined;
  }
  return statusErrorOf(status, res.status) ?? new StatusError(res.status, 'InternalError', `unexpected HTTP ${res.status}: ${res.text.slice(0, 200)}`);
}

/**
 * The StatusError a `Status` object describes (the body of an error answer, or the object of a
 * watch ERROR event); undefined when `value` is not a Status. `code` defaults to the Status's.
 */
export function statusErrorOf(value: unknown, code?: number): StatusError | undefined {
  if (typeof value !== 'object' || value === null || (value as { kind?: unknown }).kind !== 'Status') return undefined;
  const status = value as Partial<Status>;
  return new StatusError(code ?? status.code ?? 500, status.reason ?? 'InternalError', status.message ?? '', status.details);
}
