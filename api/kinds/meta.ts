/**
 * meta.k8s.io/v1 types shared by every kind: ObjectMeta, ListMeta, OwnerReference, LabelSelector,
 * Condition, ManagedFieldsEntry. Field names, types and merge semantics follow Kubernetes v1.32.
 */
import * as s from '../schema/schema';

export const Time = s.time;

export const OwnerReference = s.object(
  'io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference',
  'OwnerReference contains enough information to let you identify an owning object. An owning object must be in the same namespace as the dependent, or be cluster-scoped, so there is no namespace field.',
  {
    apiVersion: s.string('API version of the referent.'),
    kind: s.string('Kind of the referent.'),
    name: s.string('Name of the referent.'),
    uid: s.string('UID of the referent.'),
    controller: s.boolean('If true, this reference points to the managing controller.'),
    blockOwnerDeletion: s.boolean(
      'If true, AND if the owner has the "foregroundDeletion" finalizer, then the owner cannot be deleted from the key-value store until this reference is removed.',
    ),
  },
  { required: ['apiVersion', 'kind', 'name', 'uid'] },
);
export type OwnerReference = s.Static<typeof OwnerReference>;

export const ManagedFieldsEntry = s.object(
  'io.k8s.apimachinery.pkg.apis.meta.v1.ManagedFieldsEntry',
  'ManagedFieldsEntry is a workflow-id, a FieldSet and the group version of the resource that the fieldset applies to.',
  {
    apiVersion: s.string('APIVersion defines the version of this resource that this field set applies to.'),
    fieldsType: s.string('FieldsType is the discriminator for the different fields format and version. There is currently only one possible value: "FieldsV1"'),
    fieldsV1: s.any('FieldsV1 holds the first JSON version format as described in the "FieldsV1" type.'),
    manager: s.string('Manager is an identifier of the workflow managing these fields.'),
    operation: s.string('Operation is the type of operation which lead to this ManagedFieldsEntry being created. The only valid values for this field are \'Apply\' and \'Update\'.'),
    subresource: s.string('Subresource is the name of the subresource used to update that object, or empty string if the object was updated through the main resource.'),
    time: s.time('Time is the timestamp of when the ManagedFields entry was added.'),
  },
);
export type ManagedFieldsEntry = s.Static<typeof ManagedFieldsEntry>;

export const ObjectMeta = s.object(
  'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
  'ObjectMeta is metadata that all persisted resources must have, which includes all objects users must create.',
  {
    annotations: s.map(s.string(), 'Annotations is an unstructured key value map stored with a resource that may be set by external tools to store and retrieve arbitrary metadata.'),
    creationTimestamp: s.time('CreationTimestamp is a timestamp representing the server time when this object was created. Populated by the system. Read-only.'),
    deletionGracePeriodSeconds: s.int64('Number of seconds allowed for this object to gracefully terminate before it will be removed from the system. Only set when deletionTimestamp is also set. Read-only.'),
    deletionTimestamp: s.time('DeletionTimestamp is RFC 3339 date and time at which this resource will be deleted. Set by the server when a graceful deletion is requested by the user. Read-only.'),
    finalizers: s.array(s.string(), 'Must be empty before the object is deleted from the registry. Each entry is an identifier for the responsible component that will remove the entry from the list.', {
      listType: 'set',
      patchStrategy: 'merge',
    }),
    generateName: s.string('GenerateName is an optional prefix, used by the server, to generate a unique name ONLY IF the Name field has not been provided.'),
    generation: s.int64('A sequence number representing a specific generation of the desired state. Populated by the system. Read-only.'),
    labels: s.map(s.string(), 'Map of string keys and values that can be used to organize and categorize (scope and select) objects.'),
    managedFields: s.array(ManagedFieldsEntry, 'ManagedFields maps workflow-id and version to the set of fields that are managed by that workflow.', { listType: 'atomic' }),
    name: s.string('Name must be unique within a namespace. Cannot be updated.'),
    namespace: s.string('Namespace defines the space within which each name must be unique. Cannot be updated.'),
    ownerReferences: s.array(OwnerReference, 'List of objects depended by this object. If ALL objects in the list have been deleted, this object will be garbage collected.', {
      listType: 'map',
      listMapKeys: ['uid'],
      patchMergeKey: 'uid',
      patchStrategy: 'merge',
    }),
    resourceVersion: s.string('An opaque value that represents the internal version of this object that can be used by clients to determine when objects have changed. Populated by the system. Read-only.'),
    selfLink: s.string('Deprecated: selfLink is a legacy read-only field that is no longer populated by the system.'),
    uid: s.string('UID is the unique in time and space value for this object. Populated by the system. Read-only.'),
  },
);
export type ObjectMeta = s.Static<typeof ObjectMeta>;

