/** Reads the options of a request from its query string (and DELETE's body), validating each. */
import type { ApiRequest, Query } from './request';
import * as field from '../../api/field/errors';
import type { FieldError } from '../../api/field/errors';
import type { FieldValidation } from '../../api/kinds/decode';
import { isPlainObject } from '../../api/schema/walk';
import * as status from '../../api/status';
import type { ListParams } from '../registry/list';
import type { WriteOptions } from '../registry/store';
import type { DeleteOptions, PropagationPolicy } from '../registry/strategy';
import type { WatchParams } from '../registry/watch';
import { bodyText, contentTypeOf, parseJson, parseYamlDocument } from './codec';


/** A single string parameter ('' when absent); repeated parameters take the first value. */
export function param(query: Query, name: string): string {
  const value = query[name];
  if (Array.isArray(value)) return typeof value[0] === 'string' ? value[0] : '';
  return typeof value === 'string' ? value : '';
}

/** An integer parameter (undefined when absent); 400 when it is not an integer. */
export function optionalInt(query: Query, name: string): number | undefined {
  const raw = param(query, name);
  if (raw === '') return undefined;
  if (!/^-?\d+$/.test(raw)) throw status.badRequest(`${name}: Invalid value: "${raw}": must be an integer`);
  return Number(raw);
}

/** A boolean parameter: true/1, false/0, undefined when absent; 400 otherwise. */
export function bool(query: Query, name: string): boolean | undefined {
  const raw = param(query, name);
  if (raw === '') return undefined;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw status.badRequest(`${name}: Invalid value: "${raw}": must be true or false`);
}

function dryRun(values: unknown): boolean {
  const list = (Array.isArray(values) ? values : values === undefined || values === '' ? [] : [values]) as unknown[];
  for (const v of list) {
    if (v !== 'All') throw status.badRequest(`dryRun: Unsupported value: ${JSON.stringify(v)}: supported values: "All"`);
  }
  return list.length > 0;
}

const maxFieldManagerBytes = 128;

/** The options of a create, update or patch; the field manager defaults to the User-Agent's product name. */
export function writeOptions(req: Pick<ApiRequest, 'query' | 'headers'>): WriteOptions {
  const query = req.query;
  const validation = param(query, 'fieldValidation') || 'Warn';
  if (!['Strict', 'Warn', 'Ignore'].includes(validation)) {
    throw status.badRequest(`fieldValidation: invalid fieldValidation directive: ${validation} (supported: Strict, Warn, Ignore)`);
  }
  const manager = param(query, 'fieldManager');
  if (manager.length > maxFieldManagerBytes) throw status.badRequest('fieldManager: Too long: must have at most 128 bytes');
  if (/[^\x20-\x7e]/.test(manager)) throw status.badRequest('fieldManager: Invalid value: must only contain printable characters');
  return {
    dryRun: dryRun(query.dryRun),
    fieldValidation: validation as FieldValidation,
    fieldManager: manager || managerFromUserAgent(req.headers['user-agent'] ?? ''),
  };
}

/**
 * Kubernetes' prefixFromUserAgent: the User-Agent up to its first '/' (`kubectl/v1.32.4 (linux)`
 * → `kubectl`), without unprintable characters, cut at 128 bytes.
 */
export function managerFromUserAgent(userAgent: string): string {
  let out = '';
  for (const ch of userAgent.split('/')[0]!) {
    if (!/^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u.test(ch)) continue;
    if (Buffer.byteLength(out + ch) > maxFieldManagerBytes) break;
    out += ch;
  }
  return out;
}

export function listParams(query: Query): ListParams {
  const limit = optionalInt(query, 'limit');
  if (limit !== undefined && limit < 0) throw status.badRequest('limit: Invalid value: must be a non-negative integer');
  const params = {
    labelSelector: param(query, 'labelSelector'),
    fieldSelector: param(query, 'fieldSelector'),
    limit,
    continue: param(query, 'continue') || undefined,
    resourceVersion: param(query, 'resourceVersion'),
    resourceVersionMatch: param(query, 'resourceVersionMatch') || undefined,
  };
  validateListOptions({ ...params, watch: false, sendInitialEvents: bool(query, 'sendInitialEvents') });
  return params;
}

export function watchParams(query: Query): WatchParams & { timeoutSeconds: number | undefined } {
  const timeoutSeconds = optionalInt(query, 'timeoutSeconds');
  if (timeoutSeconds !== undefined && timeoutSeconds < 0) throw status.badRequest('timeoutSeconds: Invalid value: must be non-negative');
  const params = {
    labelSelector: param(query, 'labelSelector'),
    fieldSelector: param(query, 'fieldSelector'),
    resourceVersion: param(query, 'resourceVersion'),
    resourceVersionMatch: param(query, 'resourceVersionMatch') || undefined,
    allowWatchBookmarks: bool(query, 'allowWatchBookmarks') ?? false,
    sendInitialEvents: bool(query, 'sendInitialEvents'),
    timeoutSeconds,
  };
  validateListOptions({ ...params, watch: true, continue: param(query, 'continue') || undefined });
  return params;
}

interface ListOptionsToCheck {
  readonly watch: boolean;
  readonly resourceVersion: string;
  readonly resourceVersionMatch: string | undefined;
  readonly continue: string | undefined;
  readonly sendInitialEvents: boolean | undefined;
}

