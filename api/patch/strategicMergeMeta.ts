/**
 * What a strategic merge patch learns from the schema about one field: Kubernetes reads it from
 * the Go struct tags (`patchStrategy:"merge,retainKeys" patchMergeKey:"name"`); Marina's kinds
 * carry the same in SchemaMeta (patchStrategy, patchMergeKey) at the field's use. As in
 * strategicpatch's PatchMetaFromStruct: fields of a map type have no strategy; an unknown field of
 * a struct is an error, but only reached when the stored object has the field too (or for a
 * `$setElementOrder` directive).
 *
 * Where the schema says nothing (an `any` node: RawExtension, JSON, preserved unknown fields)
 * the value merges without strategies: objects merge, lists are replaced. Kubernetes errors on a
 * nested object or list present on both sides there (RawExtension has no json fields); Marina
 * merges them as a JSON merge patch would.
 */
import type { Schema, SchemaMeta } from '../schema/schema';
import { mergeFailure } from './strategicMergeErrors';
import { hasOwn } from './ownMembers';

/** How one field patches. */
export interface PatchMeta {
  /**
   * The schema of the field's value, or for lookupForSlice of the list's elements; undefined
   * where nothing is known.
   */
  readonly schema: Schema | undefined;
  /** "merge", "replace" or "" (none: objects merge, lists are replaced); "retainKeys" is left out. */
  readonly strategy: string;
  /** The key identifying elements of a merging list of objects; "" for lists of primitives. */
  readonly mergeKey: string;
}

const nothingKnown: PatchMeta = { schema: undefined, strategy: '', mergeKey: '' };

/** The field `key` of an object described by `parent` (LookupPatchMetadataForStruct). */
export function lookupForMap(parent: Schema | undefined, key: string): PatchMeta {
  const field = fieldOf(parent, key);
  if (!field) return nothingKnown;
  return { schema: field.schema, ...strategyOf(field.meta) };
}

/** The list field `key` of an object described by `parent`, with its elements' schema (LookupPatchMetadataForSlice). */
export function lookupForSlice(parent: Schema | undefined, key: string): PatchMeta {
  const field = fieldOf(parent, key);
  if (!field) return nothingKnown;
  const node = field.schema.resolved().node;
  if (node.type === 'any') return nothingKnown;
  if (node.type !== 'array') {
    throw mergeFailure(`expected slice or array type, but got: ${parent?.resolved().node.type === 'map' ? 'map' : 'struct'}`);
  }
  return { schema: node.items, ...strategyOf(field.meta) };
}

interface Field {
  readonly schema: Schema;
  /** The metadata at the field's use over that of the type it refers to. */
  readonly meta: SchemaMeta;
}

function fieldOf(parent: Schema | undefined, key: string): Field | undefined {
  if (!parent) return undefined;
  const node = parent.resolved().node;
  switch (node.type) {
    case 'object': {
      if (hasOwn(node.properties, key)) {
        const schema = node.properties[key]!;
        return { schema, meta: { ...schema.resolved().meta, ...schema.meta } };
      }
      if (node.preserveUnknownFields) return undefined;
      const struct = node.name?.split('.').pop() ?? 'struct';
      throw mergeFailure(`unable to find api field in struct ${struct} for the json field "${key}"`);
    }
    // Values of a map have no tags of their own.
    case 'map':
      return { schema: node.values, meta: {} };
    // `any`; or an object where the schema has a scalar, which no stored object has.
    default:
      return undefined;
  }
}

/** extractRetainKeysPatchStrategy: the strategy besides retainKeys (which the patch carries as $retainKeys). */
function strategyOf(meta: SchemaMeta): Pick<PatchMeta, 'strategy' | 'mergeKey'> {
  const strategies = meta.patchStrategy ? meta.patchStrategy.split(',') : [];
  const others = strategies.filter((s) => s !== 'retainKeys');
  if (others.length > 1 || strategies.length > 2) throw mergeFailure(`unexpected patch strategy: [${strategies.join(' ')}]`);
  return { strategy: others[0] ?? '', mergeKey: meta.patchMergeKey ?? '' };
}
