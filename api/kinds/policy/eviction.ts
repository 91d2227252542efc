/**
 * policy/v1 Eviction: the body POSTed to a pod's `eviction` subresource, asking for the pod to be
 * deleted as its disruption budget allows. It is not stored, so its kind exists only to decode
 * and validate request bodies (as autoscaling/v1 Scale). policy/v1beta1 Evictions have the same
 * fields and are accepted too, as Kubernetes does. meta/v1 DeleteOptions, which an Eviction
 * carries, is defined here as well.
 */
import * as s from '../../schema/schema';
import { isPlainObject } from '../../schema/walk';
import { defineKind } from '../kind';
import { objectMetaField, typeMeta } from '../meta';

export const Preconditions = s.object('io.k8s.apimachinery.pkg.apis.meta.v1.Preconditions', 'Preconditions must be fulfilled before an operation (update, delete, etc.) is carried out.', {
  resourceVersion: s.string('Specifies the target ResourceVersion'),
  uid: s.string('Specifies the target UID.'),
});
export type Preconditions = s.Static<typeof Preconditions>;

export const DeleteOptions = s.object(
  'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions',
  'DeleteOptions may be provided when deleting an API object.',
  {
    apiVersion: typeMeta().apiVersion,
    dryRun: s.array(
      s.string(),
      'When present, indicates that modifications should not be persisted. An invalid or unrecognized dryRun directive will result in an error response and no further processing of the request. Valid values are: - All: all dry run stages will be processed',
      { listType: 'atomic' },
    ),
    gracePeriodSeconds: s.int64(
      'The duration in seconds before the object should be deleted. Value must be non-negative integer. The value zero indicates delete immediately. If this value is nil, the default grace period for the specified type will be used. Defaults to a per object value if not specified. zero means delete immediately.',
    ),
    ignoreStoreReadErrorWithClusterBreakingPotential: s.boolean(
      'if set to true, it will trigger an unsafe deletion of the resource in case the normal deletion flow fails with a corrupt object error. The default value is false, and the user must opt in to enable it',
    ),
    kind: typeMeta().kind,
    orphanDependents: s.boolean(
      'Deprecated: please use the PropagationPolicy, this field will be deprecated in 1.7. Should the dependent objects be orphaned. If true/false, the "orphan" finalizer will be added to/removed from the object\'s finalizers list. Either this field or PropagationPolicy may be set, but not both.',
    ),
    preconditions: Preconditions.doc('Must be fulfilled before a deletion is carried out. If not possible, a 409 Conflict status will be returned.'),
    propagationPolicy: s.string(
      "Whether and how garbage collection will be performed. Either this field or OrphanDependents may be set, but not both. The default policy is decided by the existing finalizer set in the metadata.finalizers and the resource-specific default policy. Acceptable values are: 'Orphan' - orphan the dependents; 'Background' - allow the garbage collector to delete the dependents in the background; 'Foreground' - a cascading policy that deletes all dependents in the foreground.",
    ),
  },
  { gvk: [{ group: '', version: 'v1', kind: 'DeleteOptions' }] },
);
export type DeleteOptions = s.Static<typeof DeleteOptions>;

export const Eviction = s.object(
  'io.k8s.api.policy.v1.Eviction',
  'Eviction evicts a pod from its node subject to certain policies and safety constraints. This is a subresource of Pod.  A request to cause such an eviction is created by POSTing to .../pods/<pod name>/evictions.',
  {
    apiVersion: typeMeta().apiVersion,
    deleteOptions: DeleteOptions.doc('DeleteOptions may be provided'),
    kind: typeMeta().kind,
    metadata: objectMetaField.doc('ObjectMeta describes the pod that is being evicted.'),
  },
  { gvk: [{ group: 'policy', version: 'v1', kind: 'Eviction' }] },
);
export type Eviction = s.Static<typeof Eviction>;

/** policy/v1 Eviction as a kind, to decode and validate eviction bodies (never stored). */
export const evictionKind = defineKind<Eviction>({
  group: 'policy',
  version: 'v1',
  kind: 'Eviction',
  listKind: 'EvictionList',
  plural: 'evictions',
  singular: 'eviction',
  shortNames: [],
  categories: [],
  namespaced: true,
  schema: Eviction,
  subresources: {},
});

/**
 * A policy/v1beta1 Eviction read as the policy/v1 one it equals (the fields are the same); any
 * other body is returned unchanged, for the decoder to judge.
 */
export function asV1Eviction(body: unknown): unknown {
  if (!isPlainObject(body) || body.apiVersion !== 'policy/v1beta1') return body;
  return { ...body, apiVersion: 'policy/v1' };
}
