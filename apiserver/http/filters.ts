/**
 * The handler chain every API request passes, as in Kubernetes: request info → metrics and
 * logging → in-flight limit (429) → timeout (504) → body → handler → errors as Status.
 * It is one middleware rather than one per filter: each express layer costs time on every
 * request, and this is the hot path.
 */
import type { NextFunction } from 'express';
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as status from '../../api/status';
import type { Logger } from '../../client/log';
import type { Counter, Gauge, Histogram, MetricsRegistry } from '../../client/metrics';
import { readBody } from './body';
import { apiRequest, type ApiRequest, type Response } from './request';
import { sendStatusError } from './codec';
import { param, parseDuration } from './query';
import { isLongRunning, parseRequestInfo, type RequestInfo } from './requestInfo';

export interface ApiMetrics {
  readonly requests: Counter;
  readonly latency: Histogram;
  readonly watchers: Gauge;
  readonly inflight: Gauge;
  readonly rejected: Counter;
}

export function apiMetrics(registry: MetricsRegistry): ApiMetrics {
  return {
    requests: registry.counter('apiserver_request_total', 'Requests by verb, group, resource, subresource and HTTP code.'),
    latency: registry.histogram('apiserver_request_duration_seconds', 'Request latency in seconds by verb, group, resource and subresource.'),
    watchers: registry.gauge('apiserver_registered_watchers', 'Watches open now, by resource.'),
    inflight: registry.gauge('apiserver_current_inflight_requests', 'Requests being served now, by kind (readOnly, mutating).'),
    rejected: registry.counter('apiserver_dropped_requests_total', 'Requests rejected with 429 by the in-flight limit, by kind.'),
  };
}

export interface ChainOptions {
  readonly metrics: ApiMetrics;
  readonly log: Logger;
  /** Concurrent non-mutating requests. Default 400. */
  readonly maxReadOnlyInFlight?: number;
  /** Concurrent mutating requests. Default 200. */
  readonly maxMutatingInFlight?: number;
  /** Non-long-running requests are answered 504 after this (or `?timeout=`, if shorter). */
  readonly requestTimeoutMs: number;
  /** Larger bodies are refused with 413. */
  readonly maxBodyBytes: number;
}

export type ApiHandler = (req: ApiRequest, res: Response, info: RequestInfo) => Promise<void>;

/** An express (Router) middleware on node's own request and response. */
export type Middleware = (req: IncomingMessage, res: ServerResponse, next: NextFunction) => void;

/** Serves /api and /apis through `handler`; other paths go on to the next middleware. */
export function handlerChain(options: ChainOptions, handler: ApiHandler): Middleware {
  const limits = { readOnly: options.maxReadOnlyInFlight ?? 400, mutating: options.maxMutatingInFlight ?? 200 };
  const inFlight = { readOnly: 0, mutating: 0 };
  return (message, res, next) => {
    const req = apiRequest(message);
    const info = parseRequestInfo(req.method, req.path, req.query);
    observe(options, req, res, info);
    if (!isApiPath(req.path)) return next();
    if (!info || (info.kind === 'nonResource' && !info.prefix)) return next(status.pathNotFound());

    if (!isLongRunning(info)) {
      const kind = req.method === 'GET' || req.method === 'HEAD' ? 'readOnly' : 'mutating';
      if (inFlight[kind] >= limits[kind]) {
        options.metrics.rejected.inc({ request_kind: kind });
        return sendStatusError(res, status.tooManyRequests(1));
      }
      inFlight[kind]++;
      options.metrics.inflight.set(inFlight[kind], { request_kind: kind });
      const asked = parseDuration(param(req.query, 'timeout'));
      const timer = setTimeout(
        () => sendStatusError(res, status.timeout('Timeout: request did not complete within the allotted timeout')),
        asked !== undefined && asked > 0 ? Math.min(asked, options.requestTimeoutMs) : options.requestTimeoutMs,
      );
      let done = false;
      const release = () => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        inFlight[kind]--;
        options.metrics.inflight.set(inFlight[kind], { request_kind: kind });
      };
      res.once('finish', release);
      res.once('close', release);
    }
    readBody(message, options.maxBodyBytes)
      .then((body) => {
        req.body = body;
        return handler(req, res, info);
      })
      .catch(next);
  };
}

function isApiPath(path: string): boolean {
  return path === '/api' || path === '/apis' || path.startsWith('/api/') || path.startsWith('/apis/');
}

/** Counts the request and its latency when it finishes, and logs it. */
function observe(options: ChainOptions, req: ApiRequest, res: Response, info: RequestInfo | undefined): void {
  const start = process.hrtime.bigint();
  res.once('finish', () => {
    const labels =
      info?.kind === 'resource'
        ? { verb: info.verb, group: info.group, resource: info.resource, subresource: info.subresource ?? '' }
        : { verb: req.method.toLowerCase(), group: '', resource: '', subresource: '' };
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    options.metrics.requests.inc({ ...labels, code: String(res.statusCode) });
    if (labels.verb !== 'watch') options.metrics.latency.observe(seconds, labels);
    if (res.statusCode >= 500 || options.log.enabled('debug')) {
      const fields = { method: req.method, path: req.path, code: res.statusCode, ms: Math.round(seconds * 1000), userAgent: req.headers['user-agent'] };
      if (res.statusCode >= 500) options.log.error('request failed', fields);
      else options.log.debug('request', fields);
    }
  });
}

/** The last handler: any error becomes a Status; unexpected ones are logged and answered 500. */
export function errorFilter(log: Logger) {
  return (err: unknown, req: IncomingMessage, res: ServerResponse, _next: NextFunction): void => {
    sendStatusError(res, toStatusError(err, log, req));
  };
}

export function toStatusError(err: unknown, log: Logger, req: IncomingMessage): status.StatusError {
  if (err instanceof status.StatusError) return err;
  const e = err as { message?: string; stack?: string };
  if (isUnavailable(err)) {
    log.warn('storage unavailable', { path: req.url, error: e.message });
    return status.serviceUnavailable('the storage backend (etcd) is unavailable; please retry');
  }
  log.error('unexpected error', { path: req.url, method: req.method, error: e.message, stack: e.stack });
  return status.internalError(e.message ?? 'unknown error');
}

function isUnavailable(err: unknown): boolean {
  const message = `${(err as { name?: string })?.name ?? ''} ${(err as { message?: string })?.message ?? ''}`;
  return /GRPCConnectFailed|GRPCUnavailable|UNAVAILABLE|DEADLINE_EXCEEDED|Deadline exceeded|No connection established/i.test(message);
}
