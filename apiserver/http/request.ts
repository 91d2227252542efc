/**
 * What a handler needs of an HTTP request: method, path, parsed query, headers and the body
 * (read by the handler chain). Requests are routed with express's Router directly on node's
 * http server: an express application would swap the prototypes of every request and response,
 * which costs more CPU per request than all of Marina's own decoding and validation.
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQueryString, type ParsedUrlQuery } from 'node:querystring';

export type Query = ParsedUrlQuery;
export type Response = ServerResponse;

export interface ApiRequest {
  readonly method: string;
  /** The path without the query string, still percent-encoded. */
  readonly path: string;
  readonly query: Query;
  readonly headers: IncomingHttpHeaders;
  readonly message: IncomingMessage;
  /** The request body; empty until the handler chain has read it. */
  body: Buffer;
}

const empty = Buffer.alloc(0);

export function apiRequest(message: IncomingMessage): ApiRequest {
  const url = message.url ?? '/';
  const q = url.indexOf('?');
  return {
    method: message.method ?? 'GET',
    path: q < 0 ? url : url.slice(0, q),
    query: q < 0 ? {} : parseQueryString(url.slice(q + 1)),
    headers: message.headers,
    message,
    body: empty,
  };
}
