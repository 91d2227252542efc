/**
 * A small HTTP client for the Kubernetes API: JSON requests, Status errors as exceptions, and
 * watches as a stream of events. The layer controllers, the CLI, tests and benchmarks build on.
 */
import { StatusError, type Status } from '../api/status';

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
  readonly headers: Headers;
  readonly text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  readonly json: unknown;
}

export interface WatchEvent<T = unknown> {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  readonly object: T;
}

export interface Watch {
  /** Resolves when the server ends the stream (or close() is called). */
  readonly done: Promise<void>;
  close(): void;
}

export interface RestClientOptions {
  /** e.g. http://127.0.0.1:6443 */
  readonly server: string;
  readonly userAgent?: string;
}

export class RestClient {
  readonly server: string;
  private readonly userAgent: string;

  constructor(options: RestClientOptions) {
    this.server = options.server.replace(/\/$/, '');
    this.userAgent = options.userAgent ?? 'marina/0.1.0';
  }

  url(path: string, query: RequestOptions['query'] = {}): string {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, String(v));
    const qs = params.toString();
    return `${this.server}${path}${qs ? `?${qs}` : ''}`;
  }

  /** Any request; never throws for HTTP errors (see `call` for that). */
  async raw(method: string, path: string, options: RequestOptions = {}): Promise<RawResponse> {
    const headers: Record<string, string> = { 'User-Agent': this.userAgent, Accept: 'application/json', ...options.headers };
    let body: string | Buffer | undefined;
    if (options.rawBody !== undefined) body = options.rawBody;
    else if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined) headers['Content-Type'] ??= options.contentType ?? 'application/json';
    const res = await fetch(this.url(path, options.query), { method, headers, ...(body !== undefined ? { body } : {}), ...(options.signal ? { signal: options.signal } : {}) });
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, headers: res.headers, text, json };
  }

  /** A request whose non-2xx answer is thrown as a StatusError. */
  async call<T = unknown>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const res = await this.raw(method, path, options);
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
   * Opens a watch (`?watch=true` is added) and calls `onEvent` for each event line. The returned
   * promise resolves once the server has answered with the stream's headers.
   */
  async watch<T = unknown>(path: string, query: RequestOptions['query'], onEvent: (event: WatchEvent<T>) => void): Promise<Watch> {
    const controller = new AbortController();
    const res = await fetch(this.url(path, { ...query, watch: 'true' }), {
      headers: { 'User-Agent': this.userAgent, Accept: 'application/json' },
      signal: controller.signal,
    });
    if (!res.ok || !res.body) throw toStatusError({ status: res.status, headers: res.headers, text: await res.text(), json: undefined });
    const reader = res.body.getReader();
    const done = (async () => {
      const decoder = new TextDecoder();
      let buffer = '';
      try {
        for (;;) {
          const { value, done: finished } = await reader.read();
          if (finished) break;
          buffer += decoder.decode(value, { stream: true });
          let newline;
          while ((newline = buffer.indexOf('\n')) >= 0) {
            const line = buffer.slice(0, newline);
            buffer = buffer.slice(newline + 1);
            if (line.trim()) onEvent(JSON.parse(line) as WatchEvent<T>);
          }
        }
      } catch (err) {
        if ((err as Error).name !== 'AbortError') throw err;
      }
    })();
    return { done, close: () => controller.abort() };
  }
}

function toStatusError(res: RawResponse): StatusError {
  let status: Partial<Status> | undefined;
  try {
    status = res.json === undefined ? (JSON.parse(res.text) as Partial<Status>) : (res.json as Partial<Status>);
  } catch {
    status = undefined;
  }
  if (status?.kind === 'Status') {
    return new StatusError(res.status, status.reason ?? 'InternalError', status.message ?? '', status.details);
  }
  return new StatusError(res.status, 'InternalError', `unexpected HTTP ${res.status}: ${res.text.slice(0, 200)}`);
}
