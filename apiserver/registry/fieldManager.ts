/**
 * metadata.managedFields for the generic store: every create, update, patch and subresource write
 * records who owns which fields (operation Update), and server-side apply merges through it
 * (operation Apply). The pure ownership logic is api/managedFields; this file knows what the
 * REST layer adds: which part of the object each endpoint may own, the client-sent entries, and
 * the Status errors.
 */
import { apiVersionOf, type KubeObject, type ResourceKind, type Stored } from '../../api/kinds/kind';
import type { ManagedFieldsEntry, ObjectMeta } from '../../api/kinds/meta';
import { FieldSet } from '../../api/managedFields/fieldSet';
import { decodeManagedFields, encodeManagedFields, ManagedFieldsError, printManager, type Managers } from '../../api/managedFields/managers';
import { fieldElement, pathString, PathElementError, type FieldPath } from '../../api/managedFields/pathElement';
import { shapeOf } from '../../api/managedFields/shape';
import { fieldsAsLastApplied, kubectlManager, updateLastApplied } from '../../api/managedFields/lastApplied';
import { applyConfiguration, ApplyConflictError, recordUpdate, wholeObject, type ApplyResult, type Scope } from '../../api/managedFields/updater';
import * as status from '../../api/status';
import type { Subresource } from './store';
import { timestamp } from './systemFields';

/**
 * The part of an object a write through `subresource` changes, and so may own (Kubernetes' reset
 * fields): all but status on the main resource of a kind with a status subresource, only status
 * on /status, only the replicas on /scale, only spec.finalizers on namespaces/finalize.
 * Undefined for writes that Kubernetes does not track (pods/binding).
 */
export function writeScope(kind: ResourceKind, subresource: Subresource): Scope | undefined {
  const statusPath = FieldSet.of([fieldElement('status')]);
  switch (subresource) {
    case undefined:
      return kind.subresources.status ? (set) => set.recursiveDifference(statusPath) : wholeObject;
    case 'status':
      return (set) => set.within(statusPath);
    case 'scale': {
      const replicas = kind.subresources.scale ? FieldSet.of(jsonPath(kind.subresources.scale.specReplicasPath)) : new FieldSet();
      return (set) => set.within(replicas);
    }
    case 'finalize':
      return (set) => set.within(FieldSet.of([fieldElement('spec'), fieldElement('finalizers')]));
    default:
      return undefined;
  }
}

/**
 * Sets `next.metadata.managedFields` for an Update by `manager` from `current` (undefined for a
 * create) to `next`.
 */
export function recordManagedFields(kind: ResourceKind, subresource: Subresource, current: Stored | undefined, next: KubeObject, manager: string): void {
  const scope = writeScope(kind, subresource);
  const meta = (next.metadata ??= {});
  if (!scope) {
    setManagedFields(meta, current?.metadata.managedFields);
    return;
  }
  const ctx = {
    schema: kind.schema,
    live: current ? withoutManagedFields(current) : emptyObject(kind),
    managers: managersOf(current, next, subresource !== undefined),
    scope,
    time: timestamp(),
  };
  const managers = recordUpdate(
    ctx,
    withoutManagedFields(next),
    { manager, apiVersion: apiVersionOf(kind), subresource: subresource ?? '' },
  );
  setManagedFields(meta, encodeManagedFields(managers));
}

export interface ApplyOptions {
  readonly manager: string;
  readonly force: boolean;
  readonly subresource: Subresource;
}

/**
 * Server-side apply of `config` onto `current` (undefined: the object is created): the merged
 * object with its managedFields, and whether the object itself changes. Throws 409 Conflict
 * naming each field another manager owns, or 400 when the configuration cannot be typed.
 */