export const ListMeta = s.object(
  'io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta',
  'ListMeta describes metadata that synthetic resources must have, including lists and various status objects.',
  {
    continue: s.string('continue may be set if the user set a limit on the number of items returned, and indicates that the server has more data available.'),
    remainingItemCount: s.int64('remainingItemCount is the number of subsequent items in the list which are not included in this list response.'),
    resourceVersion: s.string('String that identifies the server\'s internal version of this object that can be used by clients to determine when objects have changed.'),
    selfLink: s.string('Deprecated: selfLink is a legacy read-only field that is no longer populated by the system.'),
  },
);
export type ListMeta = s.Static<typeof ListMeta>;

export const LabelSelectorRequirement = s.object(
  'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelectorRequirement',
  'A label selector requirement is a selector that contains values, a key, and an operator that relates the key and values.',
  {
    key: s.string('key is the label key that the selector applies to.'),
    operator: s.string('operator represents a key\'s relationship to a set of values. Valid operators are In, NotIn, Exists and DoesNotExist.'),
    values: s.array(s.string(), 'values is an array of string values. If the operator is In or NotIn, the values array must be non-empty. If the operator is Exists or DoesNotExist, the values array must be empty.', { listType: 'atomic' }),
  },
  { required: ['key', 'operator'] },
);

export const LabelSelector = s.object(
  'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector',
  'A label selector is a label query over a set of resources. An empty label selector matches all objects. A null label selector matches no objects.',
  {
    matchExpressions: s.array(LabelSelectorRequirement, 'matchExpressions is a list of label selector requirements. The requirements are ANDed.', { listType: 'atomic' }),
    matchLabels: s.map(s.string(), 'matchLabels is a map of {key,value} pairs. A single {key,value} in the matchLabels map is equivalent to an element of matchExpressions, whose key field is "key", the operator is "In", and the values array contains only "value". The requirements are ANDed.'),
  },
).with({ mapType: 'atomic' });
export type LabelSelector = s.Static<typeof LabelSelector>;

export const Condition = s.object(
  'io.k8s.apimachinery.pkg.apis.meta.v1.Condition',
  'Condition contains details for one aspect of the current state of this API Resource.',
  {
    lastTransitionTime: s.time('lastTransitionTime is the last time the condition transitioned from one status to another.'),
    message: s.string('message is a human readable message indicating details about the transition. This may be an empty string.'),
    observedGeneration: s.int64('observedGeneration represents the .metadata.generation that the condition was set based upon.'),
    reason: s.string('reason contains a programmatic identifier indicating the reason for the condition\'s last transition.'),
    status: s.enumOf(['True', 'False', 'Unknown'], 'status of the condition, one of True, False, Unknown.'),
    type: s.string('type of condition in CamelCase or in foo.example.com/CamelCase.'),
  },
  { required: ['type', 'status', 'lastTransitionTime', 'reason', 'message'] },
);
export type Condition = s.Static<typeof Condition>;

/**
 * How a status.conditions list merges, as in Kubernetes: a map keyed by the condition type, for
 * server-side apply (x-kubernetes-list-type map) and strategic merge patch alike.
 */
export const conditionListSemantics: s.ListSemantics = { listType: 'map', listMapKeys: ['type'], patchMergeKey: 'type', patchStrategy: 'merge' };

/** apiVersion and kind, as every top-level object carries them. */
export function typeMeta(apiVersionDescription = 'APIVersion defines the versioned schema of this representation of an object.') {
  return {
    apiVersion: s.string(apiVersionDescription),
    kind: s.string('Kind is a string value representing the REST resource this object represents. In CamelCase.'),
  } as const;
}

/** The `metadata` field of a top-level object. */
export const objectMetaField = ObjectMeta.doc(
  "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
);

/** The fields every top-level kind starts with: apiVersion, kind and the standard metadata. */
type StandardFields = ReturnType<typeof typeMeta> & { readonly metadata: typeof objectMetaField };

/** A top-level kind's fields: `fields`, after the standard ones that `fields` does not give itself. */
export type TopLevelFields<P extends s.Props> = Omit<StandardFields, keyof P> & P;

/**
 * The schema of a top-level kind (Pod, Deployment...): an object named `name` with apiVersion,
 * kind and metadata (objectMetaField) followed by `fields`, tagged with its group-version-kind
 * (x-kubernetes-group-version-kind). A kind whose metadata is described otherwise, or stands
 * elsewhere among the fields (as in Event, whose fields are in alphabetical order), gives
 * `metadata` in `fields`: it then keeps its place in `fields`.
 */
export function topLevelObject<P extends s.Props, R extends keyof TopLevelFields<P> & string = never>(
  name: string,
  description: string,
  gvk: s.GroupVersionKind,
  fields: P,
  options: { readonly required?: readonly R[] } = {},
): s.Schema<s.ObjectStatic<TopLevelFields<P>, R>> {
  const standard = 'metadata' in fields ? typeMeta() : { ...typeMeta(), metadata: objectMetaField };
  // TypeScript cannot follow the `in` test into the spread's type; TopLevelFields states it.
  const properties = { ...standard, ...fields } as s.Props as TopLevelFields<P>;
  return s.object(name, description, properties, { ...options, gvk: [gvk] });
}
