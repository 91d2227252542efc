/**
 * The filters every request passes before its handler, as in Kubernetes' handler chain:
 * request info, metrics and logging, the in-flight limit (429), and the request timeout (504).
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Logger } from '../../client/log';
import type { Counter, Gauge, Histogram, MetricsRegistry } from '../../client/metrics';
import * as status from '../../api/status';
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

/** Request info lives on res.locals for the rest of the chain. */
export function requestInfoOf(res: Response): RequestInfo | undefined {
  return res.locals.requestInfo as RequestInfo | undefined;
}

export function requestInfoFilter(): RequestHandler {
  return (req, res, next) => {
    res.locals.requestInfo = parseRequestInfo(req.method, req.path, req.query);
    next();
  };
}

export function metricsFilter(metrics: ApiMetrics, log: Logger): RequestHandler {
  return (req, res, next) => {
    const start = process.hrtime.bigint();
    res.on('finish', () => {
      const info = requestInfoOf(res);
      const labels =
        info?.kind === 'resource'
          ? { verb: info.verb, group: info.group, resource: info.resource, subresource: info.subresource ?? '' }
          : { verb: req.method.toLowerCase(), group: '', resource: '', subresource: '' };
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      metrics.requests.inc({ ...labels, code: String(res.statusCode) });
      if (labels.verb !== 'watch') metrics.latency.observe(seconds, labels);
      const fields = { method: req.method, path: req.path, code: res.statusCode, ms: Math.round(seconds * 1000), userAgent: req.headers['user-agent'] };
      if (res.statusCode >= 500) log.error('request failed', fields);
      else log.debug('request', fields);
    });
    next();
  };
}

export interface InFlightLimits {
  /** Concurrent non-mutating requests. Default 400. */
  readonly maxReadOnly?: number;
  /** Concurrent mutating requests. Default 200. */
  readonly maxMutating?: number;
}

/** 429 TooManyRequests (Retry-After: 1) beyond the limits; long-running requests do not count. */
export function inFlightFilter(limits: InFlightLimits, metrics: ApiMetrics): RequestHandler {
  const max = { readOnly: limits.maxReadOnly ?? 400, mutating: limits.maxMutating ?? 200 };
  const current = { readOnly: 0, mutating: 0 };
  return (req, res, next) => {
    if (isLongRunning(requestInfoOf(res))) return next();
    const kind = req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS' ? 'readOnly' : 'mutating';
    if (current[kind] >= max[kind]) {
      metrics.rejected.inc({ request_kind: kind });
      return sendStatusError(res, status.tooManyRequests(1));
    }
    current[kind]++;
    metrics.inflight.set(current[kind], { request_kind: kind });
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      current[kind]--;
      metrics.inflight.set(current[kind], { request_kind: kind });
    };
    res.on('finish', release);
    res.on('close', release);
    next();
  };
}

/**
 * Answers 504 Timeout when a request has not been answered within its deadline: the `timeout`
 * query parameter (a Go duration), capped at `maxMs`. Long-running requests are exempt.
 */
export function timeoutFilter(maxMs: number): RequestHandler {
  return (req, res, next) => {
    if (isLongRunning(requestInfoOf(res))) return next();
    const asked = parseDuration(param(req.query, 'timeout'));
    const ms = asked !== undefined && asked > 0 ? Math.min(asked, maxMs) : maxMs;
    const timer = setTimeout(() => {
      sendStatusError(res, status.timeout('Timeout: request did not complete within the allotted timeout'));
    }, ms);
    res.on('finish', () => clearTimeout(timer));
    res.on('close', () => clearTimeout(timer));
    next();
  };
}

/** The last handler: any error becomes a Status; unexpected ones are logged and answered 500. */
export function errorFilter(log: Logger) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    sendStatusError(res, toStatusError(err, log, req));
  };
}

export function toStatusError(err: unknown, log: Logger, req: Request): status.StatusError {
  if (err instanceof status.StatusError) return err;
  const e = err as { type?: string; status?: number; message?: string; stack?: string };
  if (e.type === 'entity.too.large') return status.tooLarge(`Request entity too large: limit is ${3 * 1024 * 1024}`);
  if (e.type === 'encoding.unsupported' || e.type === 'charset.unsupported') return status.unsupportedMediaType(String(req.headers['content-encoding'] ?? ''), ['identity', 'gzip']);
  if (e.status === 400) return status.badRequest(e.message ?? 'bad request');
  if (isUnavailable(err)) {
    log.warn('storage unavailable', { path: req.path, error: e.message });
    return status.serviceUnavailable('the storage backend (etcd) is unavailable; please retry');
  }
  log.error('unexpected error', { path: req.path, method: req.method, error: e.message, stack: e.stack });
  return status.internalError(e.message ?? 'unknown error');
}

function isUnavailable(err: unknown): boolean {
  const name = (err as { name?: string })?.name ?? '';
  const message = (err as { message?: string })?.message ?? '';
  return /GRPCConnectFailed|GRPCUnavailable|BrokenCircuit|Deadline|EtcdWatchStreamEnded/i.test(name + ' ' + message) || /UNAVAILABLE|DEADLINE_EXCEEDED|No connection established/.test(message);
}