/** Kubernetes' ValidateListOptions: 422 Invalid on ListOptions, with field causes. */
function validateListOptions(o: ListOptionsToCheck): void {
  const errs: FieldError[] = [];
  const match = o.resourceVersionMatch;
  if (o.watch) {
    if (o.sendInitialEvents !== undefined && match !== 'NotOlderThan') {
      errs.push(field.forbidden('resourceVersionMatch', 'sendInitialEvents requires setting resourceVersionMatch to NotOlderThan'));
    }
    if (match !== undefined) {
      if (o.sendInitialEvents === undefined) errs.push(field.forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided'));
      if (match !== 'NotOlderThan') errs.push(field.notSupported('resourceVersionMatch', match, ['NotOlderThan']));
      if (o.continue) errs.push(field.forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden when continue is provided'));
    }
  } else {
    if (match !== undefined) {
      if (o.resourceVersion === '') errs.push(field.forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden unless resourceVersion is provided'));
      if (o.continue) errs.push(field.forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden when continue is provided'));
      if (match !== 'Exact' && match !== 'NotOlderThan') errs.push(field.notSupported('resourceVersionMatch', match, ['Exact', 'NotOlderThan', '']));
      if (match === 'Exact' && o.resourceVersion === '0') errs.push(field.forbidden('resourceVersionMatch', 'resourceVersionMatch "exact" is forbidden for resourceVersion "0"'));
    }
    if (o.sendInitialEvents !== undefined) errs.push(field.forbidden('sendInitialEvents', 'sendInitialEvents is forbidden for list'));
  }
  if (errs.length) throw status.invalid({ group: 'meta.k8s.io', kind: 'ListOptions' }, '', errs);
}

const policies: readonly PropagationPolicy[] = ['Orphan', 'Background', 'Foreground'];

/**
 * DeleteOptions, as Kubernetes reads them: from the body (JSON or YAML) when there is one,
 * otherwise from the query string.
 */
export function deleteOptions(req: ApiRequest): DeleteOptions {
  const text = bodyText(req);
  let source: Record<string, unknown>;
  if (text.trim() !== '') {
    const parsed = contentTypeOf(req).includes('yaml') ? parseYamlDocument(text) : parseJson(text);
    if (!isPlainObject(parsed)) throw status.badRequest('DeleteOptions must be a JSON object');
    if (parsed.kind !== undefined && parsed.kind !== 'DeleteOptions') {
      throw status.badRequest(`the kind in the data (${String(parsed.kind)}) does not match the expected kind (DeleteOptions)`);
    }
    source = parsed;
  } else {
    const query = req.query;
    source = {
      gracePeriodSeconds: optionalInt(query, 'gracePeriodSeconds'),
      propagationPolicy: param(query, 'propagationPolicy') || undefined,
      orphanDependents: bool(query, 'orphanDependents'),
      dryRun: query.dryRun,
    };
  }
  return deleteOptionsFrom(source);
}

/** DeleteOptions from their JSON form (a DELETE body, or an Eviction's deleteOptions), validated. */
export function deleteOptionsFrom(source: Record<string, unknown>): DeleteOptions {
  const grace = source.gracePeriodSeconds;
  if (grace !== undefined && (typeof grace !== 'number' || !Number.isInteger(grace))) throw status.badRequest('gracePeriodSeconds must be an integer');
  const policy = source.propagationPolicy;
  const orphan = source.orphanDependents;
  if (policy !== undefined && !policies.includes(policy as PropagationPolicy)) {
    throw status.invalid({ group: 'meta.k8s.io', kind: 'DeleteOptions' }, '', [
      { type: 'FieldValueNotSupported', field: 'propagationPolicy', badValue: policy, detail: 'supported values: "Orphan", "Background", "Foreground"' },
    ]);
  }
  if (policy !== undefined && orphan !== undefined) {
    throw status.invalid({ group: 'meta.k8s.io', kind: 'DeleteOptions' }, '', [
      { type: 'FieldValueInvalid', field: 'orphanDependents', badValue: orphan, detail: 'orphanDependents and deletionPropagation cannot be both set' },
    ]);
  }
  const pre = isPlainObject(source.preconditions) ? source.preconditions : {};
  return {
    // Negative grace periods pass through: the kind decides what they mean (pods: 1 second).
    ...(grace !== undefined ? { gracePeriodSeconds: grace } : {}),
    ...(policy !== undefined ? { propagationPolicy: policy as PropagationPolicy } : orphan !== undefined ? { propagationPolicy: orphan ? 'Orphan' : 'Background' } : {}),
    preconditions: {
      ...(typeof pre.uid === 'string' ? { uid: pre.uid } : {}),
      ...(typeof pre.resourceVersion === 'string' ? { resourceVersion: pre.resourceVersion } : {}),
    },
    dryRun: dryRun(source.dryRun),
  };
}

/** A Go duration such as "32s", "1m30s" or "250ms", in milliseconds (kubectl's ?timeout=). */
export function parseDuration(text: string): number | undefined {
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
  let total = 0;
  let consumed = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    total += Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
    consumed += m[0].length;
  }
  return consumed === text.length && consumed > 0 ? total : undefined;
}
