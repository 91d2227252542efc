/**
 * metadata.managedFields as Kubernetes encodes it, and the map of managers it stands for. A
 * manager is identified as Kubernetes' BuildManagerIdentifier does: by name, operation and
 * subresource, plus the apiVersion for Update (an applier keeps one entry whatever version it
 * applies with).
 */
import type { ManagedFieldsEntry } from '../kinds/meta';
import { isPlainObject } from '../schema/walk';
import { FieldSet } from './fieldSet';
import { PathElementError } from './pathElement';

export type Operation = 'Apply' | 'Update';

/** Who makes a write: the manager's name, the operation, and where it writes. */
export interface ManagerIdentity {
  readonly manager: string;
  readonly operation: Operation;
  /** The apiVersion of the object as written, e.g. apps/v1. */
  readonly apiVersion: string;
  /** '' for the main resource, else `status`, `scale`... */
  readonly subresource: string;
}

export interface ManagerEntry extends ManagerIdentity {
  readonly set: FieldSet;
  /** RFC 3339, when the manager last changed the object. */
  readonly time?: string;
}

/** Managers by identifier (see managerId). */
export type Managers = Map<string, ManagerEntry>;

export class ManagedFieldsError extends Error {}

/**
 * The JSON of an object holding the manager's name, operation, apiVersion (Update only) and
 * subresource, the empty ones left out. Written field by field: it is computed for every entry of
 * every write, and JSON.stringify of an object of strings is exactly these pieces joined.
 */
export function managerId(who: Omit<ManagerIdentity, 'apiVersion'> & { readonly apiVersion?: string }): string {
  let id = '{';
  if (who.manager) id += `"manager":${quoted(who.manager)},`;
  id += `"operation":${quoted(who.operation)}`;
  if (who.operation === 'Update' && who.apiVersion) id += `,"apiVersion":${quoted(who.apiVersion)}`;
  if (who.subresource) id += `,"subresource":${quoted(who.subresource)}`;
  return `${id}}`;
}

/**
 * JSON.stringify of a string, remembered: the managers, apiVersions and subresources of a cluster
 * are a few strings written over and over. Cleared when full, whatever names clients send.
 */
function quoted(text: string): string {
  let json = quotedStrings.get(text);
  if (json === undefined) {
    if (quotedStrings.size >= maxQuotedStrings) quotedStrings.clear();
    json = JSON.stringify(text);
    quotedStrings.set(text, json);
  }
  return json;
}

const quotedStrings = new Map<string, string>();
const maxQuotedStrings = 1024;

/**
 * Reads metadata.managedFields; throws ManagedFieldsError when an entry is malformed (the caller
 * then falls back to the stored entries, as Kubernetes does). Absent means no managers.
 */
export function decodeManagedFields(entries: unknown): Managers {
  const managers: Managers = new Map();
  if (entries === undefined || entries === null) return managers;
  if (!Array.isArray(entries)) throw new ManagedFieldsError('managedFields must be a list');
  entries.forEach((entry: unknown, i) => {
    if (!isPlainObject(entry)) throw new ManagedFieldsError(`managed fields entry ${i} must be an object`);
    const { manager = '', operation, apiVersion, subresource = '', fieldsType, fieldsV1, time } = entry;
    if (operation !== 'Apply' && operation !== 'Update') throw new ManagedFieldsError('operation must be `Apply` or `Update`');
    if (typeof apiVersion !== 'string' || apiVersion === '') throw new ManagedFieldsError('apiVersion must not be empty');
    if (fieldsType === undefined || fieldsType === '') throw new ManagedFieldsError(`missing fieldsType in managed fields entry ${i}`);
    if (fieldsType !== 'FieldsV1') throw new ManagedFieldsError(`invalid fieldsType ${JSON.stringify(fieldsType)} in managed fields entry ${i}`);
    if (typeof manager !== 'string' || typeof subresource !== 'string') throw new ManagedFieldsError(`invalid managed fields entry ${i}`);
    let set: FieldSet;
    try {
      set = FieldSet.fromJSON(fieldsV1);
    } catch (err) {
      if (err instanceof PathElementError) throw new ManagedFieldsError(`error decoding versioned set of entry ${i}: ${err.message}`);
      throw err;
    }
    const m: ManagerEntry =
      typeof time === 'string' ? { manager, operation, apiVersion, subresource, set, time } : { manager, operation, apiVersion, subresource, set };
    managers.set(managerId(m), m);
  });
  return managers;
}

