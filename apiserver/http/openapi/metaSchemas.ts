/**
 * The schemas of what the REST operations exchange besides the kinds themselves, as Kubernetes
 * publishes them: Status (errors, deletecollection), WatchEvent, the PATCH body and
 * APIResourceList (GET of a group-version). They are written in the schema language only to be
 * published: the server writes these with its own code (api/status.ts, the watch stream).
 * DeleteOptions and Eviction, which the server reads, are with the Eviction kind.
 */
import { ListMeta, typeMeta } from '../../../api/kinds/meta';
import * as s from '../../../api/schema/schema';

const metaV1 = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const typesInfo = 'More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md';

export const StatusCause = s.object(`${metaV1}.StatusCause`, 'StatusCause provides more information about an api.Status failure, including cases when multiple errors are encountered.', {
  field: s.string(
    'The field of the resource that has caused this error, as named by its JSON serialization. May include dot and postfix notation for nested attributes. Arrays are zero-indexed.  Fields may appear more than once in an array of causes due to fields having multiple errors. Optional.',
  ),
  message: s.string('A human-readable description of the cause of the error.  This field may be presented as-is to a reader.'),
  reason: s.string('A machine-readable description of the cause of the error. If this value is empty there is no information available.'),
});

export const StatusDetails = s.object(
  `${metaV1}.StatusDetails`,
  'StatusDetails is a set of additional properties that MAY be set by the server to provide additional information about a response. The Reason field of a Status object defines what attributes will be set. Clients must ignore fields that do not match the defined type of each attribute, and should assume that any attribute may be empty, invalid, or under defined.',
  {
    causes: s.array(StatusCause, 'The Causes array includes more details associated with the StatusReason failure. Not all StatusReasons may provide detailed causes.', {
      listType: 'atomic',
    }),
    group: s.string('The group attribute of the resource associated with the status StatusReason.'),
    kind: s.string('The kind attribute of the resource associated with the status StatusReason. On some operations may differ from the requested resource Kind.'),
    name: s.string('The name attribute of the resource associated with the status StatusReason (when there is a single name which can be described).'),
    retryAfterSeconds: s.int32('If specified, the time in seconds before the operation should be retried.'),
    uid: s.string('UID of the resource. (when there is a single resource which can be described).'),
  },
);

export const Status = s.object(
  `${metaV1}.Status`,
  "Status is a return value for calls that don't return other objects.",
  {
    apiVersion: typeMeta().apiVersion,
    code: s.int32('Suggested HTTP return code for this status, 0 if not set.'),
    details: StatusDetails.doc(
      'Extended data associated with the reason.  Each reason may define its own extended details. This field is optional and the data returned is not guaranteed to conform to any schema except that defined by the reason type.',
    ),
    kind: typeMeta().kind,
    message: s.string('A human-readable description of the status of this operation.'),
    metadata: ListMeta.with({ description: `Standard list metadata. ${typesInfo}#types-kinds`, default: {} }),
    reason: s.string(
      'A machine-readable description of why this operation is in the "Failure" status. If this value is empty there is no information available. A Reason clarifies an HTTP status code but does not override it.',
    ),
    status: s.string(`Status of the operation. One of: "Success" or "Failure". ${typesInfo}#spec-and-status`),
  },
  { gvk: [{ group: '', version: 'v1', kind: 'Status' }] },
);

export const RawExtension = s.object(
  'io.k8s.apimachinery.pkg.runtime.RawExtension',
  'RawExtension is used to hold extensions in external versions: any JSON object, such as the object of a watch event.',
  {},
);

export const WatchEvent = s.object(
  `${metaV1}.WatchEvent`,
  'Event represents a single event to a watched resource.',
  {
    object: RawExtension.doc(
      'Object is:\n * If Type is Added or Modified: the new state of the object.\n * If Type is Deleted: the state of the object immediately before deletion.\n * If Type is Error: *Status is recommended; other types may make sense\n   depending on context.',
    ),
    type: s.string(undefined, { default: '' }),
  },
  { required: ['type', 'object'], gvk: [{ group: '', version: 'v1', kind: 'WatchEvent' }] },
);

export const Patch = s.object(`${metaV1}.Patch`, 'Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.', {});

export const APIResource = s.object(
  `${metaV1}.APIResource`,
  'APIResource specifies the name of a resource and whether it is namespaced.',
  {
    categories: s.array(s.string(), "categories is a list of the grouped resources this resource belongs to (e.g. 'all')", { listType: 'atomic' }),
    group: s.string('group is the preferred group of the resource.  Empty implies the group of the containing resource list.'),
    kind: s.string("kind is the kind for the resource (e.g. 'Foo' is the kind for a resource 'foo')", { default: '' }),
    name: s.string('name is the plural name of the resource.', { default: '' }),
    namespaced: s.boolean('namespaced indicates if a resource is namespaced or not.', { default: false }),
    shortNames: s.array(s.string(), 'shortNames is a list of suggested short names of the resource.', { listType: 'atomic' }),
    singularName: s.string('singularName is the singular name of the resource.', { default: '' }),
    storageVersionHash: s.string('The hash value of the storage version, the version this resource is converted to when written to the data store.'),
    verbs: s.array(s.string(), 'verbs is a list of supported kube verbs (this includes get, list, watch, create, update, patch, delete, deletecollection, and proxy)'),
    version: s.string('version is the preferred version of the resource.  Empty implies the version of the containing resource list'),
  },
  { required: ['name', 'singularName', 'namespaced', 'kind', 'verbs'] },
);

export const APIResourceList = s.object(
  `${metaV1}.APIResourceList`,
  'APIResourceList is a list of APIResource, it is used to expose the name of the resources supported in a specific group and version, and if the resource is namespaced.',
  {
    ...typeMeta(),
    groupVersion: s.string('groupVersion is the group and version this APIResourceList is for.', { default: '' }),
    resources: s.array(APIResource, 'resources contains the name of the resources and if they are namespaced.', { listType: 'atomic' }),
  },
  { required: ['groupVersion', 'resources'], gvk: [{ group: '', version: 'v1', kind: 'APIResourceList' }] },
);