export function applyToObject(kind: ResourceKind, current: Stored | undefined, config: KubeObject, options: ApplyOptions): { object: KubeObject; changed: boolean } {
  const ctx = {
    schema: kind.schema,
    live: current ? withoutManagedFields(current) : {},
    managers: current ? storedManagers(current) : new Map(),
    scope: writeScope(kind, options.subresource) ?? wholeObject,
    time: timestamp(),
  };
  const who = { manager: options.manager, apiVersion: apiVersionOf(kind), subresource: options.subresource ?? '' };
  const run = (force: boolean) => applyConfiguration(ctx, config, who, force);
  try {
    let result: ApplyResult;
    try {
      result = run(options.force);
    } catch (err) {
      // kubectl taking over from its client-side apply: what the annotation says it applied is its own.
      const asLastApplied = current && options.manager === kubectlManager ? fieldsAsLastApplied(kind.schema, current) : undefined;
      if (!(err instanceof ApplyConflictError) || !asLastApplied) throw err;
      const remaining = err.conflicts.filter((c) => !asLastApplied.has(c.path));
      if (remaining.length > 0) throw new ApplyConflictError(remaining);
      result = run(true);
    }
    const object = result.object as KubeObject;
    if (options.manager === kubectlManager) updateLastApplied(object, config);
    setManagedFields((object.metadata ??= {}), encodeManagedFields(result.managers));
    return { object, changed: result.changed };
  } catch (err) {
    if (err instanceof ApplyConflictError) throw conflictStatus(err);
    if (err instanceof PathElementError) throw status.badRequest(`failed to create typed patch object (${describe(kind, config)}): ${err.message}`);
    throw err;
  }
}

/** `default/web; apps/v1, Kind=Deployment`, as Kubernetes names an applied object in errors. */
export function describe(kind: ResourceKind, obj: KubeObject): string {
  const gvk = `${kind.group}/${kind.version}, Kind=${kind.kind}`;
  return `${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''}; ${gvk}`;
}

/** 409 as Kubernetes' NewConflictError: one cause per field, the managers named in the message. */
function conflictStatus(err: ApplyConflictError): status.StatusError {
  const conflicts = [...err.conflicts].sort((a, b) => cmp(printManager(a.manager), printManager(b.manager)) || cmp(pathString(a.path), pathString(b.path)));
  const causes = conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with ${printManager(c.manager)}`, field: pathString(c.path) }));
  let message: string;
  if (conflicts.length === 1) {
    message = `Apply failed with 1 conflict: conflict with ${printManager(conflicts[0]!.manager)}: ${pathString(conflicts[0]!.path)}`;
  } else {
    const lines: string[] = [];
    let last = '';
    for (const c of conflicts) {
      const manager = printManager(c.manager);
      if (manager !== last) lines.push(`conflicts with ${manager}:`);
      last = manager;
      lines.push(`- ${pathString(c.path)}`);
    }
    message = `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
  }
  return new status.StatusError(409, 'Conflict', message, { causes });
}

/**
 * The managers a write starts from, as Kubernetes' decodeLiveOrNew: a subresource write always
 * takes the stored entries; a main-resource write takes the entries the client sent, unless it
 * sent none or invalid ones (then the stored ones); an explicit empty list resets them.
 */
function managersOf(current: Stored | undefined, next: KubeObject, subresource: boolean): Managers {
  const stored = () => (current ? storedManagers(current) : new Map());
  if (subresource) return stored();
  const sent: unknown = next.metadata?.managedFields;
  if (Array.isArray(sent) && (sent.length === 0 || (sent.length === 1 && isEmptyEntry(sent[0])))) return new Map();
  try {
    const managers = decodeManagedFields(sent);
    return managers.size > 0 ? managers : stored();
  } catch (err) {
    if (err instanceof ManagedFieldsError) return stored();
    throw err;
  }
}

function storedManagers(obj: Stored): Managers {
  try {
    return decodeManagedFields(obj.metadata.managedFields);
  } catch (err) {
    if (err instanceof ManagedFieldsError) return new Map();
    throw err;
  }
}

function isEmptyEntry(entry: unknown): boolean {
  return typeof entry === 'object' && entry !== null && Object.values(entry).every((v) => v === undefined);
}

/**
 * What a create compares against: an object of the kind with nothing set, whose top-level
 * objects (metadata, spec, status) exist empty as they do in Kubernetes' typed objects, so that
 * a creator owns spec's fields rather than spec itself.
 */
function emptyObject(kind: ResourceKind): KubeObject {
  const shape = shapeOf(kind.schema);
  const obj: KubeObject = {};
  if (shape.kind === 'struct') {
    for (const [name, schema] of Object.entries(shape.fields)) if (shapeOf(schema).kind === 'struct') obj[name] = {};
  }
  return obj;
}

function withoutManagedFields(obj: KubeObject): KubeObject {
  if (obj.metadata?.managedFields === undefined) return obj;
  const { managedFields: _ignored, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}

function setManagedFields(meta: ObjectMeta, entries: ManagedFieldsEntry[] | undefined): void {
  if (entries === undefined) delete meta.managedFields;
  else meta.managedFields = entries;
}

/** `.spec.replicas` as a field path. */
function jsonPath(path: string): FieldPath {
  return path.split('.').filter(Boolean).map(fieldElement);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