/**
 * metadata.managedFields for these managers: one entry each (empty sets dropped), Apply entries
 * first, then by time, manager, apiVersion and subresource; undefined when there are none.
 */
export function encodeManagedFields(managers: Managers): ManagedFieldsEntry[] | undefined {
  const entries: ManagedFieldsEntry[] = [];
  for (const m of managers.values()) {
    if (m.set.empty) continue;
    // Assigned in ManagedFieldsEntry's order (clients see the keys in it), the empty ones left out.
    const entry: ManagedFieldsEntry = {};
    if (m.manager) entry.manager = m.manager;
    entry.operation = m.operation;
    entry.apiVersion = m.apiVersion;
    if (m.time) entry.time = m.time;
    entry.fieldsType = 'FieldsV1';
    entry.fieldsV1 = m.set.toJSON();
    if (m.subresource) entry.subresource = m.subresource;
    entries.push(entry);
  }
  if (entries.length === 0) return undefined;
  return entries.sort(
    (p, q) =>
      compare(p.operation, q.operation) ||
      seconds(p.time) - seconds(q.time) ||
      compare(p.manager, q.manager) ||
      compare(p.apiVersion, q.apiVersion) ||
      compare(p.subresource, q.subresource),
  );
}

/** How conflict messages name a manager: `"kubectl"`, `"x" with subresource "status"`, `"y" using apps/v1`. */
export function printManager(who: ManagerIdentity): string {
  let text = JSON.stringify(who.manager);
  if (who.subresource) text += ` with subresource ${JSON.stringify(who.subresource)}`;
  if (who.operation === 'Update') text += ` using ${who.apiVersion}`;
  return text;
}

/** Kubernetes' cap on Update entries; older ones are merged into one per apiVersion. */
export const maxUpdateManagers = 10;
export const ancientChangesManager = 'ancient-changes';

/**
 * Keeps at most `max` Update managers by merging the oldest into an `ancient-changes` entry per
 * apiVersion (Kubernetes' capManagersManager), so objects written by many clients stay small.
 */
export function capUpdateManagers(managers: Managers, max: number = maxUpdateManagers): Managers {
  const updaters = [...managers.entries()].filter(([, m]) => m.operation === 'Update');
  if (updaters.length <= max) return managers;
  updaters.sort(([ia, a], [ib, b]) => seconds(a.time) - seconds(b.time) || compare(ia, ib));
  const out: Managers = new Map(managers);
  const firstOfVersion = new Map<string, string>();
  let count = updaters.length;
  for (const [id, m] of updaters) {
    if (count <= max) break;
    const bucket = managerId({ manager: ancientChangesManager, operation: 'Update', apiVersion: m.apiVersion, subresource: '' });
    const first = firstOfVersion.get(m.apiVersion);
    if (first === undefined) {
      firstOfVersion.set(m.apiVersion, id);
      continue;
    }
    const held = out.get(bucket) ?? out.get(first)!;
    out.delete(first);
    out.delete(id);
    out.set(bucket, {
      manager: ancientChangesManager,
      operation: 'Update',
      apiVersion: m.apiVersion,
      subresource: '',
      set: held.set.union(m.set),
      ...(m.time ? { time: m.time } : {}),
    });
    firstOfVersion.set(m.apiVersion, bucket);
    count--;
  }
  return out;
}

function compare(a: string | undefined, b: string | undefined): number {
  const x = a ?? '';
  const y = b ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
}

function seconds(time: string | undefined): number {
  const ms = time ? Date.parse(time) : NaN;
  return Number.isNaN(ms) ? 0 : Math.floor(ms / 1000);
}
