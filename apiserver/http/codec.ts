/**
 * Request bodies in, responses out: JSON (and YAML) bodies by Content-Type, responses by Accept,
 * and the JSON of shared, immutable cached objects serialized once for every watcher.
 */
import type { ApiRequest, Response } from './request';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import * as status from '../../api/status';
import { decodeProtobufObject, protobufContentType } from './protobuf';

export type MediaType = 'json' | 'yaml';

/** The body's media type (essence only, lower case); '' when absent. */
export function contentTypeOf(req: ApiRequest): string {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

/** Parses the body of a create or update: JSON (the default) or YAML. 415 for anything else. */
export function parseObjectBody(req: ApiRequest): unknown {
  const type = contentTypeOf(req);
  if (type === '' || type === 'application/json' || type === '*/*') return parseJson(bodyText(req));
  if (type === 'application/yaml' || type === 'application/x-yaml' || type === 'text/yaml') return parseYamlDocument(bodyText(req));
  if (type === protobufContentType) return decodeProtobufObject(req.body);
  throw status.unsupportedMediaType(type, ['application/json', 'application/yaml']);
}

export function bodyText(req: ApiRequest): string {
  return req.body.toString('utf8');
}

export function parseJson(text: string): unknown {
  if (text.trim() === '') throw status.badRequest('the request body is empty: an object is required');
  try {
    return JSON.parse(text);
  } catch (err) {
    throw status.badRequest(`couldn't get version/kind; json parse error: ${(err as Error).message}`);
  }
}

export function parseYamlDocument(text: string): unknown {
  if (text.trim() === '') throw status.badRequest('the request body is empty: an object is required');
  try {
    return parseYaml(text, { uniqueKeys: false });
  } catch (err) {
    throw status.badRequest(`error converting YAML to JSON: ${(err as Error).message.split('\n')[0]}`);
  }
}

/** What the client accepts, from Accept: JSON unless only YAML or an unsupported type is asked for. */
export function negotiate(req: ApiRequest): MediaType {
  const accept = req.headers.accept;
  if (!accept) return 'json';
  const types = accept.split(',').map((t) => t.split(';')[0]!.trim().toLowerCase());
  for (const t of types) {
    if (t === 'application/json' || t === '*/*' || t === 'application/*') return 'json';
    if (t === 'application/yaml') return 'yaml';
  }
  throw status.notAcceptable(`only the following media types are accepted: application/json, application/yaml`);
}

const serialized = new WeakMap<object, string>();

/** JSON of an object that is never mutated (watch cache entries): computed once, shared. */
export function cachedJson(obj: object): string {
  let json = serialized.get(obj);
  if (json === undefined) {
    json = JSON.stringify(obj);
    serialized.set(obj, json);
  }
  return json;
}

export function sendObject(res: Response, code: number, obj: unknown, media: MediaType = 'json', warnings: readonly string[] = []): void {
  if (res.headersSent) return; // the request already timed out
  for (const w of warnings) res.appendHeader('Warning', `299 - ${JSON.stringify(w)}`);
  const body = media === 'yaml' ? stringifyYaml(obj) : JSON.stringify(obj);
  res.statusCode = code;
  res.setHeader('Content-Type', media === 'yaml' ? 'application/yaml' : 'application/json');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}

export function sendText(res: Response, code: number, text: string, contentType = 'text/plain; charset=utf-8'): void {
  if (res.headersSent) return;
  res.statusCode = code;
  res.setHeader('Content-Type', contentType);
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}

export function sendStatusError(res: Response, err: status.StatusError): void {
  if (res.headersSent) return;
  if (err.details?.retryAfterSeconds) res.setHeader('Retry-After', String(err.details.retryAfterSeconds));
  sendObject(res, err.code, err.toStatus());
}
