/**
 * Request bodies in, responses out: JSON (and YAML) bodies by Content-Type, responses by Accept,
 * and the JSON of shared, immutable cached objects serialized once for every watcher.
 */
import type { ApiRequest, Response } from './request';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import * as status from '../../api/status';
import { decodeProtobufObject, protobufContentType } from './protobuf';
import { storedJson } from '../storage/storedJson';

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

/**
 * A transformation of the answer the client asked for with Accept parameters, as Kubernetes
 * allows them (`application/json;as=Table;v=v1;g=meta.k8s.io`): a Table, or metadata only.
 */
export interface OutputConversion {
  readonly kind: 'Table' | 'PartialObjectMetadata' | 'PartialObjectMetadataList';
  /** The meta.k8s.io version of the answer. */
  readonly version: 'v1' | 'v1beta1';
}

export interface NegotiatedOutput {
  readonly media: MediaType;
  readonly convert?: OutputConversion;
}

interface AcceptClause {
  readonly type: string;
  readonly subtype: string;
  readonly params: Readonly<Record<string, string>>;
  readonly q: number;
}

/** goautoneg.ParseAccept: the clauses by preference (q, then specific types before wildcards). */
function parseAccept(header: string): AcceptClause[] {
  const clauses: AcceptClause[] = [];
  for (const part of header.split(',')) {
    const [range = '', ...rest] = part.split(';');
    const [type = '', subtype, ...extra] = range.trim().toLowerCase().split('/');
    if (extra.length > 0 || (subtype === undefined && type !== '*')) continue;
    const params: Record<string, string> = {};
    let q = 1;
    for (const p of rest) {
      const eq = p.indexOf('=');
      if (eq < 0) continue;
      const key = p.slice(0, eq).trim();
      if (key === 'q') q = Number(p.slice(eq + 1)) || 0;
      else params[key] = p.slice(eq + 1).trim();
    }
    clauses.push({ type, subtype: subtype ?? '*', params, q });
  }
  const before = (a: AcceptClause, b: AcceptClause) => a.q > b.q || (a.type !== '*' && b.type === '*') || (a.subtype !== '*' && b.subtype === '*');
  return clauses.sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
}

/** The media types responses are written in, the first one being the default. */
const servedMedia: readonly { readonly type: string; readonly subtype: string; readonly media: MediaType }[] = [
  { type: 'application', subtype: 'json', media: 'json' },
  { type: 'application', subtype: 'yaml', media: 'yaml' },
];

/**
 * The conversion a clause's parameters ask for: undefined for none, null when this server cannot
 * answer that clause (Kubernetes' AllowsMediaTypeTransform: only Table, PartialObjectMetadata and
 * PartialObjectMetadataList of meta.k8s.io v1 or v1beta1; `stream` only as `watch`).
 */
function conversionOf(params: Readonly<Record<string, string>>): OutputConversion | undefined | null {
  if (params.stream !== undefined && params.stream !== 'watch') return null;
  const { as: kind, g: group, v: version } = params;
  if (kind === undefined && group === undefined && version === undefined) return undefined;
  if (group !== 'meta.k8s.io' || (version !== 'v1' && version !== 'v1beta1')) return null;
  if (kind !== 'Table' && kind !== 'PartialObjectMetadata' && kind !== 'PartialObjectMetadataList') return null;
  return { kind, version };
}

/**
 * How to answer, from Accept, as Kubernetes' NegotiateMediaTypeOptions decides: the most preferred
 * clause this server can answer wins, with its conversion; 406 when none can be answered.
 */
export function negotiateOutput(req: ApiRequest): NegotiatedOutput {
  const accept = req.headers.accept;
  if (!accept) return jsonOutput;
  let out = negotiated.get(accept);
  if (!out) {
    out = negotiateAccept(accept);
    // Clients send a handful of Accept headers, each on every request: remember them, boundedly.
    if (negotiated.size >= 256) negotiated.clear();
    negotiated.set(accept, out);
  }
  return out;
}

const jsonOutput: NegotiatedOutput = Object.freeze({ media: 'json' });
const negotiated = new Map<string, NegotiatedOutput>();

function negotiateAccept(accept: string): NegotiatedOutput {
  for (const clause of parseAccept(accept)) {
    const served = servedMedia.find((m) => (clause.type === '*' || clause.type === m.type) && (clause.subtype === '*' || clause.subtype === m.subtype));
    if (!served) continue;
    const convert = conversionOf(clause.params);
    if (convert === null) continue;
    return Object.freeze(convert ? { media: served.media, convert: Object.freeze(convert) } : { media: served.media });
  }
  throw status.notAcceptable(`only the following media types are accepted: ${servedMedia.map((m) => `${m.type}/${m.subtype}`).join(', ')}`);
}

/** The media type of the answer, from Accept: JSON unless only YAML is asked for; 406 for nothing servable. */
export function negotiate(req: ApiRequest): MediaType {
  return negotiateOutput(req).media;
}


export function sendObject(res: Response, code: number, obj: unknown, media: MediaType = 'json', warnings: readonly string[] = []): void {
  sendSerialized(res, code, obj, media, warnings, JSON.stringify);
}

/**
 * sendObject for an object as stored (a write's result), which is never mutated: its JSON is made
 * once (by the write itself, storage/storedJson.ts) and shared with the watch events that carry
 * the same object (storage/recentWrites.ts).
 */
export function sendStoredObject(res: Response, code: number, obj: object, media: MediaType = 'json', warnings: readonly string[] = []): void {
  sendSerialized(res, code, obj, media, warnings, storedJson);
}

function sendSerialized<T>(res: Response, code: number, obj: T, media: MediaType, warnings: readonly string[], toJson: (obj: T) => string): void {
  if (res.headersSent) return; // the request already timed out
  for (const w of warnings) res.appendHeader('Warning', `299 - ${JSON.stringify(w)}`);
  const body = media === 'yaml' ? stringifyYaml(obj) : toJson(obj);
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
