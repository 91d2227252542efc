/**
 * Field ownership through writes, as structured-merge-diff's Updater:
 *   - an update (create, update, patch) gives its manager the fields it added or changed, taken
 *     from whoever owned them; fields it removed leave every owner;
 *   - an apply merges the configuration into the live object, removes what the same manager
 *     applied last time but no longer applies (unless another manager owns it), and fails with a
 *     conflict when it would change a field another manager owns, unless forced, which takes it.
 * Both see the write through a scope: the part of the object the endpoint may change (a status
 * write owns only status). The server's own fields (name, uid, resourceVersion...) are never owned.
 */
import { cloneJson } from '../util/cloneJson';
import type { Schema } from '../schema/schema';
import { compareObjects, filterComparison, isSame, type Comparison } from './compare';
import { FieldSet } from './fieldSet';
import { capUpdateManagers, managerId, type ManagerEntry, type ManagerIdentity, type Managers } from './managers';
import { mergeValues, removeItems } from './merge';
import { fieldElement, type FieldPath } from './pathElement';
import { toFieldSet, withNamedFieldsAsMembers } from './toFieldSet';

/** Restricts a set of fields to what a write may own (e.g. only status for /status). */
export type Scope = (set: FieldSet) => FieldSet;

export const wholeObject: Scope = (set) => set;

const f = fieldElement;
/** Fields the server sets, which no manager owns (Kubernetes' stripMetaManager). */
const serverFields = FieldSet.of(
  [f('apiVersion')],
  [f('kind')],
  [f('metadata')],
  ...['name', 'namespace', 'creationTimestamp', 'selfLink', 'uid', 'clusterName', 'generation', 'managedFields', 'resourceVersion'].map(
    (name): FieldPath => [f('metadata'), f(name)],
  ),
);

export interface WriteContext {
  readonly schema: Schema;
  /** The stored object; `{}` for a create. */
  readonly live: unknown;
  readonly managers: Managers;
  readonly scope: Scope;
  /** RFC 3339 time of the write. */
  readonly time: string;
}

/** The managers after an update by `who` (operation Update) that turned `live` into `next`. */
export function recordUpdate(ctx: WriteContext, next: unknown, who: Omit<ManagerIdentity, 'operation'>): Managers {
  const compare = changes(ctx, next);
  const taken = compare.modified.union(compare.added).difference(serverFields);
  const managers: Managers = new Map();
  for (const [id, m] of ctx.managers) managers.set(id, withSet(m, m.set.difference(taken).difference(compare.removed)));
  if (!taken.empty) {
    const identity = { manager: who.manager, apiVersion: who.apiVersion, subresource: who.subresource, operation: 'Update' } as const;
    const id = managerId(identity);
    const previous = managers.get(id);
    managers.set(id, entry(identity, (previous?.set ?? new FieldSet()).union(taken), ctx.time));
  }
  return capUpdateManagers(dropEmpty(managers));
}

export interface ApplyResult {
  /** The merged object (before defaulting). */
  readonly object: unknown;
  readonly managers: Managers;
  /** False when the apply changes nothing in the object (its managers may still change). */
  readonly changed: boolean;
}

/** One field another manager owns that an apply would change. */
export interface Conflict {
  readonly manager: ManagerIdentity;
  readonly path: FieldPath;
}

export class ApplyConflictError extends Error {
  constructor(readonly conflicts: readonly Conflict[]) {
    super(`Apply failed with ${conflicts.length} conflict${conflicts.length === 1 ? '' : 's'}`);
  }
}

/**
 * Applies `config` (a partial object of the same kind) for `who`. Throws ApplyConflictError when
 * not forced and another manager owns a field the apply changes; PathElementError when the
 * configuration holds list items it cannot identify.
 */
export function applyConfiguration(ctx: WriteContext, config: unknown, who: Omit<ManagerIdentity, 'operation'>, force: boolean): ApplyResult {
  const identity = { manager: who.manager, apiVersion: who.apiVersion, subresource: who.subresource, operation: 'Apply' } as const;
  const id = managerId(identity);
  const applied = ctx.scope(toFieldSet(ctx.schema, config, { strict: true })).difference(serverFields);
  let merged = mergeValues(ctx.schema, cloneJson(ctx.live), cloneJson(config));
  const previous = ctx.managers.get(id);
  const managers: Managers = new Map(ctx.managers);
  managers.set(id, entry(identity, applied, previous?.time ? previous.time : undefined));
  if (previous && !previous.set.empty) merged = prune(ctx.schema, merged, managers, previous.set);

  const compare = changes(ctx, merged);
  const taken = compare.modified.union(compare.added);
  const conflicts: Conflict[] = [];
  for (const [otherId, m] of managers) {
    if (otherId === id) continue;
    for (const path of m.set.intersection(taken).paths()) conflicts.push({ manager: m, path });
  }
  if (conflicts.length > 0 && !force) throw new ApplyConflictError(conflicts);
  for (const [otherId, m] of managers) {
    if (otherId !== id) managers.set(otherId, withSet(m, m.set.difference(taken).difference(compare.removed)));
  }
  const changed = !isSame(compare);
  // As in Kubernetes, the time says when the manager last changed the object: an apply that
  // only takes (shared) ownership leaves it, and a new entry then has none.
  if (changed) managers.set(id, entry(identity, applied, ctx.time));
  return { object: merged, managers: dropEmpty(managers), changed };
}

/** What the write changes, within its scope. */
function changes(ctx: WriteContext, next: unknown): Comparison {
  return filterComparison(compareObjects(ctx.schema, ctx.live, next), ctx.scope);
}

/**
 * Removes from `merged` what the applier owned before (`lastSet`) and no manager owns now
 * (structured-merge-diff's prune: remove, add back owned items, add back dangling items).
 */
function prune(schema: Schema, merged: unknown, managers: Managers, lastSet: FieldSet): unknown {
  const members = (set: FieldSet) => withNamedFieldsAsMembers(schema, set);
  const fieldsOf = (value: unknown) => members(toFieldSet(schema, value));
  const last = members(lastSet);
  const owned = members([...managers.values()].reduce((all, m) => all.union(m.set), new FieldSet()));
  const mergedSet = fieldsOf(merged);
  const without = (set: FieldSet) => removeItems(schema, merged, set) ?? {};
  let pruned = without(last);
  pruned = without(mergedSet.difference(fieldsOf(pruned).union(owned)));
  return without(mergedSet.difference(fieldsOf(pruned)).intersection(last));
}

/** The entry with this set; the entry itself when the set is its own (entries are never changed in place). */
function withSet(m: ManagerEntry, set: FieldSet): ManagerEntry {
  return set === m.set ? m : entry(m, set, m.time);
}

/**
 * A manager's entry, written out field by field: object spread (`{ ...who, set }`) measured as
 * the costliest line of recordUpdate. No `time` key when there is no time.
 */
function entry(who: ManagerIdentity, set: FieldSet, time: string | undefined): ManagerEntry {
  const { manager, operation, apiVersion, subresource } = who;
  return time === undefined ? { manager, operation, apiVersion, subresource, set } : { manager, operation, apiVersion, subresource, set, time };
}

function dropEmpty(managers: Managers): Managers {
  for (const [id, m] of managers) if (m.set.empty) managers.delete(id);
  return managers;
}
